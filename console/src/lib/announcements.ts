import type { AnnouncementStatus } from '../gql/graphql';

export type AnnouncementAction = 'approve' | 'schedule' | 'pause' | 'resume' | 'cancel';

/**
 * The buttons an announcement shows in its state (docs/notifications.md, "Announcements").
 * Approving is offered to administrators only; the API still refuses the author themself,
 * and the console shows that refusal rather than guessing who wrote it.
 */
export function announcementActions(
  status: AnnouncementStatus,
  canApprove: boolean,
): AnnouncementAction[] {
  switch (status) {
    case 'PENDING_APPROVAL':
      return canApprove ? ['approve', 'cancel'] : ['cancel'];
    case 'DRAFT':
      return ['schedule', 'cancel'];
    case 'SCHEDULED':
    case 'SENDING':
      return ['pause', 'cancel'];
    case 'PAUSED':
      return ['resume', 'cancel'];
    default:
      return [];
  }
}

/** Still moving: its progress is worth reloading. */
export function isUnderWay(status: AnnouncementStatus): boolean {
  return status === 'SCHEDULED' || status === 'SENDING';
}

/**
 * A `datetime-local` value ("2026-12-04T10:00") read as Indian time, as an ISO instant. India
 * keeps +05:30 all year (no summer time), so the offset is fixed. Undefined when blank or not
 * such a value.
 */
export function indianLocalToIso(local: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local.trim());
  if (!match) return undefined;
  const instant = new Date(`${local.trim()}:00+05:30`);
  return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString();
}

import type {
  AnnouncementStatus,
  AnnouncementTemplateInput,
  MessagingTier,
  NotificationLanguage,
} from '../gql/graphql';
import { toAsciiDigits } from './bengali';
import type { UserErrorLike } from './user-errors';

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

/** The two languages an announcement goes out in, in the order the settings form shows them. */
export const TEMPLATE_LANGUAGES = ['BN', 'EN'] as const satisfies readonly NotificationLanguage[];

export interface TemplateFields {
  language: NotificationLanguage;
  whatsappTemplateName: string;
  smsDltTemplateId: string;
}

/**
 * The settings form's templates as the API takes them: a language left entirely blank is
 * left out (no announcements in it yet); a DLT id typed in Bengali digits is sent in ASCII.
 * Only a language with something typed is sent, so the API's REQUIRED for a missing
 * template name is about a language the administrator started.
 */
export function templatesInput(fields: readonly TemplateFields[]): AnnouncementTemplateInput[] {
  return fields
    .map((f) => ({
      language: f.language,
      whatsappTemplateName: f.whatsappTemplateName.trim(),
      smsDltTemplateId: toAsciiDigits(f.smsDltTemplateId.replace(/\s/g, '')) || null,
    }))
    .filter((t) => t.whatsappTemplateName || t.smsDltTemplateId);
}

/**
 * The API names a template's field by its place in the list sent (`templates.1.smsDltTemplateId`);
 * the form names it by language (`EN.smsDltTemplateId`), as a blank language is not sent.
 */
export function atTemplateFields<T extends UserErrorLike>(
  errors: readonly T[],
  sent: readonly AnnouncementTemplateInput[],
): T[] {
  return errors.map((error) => {
    const match = /^templates\.(\d+)\.(\w+)$/.exec(error.field ?? '');
    const language = match ? sent[Number(match[1])]?.language : undefined;
    return match && language ? { ...error, field: `${language}.${match[2]}` } : error;
  });
}

/** Meta's messaging limit tiers and the residents each lets a number reach in 24 hours. */
export const MESSAGING_TIERS: ReadonlyArray<readonly [MessagingTier, number]> = [
  ['TIER_250', 250],
  ['TIER_1K', 1_000],
  ['TIER_10K', 10_000],
  ['TIER_100K', 100_000],
];

import { EntityManager } from 'typeorm';
import { AnnouncementProgress } from './dto/announcement.type';

/**
 * Progress of announcements, by the status of each recipient's outbox message: not yet
 * released or queued → queued; released without a message (opted out or erased meanwhile)
 * → failed as `SKIPPED`; unreleased ones of a cancelled announcement → failed as `CANCELLED`.
 */
export async function progressOf(
  manager: EntityManager,
  ids: readonly string[],
): Promise<Map<string, AnnouncementProgress>> {
  const rows = (await manager.query(
    `SELECT ar.announcement_id AS id,
            CASE WHEN ar.released_at IS NULL AND a.status = 'CANCELLED' THEN 'FAILED'
                 WHEN ar.released_at IS NULL THEN 'QUEUED'
                 WHEN ar.notification_id IS NULL THEN 'FAILED'
                 WHEN n.status::text = 'SENDING' THEN 'QUEUED'
                 ELSE n.status::text END AS status,
            CASE WHEN ar.released_at IS NULL AND a.status = 'CANCELLED' THEN 'CANCELLED'
                 WHEN ar.released_at IS NOT NULL AND ar.notification_id IS NULL THEN 'SKIPPED'
                 ELSE coalesce(n.error_code, 'UNKNOWN') END AS reason,
            count(*)::int AS n
       FROM announcement_recipients ar
       JOIN announcements a ON a.id = ar.announcement_id
       LEFT JOIN notifications n ON n.id = ar.notification_id
      WHERE ar.announcement_id = ANY($1::uuid[])
      GROUP BY 1, 2, 3`,
    [[...ids]],
  )) as Array<{ id: string; status: string; reason: string; n: number }>;
  const replies = (await manager.query(
    `SELECT announcement_id AS id, count(*)::int AS n FROM announcement_replies
      WHERE announcement_id = ANY($1::uuid[]) GROUP BY 1`,
    [[...ids]],
  )) as Array<{ id: string; n: number }>;
  const result = new Map<string, AnnouncementProgress>();
  for (const id of ids) {
    const mine = rows.filter((row) => row.id === id);
    const count = (status: string) =>
      mine.filter((row) => row.status === status).reduce((sum, row) => sum + row.n, 0);
    const reasons = new Map<string, number>();
    for (const row of mine.filter((r) => r.status === 'FAILED')) {
      reasons.set(row.reason, (reasons.get(row.reason) ?? 0) + row.n);
    }
    result.set(id, {
      recipients: mine.reduce((sum, row) => sum + row.n, 0),
      queued: count('QUEUED'),
      sent: count('SENT'),
      delivered: count('DELIVERED'),
      read: count('READ'),
      failed: count('FAILED'),
      failedByReason: [...reasons].map(([code, n]) => ({ code, count: n })),
      replies: replies.find((r) => r.id === id)?.n ?? 0,
    });
  }
  return result;
}

import { NotificationDispatcherService } from '../../src/notifications/notification-dispatcher.service';
import { WhatsAppInboxService } from '../../src/whatsapp/whatsapp-inbox.service';
import { TestApp } from './test-app';
import { waitFor } from './wait';

/** Pending background work: unprocessed webhook payloads and unsent notifications. */
export async function pendingWork(pool: TestApp['db']['pool']): Promise<number> {
  const { rows } = await pool.query(
    `SELECT (SELECT count(*) FROM notifications WHERE status IN ('QUEUED', 'SENDING')) +
            (SELECT count(*) FROM whatsapp_inbox WHERE status = 'PENDING') AS n`,
  );
  return Number(rows[0].n);
}

/** Runs the inbox and the dispatcher of an in-process app until nothing is pending. */
export async function settle(t: TestApp, timeoutMs = 60_000): Promise<void> {
  try {
    await waitFor(
      'the inbox and the notifications to settle',
      async () => {
        await t.app.get(WhatsAppInboxService).kick();
        await t.app.get(NotificationDispatcherService).kick();
        return (await pendingWork(t.db.pool)) === 0;
      },
      timeoutMs,
      20,
    );
  } catch (error) {
    const { rows } = await t.db.pool.query(
      `SELECT 'notification' AS kind, status::text, count(*)::int AS n, min(locked_until) AS until
         FROM notifications WHERE status IN ('QUEUED', 'SENDING') GROUP BY status
       UNION ALL
       SELECT 'inbox', status::text, count(*)::int, min(next_attempt_at)
         FROM whatsapp_inbox WHERE status = 'PENDING' GROUP BY status`,
    );
    throw new Error(`${(error as Error).message}: ${JSON.stringify(rows)}`);
  }
}

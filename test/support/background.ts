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
}

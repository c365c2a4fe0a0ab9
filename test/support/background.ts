import { WebhooksService } from '../../src/integration/webhooks/webhooks.service';
import { NotificationDispatcherService } from '../../src/notifications/notification-dispatcher.service';
import { WhatsAppInboxService } from '../../src/whatsapp/whatsapp-inbox.service';
import { TestApp } from './test-app';
import { waitFor } from './wait';

export interface SettleOptions {
  /**
   * Count only inbox payloads due now: one waiting out its backoff after a failure is not
   * pending work (tests of failing payloads use it).
   */
  dueOnly?: boolean;
  /** Kick the inbox too (default); false for tests that only make notifications. */
  inbox?: boolean;
}

/** Pending background work: unprocessed webhook payloads and unsent notifications. */
export async function pendingWork(
  pool: TestApp['db']['pool'],
  { dueOnly = false, inbox = true }: SettleOptions = {},
): Promise<number> {
  const { rows } = await pool.query(
    `SELECT (SELECT count(*) FROM notifications WHERE status IN ('QUEUED', 'SENDING')) +
            CASE WHEN $2::boolean THEN (SELECT count(*) FROM whatsapp_inbox
                    WHERE status = 'PENDING' AND (NOT $1::boolean OR next_attempt_at <= now()))
                 ELSE 0 END AS n`,
    [dueOnly, inbox],
  );
  return Number(rows[0].n);
}

/** Runs the inbox and the dispatcher of an in-process app until nothing is pending. */
export async function settle(
  t: TestApp,
  timeoutMs = 60_000,
  options: SettleOptions = {},
): Promise<void> {
  try {
    await waitFor(
      'the inbox and the notifications to settle',
      async () => {
        if (options.inbox !== false) await t.app.get(WhatsAppInboxService).kick();
        await t.app.get(NotificationDispatcherService).kick();
        return (await pendingWork(t.db.pool, options)) === 0;
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

/** Runs the webhook dispatcher until no delivery of an active endpoint is pending. */
export async function settleWebhooks(t: TestApp, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    'the webhook deliveries to settle',
    async () => {
      await t.app.get(WebhooksService).kick();
      const { rows } = await t.db.pool.query(
        `SELECT count(*)::int AS n FROM webhook_deliveries d
           JOIN webhook_endpoints e ON e.id = d.endpoint_id
          WHERE d.status = 'PENDING' AND e.status = 'ACTIVE'`,
      );
      return rows[0].n === 0;
    },
    timeoutMs,
    25,
  );
}

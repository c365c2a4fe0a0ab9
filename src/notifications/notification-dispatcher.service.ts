// Over 400 lines on purpose: claiming, sending and recording an outcome (with its fallback
// statement) are one failure path, reviewed and tested together (docs/reliability.md).
import {
  Inject,
  Injectable,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
} from '@nestjs/common';
import Bottleneck from 'bottleneck';
import DataLoader from 'dataloader';
import { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { storableText } from '../common/text/storable';
import { DomainEventsService } from '../domain-events/domain-events.service';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, APP_LOGGER } from '../config/config.tokens';
import { backoffMs } from '../common/background/backoff';
import { BackgroundWorker } from '../jobs/background-worker';
import { measureStatusQueue } from '../jobs/queue-measure';
import { WorkerRegistry } from '../jobs/worker-registry';
import { deleteBatch } from '../common/sql/delete-batch';
import { InjectWorkerDataSource } from '../database/worker-data-source';
import { MessagingWindowService, windowOpenSql } from '../whatsapp-cloud/messaging-window.service';
import { WhatsAppCloudClient } from '../whatsapp-cloud/whatsapp-cloud.client';
import { LogSender } from './channels/log.sender';
import { smsSender } from './sms/sms-sender.factory';
import {
  ChannelOutcome,
  NotificationSender,
  OutgoingNotification,
} from './channels/notification-sender';
import { WhatsAppSender, WINDOW_CLOSED_CODE } from './channels/whatsapp.sender';

/**
 * Claims due notifications (several instances may run: `FOR UPDATE SKIP LOCKED`), sends
 * them through their channel under a per-helpline rate limit, and records the outcome.
 * Messages to one recipient leave in the order they were made: a message waits while an
 * older one to the same person is still pending. A claim older than `NOTIFY_CLAIM_SECONDS`
 * is taken to belong to a crashed instance and is claimed again. The walk in `seq` order is
 * on `ix_notifications_pending_seq` (pending rows only), never past the kept history. "The
 * recipient's oldest pending message" is a subquery run for each row walked, not an
 * anti-join: after a quiet spell the statistics say nothing is pending, and the planner
 * joined every pending row to every other (10,000 queued: 320,000 comparisons a claim).
 * Exported for its tests (test/notifications/dispatcher-claim.e2e-spec.ts).
 */
export const CLAIM_SQL = `
  UPDATE notifications n
     SET status = 'SENDING', attempts = n.attempts + 1, updated_at = now(),
         locked_until = now() + make_interval(secs => $2)
   WHERE n.id IN (
     SELECT c.id FROM notifications c
      WHERE c.status IN ('QUEUED', 'SENDING')
        AND CASE WHEN c.status = 'QUEUED' THEN c.next_attempt_at <= now()
                 ELSE c.locked_until < now() AND c.attempts < $3 END
        AND c.id = (
          SELECT e.id FROM notifications e
           WHERE e.recipient_id = c.recipient_id AND e.status IN ('QUEUED', 'SENDING')
           ORDER BY e.seq LIMIT 1)
      ORDER BY c.seq
      LIMIT $1
      FOR UPDATE SKIP LOCKED)
  RETURNING n.id, n.channel, n.address, n.sender, n.language, n.template_key, n.body,
            n.template_name, n.dlt_template_id, n.template_params, n.sent_as, n.attempts, n.content, n.secret_values,
            n.recipient_type, n.municipality_id, n.ward_id, n.resident_id, n.ambiguous_sends,
            n.reply_to, n.reply_index,
            n.channel = 'WHATSAPP' AND ${windowOpenSql('n.sender', 'n.address')} AS window_open`;

/**
 * A claim that ran out at the last attempt (its instance died, or could not record the
 * outcome) is parked FAILED with the cause: never sent again by itself, and no longer
 * holding that recipient's later messages.
 */
const PARK_LOST_CLAIMS_SQL = `
  UPDATE notifications SET status = 'FAILED', failed_at = now(), locked_until = NULL,
         error_code = 'CLAIM_EXPIRED', updated_at = now(),
         error_message = left('parked after ' || attempts || ' attempts without a recorded outcome'
                              || coalesce('; last error: ' || error_message, ''), 1000)
   WHERE status = 'SENDING' AND locked_until < now() AND attempts >= $1
  RETURNING id`;

/**
 * Sends accepted within this many milliseconds are recorded SENT by one statement: under load
 * a statement per message sent was a fifth of the helpline's database work (issue 25).
 */
const SENT_RECORD_WINDOW_MS = 10;
const SENT_RECORD_BATCH = 100;

const RECORD_SENT_BATCH_SQL = `
  UPDATE notifications n SET status = 'SENT', provider_message_id = s.message_id, sent_as = s.sent_as,
         sent_at = now(), locked_until = NULL, error_code = NULL, error_message = NULL, updated_at = now()
    FROM unnest($1::uuid[], $2::text[], $3::text[]) AS s(id, message_id, sent_as)
   WHERE n.id = s.id AND n.status = 'SENDING'`;

interface SentRecord {
  id: string;
  messageId: string;
  sentAs: string;
}

/** Lost claims are looked for at most this often (and four times a lease when shorter). */
const PARK_CHECK_MAX_MS = 5000;

/** Lengths of the columns an outcome is written to. */
const CODE_CHARS = 40;
const MESSAGE_CHARS = 1000;
const PROVIDER_ID_CHARS = 128;

/** Errors that mean "the database is not reachable now", worth waiting out. */
function transientDatabaseError(error: unknown): boolean {
  const code = String((error as { code?: unknown })?.code ?? '');
  if (/^(08|53|57P)/.test(code)) return true;
  if (/^[0-9A-Z]{5}$/.test(code)) return false;
  return /connect|terminat|ECONN|timeout|closed/i.test(String((error as Error)?.message ?? ''));
}

interface ClaimedRow {
  id: string;
  channel: string;
  address: string;
  sender: string | null;
  language: string;
  template_key: string;
  body: string;
  template_name: string | null;
  dlt_template_id: string | null;
  template_params: string[];
  sent_as: string | null;
  attempts: number;
  content: Record<string, unknown> | null;
  secret_values: string[] | null;
  recipient_type: string;
  municipality_id: string;
  ward_id: string | null;
  resident_id: string | null;
  ambiguous_sends: number;
  reply_to: string | null;
  reply_index: number | null;
  window_open: boolean;
}

@Injectable()
export class NotificationDispatcherService
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly limiters: Bottleneck.Group;
  private readonly senders: Record<string, NotificationSender>;
  private readonly worker: BackgroundWorker;
  private stopping = false;
  private nextParkCheckAt = 0;
  /** Sends accepted close together, recorded SENT in one statement (see {@link recordSent}). */
  private readonly sentRecords = new DataLoader<SentRecord, void, string>(
    (records) => this.recordSentBatch(records),
    {
      cache: false,
      maxBatchSize: SENT_RECORD_BATCH,
      batchScheduleFn: (flush) => setTimeout(flush, SENT_RECORD_WINDOW_MS),
    },
  );

  constructor(
    @InjectWorkerDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly events: DomainEventsService,
    whatsapp: WhatsAppCloudClient,
    windows: MessagingWindowService,
    workers: WorkerRegistry,
  ) {
    // Cloud API throughput is per business number: one limiter per helpline. Sends are
    // spaced 5 % wider than the rate so network jitter cannot push a second over it.
    this.limiters = new Bottleneck.Group({
      minTime: (1000 / config.whatsapp.ratePerSecond) * 1.05,
    });
    this.worker = workers.create({
      name: 'notifications',
      settings: config.workers.notifications,
      step: (worker) => this.sendBatch(worker),
      onError: (error) =>
        this.logger.warn({ err: error }, 'notification dispatch failed; will retry'),
      // Any instance's commit wakes every dispatcher at once.
      listen: {
        databaseUrl: (dataSource.options as { url: string }).url,
        channel: 'duare_notifications',
      },
      runAtStart: true,
      measure: () =>
        measureStatusQueue(dataSource, {
          table: 'notifications',
          dueStatus: 'QUEUED',
          failedStatus: 'FAILED',
          dueColumn: 'next_attempt_at',
          ageColumn: 'next_attempt_at',
        }),
    });
    this.senders = {
      WHATSAPP: new WhatsAppSender(whatsapp, windows, dataSource.manager),
      SMS: smsSender(config, logger, dataSource.manager),
      LOG: new LogSender(logger, 'LOG', !config.isProduction),
    };
  }

  onApplicationBootstrap(): void {
    if (!this.config.whatsapp.accessToken) {
      this.logger.warn('WHATSAPP_ACCESS_TOKEN is not set: messages to residents are only logged');
    }
    this.worker.start();
  }

  /** Before the connection pool closes: finish the batch in hand, take no more. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.worker.stop();
  }

  /**
   * Sends whatever is due now; resolves when nothing due is left and every send in flight is
   * recorded (tests and the bench wait on it; the dispatcher itself never waits on a send).
   */
  kick(): Promise<void> {
    return this.worker.kick();
  }

  /**
   * Claims what is due and starts sending it; false when nothing could be claimed. No batch
   * barrier: each send is recorded on its own and wakes the loop, so a hung call holds only
   * its recipient (whose later messages wait behind it by design), never the others.
   */
  private async sendBatch(worker: BackgroundWorker): Promise<boolean> {
    const { batch, leaseSeconds } = worker.settings;
    await this.parkLostClaims(leaseSeconds);
    const room = Math.min(batch, worker.room());
    if (room <= 0) return false;
    const claimed: ClaimedRow[] =
      (
        await this.dataSource.query(CLAIM_SQL, [
          room,
          leaseSeconds,
          this.config.notifications.maxAttempts,
        ])
      )[0] ?? [];
    for (const row of claimed) {
      worker.track(
        this.deliver(row).catch((error) =>
          this.logger.error({ err: error, notification: row.id }, 'could not record a send'),
        ),
      );
    }
    return claimed.length > 0;
  }

  /**
   * Parks the claims that ran out at their last attempt. A claim runs out only after
   * `leaseSeconds`, so looking a few times a lease is enough — not on every claim, which
   * under load is a statement per message sent.
   */
  private async parkLostClaims(leaseSeconds: number): Promise<void> {
    const now = Date.now();
    if (now < this.nextParkCheckAt) return;
    this.nextParkCheckAt = now + Math.min(PARK_CHECK_MAX_MS, (leaseSeconds * 1000) / 4);
    const { maxAttempts } = this.config.notifications;
    const parked = ((await this.dataSource.query(PARK_LOST_CLAIMS_SQL, [maxAttempts]))[0] ??
      []) as Array<{ id: string }>;
    for (const row of parked) {
      this.logger.error(
        { notification: row.id },
        'notification parked: its claim ran out at the last attempt',
      );
    }
  }

  private async deliver(row: ClaimedRow): Promise<void> {
    const notification: OutgoingNotification = {
      id: row.id,
      channel: row.channel,
      address: row.address,
      sender: row.sender,
      language: row.language,
      templateKey: row.template_key,
      body: row.body,
      templateName: row.template_name,
      dltTemplateId: row.dlt_template_id,
      templateParams: row.template_params,
      sentAs: row.sent_as,
      content: row.content,
      readReceiptFor: row.reply_index === 0 ? row.reply_to : null,
      windowOpen: row.window_open,
      municipalityId: row.municipality_id,
    };
    const outcome: ChannelOutcome = await this.limiters
      .key(row.sender ?? row.channel)
      .schedule(() => this.senders[row.channel].send(notification))
      .catch((error: Error) => ({
        ok: false as const,
        kind: 'RETRY' as const,
        code: 'INTERNAL',
        message: error.message,
      }));
    await this.recordPersistently(row, outcome);
  }

  /**
   * Records what became of a send. While the database is unreachable (a restart, a
   * fail-over) it keeps trying for up to half the claim: the instance that sent knows the
   * outcome. Any other failure (the content, a constraint) goes at once to a plain statement
   * that cannot fail on content; if even that fails the claim runs out and the attempt count
   * bounds it (`PARK_LOST_CLAIMS_SQL`).
   */
  private async recordPersistently(row: ClaimedRow, outcome: ChannelOutcome): Promise<void> {
    const giveUpAt = Date.now() + (this.config.notifications.claimSeconds * 1000) / 2;
    for (let wait = 100; ; wait = Math.min(wait * 2, 5000)) {
      try {
        await this.record(row, outcome);
        return;
      } catch (error) {
        if (!transientDatabaseError(error)) return this.recordFallback(row, outcome, error);
        if (this.stopping || Date.now() + wait > giveUpAt) throw error;
        this.logger.warn(
          { err: error, notification: row.id },
          'could not record a send; trying again',
        );
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /**
   * The outcome could not be written as it is. A send WhatsApp accepted is recorded SENT
   * (never sent again) without the details; a failure is queued again or, at the limit,
   * parked FAILED — with the cause in both cases.
   */
  private async recordFallback(
    row: ClaimedRow,
    outcome: ChannelOutcome,
    failure: unknown,
  ): Promise<void> {
    const cause = storableText(
      `the outcome (${outcome.ok ? `accepted as ${outcome.messageId}` : `${outcome.code}: ${outcome.message}`}) could not be recorded: ${(failure as Error)?.message ?? failure}`,
      MESSAGE_CHARS,
    );
    this.logger.error(
      { err: failure, notification: row.id, accepted: outcome.ok },
      'could not record a send as it is; recorded without its details',
    );
    const { maxAttempts } = this.config.notifications;
    if (outcome.ok) {
      await this.dataSource.query(
        `UPDATE notifications SET status = 'SENT', sent_at = now(), locked_until = NULL,
                sent_as = $3, error_code = 'RECORD_FAILED', error_message = $2, updated_at = now()
          WHERE id = $1 AND status = 'SENDING'`,
        [row.id, cause, outcome.sentAs ?? 'TEXT'],
      );
      return;
    }
    const final = outcome.kind !== 'RETRY' || row.attempts >= maxAttempts;
    await this.dataSource.query(
      `UPDATE notifications SET status = $3::notification_status, locked_until = NULL,
              error_code = 'RECORD_FAILED', error_message = $2, updated_at = now(),
              failed_at = CASE WHEN $3 = 'FAILED' THEN now() ELSE failed_at END,
              next_attempt_at = now() + make_interval(secs => $4::float / 1000)
        WHERE id = $1 AND status = 'SENDING'`,
      [row.id, cause, final ? 'FAILED' : 'QUEUED', this.retryInMs(row.attempts)],
    );
  }

  /**
   * Records an accepted send together with the others accepted in the same few milliseconds;
   * false when that shared statement failed (a provider id another notification holds, say),
   * and the caller records this one alone, where such a failure is told apart.
   */
  private async recordSent(record: SentRecord): Promise<boolean> {
    try {
      await this.sentRecords.load(record);
      return true;
    } catch {
      return false;
    }
  }

  private async recordSentBatch(records: readonly SentRecord[]): Promise<void[]> {
    await this.dataSource.query(RECORD_SENT_BATCH_SQL, [
      records.map((r) => r.id),
      records.map((r) => r.messageId),
      records.map((r) => r.sentAs),
    ]);
    return records.map(() => undefined);
  }

  /** Blanks a secret (a hand-over code) out of the stored text once it is no longer needed. */
  private async forgetSecrets(row: ClaimedRow): Promise<void> {
    if (!row.secret_values?.length) return;
    const blank = (text: string) =>
      row.secret_values!.reduce((t, secret) => t.split(secret).join('••••••'), text);
    await this.dataSource.query(
      `UPDATE notifications SET body = $2, template_params = $3, secret_values = NULL WHERE id = $1`,
      [row.id, blank(row.body), JSON.stringify(row.template_params.map(blank))],
    );
  }

  private async record(row: ClaimedRow, outcome: ChannelOutcome): Promise<void> {
    const { maxAttempts } = this.config.notifications;
    const ambiguousAgain = !outcome.ok && outcome.ambiguous === true && row.ambiguous_sends >= 1;
    const retry =
      !outcome.ok && outcome.kind === 'RETRY' && row.attempts < maxAttempts && !ambiguousAgain;
    if (!retry) await this.forgetSecrets(row);
    if (outcome.ok) {
      const messageId = storableText(outcome.messageId, PROVIDER_ID_CHARS);
      if (await this.recordSent({ id: row.id, messageId, sentAs: outcome.sentAs ?? 'TEXT' }))
        return;
      try {
        await this.dataSource.query(
          `UPDATE notifications SET status = 'SENT', provider_message_id = $2, sent_as = $3,
                  sent_at = now(), locked_until = NULL, error_code = NULL, error_message = NULL,
                  updated_at = now()
            WHERE id = $1 AND status = 'SENDING'`,
          [row.id, messageId, outcome.sentAs ?? 'TEXT'],
        );
      } catch (error) {
        if ((error as { code?: string }).code !== '23505') throw error;
        // Another notification holds this provider id (a provider bug, or a replay): the
        // send happened, so it is SENT — without the id, and saying why.
        this.logger.warn(
          { notification: row.id, providerMessageId: messageId },
          'the provider answered a message id another notification already has',
        );
        await this.dataSource.query(
          `UPDATE notifications SET status = 'SENT', sent_as = $3, sent_at = now(), locked_until = NULL,
                  error_code = 'DUPLICATE_PROVIDER_ID', error_message = $2, updated_at = now()
            WHERE id = $1 AND status = 'SENDING'`,
          [
            row.id,
            storableText(`accepted as ${messageId}, an id another notification has`, MESSAGE_CHARS),
            outcome.sentAs ?? 'TEXT',
          ],
        );
      }
      return;
    }
    const code = storableText(outcome.code, CODE_CHARS);
    const message = storableText(outcome.message, MESSAGE_CHARS);
    if (retry) {
      const wait = Math.max(this.retryInMs(row.attempts), outcome.retryAfterMs ?? 0);
      await this.dataSource.query(
        `UPDATE notifications SET status = 'QUEUED', locked_until = NULL, error_code = $2,
                error_message = $3, next_attempt_at = now() + make_interval(secs => $4::float / 1000),
                ambiguous_sends = ambiguous_sends + $5, updated_at = now()
          WHERE id = $1 AND status = 'SENDING'`,
        [row.id, code, message, wait, outcome.ambiguous ? 1 : 0],
      );
      if (outcome.ambiguous) {
        this.logger.warn(
          { notification: row.id, code },
          'a send whose outcome is unknown is tried once more (it may arrive twice)',
        );
      }
      return;
    }
    const finalMessage = ambiguousAgain
      ? storableText(
          `the Cloud API's answer was lost twice (${message}); not sent again, it may have arrived`,
          MESSAGE_CHARS,
        )
      : message;
    this.logger.warn(
      { notification: row.id, channel: row.channel, code, attempts: row.attempts },
      'notification failed for good',
    );
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE notifications SET status = 'FAILED', failed_at = now(), locked_until = NULL,
                error_code = $2, error_message = $3, sent_as = coalesce($4, sent_as), updated_at = now(),
                ambiguous_sends = ambiguous_sends + $5
          WHERE id = $1 AND status = 'SENDING'`,
        [row.id, code, finalMessage, outcome.sentAs ?? null, outcome.ambiguous ? 1 : 0],
      );
      if (code === WINDOW_CLOSED_CODE && !outcome.ok) {
        await this.reportUndelivered(manager, row.id, code, finalMessage);
      }
    });
  }

  /**
   * A message to a resident that cannot go out because the 24-hour window is closed and it
   * has no approved template: recorded with the reason (already done by the caller) and
   * told to the ward's coordinators (`notification.undelivered`), who can reach the resident
   * another way. Staff messages are not reported (no loop of alerts about alerts).
   */
  async reportUndelivered(
    manager: EntityManager,
    notificationId: string,
    code: string,
    reason: string,
  ): Promise<void> {
    const [row] = (await manager.query(
      `SELECT id, municipality_id, ward_id, resident_id, recipient_type, template_key
         FROM notifications WHERE id = $1`,
      [notificationId],
    )) as Array<{
      id: string;
      municipality_id: string;
      ward_id: string | null;
      resident_id: string | null;
      recipient_type: string;
      template_key: string;
    }>;
    if (!row || row.recipient_type !== 'RESIDENT' || !row.ward_id || !row.resident_id) return;
    this.logger.warn(
      { notification: row.id, code, reason },
      'a message to a resident could not be sent (24-hour window closed); coordinators told',
    );
    await this.events.record(manager, {
      type: 'notification.undelivered',
      aggregateType: 'Notification',
      aggregateId: row.id,
      municipalityId: row.municipality_id,
      wardId: row.ward_id,
      payload: { residentId: row.resident_id, templateKey: row.template_key, code },
    });
  }

  /** Housekeeping: finished notifications older than `NOTIFY_RETENTION_DAYS`. */
  async purgeExpired(manager: EntityManager, now: Date, batch: number): Promise<number> {
    return deleteBatch(
      manager,
      'notifications',
      `SELECT ctid FROM notifications
        WHERE status IN ('SENT', 'DELIVERED', 'READ', 'FAILED')
          AND created_at < $1::timestamptz - make_interval(days => $3)
        LIMIT $2`,
      [now, batch, this.config.notifications.retentionDays],
    );
  }

  /** The one backoff policy (exponential with jitter), with `NOTIFY_RETRY_*`. */
  private retryInMs(attempts: number): number {
    const { retryBaseMs, retryMaxMs } = this.config.notifications;
    return backoffMs(attempts, retryBaseMs, retryMaxMs);
  }
}

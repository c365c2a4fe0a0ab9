import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { Logger } from 'pino';
import DataLoader from 'dataloader';
import { DataSource, EntityManager } from 'typeorm';
import { backoffMs } from '../common/background/backoff';
import { eachAtMost, Outcome } from '../common/background/each-at-most';
import { togetherOrEachAlone } from '../common/background/together-or-each-alone';
import { BackgroundWorker } from '../jobs/background-worker';
import { measureStatusQueue } from '../jobs/queue-measure';
import { WorkerRegistry } from '../jobs/worker-registry';
import { storableText } from '../common/text/storable-text';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, APP_LOGGER } from '../config/config.tokens';
import { deleteBatch } from '../common/sql/delete-batch';
import { pgPoolOf } from '../database/pg-pool';
import { InjectWorkerDataSource } from '../database/worker-data-source';
import { InjectDataSource } from '@nestjs/typeorm';
import { NotificationsService } from '../notifications/notifications.service';
import { memoize } from '../common/background/memoize';
import type { Ward } from '../wards/entities/ward.entity';
import { WardsService } from '../wards/wards.service';
import { ConversationLookups, ConversationService } from './conversation/conversation.service';
import { WhatsAppMediaService } from './whatsapp-media.service';
import {
  messageValues,
  payloadKeys,
  WebhookPayload,
  WebhookStatus,
  WebhookValue,
} from './whatsapp-payload';

/** Late matches tried for a status nobody claimed (about 17 minutes in all), then it is left. */
const MAX_STATUS_CHECKS = 10;
/** Unmatched statuses kept for diagnosis this long, then purged. */
const UNMATCHED_RETENTION_DAYS = 7;

/** What the messages of one claimed batch look up once. */
interface BatchLookups extends ConversationLookups {
  ward(helpline: string): Promise<Ward | null>;
}

interface ClaimedRow {
  id: string;
  payload: WebhookPayload;
  attempts: number;
}

/**
 * The next due payloads, each the oldest pending one of its sender, in the order written,
 * locked until their outcomes are recorded. The walk is on ix_whatsapp_inbox_order_pending
 * (pending rows only, in order) and the sender's oldest is a subquery for each row walked (on
 * ix_whatsapp_inbox_sender_pending), so the cost follows the rows taken, not the backlog.
 * Written as an anti-join, it was planned from statistics taken while nothing was pending
 * after a quiet spell, and joined every pending row to every other: 20,000 pending took two
 * minutes a claim, and the bot stopped under a burst (bench/README.md, round 4).
 */
export const INBOX_CLAIM_SQL = `
  SELECT i.id, i.payload, i.attempts FROM whatsapp_inbox i
   WHERE i.status = 'PENDING' AND i.next_attempt_at <= now()
     AND (i.sender IS NULL OR i.id = (
           SELECT e.id FROM whatsapp_inbox e
            WHERE e.status = 'PENDING' AND e.sender = i.sender
            ORDER BY e.order_at, e.received_at, e.id LIMIT 1))
   ORDER BY i.order_at, i.received_at, i.id LIMIT $1
     FOR UPDATE OF i SKIP LOCKED`;

/** A verified payload as it is stored. */
interface InboxEntry {
  payload: string;
  sender: string | null;
  helpline: string | null;
  orderAt: Date;
  dueAt: Date;
}

/** At most this many payloads arriving together are stored by one INSERT. */
const STORE_BATCH = 100;
/**
 * INSERTs of webhooks in flight at once; POSTs arriving while all are busy share the next.
 * With one alone every POST waited for the commit of the batch before it (PostgreSQL flushes
 * concurrent commits together), and one slow INSERT held up every webhook.
 */
const STORE_CONCURRENCY = 4;

/**
 * A bot giving way looks again after this long whether webhooks are still being stored, and
 * goes on only when a look finds fewer waiting than its threshold: woken the moment an INSERT
 * ended, it took the thread back before the next POST arrived (725 POSTs a second at 10
 * connections, against 2,272 with these pauses; the raw INSERT server 2,800–3,000).
 */
const GIVE_WAY_CHECK_MS = 10;

/**
 * The messages of up to this many claimed payloads are handled in one transaction: a BEGIN
 * and a COMMIT (and its WAL flush) per message were two of a greeting's 14 statements. Few, so
 * that the first of them is not answered much later than alone; if any of them fails, all are
 * rolled back and handled again one at a time, so that one payload's failure is its own.
 */
const PAYLOADS_PER_TRANSACTION = 4;

/** Payloads with messages in groups that share a transaction; the others (statuses) alone. */
function transactionGroups(rows: readonly ClaimedRow[]): ClaimedRow[][] {
  const groups: ClaimedRow[][] = [];
  let open: ClaimedRow[] = [];
  for (const row of rows) {
    if (!hasMessages(row.payload)) {
      groups.push([row]);
      continue;
    }
    open.push(row);
    if (open.length === PAYLOADS_PER_TRANSACTION) {
      groups.push(open);
      open = [];
    }
  }
  if (open.length > 0) groups.push(open);
  return groups;
}

/** Whether the payload carries messages (statuses alone need no shared transaction). */
function hasMessages(payload: WebhookPayload): boolean {
  // The raw shape is enough to group by: each change is validated once, when it is handled.
  return payload.entry.some((entry) =>
    entry.changes.some((change) => {
      const messages = (change.value as { messages?: unknown } | undefined)?.messages;
      return change.field === 'messages' && Array.isArray(messages) && messages.length > 0;
    }),
  );
}

/**
 * Processes stored webhook payloads: every change, message and status in each. A payload that
 * fails is recorded (attempts, cause, next attempt with backoff) and the worker moves on at
 * once; only later payloads of the *same* sender wait for it, so nobody else's messages do.
 * After `WHATSAPP_INBOX_MAX_ATTEMPTS` it is parked for an administrator. Several instances may
 * run (`SKIP LOCKED`); a crash leaves the row PENDING and it is taken up again.
 */
@Injectable()
export class WhatsAppInboxService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly inbox: BackgroundWorker;
  private readonly lateStatuses: BackgroundWorker;
  /** INSERTs in flight, and the batches waiting for one of them to end. */
  private inserting = 0;
  private readonly waitingBatches: Array<() => void> = [];
  /** Webhook POSTs of this instance waiting for their INSERT: the bot gives way to them. */
  private storesInFlight = 0;
  private stopping = false;
  /**
   * Payloads arriving while every INSERT slot is busy are stored together by the next one (a
   * commit shared by concurrent POSTs, each answered after it): no wait when the inbox is
   * quiet, fewer statements and commits when WhatsApp sends many at once.
   */
  private readonly entries = new DataLoader<InboxEntry, void, InboxEntry>(
    (entries) => this.insertInSlot(entries),
    {
      cache: false,
      maxBatchSize: STORE_BATCH,
      // Never synchronously: the payload that opened the batch is added to it afterwards.
      batchScheduleFn: (flush) => {
        if (this.inserting < STORE_CONCURRENCY) process.nextTick(flush);
        else this.waitingBatches.push(flush);
      },
    },
  );

  constructor(
    // The workers' own pool: API traffic holding every main connection cannot stop the helpline.
    @InjectWorkerDataSource() private readonly dataSource: DataSource,
    // The main pool, for storing webhooks: a POST is API traffic, and the helpline's own work
    // holding the workers' connections must not hold up its 200 (at 10 POSTs in flight it did:
    // 0.23 of the raw floor, with the CPU a quarter idle).
    @InjectDataSource() private readonly api: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly wards: WardsService,
    private readonly notifications: NotificationsService,
    private readonly conversations: ConversationService,
    private readonly media: WhatsAppMediaService,
    registry: WorkerRegistry,
  ) {
    this.inbox = registry.create({
      name: 'whatsapp-inbox',
      settings: config.workers['whatsapp-inbox'],
      step: () => this.processBatch(),
      onError: (error) =>
        this.logger.warn({ err: error }, 'WhatsApp inbox processing failed; will retry'),
      runAtStart: true,
      measure: () =>
        measureStatusQueue(dataSource, {
          table: 'whatsapp_inbox',
          dueStatus: 'PENDING',
          failedStatus: 'PARKED',
          dueColumn: 'next_attempt_at',
          ageColumn: 'received_at',
        }),
    });
    this.lateStatuses = registry.create({
      name: 'whatsapp-late-statuses',
      settings: config.workers['whatsapp-late-statuses'],
      step: (worker) => this.matchLateStatuses(worker),
      onError: (error) =>
        this.logger.warn({ err: error }, 'Matching late WhatsApp statuses failed'),
      runAtStart: true,
    });
  }

  /**
   * Deletes up to `batch` raw payloads processed more than the retention period before
   * `now` (they hold residents' numbers, names and words; what was needed of them is in the
   * conversations by then), finished media look-ups of the same age and old unmatched
   * statuses. Parked payloads stay for someone to look at.
   */
  async purgeExpired(manager: EntityManager, now: Date, batch: number): Promise<number> {
    const payloads = await deleteBatch(
      manager,
      'whatsapp_inbox',
      `SELECT ctid FROM whatsapp_inbox
        WHERE status IN ('DONE', 'DISCARDED') AND processed_at < $1::timestamptz - make_interval(days => $3)
        LIMIT $2`,
      [now, batch, this.config.whatsapp.inboxRetentionDays],
    );
    const statuses = await deleteBatch(
      manager,
      'whatsapp_unmatched_statuses',
      `SELECT ctid FROM whatsapp_unmatched_statuses
        WHERE received_at < $1::timestamptz - make_interval(days => $3) LIMIT $2`,
      [now, batch, UNMATCHED_RETENTION_DAYS],
    );
    return payloads + statuses + (await this.media.purgeExpired(manager, now, batch));
  }

  onApplicationBootstrap(): void {
    this.inbox.start();
    this.lateStatuses.start();
  }

  /** Before the connection pool closes: finish the payload in hand, take no more. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all([this.inbox.stop(), this.lateStatuses.stop()]);
  }

  /** Stores a verified payload; processing starts at once but is not awaited by the caller. */
  async store(payload: WebhookPayload): Promise<void> {
    const { sender, helpline, writtenAt } = payloadKeys(payload);
    const now = new Date();
    // WhatsApp may deliver a resident's messages out of order: each waits a short window
    // for earlier ones (`WHATSAPP_REORDER_WINDOW_MS`), and a sender's are taken in the order
    // they were written.
    const window = this.config.whatsapp.reorderWindowMs;
    // Autocommit: the row is committed when the statement returns, before the 200.
    this.storesInFlight += 1;
    try {
      await this.entries.load({
        payload: JSON.stringify(payload),
        sender,
        helpline,
        orderAt: writtenAt && writtenAt < now ? writtenAt : now,
        dueAt: new Date(now.getTime() + window),
      });
    } finally {
      this.storesInFlight -= 1;
    }
    if (window === 0) void this.kick();
    else setTimeout(() => void this.kick(), window).unref();
  }

  private async insertInSlot(entries: readonly InboxEntry[]): Promise<Array<void | Error>> {
    this.inserting += 1;
    try {
      return await this.insertEntries(entries);
    } finally {
      this.inserting -= 1;
      this.waitingBatches.shift()?.();
    }
  }

  /**
   * Stores payloads that arrived together, in their order of arrival (`received_at` by row,
   * which orders a sender's payloads written in the same second). When the shared INSERT
   * fails, each is tried alone, so that a payload the database refuses is the only one
   * answered with an error (and delivered again by WhatsApp).
   */
  private async insertEntries(entries: readonly InboxEntry[]): Promise<Array<void | Error>> {
    const outcomes = await togetherOrEachAlone(
      entries,
      (all) => this.insertRows(all),
      (entry) => this.insertRows([entry]),
    );
    return outcomes.map((outcome) => (outcome.ok ? undefined : asError(outcome.error)));
  }

  private async insertRows(entries: readonly InboxEntry[]): Promise<void> {
    await pgPoolOf(this.api).query(
      `INSERT INTO whatsapp_inbox (payload, sender, helpline, order_at, next_attempt_at, received_at)
       SELECT e.payload, e.sender, e.helpline, e.order_at, e.due_at, clock_timestamp()
         FROM unnest($1::jsonb[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[])
              WITH ORDINALITY AS e(payload, sender, helpline, order_at, due_at, n)
        ORDER BY e.n`,
      [
        entries.map((e) => e.payload),
        entries.map((e) => e.sender),
        entries.map((e) => e.helpline),
        entries.map((e) => e.orderAt),
        entries.map((e) => e.dueAt),
      ],
    );
  }

  /** Processes whatever is due (payloads, late statuses, media); resolves when nothing is left. */
  async kick(): Promise<void> {
    await this.inbox.kick();
    await Promise.all([this.lateStatuses.kick(), this.media.kick()]);
  }

  /**
   * Claims a batch of due payloads, each the oldest pending one of its sender (so a sender's
   * payloads are still taken one after the other, in the order written), and processes them
   * a few at a time (`WHATSAPP_INBOX_CONCURRENCY`). The claiming transaction holds their row
   * locks until every one is recorded: another instance skips them (`SKIP LOCKED`) and, by the
   * same rule, every later payload of their senders. A failure is recorded on its row in that
   * transaction; if the transaction itself fails, a second, simpler statement counts an attempt
   * on each claimed row, so no row is ever taken again and again without its attempts growing.
   */
  private async processBatch(): Promise<boolean> {
    // One pause budget for the whole batch: before its claim and before each of its payloads.
    const giveWayUntil = Date.now() + this.config.whatsapp.inboxGiveWayMaxMs;
    await this.giveWayToStoring(giveWayUntil);
    let claimed: ClaimedRow[] = [];
    const { batch, concurrency } = this.inbox.settings;
    try {
      return await this.dataSource.transaction(async (manager) => {
        claimed = (await manager.query(INBOX_CLAIM_SQL, [batch])) as ClaimedRow[];
        if (claimed.length === 0) return false;
        // A batch looks each helpline's ward and each catalogue up once: a change made
        // meanwhile (service hours, say) reaches the next batch, a fraction of a second later.
        const lookups: BatchLookups = {
          ward: memoize((helpline: string) => this.wards.findByWhatsAppPhoneNumberId(helpline)),
          ...this.conversations.batchLookups(this.dataSource.manager),
        };
        const byRow = new Map<string, Outcome>();
        await eachAtMost(transactionGroups(claimed), concurrency, async (group) => {
          for (const [id, outcome] of await this.processGroup(group, lookups, giveWayUntil))
            byRow.set(id, outcome);
        });
        const outcomes = claimed.map((row) => byRow.get(row.id)!);
        const done = claimed.filter((_, index) => outcomes[index].ok).map((row) => row.id);
        if (done.length > 0) {
          await manager.query(
            `UPDATE whatsapp_inbox SET status = 'DONE', processed_at = now(), last_error = NULL
              WHERE id = ANY($1::uuid[])`,
            [done],
          );
        }
        for (const [index, row] of claimed.entries()) {
          const outcome = outcomes[index];
          if (!outcome.ok) await this.recordFailure(manager, row, outcome.error);
        }
        return true;
      });
    } catch (error) {
      if (claimed.length === 0) throw error;
      for (const row of claimed) await this.countAttempt(row.id, error);
      return true;
    }
  }

  /**
   * Storing webhooks goes first. While `WHATSAPP_INBOX_GIVE_WAY_AT` POSTs wait for their
   * INSERT, the bot waits before its next claim and before each payload of its batch — in
   * all at most `WHATSAPP_INBOX_GIVE_WAY_MAX_MS` a batch: WhatsApp wants its 200 fast and
   * delivers again what it waited too long for, while a stored message is answered a moment
   * later all the same. Both share one thread: a batch worked through while POSTs wait made
   * each of them wait for it (17 ms a POST at 10 connections, against 3 ms for the raw
   * INSERT; pausing only between groups of four payloads left runs from 0.41 to 0.78 of the
   * raw rate). Under a flood the bot still works through a batch within its budget.
   */
  private async giveWayToStoring(until: number): Promise<void> {
    const { inboxGiveWayAt } = this.config.whatsapp;
    if (inboxGiveWayAt === 0) return;
    while (!this.stopping && this.storesInFlight >= inboxGiveWayAt && Date.now() < until)
      await delay(GIVE_WAY_CHECK_MS);
  }

  /**
   * A group's payloads in one transaction; when that fails, each again on its own (its
   * messages each in their own transaction), so that only the failing payload is retried.
   */
  private async processGroup(
    group: ClaimedRow[],
    lookups: BatchLookups,
    giveWayUntil: number,
  ): Promise<Array<[string, Outcome]>> {
    const outcomes = await togetherOrEachAlone(
      group,
      (rows) =>
        this.dataSource.transaction(async (manager) => {
          for (const row of rows) {
            await this.giveWayToStoring(giveWayUntil);
            await this.process(row.payload, lookups, manager);
          }
        }),
      (row) => this.process(row.payload, lookups),
    );
    return group.map((row, index) => [row.id, outcomes[index]]);
  }

  private async recordFailure(manager: EntityManager, row: ClaimedRow, error: unknown) {
    const { inboxMaxAttempts, inboxRetryBaseMs, inboxRetryMaxMs } = this.config.whatsapp;
    const attempts = row.attempts + 1;
    const park = attempts >= inboxMaxAttempts;
    const cause = storableText(describe(error), 2000);
    await manager.query(
      `UPDATE whatsapp_inbox
          SET attempts = $2::int, last_error = $3::text, processed_at = NULL,
              status = CASE WHEN $4::boolean THEN 'PARKED' ELSE 'PENDING' END,
              parked_at = CASE WHEN $4::boolean THEN now() ELSE NULL END,
              next_attempt_at = now() + make_interval(secs => $5::double precision / 1000)
        WHERE id = $1::uuid`,
      [row.id, attempts, cause, park, backoffMs(attempts, inboxRetryBaseMs, inboxRetryMaxMs)],
    );
    const context = { inbox: row.id, attempts, maxAttempts: inboxMaxAttempts, cause };
    if (park) this.logger.error(context, 'WhatsApp payload parked after repeated failures');
    else this.logger.warn(context, 'WhatsApp payload failed; will retry');
  }

  /** The fallback when the failure could not be recorded with the row: count it, nothing more. */
  private async countAttempt(id: string, error: unknown): Promise<void> {
    const cause = storableText(`the failure could not be recorded: ${describe(error)}`, 2000);
    this.logger.error(
      { inbox: id, cause },
      'WhatsApp payload failed and its failure was not recorded',
    );
    await this.dataSource.query(
      `UPDATE whatsapp_inbox
          SET attempts = attempts + 1, last_error = $2::text,
              status = CASE WHEN attempts + 1 >= $3::int THEN 'PARKED' ELSE status END,
              parked_at = CASE WHEN attempts + 1 >= $3::int THEN now() ELSE parked_at END,
              next_attempt_at = now() + make_interval(secs => least(60, 2 ^ (attempts + 1)))
        WHERE id = $1::uuid AND status = 'PENDING'`,
      [id, cause, this.config.whatsapp.inboxMaxAttempts],
    );
  }

  /** A payload's changes; its messages in `shared`, the caller's transaction, when given. */
  private async process(
    payload: WebhookPayload,
    lookups: BatchLookups,
    shared?: EntityManager,
  ): Promise<void> {
    const { values, invalid } = messageValues(payload);
    if (invalid > 0)
      this.logger.warn({ invalid }, 'WhatsApp webhook changes not understood; skipped');
    for (const value of values) {
      if (value.errors?.length)
        this.logger.warn(
          { codes: value.errors.map((e) => e.code), helpline: value.metadata.phone_number_id },
          'WhatsApp reported errors in a webhook',
        );
      await this.recordInbound(value, lookups, shared);
      for (const status of value.statuses ?? []) await this.applyStatus(status);
    }
  }

  /**
   * A status for a message we have recorded as sent moves its notification on; one for a
   * message we do not know (its send not recorded yet, or sent by another tool on the same
   * number) is kept aside and matched later, never holding up the payload.
   */
  private async applyStatus(status: WebhookStatus): Promise<void> {
    const error = status.errors?.[0];
    const update = {
      messageId: status.id,
      status: status.status,
      timestamp: new Date(Number(status.timestamp) * 1000),
      errorCode: error ? storableText(error.code, 40) : null,
      errorMessage: error ? storableText(error.message ?? error.title ?? '', 1000) : null,
    };
    if (await this.notifications.applyDeliveryStatus(update)) return;
    await this.dataSource.query(
      `INSERT INTO whatsapp_unmatched_statuses (message_id, status, occurred_at, error_code, error_message)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (message_id, status) DO NOTHING`,
      [update.messageId, update.status, update.timestamp, update.errorCode, update.errorMessage],
    );
  }

  /** Tries unmatched statuses again (a send may have been recorded since), with growing waits. */
  private async matchLateStatuses(worker: BackgroundWorker): Promise<boolean> {
    const due = (await this.dataSource.query(
      `SELECT id, message_id, status, occurred_at, error_code, error_message
         FROM whatsapp_unmatched_statuses
        WHERE checks < $1 AND next_check_at <= now()
        ORDER BY next_check_at LIMIT $2`,
      [MAX_STATUS_CHECKS, worker.settings.batch],
    )) as Array<{
      id: string;
      message_id: string;
      status: WebhookStatus['status'];
      occurred_at: Date;
      error_code: string | null;
      error_message: string | null;
    }>;
    for (const row of due) {
      const matched = await this.notifications.applyDeliveryStatus({
        messageId: row.message_id,
        status: row.status,
        timestamp: row.occurred_at,
        errorCode: row.error_code,
        errorMessage: row.error_message,
      });
      await this.dataSource.query(
        matched
          ? `DELETE FROM whatsapp_unmatched_statuses WHERE id = $1`
          : `UPDATE whatsapp_unmatched_statuses
                SET checks = checks + 1, next_check_at = now() + make_interval(secs => 2 ^ (checks + 1))
              WHERE id = $1`,
        [row.id],
      );
    }
    return due.length === 50;
  }

  /**
   * A resident's messages: each goes to the conversation (which opens or extends the 24-hour
   * window from the message's own timestamp), in its own transaction or the caller's
   * (`shared`); a message already handled is skipped by wamid.
   */
  private async recordInbound(
    value: WebhookValue,
    lookups: BatchLookups,
    shared?: EntityManager,
  ): Promise<void> {
    const helpline = value.metadata.phone_number_id;
    if (!value.messages?.length) return;
    const ward = await lookups.ward(helpline);
    for (const message of value.messages) {
      await this.inTransaction(shared, async (manager) => {
        if (!ward) {
          this.logger.info(
            { helpline },
            'WhatsApp message to a number that is no ward’s helpline; recorded, not answered',
          );
          await this.conversations.recordStray(manager, helpline, message);
          return;
        }
        if (message.type === 'system') {
          await this.conversations.handleSystem(manager, ward, message);
          return;
        }
        const contact = value.contacts?.find(
          (c) =>
            (c.wa_id !== undefined && c.wa_id === message.from) ||
            (c.user_id !== undefined && c.user_id === message.from_user_id),
        );
        await this.conversations.handle(manager, ward, message, {
          profileName: contact?.profile?.name ?? null,
          services: lookups.services,
        });
      });
    }
  }

  private inTransaction(
    shared: EntityManager | undefined,
    work: (manager: EntityManager) => Promise<void>,
  ): Promise<void> {
    return shared ? work(shared) : this.dataSource.transaction(work);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** An error as one line for `last_error` and the log: its class and message, not its stack. */
function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

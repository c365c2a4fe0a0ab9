import {
  Inject,
  Injectable,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { deleteBatch } from '../database/delete-batch';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, APP_LOGGER } from '../config/config.tokens';
import { NotificationsService } from '../notifications/notifications.service';
import { WardsService } from '../wards/wards.service';
import { DrainLoop } from '../common/background/drain-loop';
import { ConversationService } from './conversation/conversation.service';
import { WhatsAppInboxRow } from './entities/whatsapp-inbox.entity';
import { messageValues, WebhookPayload, WebhookValue } from './whatsapp-payload';

/** Attempts before a payload that keeps failing is parked for an administrator. */
const MAX_ATTEMPTS = 6;

/** Statuses of messages we have not recorded as sent yet: try the payload again later. */
class UnmatchedStatuses extends Error {}

/**
 * Processes stored webhook payloads: every change, message and status in each. Several
 * instances may run (`SKIP LOCKED`); a crash leaves the row PENDING and it is taken up at
 * the next start (or by another instance).
 */
@Injectable()
export class WhatsAppInboxService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private readonly loop = new DrainLoop(
    () => this.processOne(),
    (error) => this.logger.warn({ err: error }, 'WhatsApp inbox processing failed; will retry'),
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly wards: WardsService,
    private readonly notifications: NotificationsService,
    private readonly conversations: ConversationService,
  ) {}

  /**
   * Deletes up to `batch` raw payloads processed more than the retention period before
   * `now` (they hold residents' numbers, names and words; what was needed of them is in the
   * conversations by then). Parked ones stay for someone to look at.
   */
  async purgeExpired(manager: EntityManager, now: Date, batch: number): Promise<number> {
    return deleteBatch(
      manager,
      'whatsapp_inbox',
      `SELECT ctid FROM whatsapp_inbox
        WHERE status = 'DONE' AND processed_at < $1::timestamptz - make_interval(days => $3)
        LIMIT $2`,
      [now, batch, this.config.whatsapp.inboxRetentionDays],
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
    this.timer = setInterval(() => void this.kick(), this.config.notifications.pollMs);
    void this.kick();
  }

  /** Before the connection pool closes: finish the batch in hand, take no more. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.loop.stop();
  }

  /** Stores a verified payload; processing starts at once but is not awaited by the caller. */
  async store(payload: WebhookPayload): Promise<void> {
    await this.dataSource.getRepository(WhatsAppInboxRow).insert({ payload });
    void this.kick();
  }

  /** Processes whatever is due; resolves when nothing is left (tests wait on it). */
  kick(): Promise<void> {
    return this.loop.kick();
  }

  /** Claims and processes the oldest due row; false when there is none. */
  private async processOne(): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = (await manager.query(
        `SELECT id, payload, attempts FROM whatsapp_inbox
          WHERE status = 'PENDING' AND next_attempt_at <= now()
          ORDER BY received_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      )) as Array<{ id: string; payload: WebhookPayload; attempts: number }>;
      if (!row) return false;
      try {
        await this.process(row.payload);
        await manager.query(
          `UPDATE whatsapp_inbox SET status = 'DONE', processed_at = now() WHERE id = $1`,
          [row.id],
        );
      } catch (error) {
        const attempts = row.attempts + 1;
        const giveUp = attempts >= MAX_ATTEMPTS;
        // Statuses nobody claims after all the retries belong to messages sent outside
        // notifications: nothing is wrong, the row is done.
        const status = giveUp
          ? error instanceof UnmatchedStatuses
            ? 'DONE'
            : 'PARKED'
          : 'PENDING';
        if (status === 'PARKED')
          this.logger.error({ inbox: row.id, err: error }, 'WhatsApp payload parked');
        await manager.query(
          `UPDATE whatsapp_inbox SET status = $2, attempts = $3, last_error = $4,
                  next_attempt_at = now() + make_interval(secs => $5), processed_at = CASE WHEN $2 = 'PENDING' THEN NULL ELSE now() END
            WHERE id = $1`,
          [
            row.id,
            status,
            attempts,
            String((error as Error).message).slice(0, 1000),
            2 ** attempts / 4,
          ],
        );
      }
      return true;
    });
  }

  private async process(payload: WebhookPayload): Promise<void> {
    const { values, invalid } = messageValues(payload);
    if (invalid > 0)
      this.logger.warn({ invalid }, 'WhatsApp webhook changes not understood; skipped');
    let unmatched = 0;
    for (const value of values) {
      await this.recordInbound(value);
      for (const status of value.statuses ?? []) {
        const error = status.errors?.[0];
        const matched = await this.notifications.applyDeliveryStatus({
          messageId: status.id,
          status: status.status,
          timestamp: new Date(Number(status.timestamp) * 1000),
          errorCode: error ? String(error.code) : null,
          errorMessage: error?.message ?? error?.title ?? null,
        });
        if (!matched) unmatched += 1;
      }
    }
    if (unmatched > 0) throw new UnmatchedStatuses(`${unmatched} statuses for unknown messages`);
  }

  /**
   * A resident's messages: each opens (or extends) the 24-hour window and goes to the
   * conversation, in its own transaction (a message already handled is skipped by wamid).
   */
  private async recordInbound(value: WebhookValue): Promise<void> {
    const helpline = value.metadata.phone_number_id;
    if (!value.messages?.length) return;
    const ward = await this.wards.findByWhatsAppPhoneNumberId(helpline);
    for (const message of value.messages) {
      await this.dataSource.transaction(async (manager) => {
        if (!ward) {
          this.logger.info(
            { helpline },
            'WhatsApp message to a number that is no ward’s helpline; recorded, not answered',
          );
          await this.conversations.recordStray(manager, helpline, message);
          return;
        }
        await manager.query(
          `INSERT INTO whatsapp_windows (phone_number_id, wa_id, last_inbound_at) VALUES ($1, $2, to_timestamp($3))
           ON CONFLICT (phone_number_id, wa_id)
             DO UPDATE SET last_inbound_at = greatest(whatsapp_windows.last_inbound_at, EXCLUDED.last_inbound_at)`,
          [helpline, message.from, Number(message.timestamp)],
        );
        const contact = value.contacts?.find((c) => c.wa_id === message.from);
        await this.conversations.handle(manager, ward, message, contact?.profile?.name ?? null);
      });
    }
  }
}

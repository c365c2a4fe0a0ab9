import {
  Inject,
  Injectable,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Bottleneck from 'bottleneck';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, APP_LOGGER } from '../config/config.tokens';
import { DrainLoop } from '../common/background/drain-loop';
import { PgListener } from '../database/pg-listener';
import { WhatsAppCloudClient } from '../whatsapp/cloud-api/whatsapp-cloud.client';
import { LogSender } from './channels/log.sender';
import {
  ChannelOutcome,
  NotificationSender,
  OutgoingNotification,
} from './channels/notification-sender';
import { WhatsAppSender } from './channels/whatsapp.sender';

const BATCH = 50;

/**
 * Claims due notifications (several instances may run: `FOR UPDATE SKIP LOCKED`), sends
 * them through their channel under a per-helpline rate limit, and records the outcome.
 * Messages to one recipient leave in the order they were made: a message waits while an
 * older one to the same person is still pending. A claim older than `NOTIFY_CLAIM_SECONDS`
 * is taken to belong to a crashed instance and is claimed again.
 */
const CLAIM_SQL = `
  UPDATE notifications n
     SET status = 'SENDING', attempts = n.attempts + 1, updated_at = now(),
         locked_until = now() + make_interval(secs => $2)
   WHERE n.id IN (
     SELECT c.id FROM notifications c
      WHERE c.status IN ('QUEUED', 'SENDING')
        AND CASE WHEN c.status = 'QUEUED' THEN c.next_attempt_at <= now()
                 ELSE c.locked_until < now() END
        AND NOT EXISTS (
          SELECT 1 FROM notifications e
           WHERE e.recipient_id = c.recipient_id AND e.status IN ('QUEUED', 'SENDING')
             AND e.seq < c.seq)
      ORDER BY c.seq
      LIMIT $1
      FOR UPDATE SKIP LOCKED)
  RETURNING n.id, n.channel, n.address, n.sender, n.language, n.template_key, n.body,
            n.template_name, n.template_params, n.sent_as, n.attempts, n.content, n.secret_values`;

interface ClaimedRow {
  id: string;
  channel: string;
  address: string;
  sender: string | null;
  language: string;
  template_key: string;
  body: string;
  template_name: string | null;
  template_params: string[];
  sent_as: string | null;
  attempts: number;
  content: Record<string, unknown> | null;
  secret_values: string[] | null;
}

@Injectable()
export class NotificationDispatcherService
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly limiters: Bottleneck.Group;
  private readonly senders: Record<string, NotificationSender>;
  private readonly listener: PgListener;
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;
  private readonly loop = new DrainLoop(
    () => this.sendBatch(),
    (error) => this.logger.warn({ err: error }, 'notification dispatch failed; will retry'),
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    whatsapp: WhatsAppCloudClient,
  ) {
    // Cloud API throughput is per business number: one limiter per helpline. Sends are
    // spaced 5 % wider than the rate so network jitter cannot push a second over it.
    this.limiters = new Bottleneck.Group({
      minTime: (1000 / config.whatsapp.ratePerSecond) * 1.05,
    });
    // Any instance's commit wakes every dispatcher at once.
    this.listener = new PgListener(
      (dataSource.options as { url: string }).url,
      'duare_notifications',
      () => void this.kick(),
    );
    this.senders = {
      WHATSAPP: new WhatsAppSender(whatsapp, dataSource.manager),
      SMS: new LogSender(logger, 'SMS', !config.isProduction),
      LOG: new LogSender(logger, 'LOG', !config.isProduction),
    };
  }

  onApplicationBootstrap(): void {
    this.loop.start();
    if (!this.config.whatsapp.accessToken) {
      this.logger.warn('WHATSAPP_ACCESS_TOKEN is not set: messages to residents are only logged');
    }
    void this.listener.start();
    this.timer = setInterval(() => this.kick(), this.config.notifications.pollMs);
    this.kick();
  }

  /** Before the connection pool closes: finish the batch in hand, take no more. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.listener.stop();
    await this.loop.stop();
  }

  /** Sends whatever is due now; resolves when nothing due is left (tests and the bench wait on it). */
  kick(): Promise<void> {
    return this.loop.kick();
  }

  /** Claims and sends one batch; false when nothing was due. */
  private async sendBatch(): Promise<boolean> {
    const claimed: ClaimedRow[] =
      (
        await this.dataSource.query(CLAIM_SQL, [BATCH, this.config.notifications.claimSeconds])
      )[0] ?? [];
    await Promise.all(claimed.map((row) => this.deliver(row)));
    return claimed.length > 0;
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
      templateParams: row.template_params,
      sentAs: row.sent_as,
      content: row.content,
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
   * Records what became of a send, trying again while the database is unreachable (a restart,
   * a fail-over): the instance that sent knows the outcome, and leaving the row claimed
   * would hold it, and every later message to that person, until the claim runs out. It
   * stops trying well before the claim does, so no other instance has taken the row over.
   */
  private async recordPersistently(row: ClaimedRow, outcome: ChannelOutcome): Promise<void> {
    const giveUpAt = Date.now() + (this.config.notifications.claimSeconds * 1000) / 2;
    for (let wait = 100; ; wait = Math.min(wait * 2, 5000)) {
      try {
        await this.record(row, outcome);
        return;
      } catch (error) {
        if (this.stopping || Date.now() + wait > giveUpAt) throw error;
        this.logger.warn(
          { err: error, notification: row.id },
          'could not record a send; trying again',
        );
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
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
    if (
      outcome.ok ||
      outcome.kind !== 'RETRY' ||
      row.attempts >= this.config.notifications.maxAttempts
    ) {
      await this.forgetSecrets(row);
    }
    if (outcome.ok) {
      await this.dataSource.query(
        `UPDATE notifications SET status = 'SENT', provider_message_id = $2, sent_as = $3,
                sent_at = now(), locked_until = NULL, error_code = NULL, error_message = NULL,
                updated_at = now()
          WHERE id = $1 AND status = 'SENDING'`,
        [row.id, outcome.messageId, outcome.sentAs ?? 'TEXT'],
      );
      return;
    }
    const { maxAttempts } = this.config.notifications;
    if (outcome.kind === 'RETRY' && row.attempts < maxAttempts) {
      await this.dataSource.query(
        `UPDATE notifications SET status = 'QUEUED', locked_until = NULL, error_code = $2,
                error_message = $3, next_attempt_at = now() + make_interval(secs => $4::float / 1000),
                updated_at = now()
          WHERE id = $1 AND status = 'SENDING'`,
        [row.id, outcome.code, outcome.message, this.backoffMs(row.attempts)],
      );
      return;
    }
    this.logger.warn(
      { notification: row.id, channel: row.channel, code: outcome.code, attempts: row.attempts },
      'notification failed for good',
    );
    await this.dataSource.query(
      `UPDATE notifications SET status = 'FAILED', failed_at = now(), locked_until = NULL,
              error_code = $2, error_message = $3, sent_as = coalesce($4, sent_as), updated_at = now()
        WHERE id = $1 AND status = 'SENDING'`,
      [row.id, outcome.code, outcome.message, outcome.sentAs ?? null],
    );
  }

  /** Exponential backoff with jitter (half to full of the step), capped. */
  private backoffMs(attempts: number): number {
    const { retryBaseMs, retryMaxMs } = this.config.notifications;
    const step = Math.min(retryMaxMs, retryBaseMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(step * (0.5 + Math.random() / 2));
  }
}

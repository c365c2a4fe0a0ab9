import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, APP_LOGGER } from '../config/config.tokens';
import { InjectWorkerDataSource } from '../database/worker-data-source';
import { BackgroundWorker } from '../jobs/background-worker';
import { WorkerRegistry } from '../jobs/worker-registry';
import { NotificationPlannerService } from '../notifications/notification-planner.service';
import { AUDIENCE_SQL, audienceParams } from './announcement-audience';
import { AnnouncementRow } from './announcement-row';
import { AnnouncementSettingsService } from './announcement-settings.service';
import { AnnouncementSettings } from './dto/announcement-settings.type';
import { holdOutbox, specOf } from './announcement-outbox';

/** Meta's answers that mean "slow down": throughput, spam rate and pair rate limits. */
export const SLOW_DOWN_CODES = ['130429', '131048', '131056'];

/** How many announcements one run looks at. */
const ANNOUNCEMENTS_PER_RUN = 10;

interface Recipient {
  resident_id: string;
  ward_id: string;
  channel: 'WHATSAPP' | 'SMS';
  language: 'bn' | 'en';
}

/**
 * Sends announcements: at `sendAt` it takes the audience (one `announcement_recipients` row
 * per resident — the primary key is what keeps a resident from getting it twice), then on
 * every run hands the next batch to the notifications outbox, never more per helpline in 24
 * hours than the messaging tier allows. When Meta answers a slow-down error for one of its
 * messages, the announcement is held (its queued messages too) for `ANNOUNCE_PAUSE_MS`, then
 * carries on where it was. Every run's body is `runOnce()`; the timer only calls it.
 */
@Injectable()
export class AnnouncementSenderService
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly worker: BackgroundWorker;
  private started = false;
  private running: Promise<boolean> | null = null;

  constructor(
    @InjectWorkerDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly settings: AnnouncementSettingsService,
    private readonly planner: NotificationPlannerService,
    registry: WorkerRegistry,
  ) {
    // One batch per poll: the poll is the pace, so a step never asks to run again at once.
    this.worker = registry.create({
      name: 'announcements',
      settings: config.workers.announcements,
      step: async () => {
        await this.runOnce();
        return false;
      },
      onError: (error) =>
        this.logger.warn({ err: error }, 'announcement run failed; the next run tries again'),
    });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
    this.started = this.worker.enabled;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.started = false;
    await this.worker.stop();
    await this.running;
  }

  /** Runs once soon (after a schedule or a resume); a run in progress is not doubled. */
  wake(): void {
    if (this.started) void this.worker.kick();
  }

  /** One run: starts what is due, then moves every sending announcement one batch on. */
  runOnce(): Promise<boolean> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<boolean> {
    let worked = await this.startDue();
    const sending = (await this.dataSource.query(
      `SELECT id FROM announcements WHERE status = 'SENDING' ORDER BY send_at LIMIT $1`,
      [ANNOUNCEMENTS_PER_RUN],
    )) as Array<{ id: string }>;
    for (const { id } of sending) {
      // One announcement's failure stays with it: the others go on.
      try {
        worked = (await this.advance(id)) || worked;
      } catch (error) {
        this.logger.error(
          { err: error, announcement: id },
          'announcement batch failed; retried next run',
        );
      }
    }
    return worked;
  }

  /** Due announcements take their audience as it is now and start sending. */
  private async startDue(): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const due = (await manager.query(
        `SELECT * FROM announcements WHERE status = 'SCHEDULED' AND send_at <= now()
          ORDER BY send_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [ANNOUNCEMENTS_PER_RUN],
      )) as AnnouncementRow[];
      for (const row of due) {
        await manager.query(
          `INSERT INTO announcement_recipients (announcement_id, ward_id, resident_id, channel, language)
           SELECT $5, a.ward_id, a.resident_id, a.channel, a.language FROM (${AUDIENCE_SQL}) a
            WHERE NOT a.opted_out AND a.channel <> 'NONE'
           ON CONFLICT DO NOTHING`,
          [...audienceParams(specOf(row)), row.id],
        );
        await manager.query(
          `UPDATE announcements SET status = 'SENDING', started_at = now(), updated_at = now() WHERE id = $1`,
          [row.id],
        );
        this.logger.info({ announcement: row.id }, 'announcement started');
      }
      return due.length > 0;
    });
  }

  /** Moves one announcement on: hold it after a slow-down error, else release a batch. */
  private async advance(id: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = (await manager.query(
        `SELECT * FROM announcements WHERE id = $1 AND status = 'SENDING' FOR UPDATE SKIP LOCKED`,
        [id],
      )) as AnnouncementRow[];
      if (!row) return false;
      if (await this.holdIfSlowedDown(manager, row)) return true;
      if (row.paused_until && row.paused_until.getTime() > Date.now()) return false;
      const released = await this.releaseBatch(manager, row);
      if (released > 0) return true;
      return this.finishIfDone(manager, row.id);
    });
  }

  /**
   * A slow-down error on one of its messages since the last hold (compared in SQL: a JS Date
   * would drop the microseconds) holds the whole
   * announcement: its queued messages wait too, and nothing new is released meanwhile.
   */
  private async holdIfSlowedDown(manager: EntityManager, row: AnnouncementRow): Promise<boolean> {
    const [hit] = (await manager.query(
      `SELECT n.error_code FROM announcements a
         JOIN announcement_recipients ar ON ar.announcement_id = a.id
         JOIN notifications n ON n.id = ar.notification_id
        WHERE a.id = $1 AND n.status = 'QUEUED' AND n.error_code = ANY($2::text[])
          AND n.updated_at > coalesce(a.paused_at, '-infinity')
        LIMIT 1`,
      [row.id, SLOW_DOWN_CODES],
    )) as Array<{ error_code: string }>;
    if (!hit) return false;
    // An UPDATE answers [rows, count].
    const [[{ until }]] = (await manager.query(
      `UPDATE announcements SET paused_until = now() + make_interval(secs => $2::float / 1000),
              paused_at = now(), pauses = pauses + 1, pause_reason = $3, updated_at = now()
        WHERE id = $1 RETURNING paused_until AS until`,
      [row.id, this.config.announcements.pauseMs, `Meta error ${hit.error_code}: slowing down`],
    )) as [Array<{ until: Date }>, number];
    await holdOutbox(manager, row.id, until);
    this.logger.warn(
      { announcement: row.id, code: hit.error_code, until },
      'announcement held after a rate-limit or quality error from Meta',
    );
    return true;
  }

  /**
   * Hands the next batch to the outbox: a WhatsApp template (never free-form text, whatever
   * the 24-hour window) or an SMS with its DLT template. Who opted out, or was erased, since
   * the audience was taken is released without a message.
   */
  private async releaseBatch(manager: EntityManager, row: AnnouncementRow): Promise<number> {
    const settings = await this.settings.get(manager, row.municipality_id);
    const room = await this.tierRoom(manager, settings, row.ward_ids);
    // WhatsApp residents of a helpline at its tier's limit wait; they hold up no one else.
    const open = () => [...room].filter(([, left]) => left > 0).map(([ward]) => ward);
    const batch = (await manager.query(
      `SELECT resident_id, ward_id, channel, language FROM announcement_recipients
        WHERE announcement_id = $1 AND released_at IS NULL
          AND (channel <> 'WHATSAPP' OR ward_id = ANY($3::uuid[]))
        ORDER BY ward_id, resident_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [row.id, this.config.announcements.batchSize, open()],
    )) as Recipient[];
    let released = 0;
    for (const recipient of batch) {
      if (recipient.channel === 'WHATSAPP') {
        const left = room.get(recipient.ward_id) ?? 0;
        if (left <= 0) continue;
        room.set(recipient.ward_id, left - 1);
      }
      await this.release(manager, row, settings, recipient);
      released += 1;
    }
    const [waiting] = (await manager.query(
      `SELECT 1 FROM announcement_recipients
        WHERE announcement_id = $1 AND released_at IS NULL AND channel = 'WHATSAPP'
          AND NOT (ward_id = ANY($2::uuid[])) LIMIT 1`,
      [row.id, open()],
    )) as unknown[];
    if (waiting) {
      await manager.query(
        `UPDATE announcements SET pause_reason = $2, updated_at = now() WHERE id = $1`,
        [row.id, `messaging tier ${settings.messagingTier}: waiting for the 24-hour limit`],
      );
    }
    if (released > 0) await manager.query(`SELECT pg_notify('duare_notifications', '')`);
    return released;
  }

  /** Per ward (its helpline number): residents still allowed in the tier's rolling 24 hours. */
  private async tierRoom(
    manager: EntityManager,
    settings: AnnouncementSettings,
    wards: string[],
  ): Promise<Map<string, number>> {
    const rows = (await manager.query(
      `SELECT ward_id, count(*)::int AS n FROM announcement_recipients
        WHERE ward_id = ANY($1::uuid[]) AND channel = 'WHATSAPP' AND notification_id IS NOT NULL
          AND released_at > now() - interval '24 hours'
        GROUP BY ward_id`,
      [wards],
    )) as Array<{ ward_id: string; n: number }>;
    return new Map(
      wards.map((ward) => [
        ward,
        settings.dailyLimit - (rows.find((r) => r.ward_id === ward)?.n ?? 0),
      ]),
    );
  }

  private async release(
    manager: EntityManager,
    row: AnnouncementRow,
    settings: AnnouncementSettings,
    recipient: Recipient,
  ): Promise<void> {
    const [target] = (await manager.query(
      `SELECT r.whatsapp_id, r.phone, w.whatsapp_phone_number_id AS helpline,
              (r.erased_at IS NOT NULL
               OR EXISTS (SELECT 1 FROM announcement_opt_outs o WHERE o.resident_id = r.id)
               OR EXISTS (SELECT 1 FROM notification_opt_outs o WHERE o.resident_id = r.id)) AS skip
         FROM residents r JOIN wards w ON w.id = r.ward_id WHERE r.id = $1`,
      [recipient.resident_id],
    )) as Array<{
      whatsapp_id: string | null;
      phone: string | null;
      helpline: string | null;
      skip: boolean;
    }>;
    const text = recipient.language === 'en' ? row.text_en : row.text_bn;
    const template = settings.templates.find((t) => t.language === recipient.language);
    const whatsapp = recipient.channel === 'WHATSAPP';
    const address = whatsapp ? target?.whatsapp_id : target?.phone;
    let notificationId: string | null = null;
    if (target && !target.skip && address && (!whatsapp || target.helpline)) {
      const channel = whatsapp ? this.planner.channelFor(target.helpline) : 'SMS';
      const [inserted] = (await manager.query(
        `INSERT INTO notifications (municipality_id, ward_id, template_key, resident_id, recipient_type,
                recipient_id, channel, address, sender, language, body, template_name, dlt_template_id,
                template_params, sent_as, critical)
         VALUES ($1, $2, 'announcement', $3, 'RESIDENT', $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12,
                 false)
         RETURNING id`,
        [
          row.municipality_id,
          recipient.ward_id,
          recipient.resident_id,
          channel,
          whatsapp ? address : address.replace(/^\+/, ''),
          whatsapp && channel === 'WHATSAPP' ? target.helpline : null,
          recipient.language,
          text,
          (whatsapp ? template?.whatsappTemplateName : null) ?? null,
          (whatsapp ? null : template?.smsDltTemplateId) ?? null,
          JSON.stringify([text]),
          // Outside (and inside) the 24-hour window an announcement is always the template.
          whatsapp ? 'TEMPLATE' : null,
        ],
      )) as Array<{ id: string }>;
      notificationId = inserted.id;
    }
    await manager.query(
      `UPDATE announcement_recipients SET released_at = now(), notification_id = $4
        WHERE announcement_id = $1 AND ward_id = $2 AND resident_id = $3`,
      [row.id, recipient.ward_id, recipient.resident_id, notificationId],
    );
  }

  /** Everyone released and every message has an outcome: the announcement is sent. */
  private async finishIfDone(manager: EntityManager, id: string): Promise<boolean> {
    const [open] = (await manager.query(
      `SELECT 1 FROM announcement_recipients ar LEFT JOIN notifications n ON n.id = ar.notification_id
        WHERE ar.announcement_id = $1 AND (ar.released_at IS NULL OR n.status IN ('QUEUED', 'SENDING'))
        LIMIT 1`,
      [id],
    )) as unknown[];
    if (open) return false;
    await manager.query(
      `UPDATE announcements SET status = 'SENT', finished_at = now(), updated_at = now() WHERE id = $1`,
      [id],
    );
    this.logger.info({ announcement: id }, 'announcement sent');
    return true;
  }
}

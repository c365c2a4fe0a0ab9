import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { auditActorOf } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { assertAccess, readableWards } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { NotFoundError } from '../common/errors/app.error';
import { UserErrorCode, userError } from '../common/errors/user-error.type';
import { assertUuid } from '../common/graphql/uuid';
import { ConnectionShape } from '../common/pagination/connection.type';
import { decodeCursor } from '../common/pagination/cursor';
import { pageSize, toConnection } from '../common/pagination/page-window';
import { ResidentsService } from '../residents/residents.service';
import {
  NotificationFilter,
  NotificationPayload,
  NotificationPreference,
} from './dto/notification.dto';
import {
  NotificationChannel,
  NotificationLanguage,
  NotificationStatus,
  STATUS_RANK,
} from './entities/notification-enums';
import { ConversationExcerpts, NotificationPlannerService } from './notification-planner.service';
import { render } from './notification-templates';
import { NotificationTemplatesService } from './notification-templates.service';
import { NotificationOptOut } from './entities/notification-opt-out.entity';
import { Notification } from './entities/notification.entity';
import { NotificationDispatcherService } from './notification-dispatcher.service';
import { WINDOW_CLOSED_CODE } from './channels/whatsapp.sender';
import { storableText } from '../common/text/storable';

const seqCursor = z.tuple([z.literal('s'), z.string().regex(/^\d+$/)]);

/** A WhatsApp status as the webhook reports it. */
export interface DeliveryStatus {
  messageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  timestamp: Date;
  errorCode?: string | null;
  errorMessage?: string | null;
}

const STATUS_OF: Record<DeliveryStatus['status'], NotificationStatus> = {
  sent: NotificationStatus.SENT,
  delivered: NotificationStatus.DELIVERED,
  read: NotificationStatus.READ,
  failed: NotificationStatus.FAILED,
};

const RANK_SQL = `CASE status WHEN 'SENT' THEN 1 WHEN 'DELIVERED' THEN 2 WHEN 'READ' THEN 3
  WHEN 'FAILED' THEN 4 ELSE 0 END`;

/** Reading notifications, retrying failed ones, delivery statuses and opt-outs. */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly residents: ResidentsService,
    private readonly dispatcher: NotificationDispatcherService,
    private readonly audit: AuditService,
    private readonly planner: NotificationPlannerService,
    private readonly templates: NotificationTemplatesService,
  ) {}

  async list(
    actor: Actor,
    filter: NotificationFilter | null | undefined,
    first?: number | null,
    after?: string | null,
  ): Promise<ConnectionShape<Notification>> {
    const size = pageSize(first);
    const wards = readableWards(actor, Permission.RESIDENTS_READ);
    const query = this.dataSource
      .getRepository(Notification)
      .createQueryBuilder('n')
      .where('n.municipality_id = :m', { m: actor.municipalityId });
    if (wards !== 'ALL') query.andWhere('n.ward_id = ANY(:wards)', { wards });
    if (filter?.requestId)
      query.andWhere('n.request_id = :r', { r: assertUuid(filter.requestId, 'filter.requestId') });
    if (filter?.residentId) {
      query.andWhere('n.resident_id = :res', {
        res: assertUuid(filter.residentId, 'filter.residentId'),
      });
    }
    if (filter?.statuses)
      query.andWhere('n.status = ANY(:statuses)', { statuses: filter.statuses });
    if (filter?.channel) query.andWhere('n.channel = :channel', { channel: filter.channel });
    const totalCount = await query.clone().getCount();
    if (after) query.andWhere('n.seq < :seq', { seq: decodeCursor(after, seqCursor)[1] });
    const rows = await query
      .orderBy('n.seq', 'DESC')
      .limit(size + 1)
      .getMany();
    return toConnection(rows, size, (n) => ['s', n.seq], totalCount, Boolean(after));
  }

  /** Notifications about a batch of requests, oldest first (for the `notifications` field). */
  async byRequests(requestIds: readonly string[]): Promise<Notification[]> {
    return this.dataSource
      .getRepository(Notification)
      .createQueryBuilder('n')
      .where('n.request_id = ANY(:ids)', { ids: [...requestIds] })
      .orderBy('n.seq', 'ASC')
      .getMany();
  }

  /** Sends a failed notification again from scratch (administrators). */
  async retry(actor: Actor, id: string): Promise<NotificationPayload> {
    const notification = await this.dataSource
      .getRepository(Notification)
      .findOneBy({ id: assertUuid(id, 'id') });
    if (!notification) throw new NotFoundError('Notification');
    assertAccess(actor, notification, Permission.NOTIFICATIONS_MANAGE, 'Notification');
    if (notification.status !== NotificationStatus.FAILED) {
      return {
        notification: null,
        errors: [
          userError(
            UserErrorCode.INVALID_TRANSITION,
            'id',
            `only FAILED notifications are retried (this one is ${notification.status})`,
          ),
        ],
      };
    }
    const queued = await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE notifications SET status = 'QUEUED', attempts = 0, next_attempt_at = now(),
                failed_at = NULL, provider_message_id = NULL, updated_at = now()
          WHERE id = $1 AND status = 'FAILED'`,
        [notification.id],
      );
      await this.audit.record(manager, auditActorOf(actor), {
        action: 'notification.retried',
        entityType: 'Notification',
        entityId: notification.id,
        municipalityId: notification.municipalityId,
        wardId: notification.wardId,
        changes: { previousError: notification.errorCode },
      });
      return manager.findOneByOrFail(Notification, { id: notification.id });
    });
    void this.dispatcher.kick();
    return { notification: queued, errors: [] };
  }

  /**
   * Applies a delivery status from the WhatsApp webhook. Statuses arrive duplicated and out
   * of order: one only ever moves a notification forward (sent → delivered → read; failed is
   * final). A `failed` with 131047 (the 24-hour window closed before the free-form message
   * arrived) never sends that free-form message again: the approved template goes instead
   * when the message has one (once: `sent_as` becomes TEMPLATE); otherwise the notification
   * is FAILED with the reason and the ward's coordinators are told
   * (`notification.undelivered`). Duplicates of the status change nothing more (the row keeps
   * the failed message id until the template's send replaces it, so they still match).
   * Returns false when no notification has this message id (yet).
   */
  /**
   * The message content (interactive list, buttons) of the notification WhatsApp accepted as
   * `providerMessageId`, or null: the helpline reads what a resident's reaction answered.
   */
  async contentSentAs(
    manager: EntityManager,
    providerMessageId: string,
  ): Promise<Record<string, unknown> | null> {
    const row = await manager.getRepository(Notification).findOne({
      select: { id: true, content: true },
      where: { providerMessageId },
    });
    return (row?.content as Record<string, unknown> | null | undefined) ?? null;
  }

  async applyDeliveryStatus(update: DeliveryStatus): Promise<boolean> {
    const status = STATUS_OF[update.status];
    const errorCode = update.errorCode == null ? null : storableText(update.errorCode, 40);
    const errorMessage =
      update.errorMessage == null ? null : storableText(update.errorMessage, 1000);
    if (update.status === 'failed' && errorCode === WINDOW_CLOSED_CODE) {
      const outcome = await this.dataSource.transaction(async (manager) => {
        const [requeued] = await manager.query(
          `UPDATE notifications SET status = 'QUEUED', sent_as = 'TEMPLATE',
                  next_attempt_at = now(), error_code = $2, error_message = $3, updated_at = now()
            WHERE provider_message_id = $1 AND sent_as = 'TEXT' AND status IN ('SENT', 'DELIVERED')
              AND template_name IS NOT NULL AND template_name <> ''
            RETURNING id`,
          [update.messageId, errorCode, errorMessage],
        );
        if ((requeued as unknown[]).length > 0) return 'REQUEUED';
        const reason = storableText(
          `the 24-hour window had closed (${errorMessage ?? 're-engagement required'}) and this message has no approved template: not sent again`,
          1000,
        );
        const [failed] = (await manager.query(
          `UPDATE notifications SET status = 'FAILED', failed_at = $4, error_code = $2,
                  error_message = CASE WHEN sent_as = 'TEMPLATE' THEN $5 ELSE $3 END,
                  updated_at = now()
            WHERE provider_message_id = $1 AND status IN ('SENT', 'DELIVERED')
            RETURNING id, sent_as`,
          [update.messageId, errorCode, reason, update.timestamp, errorMessage],
        )) as [Array<{ id: string; sent_as: string | null }>, number];
        for (const row of failed) {
          if (row.sent_as !== 'TEMPLATE')
            await this.dispatcher.reportUndelivered(manager, row.id, WINDOW_CLOSED_CODE, reason);
        }
        return failed.length > 0 ? 'FAILED' : 'NONE';
      });
      if (outcome !== 'NONE') {
        void this.dispatcher.kick();
        return true;
      }
      return this.known(update.messageId);
    }
    await this.dataSource.query(
      `UPDATE notifications SET status = $2::notification_status, updated_at = now(),
              sent_at = coalesce(sent_at, $3),
              delivered_at = CASE WHEN $2 IN ('DELIVERED', 'READ') THEN coalesce(delivered_at, $3) ELSE delivered_at END,
              read_at = CASE WHEN $2 = 'READ' THEN coalesce(read_at, $3) ELSE read_at END,
              failed_at = CASE WHEN $2 = 'FAILED' THEN $3 ELSE failed_at END,
              error_code = CASE WHEN $2 = 'FAILED' THEN $4 ELSE error_code END,
              error_message = CASE WHEN $2 = 'FAILED' THEN $5 ELSE error_message END
        WHERE provider_message_id = $1 AND ${RANK_SQL} < $6`,
      [update.messageId, status, update.timestamp, errorCode, errorMessage, STATUS_RANK[status]],
    );
    if (status === NotificationStatus.DELIVERED) {
      // A `delivered` that comes after the `read` carries the real delivery time (the read
      // stood in for it until then).
      await this.dataSource.query(
        `UPDATE notifications SET delivered_at = $2, updated_at = now()
          WHERE provider_message_id = $1 AND status = 'READ' AND delivered_at > $2`,
        [update.messageId, update.timestamp],
      );
    }
    return this.known(update.messageId);
  }

  private async known(messageId: string): Promise<boolean> {
    return this.dataSource.getRepository(Notification).existsBy({ providerMessageId: messageId });
  }

  /** The helpline tells coordinators' alerts how to quote a conversation's last messages. */
  useConversationExcerpts(excerpts: ConversationExcerpts): void {
    this.planner.useConversationExcerpts(excerpts);
  }

  /**
   * Queues the helpline's replies to one inbound message, in the caller's transaction:
   * `(replyTo, index)` is unique, so processing the same message again queues nothing new.
   */
  async enqueueReplies(
    manager: EntityManager,
    to: {
      municipalityId: string;
      wardId: string;
      residentId: string;
      address: string;
      sender: string;
      language: NotificationLanguage;
      replyTo: string | null;
      recipientType?: 'RESIDENT';
    },
    replies: Array<{ text: string; content: Record<string, unknown> }>,
  ): Promise<void> {
    if (replies.length === 0) return;
    const channel = this.planner.channelFor(to.sender);
    const [insert, parameters] = manager
      .createQueryBuilder()
      .insert()
      .into(Notification)
      .values(
        replies.map((reply, index) => ({
          municipalityId: to.municipalityId,
          wardId: to.wardId,
          templateKey: 'conversation_reply',
          residentId: to.residentId,
          recipientType: 'RESIDENT',
          recipientId: to.residentId,
          channel,
          address: to.address,
          sender: channel === NotificationChannel.WHATSAPP ? to.sender : null,
          language: to.language,
          body: reply.text,
          content: reply.content,
          replyTo: to.replyTo,
          replyIndex: to.replyTo ? index : null,
        })) as never,
      )
      .orIgnore()
      .getQueryAndParameters();
    // Queued and the dispatchers woken (at commit) in one round trip.
    await manager.query(
      `WITH queued AS (${insert}) SELECT pg_notify('duare_notifications', '')`,
      parameters,
    );
  }

  /**
   * Queues one templated SMS outside the request events (a missed call's "we will call you
   * back"), in the caller's transaction. `dedupeKey` makes a second call queue nothing.
   * `secrets` are blanked from the stored text once sent (a tracking link).
   */
  async enqueueSms(
    manager: EntityManager,
    message: {
      municipalityId: string;
      wardId: string;
      residentId: string | null;
      recipientId: string;
      address: string;
      language: NotificationLanguage;
      templateKey: string;
      values: Record<string, string>;
      dedupeKey: string;
      requestId?: string | null;
      secrets?: string[];
    },
  ): Promise<void> {
    const template = await this.templates.effective(
      manager,
      message.municipalityId,
      message.templateKey,
      message.language,
    );
    // Without a provider configured at all (demo), the log channel stands in.
    const channel =
      this.planner.channelFor(null) === NotificationChannel.LOG
        ? NotificationChannel.LOG
        : NotificationChannel.SMS;
    await manager
      .createQueryBuilder()
      .insert()
      .into(Notification)
      .values({
        municipalityId: message.municipalityId,
        wardId: message.wardId,
        templateKey: message.templateKey,
        requestId: message.requestId ?? null,
        residentId: message.residentId,
        recipientType: message.residentId ? 'RESIDENT' : 'CALLER',
        recipientId: message.recipientId,
        channel,
        address: message.address,
        sender: null,
        language: message.language,
        body: render(template.body, message.values),
        critical: template.critical,
        replyTo: message.dedupeKey,
        replyIndex: 0,
        secretValues: message.secrets?.length ? message.secrets : null,
      } as never)
      .orIgnore()
      .execute();
    await manager.query(`SELECT pg_notify('duare_notifications', '')`);
  }

  async setPreference(
    actor: Actor,
    residentId: string,
    optOut: boolean,
  ): Promise<NotificationPreference> {
    const resident = await this.residents.getVisible(actor, residentId);
    assertAccess(actor, resident, Permission.RESIDENTS_WRITE, 'Resident');
    await this.dataSource.transaction(async (manager) => {
      if (optOut)
        await manager.upsert(NotificationOptOut, { residentId: resident.id }, ['residentId']);
      else await manager.delete(NotificationOptOut, { residentId: resident.id });
      await this.audit.record(manager, auditActorOf(actor), {
        action: 'resident.notification_preference',
        entityType: 'Resident',
        entityId: resident.id,
        municipalityId: resident.municipalityId,
        wardId: resident.wardId,
        changes: { optOut },
      });
    });
    return { residentId: resident.id, optedOut: optOut };
  }
}

// Over 400 lines on purpose: one helpline turn (store, read the context, perform the machine's
// effects, reply) in the inbound message's transaction; the decisions themselves are the pure
// conversation-machine.ts.
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditActorRef } from '../../audit/audit-actor';
import { AuditActorType } from '../../audit/entities/audit-entry.entity';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.tokens';
import { DomainEventsService } from '../../domain-events/domain-events.service';
import { NotificationLanguage } from '../../notifications/entities/notification-enums';
import { NotificationsService } from '../../notifications/notifications.service';
import {
  AttachmentKind,
  AttachmentSource,
  RequestAction,
  RequestChannel,
  RequestPriority,
  RequestStatus,
} from '../../requests/entities/request-enums';
import type { ServiceTypeRow } from '../../requests/entities/service-type.entity';
import { Refusal } from '../../common/errors/refusal';
import { RequestWorkflowService } from '../../requests/request-workflow.service';
import { RequestsService } from '../../requests/requests.service';
import { ServiceCatalogueService } from '../../requests/catalogue/service-catalogue.service';
import { ResidentLanguage } from '../../residents/entities/resident-enums';
import type { Resident } from '../../residents/entities/resident.entity';
import { ResidentsService } from '../../residents/residents.service';
import type { Ward } from '../../wards/entities/ward.entity';
import { memoize } from '../../common/background/memoize';
import { hydrate } from '../../database/hydrate';
import { Conversation, ConversationStatus } from '../entities/conversation.entity';
import { MessageReaction, WhatsAppMessage } from '../entities/whatsapp-message.entity';
import { WhatsAppMediaService } from '../whatsapp-media.service';
import { senderOf, WebhookMessage } from '../whatsapp-payload';
import { writesBengali } from './answer-parsing';
import {
  cancellationRefused,
  confirmByReaction,
  converse,
  Effect,
  MachineContext,
  MachineState,
  Outcome,
  Reply,
  requestRefused,
  ResidentRequest,
} from './conversation-machine';
import { Inbound, MessageParts, optionalText, readInbound } from './inbound-message';
import { FeedbackService } from '../../feedback/feedback.service';
import { HelplineDeskService } from '../helpline-desk/helpline-desk.service';
import {
  MessagingWindowService,
  windowInboundSql,
} from '../../whatsapp-cloud/messaging-window.service';

const DAY_MS = 24 * 3600_000;
const THUMBS_UP = /^\u{1F44D}[\u{1F3FB}-\u{1F3FF}]?$/u;
/** How many of a resident's requests the bot can name (status, cancel, needs-info). */
const REQUESTS_IN_VIEW = 50;

/** Look-ups the messages of one inbox batch share, made once a batch (`batchLookups`). */
export interface ConversationLookups {
  /** The municipality's active service types. */
  services(municipalityId: string): Promise<ServiceTypeRow[]>;
}

/** One message being answered: where it came from and who wrote it. */
interface Turn {
  manager: EntityManager;
  ward: Ward;
  conversation: Conversation;
  resident: Resident;
  by: AuditActorRef;
  /** Registered by this very message: no requests yet. */
  newResident: boolean;
  lookups: ConversationLookups;
}

/**
 * The helpline bot's service: it stores each inbound message once (its wamid is unique),
 * loads what the state machine (conversation-machine.ts) needs, performs the effects the
 * machine asks for and queues its replies — all in the message's one transaction.
 */
@Injectable()
export class ConversationService implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly residents: ResidentsService,
    private readonly catalogue: ServiceCatalogueService,
    private readonly requests: RequestsService,
    private readonly workflow: RequestWorkflowService,
    private readonly notifications: NotificationsService,
    private readonly events: DomainEventsService,
    private readonly media: WhatsAppMediaService,
    private readonly feedback: FeedbackService,
    private readonly desk: HelplineDeskService,
    private readonly windows: MessagingWindowService,
  ) {}

  onModuleInit(): void {
    this.notifications.useConversationExcerpts((manager, conversationId) =>
      this.lastWords(manager, conversationId),
    );
  }

  /**
   * Look-ups for one batch of messages: the catalogue is read once for all of them, so a
   * change to it reaches the next batch (a fraction of a second later). `manager`: the
   * workers' connections, outside any one message's transaction.
   */
  batchLookups(manager: EntityManager): ConversationLookups {
    return {
      services: memoize((municipalityId: string) =>
        this.catalogue.activeTypes(municipalityId, manager),
      ),
    };
  }

  /** What the resident last wrote in a conversation (at most three messages, shortened). */
  private async lastWords(manager: EntityManager, conversationId: string): Promise<string[]> {
    const recent = (await manager.query(
      `SELECT text FROM whatsapp_messages
        WHERE conversation_id = $1 AND direction = 'IN' AND text IS NOT NULL AND text <> ''
        ORDER BY sent_at DESC, created_at DESC LIMIT 3`,
      [conversationId],
    )) as Array<{ text: string }>;
    return recent.reverse().map((m) => (m.text.length > 120 ? `${m.text.slice(0, 119)}…` : m.text));
  }

  /** Records a message to a number that is no ward's helpline (deduplicated), and nothing else. */
  async recordStray(manager: EntityManager, phoneNumberId: string, message: WebhookMessage) {
    const inbound = readInbound(message);
    await manager
      .createQueryBuilder()
      .insert()
      .into(WhatsAppMessage)
      .values({
        wamid: inbound.wamid,
        direction: 'IN',
        phoneNumberId,
        waId: senderOf(message),
        author: 'RESIDENT',
        type: inbound.type.slice(0, 20),
        text: inbound.text.slice(0, 4096) || null,
        location: inbound.location,
        sentAt: inbound.sentAt,
      })
      .orIgnore()
      .execute();
  }

  async handle(
    manager: EntityManager,
    ward: Ward,
    message: WebhookMessage,
    seen: { profileName: string | null } & ConversationLookups,
  ): Promise<void> {
    const inbound = readInbound(message);
    const waId = senderOf(message);
    const phoneNumberId = ward.whatsappPhoneNumberId ?? '';
    const firstLanguage =
      writesBengali(inbound.text) || !inbound.text ? ResidentLanguage.BN : ResidentLanguage.EN;
    const by: AuditActorRef = {
      type: AuditActorType.RESIDENT,
      id: null,
      label: 'whatsapp',
      requestId: inbound.wamid,
    };
    // Registering and opening the conversation come before the message is stored, so that it
    // is stored with its conversation; a redelivered message finds both as they are.
    const { resident, created } = await this.residents.registerFromWhatsApp(
      manager,
      by,
      {
        municipalityId: ward.municipalityId,
        wardId: ward.id,
        helplinePhoneNumberId: phoneNumberId || null,
      },
      waId,
      seen.profileName,
      firstLanguage,
    );
    if (phoneNumberId) await this.residents.noteHelpline(manager, resident, phoneNumberId);
    const { conversation, isNew, resumed, windowOpen } = await this.conversationOf(
      manager,
      ward,
      resident,
      message,
    );
    // Seen before (WhatsApp delivers at least once): it was answered the first time.
    if (!(await this.store(manager, ward, waId, inbound, conversation.id))) return;
    if (inbound.media) {
      await this.media.track(manager, {
        mediaId: inbound.media.id,
        phoneNumberId,
        wamid: inbound.wamid,
      });
    }
    const turn: Turn = {
      manager,
      ward,
      conversation,
      resident,
      by: { ...by, id: resident.id },
      newResident: created,
      lookups: seen,
    };
    const state: MachineState = {
      status: conversation.status,
      step: conversation.step,
      data: conversation.data,
      lang: conversation.language === 'en' ? 'en' : 'bn',
    };
    const flags = { isNew, resumed, windowOpen };
    const replies =
      (await this.claimedElsewhere(turn, state, inbound)) ??
      (await this.converseWith(turn, state, inbound, flags));
    await this.queueReplies(turn, replies, inbound);
    await this.saveTurn(turn, replies, inbound);
  }

  /**
   * Messages that belong to another feature's exchange with the resident are answered there
   * and never reach the bot: "বন্ধ"/"STOP", "চালু"/"START" and replies to an announcement (the
   * help desk, which also opens a desk episode for a handed-over conversation), then a rating
   * or "still not fixed" (feedback).
   */
  private async claimedElsewhere(
    turn: Turn,
    state: MachineState,
    inbound: Inbound,
  ): Promise<Reply[] | null> {
    if (inbound.reaction) return null;
    const byDesk = await this.desk.claimInbound({
      manager: turn.manager,
      ward: turn.ward,
      conversation: turn.conversation,
      resident: turn.resident,
      lang: state.lang,
      inbound,
    });
    if (byDesk) return byDesk.replies;
    const claimed = await this.feedback.claimInbound({
      manager: turn.manager,
      ward: turn.ward,
      conversation: turn.conversation,
      resident: turn.resident,
      lang: state.lang,
      inbound,
    });
    return claimed?.replies ?? null;
  }

  /** The bot's answer: the machine's outcome, its effects performed. */
  private async converseWith(
    turn: Turn,
    state: MachineState,
    inbound: Inbound,
    flags: Pick<MachineContext, 'isNew' | 'resumed' | 'windowOpen'>,
  ): Promise<Reply[]> {
    const context = await this.contextFor(turn, flags);
    const outcome = inbound.reaction
      ? await this.react(turn, state, context, inbound)
      : converse(state, inbound, context);
    return outcome ? this.perform(turn, outcome, context) : [];
  }

  /** Keeps the inbound message in the thread; null when it was stored before (a redelivery). */
  private async store(
    manager: EntityManager,
    ward: Ward,
    waId: string,
    inbound: Inbound,
    conversationId: string,
  ): Promise<string | null> {
    const json = (value: unknown) => (value == null ? null : JSON.stringify(value));
    const reaction: MessageReaction | null = inbound.reaction
      ? ({ ...inbound.reaction, at: inbound.sentAt } as MessageReaction)
      : null;
    // A plain statement: one per message the helpline receives, where the ORM's insert
    // builder cost more CPU than the write. A WhatsApp redelivery (the same wamid) is ignored.
    const stored = (await manager.query(
      `INSERT INTO whatsapp_messages (wamid, direction, phone_number_id, wa_id, conversation_id,
                                      ward_id, author, type, text, media, location, reaction,
                                      context_wamid, sent_at)
       VALUES ($1, 'IN', $2, $3, $4, $5, 'RESIDENT', $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        inbound.wamid,
        ward.whatsappPhoneNumberId ?? '',
        waId,
        conversationId,
        ward.id,
        inbound.type.slice(0, 20),
        inbound.text.slice(0, 4096) || null,
        json(inbound.media ? { ...inbound.media, fetch: 'PENDING' } : null),
        json(inbound.location),
        json(reaction),
        inbound.contextMessageId,
        inbound.sentAt,
      ],
    )) as Array<{ id: string }>;
    return stored[0]?.id ?? null;
  }

  /** What the machine reads besides the conversation: the catalogue and the resident's requests. */
  private async contextFor(
    turn: Turn,
    flags: Pick<MachineContext, 'isNew' | 'resumed' | 'windowOpen'>,
  ): Promise<MachineContext> {
    const { manager, ward, conversation } = turn;
    const services = await turn.lookups.services(ward.municipalityId);
    const draftId = conversation.data.draft?.serviceTypeId;
    const draftService = draftId
      ? (services.find((s) => s.id === draftId) ??
        (await this.catalogue.getRow(draftId, manager)) ??
        null)
      : null;
    return {
      now: new Date(),
      ward: { nameBn: ward.nameBn, nameEn: ward.nameEn, serviceHours: ward.serviceHours },
      services,
      draftService,
      requests: await this.residentRequests(turn, services),
      ...flags,
    };
  }

  private async residentRequests(turn: Turn, services: ServiceTypeRow[]) {
    if (turn.newResident) return [];
    const latest = await this.requests.latestOf(turn.resident.id, REQUESTS_IN_VIEW, turn.manager);
    const named: ResidentRequest[] = [];
    for (const request of latest) {
      const row =
        services.find((s) => s.id === request.serviceTypeId) ??
        (await this.catalogue.getRow(request.serviceTypeId, turn.manager));
      named.push({
        id: request.id,
        trackingNumber: request.trackingNumber,
        status: request.status,
        serviceNameBn: row?.definition.nameBn ?? '',
        serviceNameEn: row?.definition.nameEn ?? '',
      });
    }
    return named;
  }

  /** Does what the machine decided, in order; refusals become replies and may change the state. */
  private async perform(turn: Turn, outcome: Outcome, context: MachineContext): Promise<Reply[]> {
    const replies = [...outcome.replies];
    let state = outcome.state;
    for (const effect of outcome.effects) {
      const after = await this.performOne(turn, effect, state, context);
      if (after) {
        state = after.state;
        replies.push(...after.replies);
      }
    }
    const { conversation } = turn;
    if (state.status === ConversationStatus.BOT) conversation.handedOverAt = null;
    Object.assign(conversation, {
      status: state.status,
      step: state.step,
      data: state.data,
      language: state.lang,
    });
    return replies;
  }

  private async performOne(
    turn: Turn,
    effect: Effect,
    state: MachineState,
    context: MachineContext,
  ): Promise<Pick<Outcome, 'state' | 'replies'> | null> {
    const { manager } = turn;
    switch (effect.type) {
      case 'SET_LANGUAGE':
        await this.residents.setLanguage(
          manager,
          turn.resident.id,
          effect.lang === 'en' ? ResidentLanguage.EN : ResidentLanguage.BN,
        );
        return null;
      case 'FILE_REQUEST':
        return this.fileRequest(turn, effect, state, context);
      case 'CANCEL_REQUEST': {
        const request = await this.requests.lockOwnById(
          manager,
          turn.resident.id,
          effect.requestId,
        );
        if (!request) return null;
        try {
          await this.workflow.apply(manager, turn.by, request, RequestAction.CANCEL, null);
          return null;
        } catch (error) {
          if (!(error instanceof Refusal)) throw error;
          return { state, replies: [cancellationRefused(state.lang, effect.trackingNumber)] };
        }
      }
      case 'PROVIDE_INFO': {
        const request = await this.requests.lockOwnById(
          manager,
          turn.resident.id,
          effect.requestId,
        );
        if (!request || request.status !== RequestStatus.NEEDS_INFO) return null;
        if (effect.attachment)
          await this.requests.attachFromResident(manager, request, {
            ...effect.attachment,
            kind: effect.attachment.kind as AttachmentKind,
            source: effect.attachment.source as AttachmentSource,
          });
        await this.workflow.apply(
          manager,
          turn.by,
          request,
          RequestAction.PROVIDE_INFO,
          effect.note,
        );
        return null;
      }
      case 'HAND_OVER':
        await this.handOver(turn, effect.reason);
        return null;
      case 'FLAG_FOR_STAFF':
        await this.flagForStaff(turn, effect.reason);
        return null;
    }
  }

  private async fileRequest(
    turn: Turn,
    effect: Extract<Effect, { type: 'FILE_REQUEST' }>,
    state: MachineState,
    context: MachineContext,
  ): Promise<Pick<Outcome, 'state' | 'replies'> | null> {
    const described = await this.media.described(
      turn.manager,
      effect.attachments.map((a) => a.mediaRef),
    );
    const { request, errors } = await this.requests.createTrusted(
      turn.by,
      turn.ward.municipalityId,
      {
        residentId: turn.resident.id,
        serviceTypeId: effect.serviceTypeId,
        channel: RequestChannel.WHATSAPP,
        attributes: effect.answers,
        description: null,
        priority: RequestPriority.NORMAL,
        attachments: effect.attachments.map((a) => ({
          ...a,
          ...described.get(a.mediaRef),
          kind: a.kind as AttachmentKind,
          source: a.source as AttachmentSource,
        })),
      },
      turn.manager,
    );
    if (request) return null;
    return requestRefused(state, context, errors.map((e) => e.message).join('; '));
  }

  /**
   * A reaction is kept on the message it is on (when that is a resident's message we hold)
   * and in the thread. A 👍 on the "shall I submit it?" question is a yes; anything else
   * gets no reply.
   */
  private async react(
    turn: Turn,
    state: MachineState,
    context: MachineContext,
    inbound: Inbound,
  ): Promise<Outcome | null> {
    const reaction = inbound.reaction!;
    await turn.manager.query(
      `UPDATE whatsapp_messages SET reaction = $2::jsonb WHERE wamid = $1 AND direction = 'IN'`,
      [reaction.messageId, JSON.stringify({ ...reaction, at: inbound.sentAt })],
    );
    if (!reaction.emoji || !THUMBS_UP.test(reaction.emoji) || !context.windowOpen) return null;
    const asked = await this.notifications.contentSentAs(turn.manager, reaction.messageId);
    if (!JSON.stringify(asked ?? {}).includes('"confirm:yes"')) return null;
    return confirmByReaction(state, context);
  }

  /**
   * The resident's conversation on this helpline, created or locked (an idle one starts
   * over), and their message's 24-hour window opened or extended (`windowInboundSql`, owned
   * by the window service): one round trip for both.
   */
  private async conversationOf(
    manager: EntityManager,
    ward: Ward,
    resident: Resident,
    message: WebhookMessage,
  ) {
    const phoneNumberId = ward.whatsappPhoneNumberId ?? '';
    // The row is created or, when it exists, locked (the no-op update takes the row lock as
    // FOR UPDATE would), and returned either way.
    const [row] = (await manager.query(
      `WITH opened AS (${windowInboundSql('$1', '$2', '$7')})
       INSERT INTO conversations (phone_number_id, wa_id, municipality_id, ward_id, resident_id, language)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (phone_number_id, wa_id) DO UPDATE SET wa_id = EXCLUDED.wa_id
       RETURNING *, (xmax = 0) AS inserted, (SELECT open FROM opened) AS window_open`,
      [
        phoneNumberId,
        senderOf(message),
        ward.municipalityId,
        ward.id,
        resident.id,
        resident.preferredLanguage === ResidentLanguage.EN ? 'en' : 'bn',
        Number(message.timestamp),
      ],
    )) as Array<Record<string, unknown> & { inserted: boolean; window_open: boolean }>;
    const conversation = hydrate(manager, Conversation, row);
    // After a pause a hand-over ends, but a draft lives as long as the 24-hour window: the
    // resident picks up where they were.
    const idleMs = this.config.whatsapp.conversationIdleMinutes * 60_000;
    const paused = Date.now() - conversation.lastActivityAt.getTime() > idleMs;
    const windowClosed =
      !conversation.lastInboundAt || Date.now() - conversation.lastInboundAt.getTime() > DAY_MS;
    if (paused) Object.assign(conversation, { status: ConversationStatus.BOT, handedOverAt: null });
    if (paused && windowClosed) Object.assign(conversation, { step: 'IDLE', data: {} });
    const resumed = paused && !windowClosed && Boolean(conversation.data.draft);
    return { conversation, isNew: row.inserted, resumed, windowOpen: row.window_open };
  }

  /**
   * WhatsApp's own notices about a resident: a changed number (or business-scoped id) moves
   * their conversation, window and registration to the new one; nothing is said to the old
   * number. Every notice is kept in the thread for staff.
   */
  async handleSystem(manager: EntityManager, ward: Ward, message: WebhookMessage): Promise<void> {
    const part = (message as WebhookMessage & MessageParts).system ?? {};
    const oldId = senderOf(message);
    const newId =
      optionalText(part.wa_id, 32) ??
      optionalText(part.new_wa_id, 32) ??
      optionalText(part.new_user_id, 160) ??
      optionalText(part.user_id, 160);
    const phoneNumberId = ward.whatsappPhoneNumberId ?? '';
    const kind = optionalText(part.type, 60) ?? 'system';
    const moves = newId !== null && newId !== oldId && /changed_(number|user_id)$/.test(kind);
    if (moves) {
      await manager.query(
        `UPDATE conversations SET wa_id = $3, updated_at = now()
          WHERE phone_number_id = $1 AND wa_id = $2
            AND NOT EXISTS (SELECT 1 FROM conversations WHERE phone_number_id = $1 AND wa_id = $3)`,
        [phoneNumberId, oldId, newId],
      );
      await this.windows.move(manager, phoneNumberId, oldId, newId);
      await this.residents.changeWhatsAppId(manager, ward.municipalityId, oldId, newId);
    }
    const [conversation] = (await manager.query(
      `SELECT id FROM conversations WHERE phone_number_id = $1 AND wa_id = ANY($2::varchar[])`,
      [phoneNumberId, [oldId, newId ?? oldId]],
    )) as Array<{ id: string }>;
    await manager
      .createQueryBuilder()
      .insert()
      .into(WhatsAppMessage)
      .values({
        wamid: message.id,
        direction: 'IN',
        phoneNumberId,
        waId: moves && newId ? newId : oldId,
        conversationId: conversation?.id ?? null,
        wardId: ward.id,
        author: 'SYSTEM',
        type: 'system',
        text: optionalText(part.body, 1000) ?? kind,
        sentAt: new Date(Number(message.timestamp) * 1000),
      })
      .orIgnore()
      .execute();
  }

  /**
   * A person takes over. The coordinators' alert (planned from the event) carries who wrote,
   * from which number, and their last messages (`lastWords`).
   */
  private async handOver(turn: Turn, reason: 'ASKED' | 'WINDOW_CLOSED'): Promise<void> {
    turn.conversation.handedOverAt = new Date();
    turn.conversation.escalatedAt = null;
    await this.recordAbout(turn, 'conversation.handed_over', reason);
  }

  /** Puts the conversation in front of staff (a voice note to listen to), alerting once. */
  private async flagForStaff(turn: Turn, reason: 'VOICE_NOTE'): Promise<void> {
    const { conversation } = turn;
    const alreadyFlagged = conversation.attention !== null;
    conversation.attention = reason;
    conversation.attentionAt = new Date();
    if (alreadyFlagged || conversation.status === ConversationStatus.HUMAN) return;
    await this.recordAbout(turn, 'conversation.needs_attention', reason);
  }

  private async recordAbout(
    turn: Turn,
    type: 'conversation.handed_over' | 'conversation.needs_attention',
    reason: string,
  ): Promise<void> {
    const { conversation } = turn;
    await this.events.record(turn.manager, {
      type,
      aggregateType: 'Conversation',
      aggregateId: conversation.id,
      municipalityId: conversation.municipalityId,
      wardId: conversation.wardId,
      payload: { conversationId: conversation.id, residentId: conversation.residentId, reason },
    });
  }

  /** The replies, queued for sending in order (the dispatchers are woken when the turn commits). */
  private async queueReplies(turn: Turn, replies: Reply[], to: Inbound): Promise<void> {
    if (replies.length === 0) return;
    const { manager, conversation, ward } = turn;
    await this.notifications.enqueueReplies(
      manager,
      {
        municipalityId: ward.municipalityId,
        wardId: ward.id,
        residentId: turn.resident.id,
        address: conversation.waId,
        sender: conversation.phoneNumberId,
        language:
          conversation.language === 'en' ? NotificationLanguage.EN : NotificationLanguage.BN,
        replyTo: to.wamid,
      },
      replies,
    );
  }

  /**
   * The conversation's new state and the bot's replies in its thread, in one statement (a
   * turn's last; TypeORM's update and insert were two, and a tenth of the inbox's CPU).
   * A reply takes the (whole-second) WhatsApp time of the message it answers: in the thread,
   * ordered by that time and then by writing order, it follows that message, and the replies
   * are written in their order (`clock_timestamp()` per row).
   */
  private async saveTurn(turn: Turn, replies: Reply[], to: Inbound): Promise<void> {
    const { manager, conversation, ward } = turn;
    await manager.query(
      `WITH replies AS (
         INSERT INTO whatsapp_messages
                (direction, phone_number_id, wa_id, conversation_id, ward_id, author, type, text, sent_at)
         SELECT 'OUT', $2, $3, $1, $4, 'BOT', r.type, r.text, $5
           FROM unnest($6::text[], $7::text[]) WITH ORDINALITY AS r(type, text, n)
          ORDER BY r.n)
       UPDATE conversations
          SET status = $8, step = $9, data = $10::jsonb, language = $11, last_inbound_at = $12,
              last_activity_at = $13, handed_over_at = $14, escalated_at = $15, attention = $16,
              attention_at = $17, version = version + 1, updated_at = now()
        WHERE id = $1`,
      [
        conversation.id,
        conversation.phoneNumberId,
        conversation.waId,
        ward.id,
        to.sentAt,
        replies.map((reply) => String(reply.content.type)),
        replies.map((reply) => reply.text),
        conversation.status,
        conversation.step,
        JSON.stringify(conversation.data),
        conversation.language,
        to.sentAt,
        new Date(),
        conversation.handedOverAt,
        conversation.escalatedAt,
        conversation.attention,
        conversation.attentionAt,
      ],
    );
  }
}

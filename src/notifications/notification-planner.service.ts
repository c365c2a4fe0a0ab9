// Over 400 lines on purpose: the one reactor that decides which event sends which message to whom
// (residents, coordinators, administrators); split by recipient, its rules would no longer read as
// one table (docs/notifications.md).
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { StaffAccountsService } from '../auth/staff-accounts.service';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { DomainEventsService } from '../domain-events/domain-events.service';
import { DeliveryEventType, RecordedEvent, RequestEventType } from '../domain-events/event-map';
import { RequestChannel, RequestStatus } from '../requests/entities/request-enums';
import { RequestsService } from '../requests/requests.service';
import { ResidentLanguage } from '../residents/entities/resident-enums';
import { ResidentsService } from '../residents/residents.service';
import { TrackingLinksService } from '../tracking-links/tracking-links.service';
import type { Ward } from '../wards/entities/ward.entity';
import { WardsService } from '../wards/wards.service';
import { NotificationOptOut } from './entities/notification-opt-out.entity';
import { NotificationChannel, NotificationLanguage } from './entities/notification-enums';
import { Notification } from './entities/notification.entity';
import { render, templateDefinition } from './notification-templates';
import { NotificationTemplatesService } from './notification-templates.service';
import { ratingList } from './rating-list';

/** Which message a resident gets when a request reaches a status (none for the others). */
const STATUS_MESSAGES: Partial<Record<string, string>> = {
  [RequestStatus.NEEDS_INFO]: 'request_needs_info',
  [RequestStatus.APPROVED]: 'request_approved',
  [RequestStatus.REJECTED]: 'request_rejected',
  [RequestStatus.READY]: 'request_ready',
  // OUT_FOR_DELIVERY: the delivery's own `delivery_on_the_way` says it, with the code.
  [RequestStatus.DELIVERED]: 'request_delivered',
  [RequestStatus.RESOLVED]: 'request_resolved',
  [RequestStatus.CANCELLED]: 'request_cancelled',
};

/** Channels through which coordinators should hear of a new request (they made the others). */
const ALERTING_CHANNELS: readonly string[] = [RequestChannel.WHATSAPP, RequestChannel.API];

/** The request events that may tell the resident, or alert staff. */
const REQUEST_MESSAGE_EVENTS = [
  'request.created',
  'request.comment_added',
  'request.status_changed',
  'request.sla_breached',
  'request.reopened',
  'feedback.requested',
] as const;
type RequestMessageEvent = RecordedEvent<(typeof REQUEST_MESSAGE_EVENTS)[number]>;

/** Every event the planner turns into messages. */
const PLANNED_EVENTS = [
  ...REQUEST_MESSAGE_EVENTS,
  'conversation.handed_over',
  'conversation.needs_attention',
  'conversation.handover_unanswered',
  'conversation.overdue',
  'notification.undelivered',
  'ward.daily_digest',
  'ward.sla_breaches_summarised',
] as const;
type PlannedEvent = (typeof PLANNED_EVENTS)[number];

const DATE_FORMATS = {
  bn: new Intl.DateTimeFormat('bn-IN', { timeZone: 'Asia/Kolkata', dateStyle: 'long' }),
  en: new Intl.DateTimeFormat('en-IN', { timeZone: 'Asia/Kolkata', dateStyle: 'long' }),
};

interface Recipient {
  type: 'RESIDENT' | 'STAFF';
  id: string;
  language: NotificationLanguage;
  /** WhatsApp id, else E.164 phone without `+`. */
  address: string;
  /** The helpline this recipient hears from (the chat a resident wrote to), when not the ward's. */
  helpline?: string | null;
}

/** The last messages of a conversation, for a coordinator's alert (the helpline provides them). */
export type ConversationExcerpts = (
  manager: EntityManager,
  conversationId: string,
) => Promise<string[]>;

/**
 * Turns request events into notifications, inside the transaction that records the event:
 * one row per (event, recipient, channel), so a redelivered event never sends twice and a
 * rolled-back change sends nothing.
 */
@Injectable()
export class NotificationPlannerService implements OnModuleInit {
  constructor(
    private readonly events: DomainEventsService,
    private readonly templates: NotificationTemplatesService,
    private readonly requests: RequestsService,
    private readonly residents: ResidentsService,
    private readonly wards: WardsService,
    private readonly staff: StaffAccountsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly trackingLinks: TrackingLinksService,
  ) {}

  onModuleInit(): void {
    this.events.on(PLANNED_EVENTS, (manager, event) => this.react(manager, event));
  }

  /** Plans the messages an event calls for (also for a redelivered event: none twice). */
  async react(manager: EntityManager, event: RecordedEvent<PlannedEvent>): Promise<void> {
    switch (event.type) {
      // A resident asked for a person on the helpline, or a message to them could not go
      // out (window closed, no template): the ward's coordinators are told.
      case 'conversation.handed_over':
        return this.alertCoordinators(manager, event, 'staff_handover');
      case 'conversation.needs_attention':
        return this.alertCoordinators(manager, event, 'staff_voice_note');
      case 'conversation.handover_unanswered':
        return this.alertCoordinators(manager, event, 'staff_handover_unanswered');
      // A helpline conversation left unanswered too long escalates as an overdue request does.
      case 'conversation.overdue':
        return this.alertCoordinators(manager, event, 'staff_conversation_overdue');
      case 'notification.undelivered':
        return this.alertCoordinators(manager, event, 'staff_message_undelivered');
      case 'ward.daily_digest':
        return this.sendDigest(manager, event);
      case 'ward.sla_breaches_summarised':
        return this.summariseBreaches(manager, event);
      default:
        return this.planRequestMessages(manager, event);
    }
  }

  /** A request's news for its resident, a new request for coordinators, a breach for admins. */
  private async planRequestMessages(
    manager: EntityManager,
    event: RequestMessageEvent,
  ): Promise<void> {
    const residentMessage = this.residentMessageFor(event);
    const alertStaff =
      (event.type === 'request.created' && ALERTING_CHANNELS.includes(event.payload.channel)) ||
      event.type === 'request.reopened';
    // A sweep alerts a few breaches of a ward one by one and summarises the rest.
    const escalate = event.type === 'request.sla_breached' && event.payload.alert !== false;
    if (!residentMessage && !alertStaff && !escalate) return;
    const parties = await this.requests.findWithParties(event.aggregateId, manager);
    if (!parties) return;
    const { request, resident, ward, definition } = parties;
    const messages: Array<{ key: string; recipient: Recipient }> = [];
    const address = resident.whatsappId ?? resident.phone?.replace(/^\+/, '');
    if (residentMessage && address && !resident.erasedAt) {
      const critical = templateDefinition(residentMessage)?.critical ?? false;
      const optedOut =
        !critical && (await manager.existsBy(NotificationOptOut, { residentId: resident.id }));
      if (!optedOut) {
        messages.push({
          key: residentMessage,
          recipient: {
            type: 'RESIDENT',
            id: resident.id,
            language:
              resident.preferredLanguage === ResidentLanguage.EN
                ? NotificationLanguage.EN
                : NotificationLanguage.BN,
            address,
            helpline: resident.whatsappId ? resident.helplinePhoneNumberId : null,
          },
        });
      }
    }
    // A ward without a coordinator (or a resident served on another ward's helpline) still
    // has someone told: the municipality's administrators.
    if (alertStaff) {
      const key =
        event.type === 'request.reopened' ? 'staff_request_reopened' : 'staff_new_request';
      messages.push(...(await this.coordinatorsOrAdministrators(manager, request, key)));
    }
    if (escalate)
      messages.push(
        ...(await this.administratorsOf(manager, request.municipalityId, 'staff_sla_breached')),
      );
    // The acknowledgement carries the public tracking link; it is blanked once sent.
    const trackingLink =
      residentMessage === 'request_received'
        ? (await this.trackingLinks.linkFor(manager, request)).url
        : '';
    await this.plan(
      manager,
      event,
      { ward, requestId: request.id, residentId: resident.id },
      messages,
      (language) => ({
        trackingNumber: request.trackingNumber,
        serviceName: language === NotificationLanguage.BN ? definition.nameBn : definition.nameEn,
        wardName: language === NotificationLanguage.BN ? ward.nameBn : ward.nameEn,
        residentName: resident.fullName,
        dueDate: DATE_FORMATS[language].format(request.slaDueAt),
        note: this.noteOf(event),
        trackingLink,
      }),
      trackingLink ? [trackingLink] : [],
    );
  }

  private excerpts: ConversationExcerpts | null = null;

  /** The helpline registers how to read a conversation's last messages (dependencies stay one-way). */
  useConversationExcerpts(excerpts: ConversationExcerpts): void {
    this.excerpts = excerpts;
  }

  private async coordinatorsOrAdministrators(
    manager: EntityManager,
    request: { wardId: string; municipalityId: string },
    key: string,
  ) {
    const coordinators = await this.coordinatorsOf(manager, request.wardId, key);
    return coordinators.length > 0
      ? coordinators
      : this.administratorsOf(manager, request.municipalityId, key);
  }

  /**
   * Tells the ward's coordinators something about a resident (`templateKey` says what): who
   * (name and number) and, for the helpline, what they last wrote.
   */
  private async alertCoordinators(
    manager: EntityManager,
    event: RecordedEvent<
      | 'conversation.handed_over'
      | 'conversation.needs_attention'
      | 'conversation.handover_unanswered'
      | 'conversation.overdue'
      | 'notification.undelivered'
    >,
    templateKey:
      | 'staff_handover'
      | 'staff_message_undelivered'
      | 'staff_voice_note'
      | 'staff_handover_unanswered'
      | 'staff_conversation_overdue',
  ): Promise<void> {
    const { residentId } = event.payload;
    const resident = await this.residents.findInMunicipality(
      event.municipalityId,
      residentId,
      manager,
    );
    const ward = event.wardId
      ? await this.wards.findInMunicipality(event.municipalityId, event.wardId, manager)
      : null;
    if (!resident || !ward) return;
    // What nobody answered in time goes over the coordinators' heads.
    const messages =
      templateKey === 'staff_handover_unanswered' || templateKey === 'staff_conversation_overdue'
        ? await this.administratorsOf(manager, ward.municipalityId, templateKey)
        : await this.coordinatorsOrAdministrators(
            manager,
            { wardId: ward.id, municipalityId: ward.municipalityId },
            templateKey,
          );
    const said =
      this.excerpts && event.aggregateType === 'Conversation'
        ? await this.excerpts(manager, event.aggregateId)
        : [];
    const number = resident.phone ?? (resident.whatsappId ? `+${resident.whatsappId}` : '');
    await this.plan(
      manager,
      event,
      { ward, requestId: null, residentId },
      messages,
      (language) => ({
        wardName: language === NotificationLanguage.BN ? ward.nameBn : ward.nameEn,
        residentName: resident.fullName,
        residentPhone: number || (language === NotificationLanguage.BN ? 'নম্বর নেই' : 'no number'),
        lastMessages: said.length ? said.map((line) => `“${line}”`).join(' / ') : '—',
      }),
    );
  }

  private async administratorsOf(manager: EntityManager, municipalityId: string, key: string) {
    return (await this.staff.administratorsToAlert(municipalityId, manager)).map((admin) => ({
      key,
      recipient: {
        type: 'STAFF' as const,
        id: admin.id,
        language: NotificationLanguage.BN,
        address: admin.phone.replace(/^\+/, ''),
      },
    }));
  }

  /** A sweep's breaches of a ward beyond those alerted one by one, in one message. */
  private summariseBreaches(
    manager: EntityManager,
    event: RecordedEvent<'ward.sla_breaches_summarised'>,
  ): Promise<void> {
    return this.planForWard(
      manager,
      event,
      () => this.administratorsOf(manager, event.municipalityId, 'staff_sla_breaches_summary'),
      { count: event.payload.count },
    );
  }

  /** The morning digest of a ward, to its coordinators. */
  private sendDigest(
    manager: EntityManager,
    event: RecordedEvent<'ward.daily_digest'>,
  ): Promise<void> {
    const { open, dueToday, overdue } = event.payload;
    return this.planForWard(
      manager,
      event,
      (ward) => this.coordinatorsOf(manager, ward.id, 'staff_daily_digest'),
      { open, dueToday, overdue },
    );
  }

  /** A message about a ward as a whole: its name and the event's counts. */
  private async planForWard(
    manager: EntityManager,
    event: RecordedEvent<'ward.daily_digest' | 'ward.sla_breaches_summarised'>,
    recipientsOf: (ward: Ward) => Promise<Array<{ key: string; recipient: Recipient }>>,
    counts: Record<string, number>,
  ): Promise<void> {
    const ward = event.wardId
      ? await this.wards.findInMunicipality(event.municipalityId, event.wardId, manager)
      : null;
    if (!ward) return;
    const messages = await recipientsOf(ward);
    await this.plan(
      manager,
      event,
      { ward, requestId: null, residentId: null },
      messages,
      (language) => ({
        wardName: language === NotificationLanguage.BN ? ward.nameBn : ward.nameEn,
        ...Object.fromEntries(
          Object.entries(counts).map(([name, count]) => [name, String(count ?? 0)]),
        ),
      }),
    );
  }

  /**
   * A message to a request's resident that carries what must not be stored in the event
   * (a hand-over code): the caller passes the extra values, in the event's transaction.
   */
  async notifyResident(
    manager: EntityManager,
    event: RecordedEvent<DeliveryEventType | RequestEventType>,
    key: string,
    /** The values, or per language (dates and digits are written the resident's way). */
    extra: Record<string, string> | ((language: NotificationLanguage) => Record<string, string>),
    /** Names of `extra` values to blank out of the stored message once it is sent. */
    secrets: string[] = [],
  ): Promise<void> {
    const extraIn = typeof extra === 'function' ? extra : () => extra;
    const parties = await this.requests.findWithParties(event.payload.requestId, manager);
    if (!parties) return;
    const { request, resident, ward, definition } = parties;
    const address = resident.whatsappId ?? resident.phone?.replace(/^\+/, '');
    if (!address || resident.erasedAt) return;
    const language =
      resident.preferredLanguage === ResidentLanguage.EN
        ? NotificationLanguage.EN
        : NotificationLanguage.BN;
    await this.plan(
      manager,
      event,
      { ward, requestId: request.id, residentId: resident.id },
      [{ key, recipient: { type: 'RESIDENT', id: resident.id, language, address } }],
      (lang) => ({
        trackingNumber: request.trackingNumber,
        serviceName: lang === NotificationLanguage.BN ? definition.nameBn : definition.nameEn,
        wardName: lang === NotificationLanguage.BN ? ward.nameBn : ward.nameEn,
        residentName: resident.fullName,
        ...extraIn(lang),
      }),
      // Every written form of a secret (ASCII and Bengali digits) is blanked once sent.
      [
        ...new Set(
          Object.values(NotificationLanguage).flatMap((lang) =>
            secrets.map((name) => extraIn(lang)[name]),
          ),
        ),
      ].filter(Boolean),
    );
  }

  private async coordinatorsOf(manager: EntityManager, wardId: string, key: string) {
    return (await this.staff.coordinatorsToAlert(wardId, manager)).map((coordinator) => ({
      key,
      recipient: {
        type: 'STAFF' as const,
        id: coordinator.id,
        language: NotificationLanguage.BN,
        address: coordinator.phone.replace(/^\+/, ''),
      },
    }));
  }

  /** Renders each message for its recipient and inserts the rows (a second delivery adds none). */
  private async plan(
    manager: EntityManager,
    event: { id: string },
    about: { ward: Ward; requestId: string | null; residentId: string | null },
    messages: Array<{ key: string; recipient: Recipient }>,
    values: (language: NotificationLanguage) => Record<string, string>,
    secretValues: string[] = [],
  ): Promise<void> {
    if (messages.length === 0) return;
    const { ward } = about;
    const rows: Array<Partial<Notification>> = [];
    for (const { key, recipient } of messages) {
      const helpline = recipient.helpline ?? ward.whatsappPhoneNumberId;
      const channel = this.channelFor(helpline);
      const template = await this.templates.effective(
        manager,
        ward.municipalityId,
        key,
        recipient.language,
      );
      const filled = values(recipient.language);
      rows.push({
        municipalityId: ward.municipalityId,
        wardId: ward.id,
        eventId: event.id,
        templateKey: key,
        requestId: about.requestId,
        residentId: about.residentId,
        recipientType: recipient.type,
        recipientId: recipient.id,
        channel,
        address: recipient.address,
        sender: channel === NotificationChannel.WHATSAPP ? helpline : null,
        language: recipient.language,
        body: render(template.body, filled),
        // On WhatsApp the rating question is a list of five rows (issue 26).
        content:
          channel === NotificationChannel.WHATSAPP && key.startsWith('feedback_request')
            ? ratingList(render(template.body, filled), recipient.language)
            : null,
        templateName: template.whatsappTemplateName,
        templateParams: template.whatsappTemplateParams.map((name) =>
          render(`{{${name}}}`, filled),
        ),
        critical: template.critical,
        secretValues: secretValues.length ? secretValues : null,
      });
    }
    const [insert, parameters] = manager
      .createQueryBuilder()
      .insert()
      .into(Notification)
      .values(rows as never)
      .orIgnore()
      .updateEntity(false)
      .getQueryAndParameters();
    // The dispatchers are woken in the same statement; the notice is delivered when (and only
    // if) the transaction commits.
    await manager.query(
      `WITH planned AS (${insert} RETURNING 1)
       SELECT pg_notify('duare_notifications', '') FROM (SELECT 1 FROM planned LIMIT 1) AS any_planned`,
      parameters,
    );
  }

  private residentMessageFor(event: RequestMessageEvent): string | null {
    switch (event.type) {
      case 'request.created':
        return 'request_received';
      case 'request.comment_added':
        return 'request_comment';
      case 'feedback.requested':
        return event.payload.category === 'COMPLAINT'
          ? 'feedback_request_complaint'
          : 'feedback_request';
      case 'request.status_changed':
        return event.payload.action === 'RETURN_UNDELIVERED'
          ? 'delivery_missed'
          : (STATUS_MESSAGES[event.payload.to] ?? null);
      default:
        return null;
    }
  }

  /** What staff wrote to the resident with the change, if anything. */
  private noteOf(event: RequestMessageEvent): string {
    if (event.type === 'request.status_changed') return event.payload.noteToResident ?? '';
    if (event.type === 'request.comment_added') return event.payload.comment;
    if (event.type === 'request.reopened') return event.payload.reason;
    return '';
  }

  /** WhatsApp from the ward's helpline; SMS without one; the log when WhatsApp is not set up. */
  channelFor(helplinePhoneNumberId: string | null): NotificationChannel {
    if (!this.config.whatsapp.accessToken) return NotificationChannel.LOG;
    return helplinePhoneNumberId ? NotificationChannel.WHATSAPP : NotificationChannel.SMS;
  }
}

import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { StaffAccountsService } from '../auth/staff-accounts.service';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import {
  DomainEventReactor,
  DomainEventsService,
  RecordedEvent,
} from '../domain-events/domain-events.service';
import { RequestChannel, RequestStatus } from '../requests/entities/request-enums';
import { RequestsService } from '../requests/requests.service';
import { ServiceCatalogueService } from '../requests/service-catalogue.service';
import { ResidentLanguage } from '../residents/entities/resident-enums';
import { ResidentsService } from '../residents/residents.service';
import { Ward } from '../wards/entities/ward.entity';
import { WardsService } from '../wards/wards.service';
import { NotificationOptOut } from './entities/notification-opt-out.entity';
import { NotificationChannel, NotificationLanguage } from './entities/notification-enums';
import { Notification } from './entities/notification.entity';
import { render, templateDefinition } from './notification-templates';
import { NotificationTemplatesService } from './notification-templates.service';

/** Which message a resident gets when a request reaches a status (none for the others). */
const STATUS_MESSAGES: Partial<Record<RequestStatus, string>> = {
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
}

/**
 * Turns request events into notifications, inside the transaction that records the event:
 * one row per (event, recipient, channel), so a redelivered event never sends twice and a
 * rolled-back change sends nothing.
 */
@Injectable()
export class NotificationPlannerService implements DomainEventReactor, OnModuleInit {
  constructor(
    private readonly events: DomainEventsService,
    private readonly templates: NotificationTemplatesService,
    private readonly requests: RequestsService,
    private readonly catalogue: ServiceCatalogueService,
    private readonly residents: ResidentsService,
    private readonly wards: WardsService,
    private readonly staff: StaffAccountsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.events.addReactor(this);
  }

  async react(manager: EntityManager, event: RecordedEvent): Promise<void> {
    // A resident asked for a person on the helpline, or a message to them could not go out
    // (window closed, no template): the ward's coordinators are told.
    if (event.type === 'conversation.handed_over')
      return this.alertCoordinators(manager, event, 'staff_handover');
    if (event.type === 'notification.undelivered')
      return this.alertCoordinators(manager, event, 'staff_message_undelivered');
    // A helpline conversation left unanswered too long escalates as an overdue request does.
    if (event.type === 'conversation.overdue')
      return this.alertCoordinators(manager, event, 'staff_conversation_overdue', 'ADMINISTRATORS');
    if (event.type === 'ward.daily_digest') return this.sendDigest(manager, event);
    if (event.type === 'ward.sla_breaches_summarised')
      return this.summariseBreaches(manager, event);
    const residentMessage = this.residentMessageFor(event);
    const alertStaff =
      event.type === 'request.created' && ALERTING_CHANNELS.includes(String(event.payload.channel));
    // A sweep alerts a few breaches of a ward one by one and summarises the rest.
    const escalate = event.type === 'request.sla_breached' && event.payload.alert !== false;
    if (!residentMessage && !alertStaff && !escalate) return;
    const request = await this.requests.findById(event.aggregateId, manager);
    if (!request) return;
    // One after another: a transaction's connection runs one statement at a time.
    const resident = await this.residents.findInMunicipality(
      request.municipalityId,
      request.residentId,
      manager,
    );
    const ward = await this.wards.findInMunicipality(
      request.municipalityId,
      request.wardId,
      manager,
    );
    const definition = await this.catalogue.definitionAt(
      request.serviceTypeId,
      request.definitionVersion,
      manager,
    );
    if (!resident || !ward || !definition) return;
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
          },
        });
      }
    }
    if (alertStaff)
      messages.push(...(await this.coordinatorsOf(manager, request.wardId, 'staff_new_request')));
    if (escalate)
      messages.push(
        ...(await this.administratorsOf(manager, request.municipalityId, 'staff_sla_breached')),
      );
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
        note: String(event.payload.noteToResident ?? event.payload.comment ?? ''),
      }),
    );
  }

  /** Tells the ward's coordinators something about a resident (`templateKey` says what). */
  private async alertCoordinators(
    manager: EntityManager,
    event: RecordedEvent,
    templateKey: 'staff_handover' | 'staff_message_undelivered' | 'staff_conversation_overdue',
    to: 'COORDINATORS' | 'ADMINISTRATORS' = 'COORDINATORS',
  ): Promise<void> {
    const residentId = String(event.payload.residentId);
    const resident = await this.residents.findInMunicipality(
      event.municipalityId,
      residentId,
      manager,
    );
    const ward = event.wardId
      ? await this.wards.findInMunicipality(event.municipalityId, event.wardId, manager)
      : null;
    if (!resident || !ward) return;
    const messages =
      to === 'ADMINISTRATORS'
        ? await this.administratorsOf(manager, ward.municipalityId, templateKey)
        : await this.coordinatorsOf(manager, ward.id, templateKey);
    await this.plan(
      manager,
      event,
      { ward, requestId: null, residentId },
      messages,
      (language) => ({
        wardName: language === NotificationLanguage.BN ? ward.nameBn : ward.nameEn,
        residentName: resident.fullName,
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
  private summariseBreaches(manager: EntityManager, event: RecordedEvent): Promise<void> {
    return this.planForWard(
      manager,
      event,
      () => this.administratorsOf(manager, event.municipalityId, 'staff_sla_breaches_summary'),
      ['count'],
    );
  }

  /** The morning digest of a ward, to its coordinators. */
  private sendDigest(manager: EntityManager, event: RecordedEvent): Promise<void> {
    return this.planForWard(
      manager,
      event,
      (ward) => this.coordinatorsOf(manager, ward.id, 'staff_daily_digest'),
      ['open', 'dueToday', 'overdue'],
    );
  }

  /** A message about a ward as a whole: its name and the named counts of the event. */
  private async planForWard(
    manager: EntityManager,
    event: RecordedEvent,
    recipientsOf: (ward: Ward) => Promise<Array<{ key: string; recipient: Recipient }>>,
    counts: string[],
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
        ...Object.fromEntries(counts.map((name) => [name, String(event.payload[name] ?? 0)])),
      }),
    );
  }

  /**
   * A message to a request's resident that carries what must not be stored in the event
   * (a hand-over code): the caller passes the extra values, in the event's transaction.
   */
  async notifyResident(
    manager: EntityManager,
    event: RecordedEvent,
    key: string,
    /** The values, or per language (dates and digits are written the resident's way). */
    extra: Record<string, string> | ((language: NotificationLanguage) => Record<string, string>),
    /** Names of `extra` values to blank out of the stored message once it is sent. */
    secrets: string[] = [],
  ): Promise<void> {
    const extraIn = typeof extra === 'function' ? extra : () => extra;
    const request = await this.requests.findById(
      event.aggregateType === 'ServiceRequest'
        ? event.aggregateId
        : String(event.payload.requestId),
      manager,
    );
    if (!request) return;
    const resident = await this.residents.findInMunicipality(
      request.municipalityId,
      request.residentId,
      manager,
    );
    const ward = await this.wards.findInMunicipality(
      request.municipalityId,
      request.wardId,
      manager,
    );
    const definition = await this.catalogue.definitionAt(
      request.serviceTypeId,
      request.definitionVersion,
      manager,
    );
    const address = resident?.whatsappId ?? resident?.phone?.replace(/^\+/, '');
    if (!resident || !ward || !definition || !address || resident.erasedAt) return;
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
    event: RecordedEvent,
    about: { ward: Ward; requestId: string | null; residentId: string | null },
    messages: Array<{ key: string; recipient: Recipient }>,
    values: (language: NotificationLanguage) => Record<string, string>,
    secretValues: string[] = [],
  ): Promise<void> {
    if (messages.length === 0) return;
    const { ward } = about;
    const channel = this.channelFor(ward.whatsappPhoneNumberId);
    const rows: Array<Partial<Notification>> = [];
    for (const { key, recipient } of messages) {
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
        sender: channel === NotificationChannel.WHATSAPP ? ward.whatsappPhoneNumberId : null,
        language: recipient.language,
        body: render(template.body, filled),
        templateName: template.whatsappTemplateName,
        templateParams: template.whatsappTemplateParams.map((name) =>
          render(`{{${name}}}`, filled),
        ),
        critical: template.critical,
        secretValues: secretValues.length ? secretValues : null,
      });
    }
    await manager
      .createQueryBuilder()
      .insert()
      .into(Notification)
      .values(rows as never)
      .orIgnore()
      .execute();
    // Delivered to listening dispatchers when (and only if) the transaction commits.
    await manager.query(`SELECT pg_notify('duare_notifications', '')`);
  }

  private residentMessageFor(event: RecordedEvent): string | null {
    if (event.type === 'request.created') return 'request_received';
    if (event.type === 'request.comment_added') return 'request_comment';
    if (event.type === 'request.status_changed' && event.payload.action === 'RETURN_UNDELIVERED') {
      return 'delivery_missed';
    }
    if (event.type === 'request.status_changed')
      return STATUS_MESSAGES[event.payload.to as RequestStatus] ?? null;
    return null;
  }

  /** WhatsApp from the ward's helpline; SMS without one; the log when WhatsApp is not set up. */
  channelFor(helplinePhoneNumberId: string | null): NotificationChannel {
    if (!this.config.whatsapp.accessToken) return NotificationChannel.LOG;
    return helplinePhoneNumberId ? NotificationChannel.WHATSAPP : NotificationChannel.SMS;
  }
}

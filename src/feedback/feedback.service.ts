import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { auditActorOf, AuditActorRef, systemActor } from '../audit/audit-actor';
import { assertAccess } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { UserErrorCode, userError } from '../common/errors/user-error.type';
import { assertUuid } from '../common/graphql/uuid';
import { storableText } from '../common/text/storable';
import { toE164 } from '../common/text/phone-number';
import { DomainEventsService } from '../domain-events/domain-events.service';
import { RecordedEvent } from '../domain-events/event-map';
import { NotificationLanguage } from '../notifications/entities/notification-enums';
import { NotificationsService } from '../notifications/notifications.service';
import { templateDefinition } from '../notifications/notification-templates';
import { RequestPayload } from '../requests/dto/request.payloads';
import { RequestAction, RequestStatus } from '../requests/entities/request-enums';
import { ServiceCategory } from '../requests/entities/service-definition';
import type { ServiceRequest } from '../requests/entities/service-request.entity';
import { Refusal, refusable } from '../common/errors/refusal';
import { RequestWorkflowService, staleRequest } from '../requests/request-workflow.service';
import { RequestsService } from '../requests/requests.service';
import { ServiceCatalogueService } from '../requests/catalogue/service-catalogue.service';
import { ReopenRequestInput } from './dto/feedback.dto';
import { readFeedbackReply } from './reply-text';
import { RequestFeedback } from './request-feedback.entity';
import { RequestReopening } from './request-reopening.entity';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Default days after the outcome within which a complaint may be reopened (per service: `reopenDays`), and a rating is taken. */
export const REOPEN_WINDOW_DAYS = 7;

/** An SMS the resident sent to the ward's number (Exotel's incoming-SMS callback). */
export interface IncomingSms {
  smsSid: string;
  from: string;
  to: string;
  body: string;
}

type ReopenOutcome = 'REOPENED' | 'TOO_LATE' | 'CERTIFICATE' | 'NONE';

/** What the resident is told after "still not fixed". */
const REOPEN_ANSWERS: Record<Exclude<ReopenOutcome, 'NONE'>, string> = {
  REOPENED: 'request_reopened',
  TOO_LATE: 'reopen_too_late',
  CERTIFICATE: 'reopen_certificate',
};

export type SmsOutcome =
  'RATED' | 'CLOSED' | 'BAD_RATING' | 'REOPENED' | 'NOT_REOPENED' | 'IGNORED';

/**
 * Closes the resident's loop: asks for a rating once a request reaches its good outcome,
 * takes the rating (and "still not fixed") by SMS, and reopens complaints for residents and
 * staff with the reason, the SLA restarted and the coordinators told.
 */
@Injectable()
export class FeedbackService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: DomainEventsService,
    private readonly requests: RequestsService,
    private readonly catalogue: ServiceCatalogueService,
    private readonly workflow: RequestWorkflowService,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.events.on('request.status_changed', (manager, event) => this.react(manager, event));
  }

  /** A request delivered or resolved: the resident is asked once (`feedback.requested`). */
  async react(
    manager: EntityManager,
    event: RecordedEvent<'request.status_changed'>,
  ): Promise<void> {
    const to = event.payload.to as RequestStatus;
    if (to !== RequestStatus.DELIVERED && to !== RequestStatus.RESOLVED) return;
    const request = await this.requests.findById(event.aggregateId, manager);
    if (!request) return;
    const [asked] = (await manager.query(
      `INSERT INTO request_feedback (municipality_id, ward_id, request_id, resident_id, closes_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))
       ON CONFLICT (ward_id, request_id) DO NOTHING RETURNING id`,
      [request.municipalityId, request.wardId, request.id, request.residentId, REOPEN_WINDOW_DAYS],
    )) as Array<{ id: string }>;
    if (!asked) return;
    await this.events.record(manager, {
      type: 'feedback.requested',
      aggregateType: 'ServiceRequest',
      aggregateId: request.id,
      municipalityId: request.municipalityId,
      wardId: request.wardId,
      payload: { category: request.category },
    });
  }

  /** The reopen window of the request's service, as its definition says (default 7 days). */
  private async reopenDaysOf(manager: EntityManager, request: ServiceRequest): Promise<number> {
    const definition = await this.catalogue.definitionAt(
      request.serviceTypeId,
      request.definitionVersion,
      manager,
    );
    return definition?.reopenDays ?? REOPEN_WINDOW_DAYS;
  }

  feedbackOf(requestId: string): Promise<RequestFeedback | null> {
    return this.dataSource.getRepository(RequestFeedback).findOneBy({ requestId });
  }

  /** Staff reopen a complaint (the resident said so on the phone, or the work did not hold). */
  async reopen(actor: Actor, input: ReopenRequestInput): Promise<RequestPayload> {
    const reason = storableText(input.reason ?? '', 2000).trim();
    if (!reason) {
      return {
        request: null,
        errors: [userError(UserErrorCode.REQUIRED, 'reason', 'say why the request is reopened')],
      };
    }
    const id = assertUuid(input.requestId, 'requestId');
    return refusable('request', () =>
      this.dataSource.transaction(async (manager) => {
        const request = await this.requests.lockById(manager, id);
        assertAccess(actor, request, Permission.REQUESTS_WRITE, 'Request');
        if (input.version != null && request.version !== input.version) throw staleRequest(request);
        const name = actor.type === 'STAFF' ? actor.displayName : actor.name;
        return this.reopenLocked(manager, auditActorOf(actor), request, reason, false, name);
      }),
    );
  }

  /**
   * Reopens a locked complaint: within the window after its outcome, back to review with the
   * reason, the SLA restarted (the workflow's REOPEN step), recorded and announced.
   */
  private async reopenLocked(
    manager: EntityManager,
    by: AuditActorRef,
    request: ServiceRequest,
    reason: string,
    byResident: boolean,
    actorName: string,
  ): Promise<ServiceRequest> {
    const problem = reopenProblem(request, new Date(), await this.reopenDaysOf(manager, request));
    if (problem)
      throw new Refusal([userError(UserErrorCode.INVALID_TRANSITION, 'requestId', problem)]);
    const after = await this.workflow.apply(manager, by, request, RequestAction.REOPEN, reason);
    await manager.insert(RequestReopening, {
      wardId: request.wardId,
      requestId: request.id,
      reason,
      byResident,
      actorName,
    });
    await this.events.record(manager, {
      type: 'request.reopened',
      aggregateType: 'ServiceRequest',
      aggregateId: request.id,
      municipalityId: request.municipalityId,
      wardId: request.wardId,
      payload: { reason, byResident },
    });
    return after;
  }

  /**
   * A resident's SMS to the ward's number: a digit rates their latest finished request, "still
   * not fixed" reopens their latest resolved complaint. Each gets a short answer by SMS.
   */
  async receiveSms(sms: IncomingSms): Promise<SmsOutcome> {
    const from = toE164(sms.from);
    const to = toE164(sms.to);
    if (!from || !to) return 'IGNORED';
    const reply = readFeedbackReply(sms.body);
    if (reply.kind === 'OTHER') return 'IGNORED';
    return this.dataSource.transaction(async (manager) => {
      const resident = await this.residentOf(manager, to, from);
      if (!resident) return 'IGNORED';
      const answer = (templateKey: string, requestId: string | null) =>
        this.notifications.enqueueSms(manager, {
          municipalityId: resident.municipality_id,
          wardId: resident.ward_id,
          residentId: resident.id,
          recipientId: resident.id,
          address: from.replace(/^\+/, ''),
          language:
            resident.preferred_language === 'EN'
              ? NotificationLanguage.EN
              : NotificationLanguage.BN,
          templateKey,
          values: {},
          dedupeKey: `sms:${sms.smsSid}`,
          requestId,
        });
      if (reply.kind === 'BAD_RATING') {
        await answer('feedback_bad_rating', null);
        return 'BAD_RATING';
      }
      if (reply.kind === 'NOT_FIXED') {
        const reopened = await this.reopenForResident(manager, resident.id, reply.reason);
        if (reopened.outcome === 'NONE') return 'IGNORED';
        await answer(REOPEN_ANSWERS[reopened.outcome], reopened.requestId);
        return reopened.outcome === 'REOPENED' ? 'REOPENED' : 'NOT_REOPENED';
      }
      const rated = await this.rate(manager, resident.id, reply.rating, reply.comment, 'SMS');
      if (rated.outcome === 'NONE') return 'IGNORED';
      await answer(
        rated.outcome === 'RATED' ? 'feedback_thanks' : 'feedback_closed',
        rated.requestId,
      );
      return rated.outcome;
    });
  }

  /**
   * Stores a rating on the resident's latest question (or on one request's, when the reply
   * names it): once, while the question is open.
   */
  async rate(
    manager: EntityManager,
    residentId: string,
    rating: number,
    comment: string | null,
    via: 'SMS' | 'WHATSAPP',
    requestId: string | null = null,
  ): Promise<{ outcome: 'RATED' | 'CLOSED' | 'NONE'; requestId: string | null }> {
    const query = manager
      .createQueryBuilder(RequestFeedback, 'f')
      .setLock('pessimistic_write')
      .where('f.resident_id = :resident', { resident: residentId });
    if (requestId) query.andWhere('f.request_id = :request', { request: requestId });
    const asked = await query.orderBy('f.asked_at', 'DESC').getOne();
    if (!asked) return { outcome: 'NONE', requestId: null };
    if (asked.answeredAt || asked.closesAt < new Date()) {
      return { outcome: 'CLOSED', requestId: asked.requestId };
    }
    await manager.update(RequestFeedback, asked.id, {
      rating,
      comment,
      answeredAt: new Date(),
      answeredVia: via,
    });
    return { outcome: 'RATED', requestId: asked.requestId };
  }

  /** "Still not fixed": the resident's latest resolved (or closed) request, reopened if it may be. */
  async reopenForResident(
    manager: EntityManager,
    residentId: string,
    reason: string,
  ): Promise<{ outcome: ReopenOutcome; requestId: string | null }> {
    const [latest] = (await manager.query(
      `SELECT id FROM service_requests WHERE resident_id = $1 AND status IN ('RESOLVED', 'CLOSED')
        ORDER BY completed_at DESC NULLS LAST LIMIT 1`,
      [residentId],
    )) as Array<{ id: string }>;
    if (!latest) return { outcome: 'NONE', requestId: null };
    const request = await this.requests.lockById(manager, latest.id);
    if (reopenProblem(request, new Date(), await this.reopenDaysOf(manager, request))) {
      const outcome = request.category === ServiceCategory.CERTIFICATE ? 'CERTIFICATE' : 'TOO_LATE';
      return { outcome, requestId: request.id };
    }
    await this.reopenLocked(
      manager,
      systemActor(`resident:${request.id}`, 'resident'),
      request,
      reason,
      true,
      'resident',
    );
    return { outcome: 'REOPENED', requestId: request.id };
  }

  /**
   * A WhatsApp message that answers the rating question (a row of its list, or a digit in
   * reply to it) or says the complaint is still not fixed; null when it is not about that
   * (the conversation goes on as usual). Called by the helpline in its transaction.
   */
  async claimInbound(turn: {
    manager: EntityManager;
    ward: { id: string };
    conversation: { id: string };
    resident: { id: string };
    lang: 'bn' | 'en';
    inbound: {
      wamid: string;
      type: string;
      text: string;
      choiceId: string | null;
      media: unknown;
      sentAt: Date;
      /** The wamid the resident replied to (`message.context.id`), if any. */
      contextMessageId: string | null;
    };
  }): Promise<{ replies: Array<{ text: string; content: Record<string, unknown> }> } | null> {
    const { manager, resident, lang, inbound } = turn;
    const say = (key: string) => {
      const body = templateDefinition(key)![lang];
      return {
        replies: [{ text: body, content: { type: 'text', text: { preview_url: false, body } } }],
      };
    };
    const row = /^rate:([1-5])$/.exec(inbound.choiceId ?? '');
    const reply = readFeedbackReply(inbound.text);
    if (!row && reply.kind === 'NOT_FIXED') {
      const reopened = await this.reopenForResident(manager, resident.id, reply.reason);
      return reopened.outcome === 'NONE' ? null : say(REOPEN_ANSWERS[reopened.outcome]);
    }
    // A typed digit counts only as a reply to the question itself (else it may be a menu choice).
    const question =
      !row && reply.kind !== 'OTHER'
        ? await this.questionOf(manager, inbound.contextMessageId)
        : null;
    if (!row && !question) return null;
    if (!row && reply.kind === 'BAD_RATING') return say('feedback_bad_rating');
    const rating = row ? Number(row[1]) : reply.kind === 'RATING' ? reply.rating : null;
    if (rating === null) return null;
    const comment = !row && reply.kind === 'RATING' ? reply.comment : null;
    const rated = await this.rate(manager, resident.id, rating, comment, 'WHATSAPP', question);
    if (rated.outcome === 'NONE') return null;
    return say(rated.outcome === 'RATED' ? 'feedback_thanks' : 'feedback_closed');
  }

  /** The request whose rating question is the WhatsApp message `wamid`, if it is one. */
  private async questionOf(manager: EntityManager, wamid: string | null): Promise<string | null> {
    if (!wamid) return null;
    const [row] = (await manager.query(
      `SELECT request_id FROM notifications
        WHERE provider_message_id = $1 AND template_key LIKE 'feedback_request%' LIMIT 1`,
      [wamid],
    )) as Array<{ request_id: string }>;
    return row?.request_id ?? null;
  }

  /**
   * The resident who wrote: the ward is the one whose number received the SMS (read-only
   * SQL over the callbacks' numbers and the residents' phones).
   */
  private async residentOf(manager: EntityManager, wardNumber: string, phone: string) {
    const [row] = (await manager.query(
      `SELECT r.id, r.municipality_id, r.ward_id, r.preferred_language
         FROM missed_call_numbers n
         JOIN residents r ON r.municipality_id = n.municipality_id
        WHERE n.number = $1 AND r.phone = $2 AND r.erased_at IS NULL
        ORDER BY r.created_at LIMIT 1`,
      [wardNumber, phone],
    )) as Array<{
      id: string;
      municipality_id: string;
      ward_id: string;
      preferred_language: string;
    }>;
    return row ?? null;
  }
}

/** Why a request cannot be reopened now, or null. */
function reopenProblem(request: ServiceRequest, now: Date, days: number): string | null {
  if (request.category === ServiceCategory.CERTIFICATE) {
    return 'a certificate is not reopened: ask for a correction (the certificate is reissued)';
  }
  if (request.category !== ServiceCategory.COMPLAINT) return 'only complaints are reopened';
  if (request.status !== RequestStatus.RESOLVED && request.status !== RequestStatus.CLOSED) {
    return `the request is ${request.status}, not resolved`;
  }
  const since = request.completedAt ?? request.statusChangedAt;
  if (now.getTime() - since.getTime() > days * DAY_MS) {
    return `the reopen period of ${days} days after the outcome has passed`;
  }
  return null;
}

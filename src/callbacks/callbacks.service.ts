// Over 400 lines on purpose: a missed call's whole life (intake with flood control, outcomes, the
// escalation sweep) is one small state machine over the same rows.
import { Inject, Injectable } from '@nestjs/common';
import { Logger } from 'pino';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { auditActorOf } from '../audit/audit-actor';
import { assertAccess, readableWards } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { NotFoundError } from '../common/errors/app.error';
import { UserErrorCode, userError } from '../common/errors/user-error.type';
import { assertUuid } from '../common/graphql/uuid';
import { ConnectionShape } from '../common/pagination/connection.type';
import { pageByNewest } from '../common/pagination/timestamp-page';
import { toE164 } from '../common/text/phone-number';
import { storableText } from '../common/text/storable';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, APP_LOGGER } from '../config/config.tokens';
import { NotificationLanguage } from '../notifications/entities/notification-enums';
import { NotificationsService } from '../notifications/notifications.service';
import { RequestChannel } from '../requests/entities/request-enums';
import type { ServiceRequest } from '../requests/entities/service-request.entity';
import { RequestsService } from '../requests/requests.service';
import { ServiceCatalogueService } from '../requests/catalogue/service-catalogue.service';
import { ResidentLanguage } from '../residents/entities/resident-enums';
import { ResidentsService } from '../residents/residents.service';
import { TrackingLinksService } from '../tracking-links/tracking-links.service';
import { WardsService } from '../wards/wards.service';
import {
  CallbackTaskFilter,
  CallbackTaskPayload,
  MissedCallNumberPayload,
  RecordCallbackOutcomeInput,
  SetMissedCallNumberInput,
} from './dto/callback.dto';
import { CallbackAttempt } from './entities/callback-attempt.entity';
import { CallbackCall } from './entities/callback-call.entity';
import {
  CallbackClosedReason,
  CallbackOutcome,
  CallbackResult,
  CallbackTaskStatus,
} from './entities/callback-enums';
import { CallbackTask } from './entities/callback-task.entity';
import { MissedCallNumber } from './entities/missed-call-number.entity';
import { MissedCall } from './exotel-passthru';
import { workingHoursLater } from './working-hours';

/** Calls from one number within this long join its open task. */
export const JOIN_WITHIN_MS = 30 * 60 * 1000;
/** Beyond this many stored calls per task in FLOOD_WINDOW_MS, calls are only counted. */
export const FLOOD_LIMIT = 5;
const FLOOD_WINDOW_MS = 10 * 60 * 1000;
/** Unanswered attempts after which a task closes. */
export const MAX_UNANSWERED = 3;

export type MissedCallOutcome = 'CREATED' | 'JOINED' | 'THROTTLED' | 'DUPLICATE' | 'UNKNOWN_NUMBER';

/** The caller's number as a log may show it: the last three digits only. */
export const maskedPhone = (phone: string) => `…${phone.slice(-3)}`;

/** Missed calls become callback tasks in the ward's queue, with their own SLA. */
@Injectable()
export class CallbacksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly wards: WardsService,
    private readonly residents: ResidentsService,
    private readonly requests: RequestsService,
    private readonly catalogue: ServiceCatalogueService,
    private readonly notifications: NotificationsService,
    private readonly trackingLinks: TrackingLinksService,
  ) {}

  /**
   * Stores a missed call once (by the provider's call id) and files it: a new task with an
   * SMS to the caller, or a repeat joining the caller's recent task, or — in a flood — only
   * counted. One caller's calls are serialised by an advisory lock.
   */
  async receive(call: MissedCall): Promise<MissedCallOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const line = await manager.findOneBy(MissedCallNumber, { number: call.to });
      if (!line) return 'UNKNOWN_NUMBER';
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
        `callback:${line.wardId}:${call.from}`,
      ]);
      if (await manager.existsBy(CallbackCall, { callSid: call.callSid })) return 'DUPLICATE';
      const recent = await manager
        .createQueryBuilder(CallbackTask, 't')
        .where('t.ward_id = :ward AND t.caller_phone = :phone AND t.status = :open', {
          ward: line.wardId,
          phone: call.from,
          open: CallbackTaskStatus.OPEN,
        })
        .andWhere('t.last_call_at >= :since', {
          since: new Date(call.calledAt.getTime() - JOIN_WITHIN_MS),
        })
        .orderBy('t.last_call_at', 'DESC')
        .getOne();
      if (recent) return this.join(manager, recent, call);
      await this.open(manager, line, call);
      return 'CREATED';
    });
  }

  private async join(
    manager: EntityManager,
    task: CallbackTask,
    call: MissedCall,
  ): Promise<MissedCallOutcome> {
    const lastCallAt = call.calledAt > task.lastCallAt ? call.calledAt : task.lastCallAt;
    const stored = await manager
      .createQueryBuilder(CallbackCall, 'c')
      .where('c.task_id = :task AND c.called_at >= :since', {
        task: task.id,
        since: new Date(call.calledAt.getTime() - FLOOD_WINDOW_MS),
      })
      .getCount();
    const flooding = stored >= FLOOD_LIMIT;
    if (!flooding) await this.storeCall(manager, task, call);
    await manager.update(CallbackTask, task.id, {
      callCount: () => 'call_count + 1',
      throttledCalls: () => (flooding ? 'throttled_calls + 1' : 'throttled_calls'),
      lastCallAt,
    } as never);
    return flooding ? 'THROTTLED' : 'JOINED';
  }

  private async open(manager: EntityManager, line: MissedCallNumber, call: MissedCall) {
    const ward = await this.wards.findInMunicipality(line.municipalityId, line.wardId, manager);
    if (!ward) throw new NotFoundError('Ward');
    const resident = await this.residentByPhone(manager, line.municipalityId, call.from);
    const task = await manager.save(
      manager.create(CallbackTask, {
        municipalityId: line.municipalityId,
        wardId: line.wardId,
        callerPhone: call.from,
        residentId: resident?.id ?? null,
        firstCallAt: call.calledAt,
        lastCallAt: call.calledAt,
        dueAt: workingHoursLater(
          call.calledAt,
          this.config.telephony.callbackSlaWorkingHours,
          ward.serviceHours,
          await this.holidays(manager, line.municipalityId, call.calledAt),
        ),
      }),
    );
    await this.storeCall(manager, task, call);
    const language =
      resident?.preferred_language === ResidentLanguage.EN
        ? NotificationLanguage.EN
        : NotificationLanguage.BN;
    const openRequest = resident ? await this.latestOpenRequest(manager, resident.id) : null;
    const link = openRequest ? await this.trackingLinks.linkFor(manager, openRequest) : null;
    await this.notifications.enqueueSms(manager, {
      municipalityId: line.municipalityId,
      wardId: line.wardId,
      residentId: resident?.id ?? null,
      recipientId: resident?.id ?? task.id,
      address: call.from.replace(/^\+/, ''),
      language,
      templateKey: link ? 'callback_acknowledged_with_link' : 'callback_acknowledged',
      values: {
        wardName: language === NotificationLanguage.BN ? ward.nameBn : ward.nameEn,
        trackingNumber: openRequest?.trackingNumber ?? '',
        trackingLink: link?.url ?? '',
      },
      dedupeKey: `callback:${task.id}`,
      requestId: openRequest?.id ?? null,
      secrets: link ? [link.url] : [],
    });
  }

  private storeCall(manager: EntityManager, task: CallbackTask, call: MissedCall) {
    return manager.insert(CallbackCall, {
      taskId: task.id,
      wardId: task.wardId,
      callSid: call.callSid,
      calledAt: call.calledAt,
      payload: call.raw,
    });
  }

  /**
   * A resident of the municipality with this phone (read-only SQL: the residents module
   * looks people up by phone only for a signed-in caller).
   */
  private async residentByPhone(manager: EntityManager, municipalityId: string, phone: string) {
    const [row] = (await manager.query(
      `SELECT id, preferred_language FROM residents
        WHERE municipality_id = $1 AND phone = $2 AND erased_at IS NULL
        ORDER BY created_at LIMIT 1`,
      [municipalityId, phone],
    )) as Array<{ id: string; preferred_language: string }>;
    return row ?? null;
  }

  private async latestOpenRequest(manager: EntityManager, residentId: string) {
    const [row] = (await manager.query(
      `SELECT id FROM service_requests WHERE resident_id = $1 AND completed_at IS NULL
        ORDER BY created_at DESC LIMIT 1`,
      [residentId],
    )) as Array<{ id: string }>;
    return row ? this.requests.findById(row.id, manager) : null;
  }

  private async holidays(manager: EntityManager, municipalityId: string, from: Date) {
    const rows = (await manager.query(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date FROM municipality_holidays
        WHERE municipality_id = $1 AND date >= CAST($2 AS date) - 1`,
      [municipalityId, from.toISOString().slice(0, 10)],
    )) as Array<{ date: string }>;
    return new Set(rows.map((row) => row.date));
  }

  /** The ward's callback queue, newest first; only wards the caller may read. */
  async list(
    actor: Actor,
    filter: CallbackTaskFilter | null | undefined,
    first?: number | null,
    after?: string | null,
  ): Promise<ConnectionShape<CallbackTask>> {
    const wards = readableWards(actor, Permission.REQUESTS_READ);
    const query = this.dataSource
      .getRepository(CallbackTask)
      .createQueryBuilder('t')
      .where('t.municipality_id = :m', { m: actor.municipalityId });
    if (wards !== 'ALL') query.andWhere('t.ward_id = ANY(:wards)', { wards });
    if (filter?.wardId)
      query.andWhere('t.ward_id = :ward', { ward: assertUuid(filter.wardId, 'filter.wardId') });
    if (filter?.status) query.andWhere('t.status = :status', { status: filter.status });
    if (filter?.overdue) query.andWhere(`t.status = 'OPEN' AND t.due_at < now()`);
    return pageByNewest(query, 't', 'created_at', first, after);
  }

  /** A resident's requests without an outcome yet, newest first. */
  openRequestsOf(residentId: string): Promise<ServiceRequest[]> {
    return this.requests.openOf(residentId, 20);
  }

  async attemptsOf(taskId: string): Promise<CallbackAttempt[]> {
    return this.dataSource
      .getRepository(CallbackAttempt)
      .find({ where: { taskId }, order: { createdAt: 'ASC' } });
  }

  /**
   * Records one attempt to call back. NO_ANSWER counts (the third closes the task),
   * WRONG_NUMBER closes it, REACHED closes it with what came of it — a request made by
   * phone, for a caller who was unknown a new resident as well.
   */
  async recordOutcome(
    actor: Actor,
    input: RecordCallbackOutcomeInput,
  ): Promise<CallbackTaskPayload> {
    const id = assertUuid(input.taskId, 'taskId');
    const task = await this.dataSource.getRepository(CallbackTask).findOneBy({ id });
    if (!task || task.municipalityId !== actor.municipalityId)
      throw new NotFoundError('Callback task');
    assertAccess(actor, task, Permission.REQUESTS_WRITE, 'Callback task');
    const problem = this.outcomeProblem(task, input);
    if (problem) return { task: null, requestId: null, errors: [problem] };
    let requestId: string | null = null;
    let residentId = task.residentId;
    if (input.newRequest) {
      const made = await this.requestByPhone(actor, task, input.newRequest);
      if (!made.ok) return { task: null, requestId: null, errors: made.errors };
      ({ requestId, residentId } = made);
    }
    // Typed by staff, but NUL and control characters are dropped so storing cannot fail.
    const note = storableText(input.note ?? '', 2000).trim() || null;
    const saved = await this.dataSource.transaction(async (manager) => {
      const current = await manager
        .createQueryBuilder(CallbackTask, 't')
        .setLock('pessimistic_write')
        .where('t.id = :id', { id })
        .getOneOrFail();
      if (current.status !== CallbackTaskStatus.OPEN) return null;
      const by = auditActorOf(actor);
      await manager.insert(CallbackAttempt, {
        taskId: id,
        wardId: current.wardId,
        outcome: input.outcome,
        result: requestId
          ? CallbackResult.REQUEST_CREATED
          : (input.result ?? CallbackResult.NOTHING),
        note,
        requestId,
        actorId: by.id,
        actorName: actor.type === 'STAFF' ? actor.displayName : actor.name,
      });
      const unanswered =
        current.unansweredAttempts + (input.outcome === CallbackOutcome.NO_ANSWER ? 1 : 0);
      const closedReason = closingReason(input.outcome, unanswered);
      await manager.update(CallbackTask, id, {
        unansweredAttempts: unanswered,
        residentId,
        requestId: requestId ?? current.requestId,
        version: current.version + 1,
        ...(closedReason
          ? { status: CallbackTaskStatus.CLOSED, closedAt: new Date(), closedReason }
          : {}),
      });
      return manager.findOneByOrFail(CallbackTask, { id });
    });
    if (!saved) {
      return {
        task: null,
        requestId,
        errors: [
          userError(UserErrorCode.INVALID_TRANSITION, 'taskId', 'the task is already closed'),
        ],
      };
    }
    return { task: saved, requestId, errors: [] };
  }

  private outcomeProblem(task: CallbackTask, input: RecordCallbackOutcomeInput) {
    if (task.status !== CallbackTaskStatus.OPEN)
      return userError(UserErrorCode.INVALID_TRANSITION, 'taskId', 'the task is already closed');
    if (input.version != null && input.version !== task.version)
      return userError(
        UserErrorCode.INVALID,
        'version',
        `the task is now at version ${task.version}`,
      );
    if (input.newRequest && input.outcome !== CallbackOutcome.REACHED)
      return userError(
        UserErrorCode.INVALID,
        'newRequest',
        'a request is made only with a caller reached',
      );
    if (input.newRequest && !task.residentId && !input.newRequest.fullName?.trim())
      return userError(
        UserErrorCode.REQUIRED,
        'newRequest.fullName',
        'the caller is not known yet: give their name',
      );
    if (input.note && input.note.length > 2000)
      return userError(UserErrorCode.TOO_LONG, 'note', 'at most 2,000 characters');
    return null;
  }

  /**
   * The request the coordinator took on the phone, through the residents' and requests'
   * own checked paths; an unknown caller is registered first with the calling number.
   */
  private async requestByPhone(
    actor: Actor,
    task: CallbackTask,
    input: NonNullable<RecordCallbackOutcomeInput['newRequest']>,
  ) {
    let residentId = task.residentId;
    // A service that cannot be asked for is refused before anyone is registered.
    const type = /^[0-9a-f-]{36}$/i.test(input.serviceTypeId)
      ? await this.catalogue.getRow(input.serviceTypeId)
      : null;
    if (!type || !type.active || type.municipalityId !== task.municipalityId) {
      return {
        ok: false as const,
        errors: [
          userError(
            UserErrorCode.NOT_FOUND,
            'newRequest.serviceTypeId',
            'no active service has this id',
          ),
        ],
      };
    }
    if (!residentId) {
      const made = await this.residents.create(actor, {
        wardId: task.wardId,
        fullName: input.fullName!,
        phone: task.callerPhone,
        preferredLanguage: input.preferredLanguage ?? undefined,
      } as never);
      if (!made.resident)
        return { ok: false as const, errors: made.errors.map(prefixed('newRequest.')) };
      residentId = made.resident.id;
    }
    const created = await this.requests.create(actor, {
      residentId,
      serviceTypeId: input.serviceTypeId,
      description: input.description ?? null,
      channel: RequestChannel.PHONE_CALL,
    } as never);
    if (!created.request)
      return { ok: false as const, errors: created.errors.map(prefixed('newRequest.')) };
    return { ok: true as const, requestId: created.request.id, residentId };
  }

  /** Sets (or moves) a ward's missed-call number. */
  async setNumber(actor: Actor, input: SetMissedCallNumberInput): Promise<MissedCallNumberPayload> {
    const wardId = assertUuid(input.wardId, 'wardId');
    const ward = await this.wards.findInMunicipality(actor.municipalityId, wardId);
    if (!ward) throw new NotFoundError('Ward');
    assertAccess(
      actor,
      { municipalityId: ward.municipalityId, wardId },
      Permission.WARDS_MANAGE,
      'Ward',
    );
    const number = toE164(input.number ?? '');
    if (!number)
      return {
        wardId,
        number: null,
        errors: [userError(UserErrorCode.INVALID, 'number', 'not a phone number')],
      };
    const taken = await this.dataSource.getRepository(MissedCallNumber).findOneBy({ number });
    if (taken && taken.wardId !== wardId)
      return {
        wardId,
        number: null,
        errors: [userError(UserErrorCode.DUPLICATE, 'number', 'another ward has this number')],
      };
    await this.dataSource.query(
      `INSERT INTO missed_call_numbers (ward_id, municipality_id, number) VALUES ($1, $2, $3)
       ON CONFLICT (ward_id) DO UPDATE SET number = EXCLUDED.number`,
      [wardId, ward.municipalityId, number],
    );
    return { wardId, number, errors: [] };
  }

  /**
   * One pass of the escalation sweep: open tasks past their due time are marked escalated
   * (claimed with SKIP LOCKED so instances share the work) and logged for the operator.
   */
  async runOnce(now = new Date()): Promise<number> {
    const rows = (await this.dataSource.query(
      `UPDATE callback_tasks SET escalated_at = $1
        WHERE id IN (SELECT id FROM callback_tasks
                      WHERE status = 'OPEN' AND escalated_at IS NULL AND due_at < $1
                      ORDER BY due_at LIMIT 200 FOR UPDATE SKIP LOCKED)
        RETURNING id, ward_id`,
      [now],
    )) as [Array<{ id: string; ward_id: string }>, number];
    const escalated = rows[0] ?? [];
    for (const row of escalated)
      this.logger.warn({ task: row.id, ward: row.ward_id }, 'callback task overdue: escalated');
    return escalated.length;
  }
}

function closingReason(outcome: CallbackOutcome, unanswered: number): CallbackClosedReason | null {
  if (outcome === CallbackOutcome.REACHED) return CallbackClosedReason.REACHED;
  if (outcome === CallbackOutcome.WRONG_NUMBER) return CallbackClosedReason.WRONG_NUMBER;
  return unanswered >= MAX_UNANSWERED ? CallbackClosedReason.NO_ANSWER : null;
}

const prefixed =
  (prefix: string) =>
  <E extends { field?: string | null }>(error: E): E => ({
    ...error,
    field: error.field ? `${prefix}${error.field}` : error.field,
  });

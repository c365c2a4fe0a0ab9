// Over 400 lines on purpose: one delivery's state machine (schedule, trip, code, confirm, fail,
// cancel) with its hashed one-time code; every step needs the same locks, refusals and
// announcements.
import { toAsciiDigits, toBengaliDigits } from '../common/text/digits';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomInt, timingSafeEqual } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { z } from 'zod';
import { auditActorOf, AuditActorRef } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { AuditActorType } from '../audit/entities/audit-entry.entity';
import { StaffAccountsService } from '../auth/staff-accounts.service';
import { assertAccess, ForbiddenError } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { BadUserInputError, NotFoundError } from '../common/errors/app.error';
import { UserError, UserErrorCode, userError } from '../common/errors/user-error.type';
import { sha256Hex } from '../common/crypto/sha256';
import { assertUuid } from '../common/graphql/uuid';
import { isoDate, optionalText, todayInIndia } from '../common/validation/fields';
import { validateInput, withCode } from '../common/validation/validate-input';
import { DeliveryEventType, DomainEvent } from '../domain-events/event-map';
import { DomainEventsService } from '../domain-events/domain-events.service';
import { NotificationPlannerService } from '../notifications/notification-planner.service';
import { RequestAction, RequestStatus } from '../requests/entities/request-enums';
import { Refusal, refusable } from '../common/errors/refusal';
import { RequestWorkflowService, staleRequest } from '../requests/request-workflow.service';
import { RequestsService } from '../requests/requests.service';
import { ServiceCatalogueService } from '../requests/catalogue/service-catalogue.service';
import { ResidentsService } from '../residents/residents.service';
import { NotificationLanguage } from '../notifications/entities/notification-enums';
import { formatDay, formatWindow } from '../common/text/bengali-dates';
import { WardsService } from '../wards/wards.service';
import { Delivery, DeliveryFailure, DeliveryStatus, UNDER_WAY_STATUSES } from './delivery.entity';
import { windowProblems } from './delivery-window';

/** Wrong codes allowed before the coordinator must issue a new one. */
export const MAX_CODE_ATTEMPTS = 5;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const time = z.string().regex(TIME, {
  message: 'must be a time as HH:MM',
  ...withCode(UserErrorCode.INVALID_FORMAT),
});
const scheduleSchema = z
  .object({
    date: isoDate.refine((d) => d >= todayInIndia(), {
      message: 'must be today or later',
      ...withCode(UserErrorCode.OUT_OF_RANGE),
    }),
    windowStart: time,
    windowEnd: time,
  })
  // Compared only when both are times (a bad one already has its own error).
  .refine(
    (v) => !TIME.test(v.windowStart) || !TIME.test(v.windowEnd) || v.windowStart < v.windowEnd,
    {
      path: ['windowEnd'],
      message: 'must be after windowStart',
      ...withCode(UserErrorCode.OUT_OF_RANGE),
    },
  );

export type DeliveryPayload = { delivery: Delivery | null; errors: UserError[] };

const hashCode = (deliveryId: string, code: string) => sha256Hex(`${deliveryId}:${code}`);
const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

/**
 * The last mile: a delivery is scheduled for a READY doorstep request (which goes out for
 * delivery), the resident gets a one-time code, and the field agent confirms the hand-over
 * with it; a failed attempt sends the request back to scheduling.
 */
@Injectable()
export class DeliveriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly requests: RequestsService,
    private readonly workflow: RequestWorkflowService,
    private readonly catalogue: ServiceCatalogueService,
    private readonly residents: ResidentsService,
    private readonly wards: WardsService,
    private readonly staff: StaffAccountsService,
    private readonly planner: NotificationPlannerService,
    private readonly events: DomainEventsService,
    private readonly audit: AuditService,
  ) {}

  async schedule(
    actor: Actor,
    input: {
      requestId: string;
      version: number;
      date: string;
      windowStart: string;
      windowEnd: string;
      agentId: string;
    },
  ): Promise<DeliveryPayload> {
    const checked = validateInput(scheduleSchema, {
      date: toAsciiDigits(String(input.date ?? '')),
      windowStart: toAsciiDigits(String(input.windowStart ?? '')),
      windowEnd: toAsciiDigits(String(input.windowEnd ?? '')),
    });
    if (!checked.ok) return { delivery: null, errors: checked.errors };
    return this.refusable(async (manager) => {
      const request = await this.requests.lock(manager, input.requestId);
      assertAccess(actor, request, Permission.REQUESTS_WRITE, 'Request');
      if (request.version !== input.version) throw staleRequest(request);
      const definition = await this.catalogue.definitionAt(
        request.serviceTypeId,
        request.definitionVersion,
        manager,
      );
      if (!definition?.doorstepDelivery) {
        throw new Refusal([
          userError(UserErrorCode.INVALID, 'requestId', 'the service is not delivered to the door'),
        ]);
      }
      if (request.status !== RequestStatus.READY) {
        throw new Refusal([
          userError(
            UserErrorCode.INVALID_TRANSITION,
            'requestId',
            `a delivery is scheduled for a READY request (this one is ${request.status})`,
          ),
        ]);
      }
      const underWay = await manager.findOneBy(Delivery, {
        requestId: request.id,
        status: In([...UNDER_WAY_STATUSES]),
      });
      if (underWay) {
        throw new Refusal([
          userError(
            UserErrorCode.DUPLICATE,
            'requestId',
            'a delivery of this request is already under way: reschedule or cancel it',
          ),
        ]);
      }
      const ward = await this.wards.findInMunicipality(
        request.municipalityId,
        request.wardId,
        manager,
      );
      const problems = windowProblems(checked.value, ward?.serviceHours ?? null, new Date());
      if (problems.length > 0) throw new Refusal(problems);
      const agentId = assertUuid(input.agentId, 'agentId');
      if (!(await this.staff.isFieldAgentOf(agentId, request.wardId, manager))) {
        throw new Refusal([
          userError(
            UserErrorCode.NOT_FOUND,
            'agentId',
            'no active field agent of the request’s ward has this id',
          ),
        ]);
      }
      const resident = await this.residents.findInMunicipality(
        request.municipalityId,
        request.residentId,
        manager,
      );
      const address = {
        houseNumber: resident?.houseNumber ?? null,
        locality: resident?.locality ?? null,
        street: resident?.street ?? null,
        landmark: resident?.landmark ?? null,
        pinCode: resident?.pinCode ?? null,
      };
      const created = manager.create(Delivery, {
        municipalityId: request.municipalityId,
        wardId: request.wardId,
        requestId: request.id,
        agentId,
        scheduledDate: checked.value.date,
        windowStart: checked.value.windowStart,
        windowEnd: checked.value.windowEnd,
        address,
        trackingNumber: request.trackingNumber,
        recipientName: resident?.fullName ?? null,
        recipientPhone: resident?.phone ?? null,
        codeHash: 'pending',
      });
      // The request goes out (only a delivery moves it from here, so the two never disagree),
      // but no code exists yet and nobody says "on the way": both wait for the agent to set out.
      const delivery = await manager.save(created);
      await this.workflow.apply(
        manager,
        this.deliveriesActor(actor),
        request,
        RequestAction.DISPATCH,
        null,
      );
      const event = await this.announce(manager, actor, 'delivery.scheduled', delivery);
      await this.planner.notifyResident(manager, event, 'delivery_scheduled', (language) => ({
        deliveryDate: formatDay(delivery.scheduledDate, langOf(language)),
        deliveryWindow: formatWindow(delivery.windowStart, delivery.windowEnd, langOf(language)),
      }));
      return manager.findOneByOrFail(Delivery, { id: delivery.id });
    });
  }

  /**
   * The assigned agent sets out: only now is the resident told it is on the way and sent
   * the code, so a code never waits days in a phone for a trip not yet made.
   */
  async startTrip(actor: Actor, deliveryId: string): Promise<DeliveryPayload> {
    return this.refusable(async (manager) => {
      const delivery = await this.lockAsAgent(manager, actor, deliveryId);
      if (delivery.status !== DeliveryStatus.SCHEDULED) {
        throw new Refusal([
          userError(
            UserErrorCode.INVALID_TRANSITION,
            'deliveryId',
            `a trip starts from a SCHEDULED delivery (this one is ${delivery.status})`,
          ),
        ]);
      }
      await manager.update(Delivery, { id: delivery.id }, { status: DeliveryStatus.ON_THE_WAY });
      const code = await this.issueCode(manager, delivery);
      const event = await this.announce(manager, actor, 'delivery.started', delivery);
      const agentName = await this.staff.displayNameOf(delivery.agentId, manager);
      await this.sendCode(manager, event, 'delivery_on_the_way', code, (language) => ({
        agentName: agentName ?? '',
        deliveryWindow: formatWindow(delivery.windowStart, delivery.windowEnd, langOf(language)),
      }));
      return manager.findOneByOrFail(Delivery, { id: delivery.id });
    });
  }

  /**
   * A new code (and a fresh count of tries) sent to the resident; the old one stops working
   * and a LOCKED delivery is on its way again. Only once the trip started: before, no code
   * exists.
   */
  async resendCode(actor: Actor, deliveryId: string): Promise<DeliveryPayload> {
    return this.refusable(async (manager) => {
      const delivery = await this.lock(manager, actor, deliveryId, Permission.REQUESTS_WRITE);
      if (
        delivery.status !== DeliveryStatus.ON_THE_WAY &&
        delivery.status !== DeliveryStatus.LOCKED
      ) {
        throw new Refusal([
          userError(
            UserErrorCode.INVALID_TRANSITION,
            'deliveryId',
            delivery.status === DeliveryStatus.SCHEDULED
              ? 'the trip has not started: the resident gets the code when the agent sets out'
              : `the delivery is ${delivery.status}`,
          ),
        ]);
      }
      const code = await this.issueCode(manager, delivery);
      await manager.update(
        Delivery,
        { id: delivery.id },
        { status: DeliveryStatus.ON_THE_WAY, codeAttempts: 0 },
      );
      const event = await this.announce(manager, actor, 'delivery.code_resent', delivery);
      await this.sendCode(manager, event, 'delivery_code_resent', code, () => ({}));
      return manager.findOneByOrFail(Delivery, { id: delivery.id });
    });
  }

  async cancel(
    actor: Actor,
    input: { deliveryId: string; reason: string },
  ): Promise<DeliveryPayload> {
    return this.refusable(async (manager) => {
      const delivery = await this.lock(manager, actor, input.deliveryId, Permission.REQUESTS_WRITE);
      this.assertUnderWay(delivery);
      const reason = input.reason?.trim();
      if (!reason)
        throw new Refusal([
          userError(UserErrorCode.REQUIRED, 'reason', 'say why the delivery is called off'),
        ]);
      await manager.update(
        Delivery,
        { id: delivery.id },
        { status: DeliveryStatus.CANCELLED, failureNote: reason },
      );
      await this.returnRequest(manager, actor, delivery, reason);
      await this.announce(manager, actor, 'delivery.cancelled', delivery);
      return manager.findOneByOrFail(Delivery, { id: delivery.id });
    });
  }

  /** The assigned field agent confirms the hand-over with the resident's code. */
  async confirm(
    actor: Actor,
    input: { deliveryId: string; code: string },
  ): Promise<DeliveryPayload> {
    const outcome = await this.refusable(async (manager) => {
      const delivery = await this.lockAsAgent(manager, actor, input.deliveryId);
      if (delivery.status === DeliveryStatus.LOCKED) {
        throw new Refusal([
          userError(
            UserErrorCode.INVALID,
            'code',
            'too many wrong codes: the coordinator must issue a new one',
          ),
        ]);
      }
      if (delivery.status !== DeliveryStatus.ON_THE_WAY) {
        throw new Refusal([
          userError(
            UserErrorCode.INVALID_TRANSITION,
            'deliveryId',
            delivery.status === DeliveryStatus.SCHEDULED
              ? 'start the trip first (startDeliveryTrip): the resident gets the code then'
              : `the delivery is ${delivery.status}`,
          ),
        ]);
      }
      const given = Buffer.from(
        hashCode(delivery.id, toAsciiDigits(String(input.code ?? '')).trim()),
      );
      if (!timingSafeEqual(given, Buffer.from(delivery.codeHash))) {
        const attempts = delivery.codeAttempts + 1;
        const locked = attempts >= MAX_CODE_ATTEMPTS;
        await manager.update(
          Delivery,
          { id: delivery.id },
          { codeAttempts: attempts, status: locked ? DeliveryStatus.LOCKED : delivery.status },
        );
        // The count of tries must stick, so this "refusal" commits: it is returned, not thrown.
        return { wrong: true, attempts, locked } as const;
      }
      await manager.update(
        Delivery,
        { id: delivery.id },
        { status: DeliveryStatus.DELIVERED, deliveredAt: new Date() },
      );
      const request = await this.requests.lock(manager, delivery.requestId);
      await this.workflow.apply(
        manager,
        this.deliveriesActor(actor),
        request,
        RequestAction.HAND_OVER,
        null,
      );
      await this.announce(manager, actor, 'delivery.completed', delivery);
      return manager.findOneByOrFail(Delivery, { id: delivery.id });
    });
    return outcome;
  }

  /** The agent could not hand it over: the reason is kept and the request goes back to READY. */
  async fail(
    actor: Actor,
    input: { deliveryId: string; reason: DeliveryFailure; note?: string | null },
  ): Promise<DeliveryPayload> {
    const checked = validateInput(z.object({ note: optionalText(1000) }), { note: input.note });
    if (!checked.ok) return { delivery: null, errors: checked.errors };
    return this.refusable(async (manager) => {
      const delivery = await this.lockAsAgent(manager, actor, input.deliveryId);
      this.assertUnderWay(delivery);
      await manager.update(
        Delivery,
        { id: delivery.id },
        {
          status: DeliveryStatus.FAILED,
          failureReason: input.reason,
          failureNote: checked.value.note ?? null,
        },
      );
      await this.returnRequest(
        manager,
        actor,
        delivery,
        `${input.reason}${checked.value.note ? `: ${checked.value.note}` : ''}`,
      );
      await this.announce(manager, actor, 'delivery.failed', delivery);
      return manager.findOneByOrFail(Delivery, { id: delivery.id });
    });
  }

  /** The calling staff member's own deliveries (what a field agent sees). */
  mine(
    actor: Actor,
    date: string | null | undefined,
    status: DeliveryStatus | null | undefined,
  ): Promise<Delivery[]> {
    if (actor.type !== 'STAFF') throw new ForbiddenError('Deliveries are carried by staff');
    const day = date ? isoDate.safeParse(date) : null;
    if (day && !day.success)
      throw new BadUserInputError('`date` must be a date as YYYY-MM-DD', 'date');
    const query = this.dataSource
      .getRepository(Delivery)
      .createQueryBuilder('d')
      .where('d.agent_id = :agent AND d.municipality_id = :m', {
        agent: actor.id,
        m: actor.municipalityId,
      });
    if (day?.success) query.andWhere('d.scheduled_date = CAST(:date AS date)', { date: day.data });
    if (status) query.andWhere('d.status = :status', { status });
    return query
      .orderBy('d.scheduled_date')
      .addOrderBy('d.window_start')
      .addOrderBy('d.id')
      .limit(200)
      .getMany();
  }

  private async issueCode(manager: EntityManager, delivery: Delivery): Promise<string> {
    const code = newCode();
    await manager.update(Delivery, { id: delivery.id }, { codeHash: hashCode(delivery.id, code) });
    return code;
  }

  private async returnRequest(
    manager: EntityManager,
    actor: Actor,
    delivery: Delivery,
    note: string,
  ) {
    const request = await this.requests.lock(manager, delivery.requestId);
    if (request.status === RequestStatus.OUT_FOR_DELIVERY) {
      await this.workflow.apply(
        manager,
        this.deliveriesActor(actor),
        request,
        RequestAction.RETURN_UNDELIVERED,
        note,
      );
    }
  }

  /** Records the delivery's event and audit entry (ids, date and status: never a code). */
  private async announce(
    manager: EntityManager,
    actor: Actor,
    type: DeliveryEventType,
    delivery: Delivery,
  ) {
    const fresh = await manager.findOneByOrFail(Delivery, { id: delivery.id });
    const event = this.eventOf(type, fresh);
    const id = await this.events.record(manager, event);
    await this.audit.record(manager, auditActorOf(actor), {
      action: type,
      entityType: 'Delivery',
      entityId: delivery.id,
      municipalityId: delivery.municipalityId,
      wardId: delivery.wardId,
      changes: { status: fresh.status, scheduledDate: fresh.scheduledDate },
    });
    return { ...event, id };
  }

  private eventOf(type: DeliveryEventType, delivery: Delivery): DomainEvent<DeliveryEventType> {
    return {
      type,
      aggregateType: 'Delivery',
      aggregateId: delivery.id,
      municipalityId: delivery.municipalityId,
      wardId: delivery.wardId,
      payload: {
        deliveryId: delivery.id,
        requestId: delivery.requestId,
        agentId: delivery.agentId,
        scheduledDate: delivery.scheduledDate,
        status: delivery.status,
      },
    };
  }

  /**
   * A code goes to the resident in the same transaction, carried in memory to the message
   * (never in the event): written with Bengali digits in Bengali, blanked out of the stored
   * message once it is sent.
   */
  private async sendCode(
    manager: EntityManager,
    event: RecordedDeliveryEvent,
    key: string,
    code: string,
    more: (language: NotificationLanguage) => Record<string, string>,
  ) {
    await this.planner.notifyResident(
      manager,
      event,
      key,
      (language) => ({
        ...more(language),
        code: language === NotificationLanguage.BN ? toBengaliDigits(code) : code,
      }),
      ['code'],
    );
  }

  private assertUnderWay(delivery: Delivery): void {
    if (!UNDER_WAY_STATUSES.includes(delivery.status)) {
      throw new Refusal([
        userError(
          UserErrorCode.INVALID_TRANSITION,
          'deliveryId',
          `the delivery is ${delivery.status}`,
        ),
      ]);
    }
  }

  private async lock(
    manager: EntityManager,
    actor: Actor,
    id: string,
    permission: Permission,
  ): Promise<Delivery> {
    const delivery = await manager
      .createQueryBuilder(Delivery, 'd')
      .setLock('pessimistic_write')
      .where('d.id = :id', { id: assertUuid(id, 'deliveryId') })
      .getOne();
    if (!delivery) throw new NotFoundError('Delivery');
    assertAccess(actor, delivery, permission, 'Delivery');
    return delivery;
  }

  /** Only the field agent the delivery is assigned to starts, confirms or fails it. */
  private async lockAsAgent(manager: EntityManager, actor: Actor, id: string): Promise<Delivery> {
    const delivery = await this.lock(manager, actor, id, Permission.DELIVERIES_CARRY);
    if (actor.type !== 'STAFF' || actor.id !== delivery.agentId) {
      throw new ForbiddenError(
        'Only the assigned field agent starts, confirms or fails a delivery',
      );
    }
    return delivery;
  }

  /** Workflow steps of deliveries are Duare's (SYSTEM), on behalf of the person acting. */
  private deliveriesActor(actor: Actor): AuditActorRef {
    const name = actor.type === 'STAFF' ? actor.displayName : actor.name;
    return {
      type: AuditActorType.SYSTEM,
      id: null,
      label: `deliveries (${name})`,
      requestId: actor.requestId,
    };
  }

  private async refusable(
    work: (manager: EntityManager) => Promise<Delivery | WrongCode>,
  ): Promise<DeliveryPayload> {
    const { delivery: result, errors } = await refusable('delivery', () =>
      this.dataSource.transaction(work),
    );
    if (!result || !('wrong' in result)) return { delivery: result, errors };
    // A wrong code is not a Refusal: its attempt must commit, or guessing would be free.
    const left = MAX_CODE_ATTEMPTS - result.attempts;
    return {
      delivery: null,
      errors: [
        userError(
          UserErrorCode.INVALID,
          'code',
          result.locked
            ? 'wrong code; no tries left: the coordinator must issue a new code'
            : `wrong code; ${left} tries left`,
        ),
      ],
    };
  }
}

type WrongCode = { wrong: true; attempts: number; locked: boolean };

type RecordedDeliveryEvent = Awaited<ReturnType<DeliveriesService['announce']>>;

const langOf = (language: NotificationLanguage) =>
  language === NotificationLanguage.BN ? ('bn' as const) : ('en' as const);

// Over 400 lines on purpose: creating requests (staff, API clients, the helpline) and the one-
// request reads and locks other modules call share the checks of a draft against its service
// definition.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { auditActorOf, AuditActorRef } from '../audit/audit-actor';
import { assertAccess, canAccess } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { NotFoundError } from '../common/errors/app.error';
import { UserErrorCode, userError } from '../common/errors/user-error.type';
import { assertUuid } from '../common/graphql/uuid';
import { validateInput } from '../common/validation/validate-input';
import { lockRow } from '../database/row-lock';
import { entityRows } from '../database/hydrate';
import { findOnePlain, insertNew } from '../database/plain-find';
import { IdempotencyService } from '../idempotency/idempotency.service';
import type { Resident } from '../residents/entities/resident.entity';
import { ResidentsService } from '../residents/residents.service';
import type { Ward } from '../wards/entities/ward.entity';
import { WardsService } from '../wards/wards.service';
import { checkAttributeValues } from './catalogue/attribute-values';
import { CheckedAttachment, createRequestSchema } from './dto/request-input.schemas';
import { CreateRequestInput } from './dto/request.inputs';
import { RequestPayload } from './dto/request.payloads';
import { RequestAttachment } from './entities/request-attachment.entity';
import { RequestChannel, RequestPriority, TimelineEntryKind } from './entities/request-enums';
import { ServiceDefinition } from './entities/service-definition';
import { ServiceRequest } from './entities/service-request.entity';
import { ServiceTypeRow } from './entities/service-type.entity';
import { Refusal, refusable, refused } from '../common/errors/refusal';
import { RequestJournalService } from './request-journal.service';
import { SlaCalendarService } from './sla/sla-calendar.service';
import { financialYearOf } from './workflow/sla-clock';
import { formatTrackingNumber, normalizeTrackingNumber } from './workflow/tracking-number';
import { ExportQuery } from '../common/sql/export-query';
import { REQUESTS_EXPORT } from './queue/requests-export.query';

/** Channels staff may record; WHATSAPP belongs to the helpline intake, API to API clients. */
const STAFF_CHANNELS = [RequestChannel.PHONE_CALL, RequestChannel.WALK_IN];

/** What a new request is made of, before it is checked against its service. */
export interface RequestDraft {
  id: string;
  serviceTypeId: string;
  channel: RequestChannel;
  attributes: Record<string, unknown>;
  description: string | null;
  priority: RequestPriority;
  attachments: CheckedAttachment[];
}

/** A request and who and what it is about (`RequestsService.findWithParties`). */
export interface RequestParties {
  request: ServiceRequest;
  resident: Resident;
  ward: Ward;
  /** The service's definition at the request's version (names, SLA, attributes). */
  definition: ServiceDefinition;
}

/** Making requests and reading them one at a time. */
@Injectable()
export class RequestsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly residents: ResidentsService,
    private readonly wards: WardsService,
    private readonly idempotency: IdempotencyService,
    private readonly journal: RequestJournalService,
    private readonly calendar: SlaCalendarService,
  ) {}

  /** The query of the CSV export of this module's table (integration/exports streams it). */
  exportQuery(): ExportQuery {
    return REQUESTS_EXPORT;
  }

  async getVisible(actor: Actor, id: string): Promise<ServiceRequest> {
    const request = await this.dataSource
      .getRepository(ServiceRequest)
      .findOneBy({ id: assertUuid(id, 'id') });
    if (!request) throw new NotFoundError('Request');
    assertAccess(actor, request, Permission.REQUESTS_READ, 'Request');
    return request;
  }

  /** For modules reacting to a request's events, inside their transaction; no access check. */
  findById(id: string, manager: EntityManager = this.dataSource.manager) {
    return findOnePlain(manager, ServiceRequest, { id });
  }

  /**
   * A request with its resident, ward and the service definition it was made under, in one
   * statement (trusted; in the caller's transaction): what a message about it is written
   * from. Null when any of them is missing.
   */
  async findWithParties(id: string, manager: EntityManager): Promise<RequestParties | null> {
    const requests = entityRows(manager, ServiceRequest);
    const residents = this.residents.joinable();
    const wards = this.wards.joinable();
    const rows = (await manager.query(
      `SELECT ${requests.select('r', 'r_')}, ${residents.select('p', 'p_')},
              ${wards.select('w', 'w_')}, v.definition AS definition
         FROM service_requests r
         JOIN residents p ON p.id = r.resident_id AND p.municipality_id = r.municipality_id
         JOIN wards w ON w.id = r.ward_id AND w.municipality_id = r.municipality_id
         JOIN service_type_versions v
           ON v.service_type_id = r.service_type_id AND v.definition_version = r.definition_version
        WHERE r.id = $1`,
      [id],
    )) as Array<Record<string, unknown>>;
    const [row] = rows;
    if (!row) return null;
    return {
      request: requests.hydrate(row, 'r_'),
      resident: residents.hydrate(row, 'p_'),
      ward: wards.hydrate(row, 'w_'),
      definition: row.definition as ServiceDefinition,
    };
  }

  /** The ids of a resident's requests (for modules that keep copies of their data). */
  async idsOfResident(manager: EntityManager, residentId: string): Promise<string[]> {
    const rows = await manager.find(ServiceRequest, {
      select: { id: true },
      where: { residentId },
    });
    return rows.map((row) => row.id);
  }

  /** Locks a request for a change by another module (which checks access itself). */
  lock(manager: EntityManager, id: string): Promise<ServiceRequest> {
    return lockRow(manager, ServiceRequest, assertUuid(id, 'requestId'), 'Request');
  }

  /** A resident's latest requests (for the helpline's status answer), newest first. */
  latestOf(residentId: string, limit: number, manager: EntityManager = this.dataSource.manager) {
    return manager.find(ServiceRequest, {
      where: { residentId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
    });
  }

  /** A resident's own request by tracking number, locked for a change; null if not theirs. */
  async lockOwn(manager: EntityManager, residentId: string, written: string) {
    return manager
      .createQueryBuilder(ServiceRequest, 'r')
      .setLock('pessimistic_write')
      .where('r.resident_id = :residentId AND r.tracking_number = :n', {
        residentId,
        n: normalizeTrackingNumber(written),
      })
      .getOne();
  }

  /** A request by id, locked for a change; NOT_FOUND when there is none. */
  lockById(manager: EntityManager, requestId: string): Promise<ServiceRequest> {
    return lockRow(manager, ServiceRequest, requestId, 'Request');
  }

  /** A resident's requests without an outcome yet, newest first (at most `limit`). */
  openOf(residentId: string, limit: number, manager: EntityManager = this.dataSource.manager) {
    return manager.find(ServiceRequest, {
      where: { residentId, completedAt: IsNull() },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
    });
  }

  /** A resident's own request by id, locked for a change; null if not theirs. */
  lockOwnById(manager: EntityManager, residentId: string, requestId: string) {
    return manager
      .createQueryBuilder(ServiceRequest, 'r')
      .setLock('pessimistic_write')
      .where('r.resident_id = :residentId AND r.id = :requestId', { residentId, requestId })
      .getOne();
  }

  /** A file the resident sent for their request (on the helpline), kept once per content. */
  async attachFromResident(
    manager: EntityManager,
    request: ServiceRequest,
    file: CheckedAttachment,
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(RequestAttachment)
      .values({ ...file, requestId: request.id, wardId: request.wardId })
      .orIgnore()
      .execute();
  }

  /** By tracking number as people write it (Bengali digits, lower case, spaces). */
  /**
   * What WhatsApp said of a file a resident sent, once it could be asked (the helpline keeps
   * the file at once and asks later): fills in its type, size and checksum on every request
   * that holds it, unless that request already holds the same content under another id.
   */
  async describeWhatsAppMedia(
    manager: EntityManager,
    mediaRef: string,
    file: { mimeType: string; sizeBytes: number; sha256: string; fileId: string | null },
  ): Promise<void> {
    await manager.query(
      `UPDATE request_attachments a SET mime_type = $2, size_bytes = $3, sha256 = $4, file_id = $5
        WHERE a.source = 'WHATSAPP_MEDIA' AND a.media_ref = $1
          AND NOT EXISTS (SELECT 1 FROM request_attachments b
                           WHERE b.request_id = a.request_id AND b.sha256 = $4 AND b.id <> a.id)`,
      [mediaRef, file.mimeType.slice(0, 100), file.sizeBytes, file.sha256, file.fileId],
    );
  }

  async getByTrackingNumber(actor: Actor, written: string): Promise<ServiceRequest> {
    const request = await this.dataSource.getRepository(ServiceRequest).findOneBy({
      municipalityId: actor.municipalityId,
      trackingNumber: normalizeTrackingNumber(written ?? ''),
    });
    if (!request) throw new NotFoundError('Request');
    assertAccess(actor, request, Permission.REQUESTS_READ, 'Request');
    return request;
  }

  /**
   * A request on a resident's behalf, to the resident's ward, under the current
   * definition of the service. With an idempotency key a retry returns the first result.
   */
  async create(actor: Actor, input: CreateRequestInput): Promise<RequestPayload> {
    const checked = validateInput(createRequestSchema, input);
    if (!checked.ok) return { request: null, errors: checked.errors };
    const channel = this.channelFor(actor, input.channel);
    if (!channel) {
      return refused('request', [
        userError(UserErrorCode.INVALID, 'channel', 'staff record PHONE_CALL or WALK_IN'),
      ]);
    }
    const { value } = checked;
    return refusable('request', () =>
      this.dataSource.transaction(async (manager) => {
        const id = value.idempotencyKey
          ? await this.claimKey(manager, actor, value.idempotencyKey, input)
          : randomUUID();
        if (typeof id !== 'string') return id.replay;
        const resident = await this.residentFor(manager, actor, value.residentId);
        return this.checkAndInsert(manager, auditActorOf(actor), resident, {
          id,
          serviceTypeId: value.serviceTypeId,
          channel,
          attributes: input.attributes ?? {},
          description: value.description ?? null,
          priority: input.priority ?? RequestPriority.NORMAL,
          attachments: value.attachments ?? [],
        });
      }),
    );
  }

  /**
   * A request from a trusted intake (the WhatsApp helpline, demo data), which has already
   * decided who the resident is; the values are checked like any other request's.
   */
  async createTrusted(
    by: AuditActorRef,
    municipalityId: string,
    draft: Omit<RequestDraft, 'id'> & { residentId: string },
    /** The caller's transaction, when the request must commit with the caller's own work. */
    within?: EntityManager,
  ): Promise<RequestPayload> {
    const create = async (manager: EntityManager) => {
      const resident = await this.residents.findInMunicipality(
        municipalityId,
        draft.residentId,
        manager,
      );
      if (!resident) {
        throw new Refusal([userError(UserErrorCode.NOT_FOUND, 'residentId', 'no such resident')]);
      }
      return this.checkAndInsert(manager, by, resident, { ...draft, id: randomUUID() });
    };
    return refusable('request', () =>
      within ? create(within) : this.dataSource.transaction(create),
    );
  }

  private async checkAndInsert(
    manager: EntityManager,
    by: AuditActorRef,
    resident: { id: string; municipalityId: string; wardId: string },
    draft: RequestDraft,
  ): Promise<ServiceRequest> {
    const serviceType = await this.serviceTypeFor(
      manager,
      resident.municipalityId,
      draft.serviceTypeId,
    );
    const attributes = checkAttributeValues(serviceType.definition.attributes, draft.attributes);
    if (attributes.errors.length > 0) throw new Refusal(attributes.errors);
    return this.insert(manager, by, {
      ...draft,
      resident,
      serviceType,
      attributes: attributes.values,
    });
  }

  private channelFor(
    actor: Actor,
    asked: RequestChannel | null | undefined,
  ): RequestChannel | null {
    if (actor.type === 'API_CLIENT') return RequestChannel.API;
    const channel = asked ?? RequestChannel.PHONE_CALL;
    return STAFF_CHANNELS.includes(channel) ? channel : null;
  }

  /** The request id to create, or the earlier result of the same key. */
  private async claimKey(
    manager: EntityManager,
    actor: Actor,
    key: string,
    input: CreateRequestInput,
  ): Promise<string | { replay: ServiceRequest }> {
    const { idempotencyKey: _key, ...rest } = input;
    const claim = await this.idempotency.claim(manager, actor, key, 'createRequest', rest);
    if (claim.kind === 'FIRST') return claim.resultId;
    const earlier = await manager.findOneByOrFail(ServiceRequest, { id: claim.resultId });
    return { replay: earlier };
  }

  /** The resident, if the caller may make requests in the resident's ward. */
  private async residentFor(manager: EntityManager, actor: Actor, residentId: string) {
    const resident = await this.residents.findInMunicipality(
      actor.municipalityId,
      residentId,
      manager,
    );
    const reachable =
      resident &&
      canAccess(
        actor,
        { municipalityId: resident.municipalityId, wardId: resident.wardId },
        Permission.REQUESTS_WRITE,
      );
    if (!resident || !reachable) {
      throw new Refusal([
        userError(UserErrorCode.NOT_FOUND, 'residentId', 'no such resident in your wards'),
      ]);
    }
    if (resident.erasedAt) {
      throw new Refusal([
        userError(UserErrorCode.INVALID, 'residentId', 'the resident’s personal data was erased'),
      ]);
    }
    return resident;
  }

  private async serviceTypeFor(
    manager: EntityManager,
    municipalityId: string,
    serviceTypeId: string,
  ): Promise<ServiceTypeRow> {
    const serviceType = await findOnePlain(manager, ServiceTypeRow, {
      id: serviceTypeId,
      municipalityId,
    });
    if (!serviceType) {
      throw new Refusal([
        userError(UserErrorCode.NOT_FOUND, 'serviceTypeId', 'no such service in your catalogue'),
      ]);
    }
    if (!serviceType.active) {
      throw new Refusal([
        userError(UserErrorCode.INVALID, 'serviceTypeId', 'the service takes no new requests'),
      ]);
    }
    return serviceType;
  }

  /**
   * Inserts a checked request with its tracking number, attachments, timeline entry,
   * audit record and `request.created` event. Also the path of trusted intakes.
   */
  async insert(
    manager: EntityManager,
    by: AuditActorRef,
    draft: {
      id: string;
      resident: { id: string; municipalityId: string; wardId: string };
      serviceType: ServiceTypeRow;
      channel: RequestChannel;
      attributes: Record<string, unknown>;
      description: string | null;
      priority: RequestPriority;
      attachments: CheckedAttachment[];
    },
  ): Promise<ServiceRequest> {
    const now = new Date();
    const { resident, serviceType } = draft;
    // Before the serial: its counter row stays locked until the commit, and every create of
    // the ward waits for it, so the statements after it are kept few.
    const slaDueAt = await this.calendar.dueAt(
      manager,
      resident.municipalityId,
      now,
      serviceType.definition,
    );
    const trackingNumber = await this.nextTrackingNumber(manager, resident, now);
    // Not `save`: the id is new, and `save` would first SELECT it to see whether to update.
    const request = manager.create(ServiceRequest, {
      id: draft.id,
      municipalityId: resident.municipalityId,
      wardId: resident.wardId,
      trackingNumber,
      residentId: resident.id,
      serviceTypeId: serviceType.id,
      definitionVersion: serviceType.definitionVersion,
      category: serviceType.category,
      channel: draft.channel,
      attributes: draft.attributes,
      description: draft.description,
      priority: draft.priority,
      slaDueAt,
      statusChangedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    await insertNew(manager, ServiceRequest, request);
    if (draft.attachments.length > 0) {
      await manager.insert(
        RequestAttachment,
        draft.attachments.map((file) => ({
          ...file,
          requestId: request.id,
          wardId: request.wardId,
        })),
      );
    }
    await this.journal.record(manager, by, request, {
      entry: { kind: TimelineEntryKind.CREATED, toStatus: request.status },
      event: 'request.created',
      payload: { channel: request.channel, category: request.category },
      changes: {
        trackingNumber,
        serviceType: serviceType.code,
        definitionVersion: request.definitionVersion,
        channel: request.channel,
        attachments: draft.attachments.length,
      },
    });
    return request;
  }

  /**
   * The next serial of the ward in the financial year. The counter row stays locked
   * until the transaction ends, so concurrent creates queue and a rolled-back create
   * gives its number back: no gaps, no duplicates.
   */
  private async nextTrackingNumber(
    manager: EntityManager,
    resident: { municipalityId: string; wardId: string },
    now: Date,
  ): Promise<string> {
    // Read through the transaction's connection: a second pool connection per create
    // could exhaust the pool under load while every holder waits for another.
    const ward = await this.wards.numberingOf(resident.municipalityId, resident.wardId, manager);
    if (!ward) throw new NotFoundError('Ward');
    if (!ward.active) {
      throw new Refusal([
        userError(UserErrorCode.INVALID, 'residentId', 'the resident’s ward is not active'),
      ]);
    }
    const financialYear = financialYearOf(now);
    const [{ last_number: serial }] = (await manager.query(
      `INSERT INTO request_counters (ward_id, financial_year, last_number) VALUES ($1, $2, 1)
       ON CONFLICT (ward_id, financial_year)
         DO UPDATE SET last_number = request_counters.last_number + 1
       RETURNING last_number`,
      [ward.id, financialYear],
    )) as { last_number: number }[];
    return formatTrackingNumber(ward.municipalityCode, ward.number, financialYear, serial);
  }
}

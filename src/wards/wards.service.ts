import { toAsciiDigits } from '../common/text/digits';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import { EntityRows } from '../common/sql/entity-rows';
import { entityRows } from '../database/hydrate';
import { z } from 'zod';
import { auditActorOf, AuditActorRef } from '../audit/audit-actor';
import { changedFields, createdFields } from '../audit/audit-changes';
import { AuditService } from '../audit/audit.service';
import { assertAccess } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { NotFoundError } from '../common/errors/app.error';
import { Changes, lockRow, updateAtVersion } from '../database/row-lock';
import { violatedUniqueConstraint } from '../common/errors/database-errors';
import { UserError, UserErrorCode, userError } from '../common/errors/user-error.type';
import { assertUuid } from '../common/graphql/uuid';
import { ConnectionShape } from '../common/pagination/connection.type';
import { decodeCursor } from '../common/pagination/cursor';
import { pageSize, toConnection } from '../common/pagination/page-window';
import { validateInput } from '../common/validation/validate-input';
import { CreateWardInput } from './dto/create-ward.input';
import { DeactivateWardInput } from './dto/deactivate-ward.input';
import { SetWardCouncillorStatusInput } from './dto/set-councillor-status.input';
import { UpdateWardInput } from './dto/update-ward.input';
import { WardFilter } from './dto/ward-filter.input';
import {
  createWardSchema,
  setCouncillorStatusSchema,
  updateWardSchema,
} from './dto/ward-input.schemas';
import { WardPayload } from './dto/ward.payloads';
import { CouncillorStatusChange } from './entities/councillor-status-change.entity';
import { CouncillorStatus } from './entities/councillor-status.enum';
import { ROUND_THE_CLOCK } from './entities/service-hours.type';
import { Ward } from './entities/ward.entity';
import { findOnePlain } from '../database/plain-find';
import { searchText } from '../common/text/search-text';

/** Sort key of ward lists; cursors carry it. */
export const wardSortKey = (ward: Ward) => [ward.municipalityId, ward.number, ward.id] as const;
export const wardCursor = z.tuple([z.uuid(), z.number().int().min(1).max(999), z.uuid()]);

const AUDITED_FIELDS = [
  'number',
  'nameBn',
  'nameEn',
  'councillorStatus',
  'councillorStatusSince',
  'councillorStatusNote',
  'population',
  'helplineWhatsappNumber',
  'whatsappPhoneNumberId',
  'serviceHours',
  'active',
] as const;

/** Which input field a unique constraint of the wards table protects. */
const UNIQUE_FIELDS: Record<string, { field: string; message: string }> = {
  uq_wards_municipality_number: {
    field: 'number',
    message: 'the municipality already has a ward with this number',
  },
  uq_wards_whatsapp_phone_number_id: {
    field: 'whatsappPhoneNumberId',
    message: 'another ward already uses this WhatsApp phone_number_id',
  },
};

function duplicateError(error: unknown): UserError | null {
  const constraint = violatedUniqueConstraint(error);
  const known = constraint ? UNIQUE_FIELDS[constraint] : undefined;
  return known ? userError(UserErrorCode.DUPLICATE, known.field, known.message) : null;
}

const refused = (errors: UserError[]): WardPayload => ({ ward: null, errors });

type WardWork = (manager: EntityManager) => Promise<Ward>;

@Injectable()
export class WardsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Ward) private readonly wards: Repository<Ward>,
    private readonly audit: AuditService,
  ) {}

  async getById(actor: Actor, id: string): Promise<Ward> {
    const ward = await this.wards.findOneBy({ id: assertUuid(id, 'id') });
    if (!ward) throw new NotFoundError('Ward');
    assertAccess(actor, ward, Permission.WARDS_READ, 'Ward');
    return ward;
  }

  /**
   * The ward's columns for another module's plain statement that joins wards
   * (`select(alias, prefix)`), and the entity in its rows (`hydrate(row, prefix)`).
   */
  joinable(): EntityRows<Ward> {
    return entityRows(this.dataSource.manager, Ward);
  }

  /** A ward of a municipality, or null (trusted: the caller checks access itself). */
  findInMunicipality(
    municipalityId: string,
    wardId: string,
    manager?: EntityManager,
  ): Promise<Ward | null> {
    return findOnePlain(manager ?? this.wards.manager, Ward, { id: wardId, municipalityId });
  }

  /**
   * What numbering a request in a ward needs — the ward's number and whether it is active,
   * and its municipality's code — in one read (trusted; in the caller's transaction).
   */
  async numberingOf(
    municipalityId: string,
    wardId: string,
    manager: EntityManager,
  ): Promise<{ id: string; number: number; active: boolean; municipalityCode: string } | null> {
    const rows = (await manager.query(
      `SELECT w.id, w.number, w.active, m.code AS "municipalityCode"
         FROM wards w JOIN municipalities m ON m.id = w.municipality_id
        WHERE w.id = $1 AND w.municipality_id = $2`,
      [wardId, municipalityId],
    )) as Array<{ id: string; number: number; active: boolean; municipalityCode: string }>;
    return rows[0] ?? null;
  }

  /** The ward whose WhatsApp helpline this Cloud API phone number id is (unique). */
  findByWhatsAppPhoneNumberId(phoneNumberId: string): Promise<Ward | null> {
    return this.wards.findOneBy({ whatsappPhoneNumberId: phoneNumberId });
  }

  listInMunicipality(municipalityId: string): Promise<Ward[]> {
    return this.wards.find({ where: { municipalityId }, order: { number: 'ASC' } });
  }

  /** Wards of the caller's municipality (wards are municipality-wide reference data). */
  async list(
    actor: Actor,
    filter: WardFilter | null | undefined,
    first?: number | null,
    after?: string | null,
  ): Promise<ConnectionShape<Ward>> {
    assertAccess(actor, { municipalityId: actor.municipalityId }, Permission.WARDS_READ, 'Ward');
    const size = pageSize(first);
    const query = this.filtered(actor.municipalityId, filter ?? {});
    const totalCount = await query.clone().getCount();
    if (after) {
      const [municipalityId, number, id] = decodeCursor(after, wardCursor);
      query.andWhere('(w.municipality_id, w.number, w.id) > (:municipalityId, :number, :id)', {
        municipalityId,
        number,
        id,
      });
    }
    const rows = await query
      .orderBy('w.municipality_id')
      .addOrderBy('w.number')
      .addOrderBy('w.id')
      .limit(size + 1)
      .getMany();
    return toConnection(rows, size, wardSortKey, totalCount, Boolean(after));
  }

  private filtered(municipalityId: string, filter: WardFilter): SelectQueryBuilder<Ward> {
    const query = this.wards
      .createQueryBuilder('w')
      .where('w.municipality_id = :municipalityId', { municipalityId });
    if (filter.municipalityId) {
      // Another municipality's id simply matches nothing.
      query.andWhere('w.municipality_id = :filterMunicipalityId', {
        filterMunicipalityId: assertUuid(filter.municipalityId, 'filter.municipalityId'),
      });
    }
    if (filter.councillorStatus) {
      query.andWhere('w.councillor_status = :status', { status: filter.councillorStatus });
    }
    if (filter.active !== null && filter.active !== undefined) {
      query.andWhere('w.active = :active', { active: filter.active });
    }
    const search = searchText(filter.search, 'filter.search');
    if (search) {
      const digits = toAsciiDigits(search);
      query.andWhere(
        '(w.name_bn ILIKE :pattern OR w.name_en ILIKE :pattern OR w.number = :asNumber)',
        {
          pattern: `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
          asNumber: /^\d{1,3}$/.test(digits) ? Number(digits) : -1,
        },
      );
    }
    return query;
  }

  async create(actor: Actor, input: CreateWardInput): Promise<WardPayload> {
    assertAccess(actor, { municipalityId: actor.municipalityId }, Permission.WARDS_MANAGE, 'Ward');
    return this.createInMunicipality(actor.municipalityId, input, auditActorOf(actor));
  }

  /**
   * Trusted path (demo data, the operator's CLI): the municipality is given, not taken from a
   * caller. Given a manager, it writes in that (caller's) transaction.
   */
  async createInMunicipality(
    municipalityId: string,
    input: CreateWardInput,
    by: AuditActorRef,
    inTransaction?: EntityManager,
  ): Promise<WardPayload> {
    const checked = validateInput(createWardSchema, input);
    if (!checked.ok) return refused(checked.errors);
    const { serviceHours, councillorStatus, ...fields } = checked.value;
    return this.writing(inTransaction, async (manager) => {
      const ward = await manager.save(
        manager.create(Ward, {
          ...fields,
          municipalityId,
          councillorStatus: councillorStatus ?? CouncillorStatus.ELECTED,
          serviceHours: serviceHours ?? ROUND_THE_CLOCK,
        }),
      );
      await this.recordStatusChange(manager, ward);
      await this.recordAudit(
        manager,
        by,
        'ward.created',
        ward,
        createdFields(ward, AUDITED_FIELDS),
      );
      return ward;
    });
  }

  async update(actor: Actor, input: UpdateWardInput): Promise<WardPayload> {
    const checked = validateInput(updateWardSchema, input);
    if (!checked.ok) return refused(checked.errors);
    const { id, version, ...changes } = checked.value;
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    return this.writing(async (manager) => {
      const before = await this.lockManageable(manager, actor, id);
      const after = await this.updateAtVersion(manager, id, version, defined);
      await this.recordAudit(
        manager,
        auditActorOf(actor),
        'ward.updated',
        after,
        changedFields(before, after, AUDITED_FIELDS),
      );
      return after;
    });
  }

  async setCouncillorStatus(
    actor: Actor,
    input: SetWardCouncillorStatusInput,
  ): Promise<WardPayload> {
    const checked = validateInput(setCouncillorStatusSchema, input);
    if (!checked.ok) return refused(checked.errors);
    const { wardId, status, since, note } = checked.value;
    return this.writing(async (manager) => {
      const before = await this.lockManageable(manager, actor, wardId);
      const after = await this.updateAtVersion(manager, wardId, before.version, {
        councillorStatus: status,
        councillorStatusSince: since,
        councillorStatusNote: note ?? null,
      });
      await this.recordStatusChange(manager, after);
      await this.recordAudit(
        manager,
        auditActorOf(actor),
        'ward.councillor_status_set',
        after,
        changedFields(before, after, AUDITED_FIELDS),
      );
      return after;
    });
  }

  /** Idempotent: deactivating an inactive ward returns it unchanged. */
  async deactivate(actor: Actor, input: DeactivateWardInput): Promise<WardPayload> {
    const wardId = assertUuid(input.wardId, 'wardId');
    return this.writing(async (manager) => {
      const before = await this.lockManageable(manager, actor, wardId);
      if (!before.active) return before;
      const after = await this.updateAtVersion(manager, wardId, before.version, {
        active: false,
        deactivatedAt: () => 'now()',
      });
      await this.recordAudit(
        manager,
        auditActorOf(actor),
        'ward.deactivated',
        after,
        changedFields(before, after, AUDITED_FIELDS),
      );
      return after;
    });
  }

  /** Runs a write; unique violations roll it back and become field errors. */
  private async writing(
    ...args: [work: WardWork] | [inTransaction: EntityManager | undefined, work: WardWork]
  ): Promise<WardPayload> {
    const [inTransaction, work] = args.length === 1 ? [undefined, args[0]] : args;
    try {
      const ward = inTransaction
        ? await work(inTransaction)
        : await this.dataSource.transaction(work);
      return { ward, errors: [] };
    } catch (error) {
      const duplicate = duplicateError(error);
      if (duplicate) return refused([duplicate]);
      throw error;
    }
  }

  /** Locks the ward row for this transaction, after checking the caller may manage it. */
  private async lockManageable(manager: EntityManager, actor: Actor, id: string): Promise<Ward> {
    const ward = await lockRow(manager, Ward, id, 'Ward');
    assertAccess(actor, ward, Permission.WARDS_MANAGE, 'Ward');
    return ward;
  }

  private updateAtVersion(
    manager: EntityManager,
    id: string,
    version: number,
    changes: Changes<Ward>,
  ): Promise<Ward> {
    return updateAtVersion(manager, Ward, id, version, changes, 'Ward');
  }

  private async recordStatusChange(manager: EntityManager, ward: Ward): Promise<void> {
    await manager.insert(CouncillorStatusChange, {
      wardId: ward.id,
      status: ward.councillorStatus,
      since: ward.councillorStatusSince,
      note: ward.councillorStatusNote,
    });
  }

  private recordAudit(
    manager: EntityManager,
    by: AuditActorRef,
    action: string,
    ward: Ward,
    changes: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(manager, by, {
      action,
      entityType: 'Ward',
      entityId: ward.id,
      municipalityId: ward.municipalityId,
      wardId: ward.id,
      changes,
    });
  }
}

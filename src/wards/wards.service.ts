import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../common/errors/app.error';
import { violatedUniqueConstraint } from '../common/errors/database-errors';
import { UserError, UserErrorCode, userError } from '../common/errors/user-error.type';
import { assertUuid } from '../common/graphql/uuid';
import { ConnectionShape } from '../common/pagination/connection.type';
import { decodeCursor } from '../common/pagination/cursor';
import { pageSize, toConnection } from '../common/pagination/page-window';
import { normalizeText, toAsciiDigits } from '../common/text/normalize';
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
import { Municipality } from './entities/municipality.entity';
import { ROUND_THE_CLOCK } from './entities/service-hours.type';
import { Ward } from './entities/ward.entity';

/** Sort key of ward lists; cursors carry it. */
export const wardSortKey = (ward: Ward) => [ward.municipalityId, ward.number, ward.id] as const;
export const wardCursor = z.tuple([z.uuid(), z.number().int(), z.uuid()]);

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

@Injectable()
export class WardsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Ward) private readonly wards: Repository<Ward>,
  ) {}

  async getById(id: string): Promise<Ward> {
    const ward = await this.wards.findOneBy({ id: assertUuid(id, 'id') });
    if (!ward) throw new NotFoundError('Ward');
    return ward;
  }

  async list(
    filter: WardFilter | null | undefined,
    first?: number | null,
    after?: string | null,
  ): Promise<ConnectionShape<Ward>> {
    const size = pageSize(first);
    const query = this.filtered(filter ?? {});
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

  private filtered(filter: WardFilter): SelectQueryBuilder<Ward> {
    const query = this.wards.createQueryBuilder('w').where('true');
    if (filter.municipalityId) {
      query.andWhere('w.municipality_id = :municipalityId', {
        municipalityId: assertUuid(filter.municipalityId, 'filter.municipalityId'),
      });
    }
    if (filter.councillorStatus) {
      query.andWhere('w.councillor_status = :status', { status: filter.councillorStatus });
    }
    if (filter.active !== null && filter.active !== undefined) {
      query.andWhere('w.active = :active', { active: filter.active });
    }
    const search = filter.search ? normalizeText(filter.search) : '';
    if (search) {
      const asNumber = /^\d{1,3}$/.test(toAsciiDigits(search)) ? Number(toAsciiDigits(search)) : -1;
      query.andWhere(
        '(w.name_bn ILIKE :pattern OR w.name_en ILIKE :pattern OR w.number = :asNumber)',
        {
          pattern: `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
          asNumber,
        },
      );
    }
    return query;
  }

  async create(input: CreateWardInput): Promise<WardPayload> {
    const checked = validateInput(createWardSchema, input);
    if (!checked.ok) return refused(checked.errors);
    const { serviceHours, councillorStatus, ...fields } = checked.value;
    try {
      const ward = await this.dataSource.transaction(async (manager) => {
        await this.assertMunicipalityExists(manager, fields.municipalityId);
        const created = await manager.save(
          manager.create(Ward, {
            ...fields,
            councillorStatus: councillorStatus ?? CouncillorStatus.ELECTED,
            serviceHours: serviceHours ?? ROUND_THE_CLOCK,
          }),
        );
        await this.recordStatusChange(manager, created);
        return created;
      });
      return { ward, errors: [] };
    } catch (error) {
      const duplicate = duplicateError(error);
      if (duplicate) return refused([duplicate]);
      throw error;
    }
  }

  async update(input: UpdateWardInput): Promise<WardPayload> {
    const checked = validateInput(updateWardSchema, input);
    if (!checked.ok) return refused(checked.errors);
    const { id, version, ...changes } = checked.value;
    const defined = Object.fromEntries(
      Object.entries(changes).filter(([, value]) => value !== undefined),
    );
    try {
      const ward = await this.dataSource.transaction((manager) =>
        this.updateAtVersion(manager, id, version, defined),
      );
      return { ward, errors: [] };
    } catch (error) {
      const duplicate = duplicateError(error);
      if (duplicate) return refused([duplicate]);
      throw error;
    }
  }

  async setCouncillorStatus(input: SetWardCouncillorStatusInput): Promise<WardPayload> {
    const checked = validateInput(setCouncillorStatusSchema, input);
    if (!checked.ok) return refused(checked.errors);
    const { wardId, status, since, note } = checked.value;
    const ward = await this.dataSource.transaction(async (manager) => {
      const current = await this.lockWard(manager, wardId);
      const updated = await this.updateAtVersion(manager, wardId, current.version, {
        councillorStatus: status,
        councillorStatusSince: since,
        councillorStatusNote: note ?? null,
      });
      await this.recordStatusChange(manager, updated);
      return updated;
    });
    return { ward, errors: [] };
  }

  /** Idempotent: deactivating an inactive ward returns it unchanged. */
  async deactivate(input: DeactivateWardInput): Promise<WardPayload> {
    const wardId = assertUuid(input.wardId, 'wardId');
    const ward = await this.dataSource.transaction(async (manager) => {
      const current = await this.lockWard(manager, wardId);
      if (!current.active) return current;
      return this.updateAtVersion(manager, wardId, current.version, {
        active: false,
        deactivatedAt: () => 'now()',
      });
    });
    return { ward, errors: [] };
  }

  private async assertMunicipalityExists(manager: EntityManager, id: string): Promise<void> {
    if (!(await manager.existsBy(Municipality, { id }))) throw new NotFoundError('Municipality');
  }

  private async lockWard(manager: EntityManager, id: string): Promise<Ward> {
    const ward = await manager
      .createQueryBuilder(Ward, 'w')
      .setLock('pessimistic_write')
      .where('w.id = :id', { id })
      .getOne();
    if (!ward) throw new NotFoundError('Ward');
    return ward;
  }

  /**
   * Applies changes only if the row still has the version the caller read: two
   * coordinators editing at once cannot silently overwrite each other.
   */
  private async updateAtVersion(
    manager: EntityManager,
    id: string,
    version: number,
    changes: Record<string, unknown>,
  ): Promise<Ward> {
    const result = await manager
      .createQueryBuilder()
      .update(Ward)
      .set({ ...changes, version: () => 'version + 1', updatedAt: () => 'now()' })
      .where('id = :id AND version = :version', { id, version })
      .execute();
    if (result.affected === 1) return manager.findOneByOrFail(Ward, { id });
    if (await manager.existsBy(Ward, { id })) {
      throw new ConflictError('The ward changed since it was read; read it again', 'version');
    }
    throw new NotFoundError('Ward');
  }

  private async recordStatusChange(manager: EntityManager, ward: Ward): Promise<void> {
    await manager.insert(CouncillorStatusChange, {
      wardId: ward.id,
      status: ward.councillorStatus,
      since: ward.councillorStatusSince,
      note: ward.councillorStatusNote,
    });
  }
}

import { pageByUniqueText } from '../common/pagination/unique-key-page';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AuditActorRef } from '../audit/audit-actor';
import { createdFields } from '../audit/audit-changes';
import { AuditService } from '../audit/audit.service';
import { assertAccess } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { NotFoundError } from '../common/errors/app.error';
import { violatedUniqueConstraint } from '../common/errors/database-errors';
import { UserErrorCode, userError } from '../common/errors/user-error.type';
import { assertUuid } from '../common/graphql/uuid';
import { ConnectionShape } from '../common/pagination/connection.type';
import { validateInput } from '../common/validation/validate-input';
import { CreateMunicipalityInput } from './dto/create-municipality.input';
import { createMunicipalitySchema } from './dto/ward-input.schemas';
import { MunicipalityPayload } from './dto/ward.payloads';
import { Municipality } from './entities/municipality.entity';
import { findOnePlain } from '../database/plain-find';

@Injectable()
export class MunicipalitiesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Municipality) private readonly municipalities: Repository<Municipality>,
    private readonly audit: AuditService,
  ) {}

  /** Only the caller's own municipality exists for the caller. */
  async getVisible(
    actor: Actor,
    by: { id?: string | null; code?: string | null },
  ): Promise<Municipality> {
    const found = by.id
      ? await this.municipalities.findOneBy({ id: assertUuid(by.id, 'id') })
      : await this.municipalities.findOneBy({ code: (by.code ?? '').trim().toUpperCase() });
    if (!found) throw new NotFoundError('Municipality');
    assertAccess(actor, { municipalityId: found.id }, Permission.WARDS_READ, 'Municipality');
    return found;
  }

  findById(id: string, manager?: EntityManager): Promise<Municipality | null> {
    return findOnePlain(manager ?? this.municipalities.manager, Municipality, { id });
  }

  findByCode(code: string): Promise<Municipality | null> {
    return this.municipalities.findOneBy({ code: code.trim().toUpperCase() });
  }

  /** The municipalities the caller belongs to (one today; the shape allows more). */
  async list(
    actor: Actor,
    first?: number | null,
    after?: string | null,
  ): Promise<ConnectionShape<Municipality>> {
    assertAccess(
      actor,
      { municipalityId: actor.municipalityId },
      Permission.WARDS_READ,
      'Municipality',
    );
    const query = this.municipalities
      .createQueryBuilder('m')
      .where('m.id = :id', { id: actor.municipalityId });
    return pageByUniqueText(query, 'm.code', (m) => m.code, first, after);
  }

  /**
   * Trusted path (demo data, the operator's CLI): municipalities are created by the operator.
   * Given a manager, it writes in that (caller's) transaction.
   */
  async create(
    input: CreateMunicipalityInput,
    by: AuditActorRef,
    inTransaction?: EntityManager,
  ): Promise<MunicipalityPayload> {
    const checked = validateInput(createMunicipalitySchema, input);
    if (!checked.ok) return { municipality: null, errors: checked.errors };
    const transaction = <T>(work: (manager: EntityManager) => Promise<T>) =>
      inTransaction ? work(inTransaction) : this.dataSource.transaction(work);
    try {
      const municipality = await transaction(async (manager) => {
        const created = await manager.save(manager.create(Municipality, checked.value));
        await this.audit.record(manager, by, {
          action: 'municipality.created',
          entityType: 'Municipality',
          entityId: created.id,
          municipalityId: created.id,
          changes: createdFields(created, ['code', 'nameBn', 'nameEn', 'district', 'state']),
        });
        return created;
      });
      return { municipality, errors: [] };
    } catch (error) {
      if (violatedUniqueConstraint(error) !== 'uq_municipalities_code') throw error;
      return {
        municipality: null,
        errors: [userError(UserErrorCode.DUPLICATE, 'code', 'another municipality has this code')],
      };
    }
  }
}

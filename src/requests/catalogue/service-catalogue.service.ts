import { pageByUniqueText } from '../../common/pagination/unique-key-page';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { auditActorOf, AuditActorRef } from '../../audit/audit-actor';
import { AuditService } from '../../audit/audit.service';
import { assertAccess } from '../../common/access/access-control';
import { Actor } from '../../common/access/actor';
import { Permission } from '../../common/access/permission';
import { NotFoundError } from '../../common/errors/app.error';
import { violatedUniqueConstraint } from '../../common/errors/database-errors';
import { UserError, UserErrorCode, userError } from '../../common/errors/user-error.type';
import { assertUuid } from '../../common/graphql/uuid';
import { ConnectionShape } from '../../common/pagination/connection.type';
import { validateInput } from '../../common/validation/validate-input';
import { lockRow, updateAtVersion } from '../../database/row-lock';
import { serviceDefinitionSchema, serviceTypeCode } from '../dto/service-definition.schema';
import {
  CreateServiceTypeInput,
  ServiceType,
  ServiceTypeFilter,
  ServiceTypePayload,
  UpdateServiceTypeInput,
} from '../dto/service-type.dto';
import { ServiceDefinition } from '../entities/service-definition';
import { ServiceTypeVersion } from '../entities/service-type-version.entity';
import { ServiceTypeRow } from '../entities/service-type.entity';

/** The GraphQL shape of a stored type: its identity plus its current definition. */
export function toServiceType(row: ServiceTypeRow): ServiceType {
  return {
    ...row.definition,
    keywords: row.definition.keywords ?? [],
    id: row.id,
    code: row.code,
    category: row.category,
    active: row.active,
    definitionVersion: row.definitionVersion,
    version: row.version,
  };
}

const refused = (errors: UserError[]): ServiceTypePayload => ({ serviceType: null, errors });

/** The municipality's service catalogue, versioned: a changed definition is a new version. */
@Injectable()
export class ServiceCatalogueService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async getVisible(
    actor: Actor,
    by: { id?: string | null; code?: string | null },
  ): Promise<ServiceType> {
    const repository = this.dataSource.getRepository(ServiceTypeRow);
    const row = by.id
      ? await repository.findOneBy({ id: assertUuid(by.id, 'id') })
      : await repository.findOneBy({
          municipalityId: actor.municipalityId,
          code: (by.code ?? '').trim().toUpperCase(),
        });
    if (!row) throw new NotFoundError('Service type');
    assertAccess(actor, row, Permission.CATALOGUE_READ, 'Service type');
    return toServiceType(row);
  }

  /** Active services of a municipality, certificates first, then by code (the helpline menu). */
  activeTypes(municipalityId: string, manager: EntityManager = this.dataSource.manager) {
    return manager
      .createQueryBuilder(ServiceTypeRow, 's')
      .where('s.municipality_id = :municipalityId AND s.active', { municipalityId })
      .orderBy('s.category')
      .addOrderBy('s.code')
      .getMany();
  }

  getRow(id: string, manager: EntityManager = this.dataSource.manager) {
    return manager.findOneBy(ServiceTypeRow, { id });
  }

  /** A definition as it was at a version (what a request was made under). */
  async definitionAt(
    serviceTypeId: string,
    definitionVersion: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ServiceDefinition | null> {
    const found = await manager.findOneBy(ServiceTypeVersion, { serviceTypeId, definitionVersion });
    return found?.definition ?? null;
  }

  async list(
    actor: Actor,
    filter: ServiceTypeFilter | null | undefined,
    first?: number | null,
    after?: string | null,
  ): Promise<ConnectionShape<ServiceType>> {
    assertAccess(
      actor,
      { municipalityId: actor.municipalityId },
      Permission.CATALOGUE_READ,
      'Service type',
    );
    const query = this.dataSource
      .getRepository(ServiceTypeRow)
      .createQueryBuilder('s')
      .where('s.municipality_id = :m', { m: actor.municipalityId });
    if (filter?.category) query.andWhere('s.category = :category', { category: filter.category });
    if (filter?.active != null) query.andWhere('s.active = :active', { active: filter.active });
    const page = await pageByUniqueText(query, 's.code', (s) => s.code, first, after);
    return {
      ...page,
      edges: page.edges.map(({ cursor, node }) => ({ cursor, node: toServiceType(node) })),
    };
  }

  async create(actor: Actor, input: CreateServiceTypeInput): Promise<ServiceTypePayload> {
    assertAccess(
      actor,
      { municipalityId: actor.municipalityId },
      Permission.CATALOGUE_MANAGE,
      'Service type',
    );
    return this.createInMunicipality(actor.municipalityId, input, auditActorOf(actor));
  }

  /** Trusted path (demo data). */
  async createInMunicipality(
    municipalityId: string,
    input: CreateServiceTypeInput,
    by: AuditActorRef,
  ): Promise<ServiceTypePayload> {
    const checked = validateInput(
      z.object({
        code: serviceTypeCode,
        category: z.string(),
        definition: serviceDefinitionSchema(input.category),
      }),
      input,
    );
    if (!checked.ok) return refused(checked.errors);
    const { code, definition } = checked.value;
    try {
      const row = await this.dataSource.transaction(async (manager) => {
        const created = await manager.save(
          manager.create(ServiceTypeRow, {
            municipalityId,
            code,
            category: input.category,
            definition,
          }),
        );
        await this.snapshot(manager, created);
        await this.record(manager, by, 'service_type.created', created, {
          code,
          definitionVersion: 1,
        });
        return created;
      });
      return { serviceType: toServiceType(row), errors: [] };
    } catch (error) {
      if (violatedUniqueConstraint(error) !== 'uq_service_types_code') throw error;
      return refused([
        userError(UserErrorCode.DUPLICATE, 'code', 'the catalogue already has this code'),
      ]);
    }
  }

  async update(actor: Actor, input: UpdateServiceTypeInput): Promise<ServiceTypePayload> {
    const id = assertUuid(input.id, 'id');
    return this.dataSource.transaction(async (manager) => {
      const before = await lockRow(manager, ServiceTypeRow, id, 'Service type');
      assertAccess(actor, before, Permission.CATALOGUE_MANAGE, 'Service type');
      const changes: Partial<ServiceTypeRow> = {};
      if (input.definition) {
        const checked = validateInput(
          z.object({ definition: serviceDefinitionSchema(before.category) }),
          {
            definition: input.definition,
          },
        );
        if (!checked.ok) return refused(checked.errors);
        changes.definition = checked.value.definition;
        changes.definitionVersion = before.definitionVersion + 1;
      }
      if (input.active != null) changes.active = input.active;
      const after = await updateAtVersion(
        manager,
        ServiceTypeRow,
        id,
        input.version,
        changes,
        'Service type',
      );
      if (input.definition) await this.snapshot(manager, after);
      await this.record(manager, auditActorOf(actor), 'service_type.updated', after, {
        definitionVersion: { from: before.definitionVersion, to: after.definitionVersion },
        active: { from: before.active, to: after.active },
      });
      return { serviceType: toServiceType(after), errors: [] };
    });
  }

  private async snapshot(manager: EntityManager, row: ServiceTypeRow): Promise<void> {
    await manager.insert(ServiceTypeVersion, {
      serviceTypeId: row.id,
      definitionVersion: row.definitionVersion,
      definition: row.definition,
    });
  }

  private record(
    manager: EntityManager,
    by: AuditActorRef,
    action: string,
    row: ServiceTypeRow,
    changes: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(manager, by, {
      action,
      entityType: 'ServiceType',
      entityId: row.id,
      municipalityId: row.municipalityId,
      changes,
    });
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { z } from 'zod';
import { readableWards } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { BadUserInputError } from '../common/errors/app.error';
import { assertUuid } from '../common/graphql/uuid';
import { ConnectionShape } from '../common/pagination/connection.type';
import { decodeCursor } from '../common/pagination/cursor';
import { pageSize, toConnection } from '../common/pagination/page-window';
import { AuditActorRef } from './audit-actor';
import { AuditLogFilter } from './dto/audit-log-filter.input';
import { AuditEntry } from './entities/audit-entry.entity';

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string | null;
  municipalityId: string | null;
  wardId?: string | null;
  changes?: Record<string, unknown>;
}

const auditCursor = z.tuple([z.string().regex(/^\d{1,18}$/)]);

function validDate(date: Date, field: string): Date {
  if (Number.isNaN(date.getTime()))
    throw new BadUserInputError(`\`${field}\` is not a valid date-time`, field);
  return date;
}

@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  /** Writes in the caller's transaction: the record exists exactly when the change does. */
  async record(manager: EntityManager, actor: AuditActorRef, record: AuditRecord): Promise<void> {
    // A plain statement: every write in the app records one, and building it through the
    // ORM's insert (column maps, parameter renaming, RETURNING of the defaults) cost more CPU
    // than the write it records.
    await manager.query(
      `INSERT INTO audit_log (actor_type, actor_id, actor_label, request_id, action, entity_type,
                              entity_id, municipality_id, ward_id, changes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        actor.type,
        actor.id ?? null,
        actor.label ?? null,
        actor.requestId ?? null,
        record.action,
        record.entityType,
        record.entityId ?? null,
        record.municipalityId ?? null,
        record.wardId ?? null,
        JSON.stringify(record.changes ?? {}),
      ],
    );
  }

  /** Newest first; administrators see their municipality, others the wards they reach. */
  async list(
    actor: Actor,
    filter: AuditLogFilter | null | undefined,
    first?: number | null,
    after?: string | null,
  ): Promise<ConnectionShape<AuditEntry>> {
    const size = pageSize(first);
    const wards = readableWards(actor, Permission.AUDIT_READ);
    const query = this.entries
      .createQueryBuilder('a')
      .where('a.municipality_id = :municipalityId', { municipalityId: actor.municipalityId });
    if (wards !== 'ALL') query.andWhere('a.ward_id = ANY(:wards)', { wards });
    // Integrations see what happened in wards (wards, residents), never staff accounts,
    // sessions or API clients.
    if (actor.type === 'API_CLIENT') query.andWhere('a.ward_id IS NOT NULL');
    const f = filter ?? {};
    if (f.wardId)
      query.andWhere('a.ward_id = :wardId', { wardId: assertUuid(f.wardId, 'filter.wardId') });
    if (f.actorId) {
      query.andWhere('a.actor_id = :actorId', { actorId: assertUuid(f.actorId, 'filter.actorId') });
    }
    if (f.entityType) query.andWhere('a.entity_type = :entityType', { entityType: f.entityType });
    if (f.entityId) {
      query.andWhere('a.entity_id = :entityId', {
        entityId: assertUuid(f.entityId, 'filter.entityId'),
      });
    }
    if (f.from)
      query.andWhere('a.occurred_at >= :from', { from: validDate(f.from, 'filter.from') });
    if (f.to) query.andWhere('a.occurred_at < :to', { to: validDate(f.to, 'filter.to') });
    const totalCount = await query.clone().getCount();
    if (after) {
      const [seq] = decodeCursor(after, auditCursor);
      query.andWhere('a.seq < :seq', { seq });
    }
    const rows = await query
      .orderBy('a.seq', 'DESC')
      .limit(size + 1)
      .getMany();
    return toConnection(rows, size, (entry) => [entry.seq], totalCount, Boolean(after));
  }
}

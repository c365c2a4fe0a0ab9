import { toAsciiDigits } from '../../common/text/digits';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { z } from 'zod';
import { ForbiddenError, readableWards } from '../../common/access/access-control';
import { reachOf } from '../../common/access/actor';
import { Actor } from '../../common/access/actor';
import { Permission } from '../../common/access/permission';
import { BadUserInputError } from '../../common/errors/app.error';
import { assertUuid } from '../../common/graphql/uuid';
import { ConnectionShape } from '../../common/pagination/connection.type';
import { decodeCursor } from '../../common/pagination/cursor';
import { pageSize, toConnection } from '../../common/pagination/page-window';
import { ResidentsService } from '../../residents/residents.service';
import {
  OrderDirection,
  RequestFilter,
  RequestOrder,
  RequestOrderField,
} from '../dto/request.inputs';
import { ServiceRequest } from '../entities/service-request.entity';
import { normalizeTrackingNumber, TRACKING_NUMBER_PATTERN } from '../workflow/tracking-number';
import { searchText } from '../../common/text/search-text';
import { EntityRows } from '../../common/sql/entity-rows';

/** Sort column and how a cursor value is cast back for the keyset comparison. */
const ORDER_COLUMNS: Record<RequestOrderField, { column: string; cast: string }> = {
  [RequestOrderField.CREATED_AT]: { column: 'r.created_at', cast: 'timestamptz' },
  [RequestOrderField.SLA_DUE_AT]: { column: 'r.sla_due_at', cast: 'timestamptz' },
  [RequestOrderField.UPDATED_AT]: { column: 'r.updated_at', cast: 'timestamptz' },
  [RequestOrderField.PRIORITY]: { column: 'r.priority', cast: 'request_priority' },
};

const cursorShape = z.tuple([
  z.enum(RequestOrderField),
  z.enum(OrderDirection),
  z.string(),
  z.uuid(),
]);

/** Another module's rows joined into the page's statement (e.g. the requests' wards). */
export interface PageJoin {
  /** Adds the join and its columns to the page's query (alias `r`). */
  add(query: SelectQueryBuilder<ServiceRequest>): void;
  /** Reads the joined columns of one row of the page. */
  read(row: Record<string, unknown>): void;
}

/** A running SLA clock that has passed its due time. */
const OVERDUE_SQL = `(r.completed_at IS NULL AND r.sla_paused_at IS NULL AND r.sla_due_at < now())`;

/** The coordinator's queue: filtered, ordered, keyset-paginated lists of requests. */
/** Why a search by name or phone is refused to a caller who may not read residents. */
export const SEARCH_NEEDS_RESIDENTS_READ =
  'Searching requests by a resident’s name or phone needs the right to read residents (residents:read); search by tracking number instead';

@Injectable()
export class RequestQueueService {
  private readonly requestRows: EntityRows<ServiceRequest>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly residents: ResidentsService,
  ) {
    this.requestRows = new EntityRows(dataSource, ServiceRequest);
  }

  async list(
    actor: Actor,
    filter: RequestFilter | null | undefined,
    order: RequestOrder | null | undefined,
    first?: number | null,
    after?: string | null,
    withTotalCount = true,
    joins: readonly PageJoin[] = [],
  ): Promise<ConnectionShape<ServiceRequest>> {
    const size = pageSize(first);
    const filtered = this.filtered(actor, filter ?? {});
    const counted = withTotalCount ? filtered.clone() : null;
    const { query, field, direction } = this.page(filtered, order, size, after);
    // Not asked for: never sent, so not counted. Asked for: counted in the page's own
    // statement, as a scalar subquery over the same filter (PostgreSQL runs it once; its
    // alias `r` hides the outer one, the named parameters are the same).
    if (counted) query.addSelect(`(${counted.select('count(*)').getQuery()})`, 'total_count');
    for (const join of joins) join.add(query);
    // TypeORM builds the statement; its rows are mapped flat (see EntityRows).
    const [sql, parameters] = query.getQueryAndParameters();
    const raw = (await this.dataSource.query(sql, parameters)) as Array<Record<string, unknown>>;
    const entities = raw.map((row) => this.requestRows.hydrate(row, 'r_'));
    for (const join of joins) raw.forEach((row) => join.read(row));
    let totalCount = 0;
    if (counted && raw.length > 0) totalCount = Number(raw[0].total_count);
    // An empty page after a cursor says nothing of the rows before it: count them apart.
    else if (counted && after) totalCount = await counted.getCount();
    const sortValues = new Map(raw.map((row) => [row.r_id as string, row.sort_value as string]));
    return toConnection(
      entities,
      size,
      (r) => [field, direction, sortValues.get(r.id) ?? '', r.id],
      totalCount,
      Boolean(after),
    );
  }

  /** The SQL of a queue page, for EXPLAIN in tests and benchmarks. */
  pageSql(
    actor: Actor,
    filter: RequestFilter,
    order: RequestOrder | null,
    first: number,
  ): [string, unknown[]] {
    return this.page(
      this.filtered(actor, filter),
      order,
      pageSize(first),
      null,
    ).query.getQueryAndParameters();
  }

  private page(
    query: SelectQueryBuilder<ServiceRequest>,
    order: RequestOrder | null | undefined,
    size: number,
    after: string | null | undefined,
  ) {
    const field = order?.field ?? RequestOrderField.CREATED_AT;
    const direction = order?.direction ?? OrderDirection.DESC;
    const { column, cast } = ORDER_COLUMNS[field];
    if (after) {
      const [cursorField, cursorDirection, value, id] = decodeCursor(after, cursorShape);
      if (cursorField !== field || cursorDirection !== direction) {
        throw new BadUserInputError('`after` belongs to a list in another order', 'after');
      }
      const comparison = direction === OrderDirection.DESC ? '<' : '>';
      query.andWhere(`(${column}, r.id) ${comparison} (CAST(:afterValue AS ${cast}), :afterId)`, {
        afterValue: value,
        afterId: id,
      });
    }
    // The sort value as PostgreSQL prints it: exact to the microsecond, unlike a JS Date.
    query
      .addSelect(`${column}::text`, 'sort_value')
      .orderBy(column, direction)
      .addOrderBy('r.id', direction)
      .limit(size + 1);
    return { query, field, direction };
  }

  private filtered(actor: Actor, filter: RequestFilter): SelectQueryBuilder<ServiceRequest> {
    const query = this.dataSource
      .getRepository(ServiceRequest)
      .createQueryBuilder('r')
      .where('r.municipality_id = :municipalityId', { municipalityId: actor.municipalityId });
    const wards = this.wardsToList(actor, filter);
    // One ward is the common case (a coordinator's queue): plain equality lets the
    // (ward_id, <sort key>) indexes serve the order too.
    if (wards?.length === 1) query.andWhere('r.ward_id = :wardId', { wardId: wards[0] });
    else if (wards) query.andWhere('r.ward_id = ANY(:wardIds)', { wardIds: wards });
    if (filter.statuses) query.andWhere('r.status = ANY(:statuses)', { statuses: filter.statuses });
    if (filter.serviceTypeIds) {
      query.andWhere('r.service_type_id = ANY(:types)', {
        types: filter.serviceTypeIds.map((id) => assertUuid(id, 'filter.serviceTypeIds')),
      });
    }
    if (filter.categories) {
      query.andWhere('r.category = ANY(:categories)', { categories: filter.categories });
    }
    if (filter.channel) query.andWhere('r.channel = :channel', { channel: filter.channel });
    if (filter.assigneeId) {
      query.andWhere('r.assignee_id = :assigneeId', {
        assigneeId: assertUuid(filter.assigneeId, 'filter.assigneeId'),
      });
    }
    if (filter.unassigned != null) {
      query.andWhere(filter.unassigned ? 'r.assignee_id IS NULL' : 'r.assignee_id IS NOT NULL');
    }
    if (filter.residentId) {
      query.andWhere('r.resident_id = :residentId', {
        residentId: assertUuid(filter.residentId, 'filter.residentId'),
      });
    }
    if (filter.overdue != null) query.andWhere(filter.overdue ? OVERDUE_SQL : `NOT ${OVERDUE_SQL}`);
    // Ratings and reopenings are kept by the feedback module (src/feedback), keyed by request.
    if (filter.ratedAtMost != null) {
      query.andWhere(
        'EXISTS (SELECT 1 FROM request_feedback f WHERE f.ward_id = r.ward_id AND f.request_id = r.id AND f.rating <= :rated)',
        { rated: filter.ratedAtMost },
      );
    }
    if (filter.reopened != null) {
      query.andWhere(
        `${filter.reopened ? '' : 'NOT '}EXISTS (SELECT 1 FROM request_reopenings o WHERE o.request_id = r.id)`,
      );
    }
    if (filter.createdFrom) query.andWhere('r.created_at >= :from', { from: filter.createdFrom });
    if (filter.createdTo) query.andWhere('r.created_at < :to', { to: filter.createdTo });
    const search = searchText(filter.search, 'filter.search');
    if (search) this.matchSearch(query, actor, search);
    return query;
  }

  /** Wards to restrict to: the caller's readable wards, narrowed by the filter; null = all. */
  private wardsToList(actor: Actor, filter: RequestFilter): string[] | null {
    const readable = readableWards(actor, Permission.REQUESTS_READ);
    const wanted = filter.wardIds?.map((id) => assertUuid(id, 'filter.wardIds'));
    if (readable === 'ALL') return wanted ?? null;
    return wanted ? wanted.filter((id) => readable.includes(id)) : readable;
  }

  /**
   * A whole tracking number, its serial alone (`42`, `০০৪২`), or the resident's name or
   * phone. Name and phone are personal data: they only match residents of wards where the
   * caller may read residents (RESIDENTS_READ), else the search would tell a caller holding
   * only `requests:read` who is behind a phone number (issue 21). A caller with that right
   * nowhere gets FORBIDDEN for a search that is not a tracking number or a serial.
   */
  private matchSearch(query: SelectQueryBuilder<ServiceRequest>, actor: Actor, search: string) {
    const tracking = normalizeTrackingNumber(search);
    if (TRACKING_NUMBER_PATTERN.test(tracking)) {
      query.andWhere('r.tracking_number = :tracking', { tracking });
      return;
    }
    const digits = toAsciiDigits(search);
    const serial = /^\d{1,7}$/.test(digits) ? `%-${digits.padStart(5, '0')}` : null;
    const residentWards = reachOf(actor, Permission.RESIDENTS_READ);
    if (!residentWards) {
      if (!serial) throw new ForbiddenError(SEARCH_NEEDS_RESIDENTS_READ);
      query.andWhere('r.tracking_number LIKE :serial', { serial });
      return;
    }
    const resident = this.residents.matchCondition(
      'r.resident_id',
      actor.municipalityId,
      search,
      residentWards.allWards ? null : [...residentWards.wardIds],
    );
    query.andWhere(
      serial ? `(r.tracking_number LIKE :serial OR ${resident.sql})` : `(${resident.sql})`,
      { serial, ...resident.parameters },
    );
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { assertAccess, readableWards } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { NotFoundError } from '../common/errors/app.error';
import { assertUuid } from '../common/graphql/uuid';
import { RequestChannel, RequestStatus } from '../requests/entities/request-enums';
import { COMPLETED_STATUSES } from '../requests/workflow/request-workflow';
import { WardsService } from '../wards/wards.service';
import { RequestStats, ServiceTypeCount } from './dto/request-stats.type';
import { StatsPeriod, statsPeriod } from './stats-period';

/** Whose requests are counted: one municipality, narrowed to some wards (null = all of them). */
export interface StatsScope {
  municipalityId: string;
  wardIds: string[] | null;
}

/** A statement and its parameters, as sent to PostgreSQL. */
export type Statement = [sql: string, parameters: unknown[]];

/**
 * Statuses without an outcome. `completed_at IS NULL` holds exactly for them (the workflow
 * sets and clears both together); naming them lets the `(ward_id, status, ...)` index find
 * the few open requests instead of walking every request that was ever due.
 */
const OPEN_STATUSES = Object.values(RequestStatus).filter((s) => !COMPLETED_STATUSES.includes(s));

const STATUS_ORDER = Object.values(RequestStatus);
const CHANNEL_ORDER = Object.values(RequestChannel);

/** Hours from making a request to its outcome. */
const TURNAROUND_HOURS = `extract(epoch FROM r.completed_at - r.created_at)::float8 / 3600`;

/** A continuous percentile of the turnaround of completed requests, rounded to 0.01 h. */
const turnaroundPercentile = (fraction: number) =>
  `round((percentile_cont(${fraction}) WITHIN GROUP (ORDER BY ${TURNAROUND_HOURS})
     FILTER (WHERE r.completed_at IS NOT NULL))::numeric, 2)::float8`;

interface SummaryRow {
  total: number;
  completed: number;
  within_sla: number;
  median: number | null;
  p90: number | null;
  overdue_now: number;
  attempted: number;
  succeeded: number;
}

interface BreakdownRow {
  status: RequestStatus | null;
  channel: RequestChannel | null;
  service_type_id: string | null;
  count: number;
  average_rating: number | null;
  asked: number;
  rated: number;
  reopened: number;
  code: string | null;
  name_bn: string | null;
  name_en: string | null;
}

/**
 * Request statistics of a ward or of the caller's wards of a municipality: two SQL
 * statements whatever the size of the period (a summary row, and the breakdowns by status,
 * service type and channel in one pass with GROUPING SETS).
 */
@Injectable()
export class StatisticsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly wards: WardsService,
  ) {}

  /** One ward's statistics; NOT_FOUND for a ward outside the caller's reach. */
  async wardStats(actor: Actor, wardId: string, from: string, to: string): Promise<RequestStats> {
    const period = statsPeriod(from, to);
    const id = assertUuid(wardId, 'wardId');
    const ward = await this.wards.findInMunicipality(actor.municipalityId, id);
    if (!ward) throw new NotFoundError('Ward');
    assertAccess(
      actor,
      { municipalityId: ward.municipalityId, wardId: ward.id },
      Permission.REQUESTS_READ,
      'Ward',
    );
    return this.compute({ municipalityId: ward.municipalityId, wardIds: [ward.id] }, period);
  }

  /**
   * The caller's own municipality, counting only the wards whose requests the caller may
   * read (a ward coordinator gets their ward's numbers); another municipality is NOT_FOUND.
   */
  async municipalityStats(
    actor: Actor,
    municipalityId: string,
    from: string,
    to: string,
  ): Promise<RequestStats> {
    const period = statsPeriod(from, to);
    const id = assertUuid(municipalityId, 'municipalityId');
    assertAccess(actor, { municipalityId: id }, Permission.REQUESTS_READ, 'Municipality');
    const readable = readableWards(actor, Permission.REQUESTS_READ);
    return this.compute(
      { municipalityId: id, wardIds: readable === 'ALL' ? null : readable },
      period,
    );
  }

  /** The statements of one statistics query, for EXPLAIN in tests and benchmarks. */
  statements(scope: StatsScope, period: StatsPeriod): { summary: Statement; breakdown: Statement } {
    return { summary: this.summarySql(scope, period), breakdown: this.breakdownSql(scope, period) };
  }

  private async compute(scope: StatsScope, period: StatsPeriod): Promise<RequestStats> {
    const { summary, breakdown } = this.statements(scope, period);
    const [row] = (await this.dataSource.query(...summary)) as SummaryRow[];
    const groups = (await this.dataSource.query(...breakdown)) as BreakdownRow[];
    return {
      from: period.from,
      to: period.to,
      total: row.total,
      byStatus: groups
        .filter((g) => g.status !== null)
        .map((g) => ({ status: g.status as RequestStatus, count: g.count }))
        .sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status)),
      byServiceType: groups
        .filter((g) => g.service_type_id !== null)
        .map((g): ServiceTypeCount => ({
          serviceTypeId: g.service_type_id as string,
          code: g.code ?? '',
          nameBn: g.name_bn ?? '',
          nameEn: g.name_en ?? '',
          count: g.count,
          averageRating: g.average_rating,
          shareRated: g.asked === 0 ? null : g.rated / g.asked,
          reopenRate: g.count === 0 ? null : g.reopened / g.count,
        }))
        .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
      byChannel: groups
        .filter((g) => g.channel !== null)
        .map((g) => ({ channel: g.channel as RequestChannel, count: g.count }))
        .sort((a, b) => CHANNEL_ORDER.indexOf(a.channel) - CHANNEL_ORDER.indexOf(b.channel)),
      completed: row.completed,
      turnaroundHours: { median: row.median, p90: row.p90 },
      completedWithinSlaShare: row.completed === 0 ? null : row.within_sla / row.completed,
      overdueNow: row.overdue_now,
      deliveries: { attempted: row.attempted, succeeded: row.succeeded },
    };
  }

  /**
   * One row: the period's totals and turnaround percentiles, the requests overdue now
   * (whatever the period) and the deliveries of the period from the timeline.
   */
  private summarySql(scope: StatsScope, period: StatsPeriod): Statement {
    const params: unknown[] = [];
    const inScope = this.scopeSql(scope, params);
    const start = bind(params, period.start);
    const end = bind(params, period.end);
    const open = bind(params, OPEN_STATUSES);
    // Open requests by their wards alone: beside the ward, the municipality made PostgreSQL
    // AND the partial index of open requests with every request of the municipality (80,000
    // index entries at state scale, 12–15 ms of a 20 ms summary). The wards are the
    // municipality's: wardStats found the ward there, and a caller's readable wards are
    // their grants' (a foreign key on ward and municipality).
    const openInScope = scope.wardIds ? this.wardsSql(scope.wardIds, params) : inScope;
    // Timeline rows carry the ward but not the municipality.
    const eventWards = scope.wardIds
      ? `e.ward_id = ANY(${bind(params, scope.wardIds)}::uuid[])`
      : `e.ward_id IN (SELECT w.id FROM wards w WHERE w.municipality_id = $1::uuid)`;
    const sql = `
      WITH period AS (
        SELECT count(*)::int AS total,
               count(r.completed_at)::int AS completed,
               (count(*) FILTER (WHERE r.completed_at <= r.sla_due_at))::int AS within_sla,
               ${turnaroundPercentile(0.5)} AS median,
               ${turnaroundPercentile(0.9)} AS p90
        FROM service_requests r
        WHERE ${inScope} AND r.created_at >= ${start} AND r.created_at < ${end}
      ), overdue AS (
        SELECT count(*)::int AS overdue_now
        FROM service_requests r
        WHERE ${openInScope} AND r.status = ANY(${open}::request_status[])
          AND r.completed_at IS NULL AND r.sla_paused_at IS NULL AND r.sla_due_at < now()
      ), deliveries AS (
        SELECT (count(*) FILTER (WHERE e.action = 'DISPATCH'))::int AS attempted,
               (count(*) FILTER (WHERE e.action = 'HAND_OVER'
                                   AND e.from_status = 'OUT_FOR_DELIVERY'))::int AS succeeded
        FROM request_events e
        WHERE ${eventWards} AND e.kind = 'STATUS_CHANGED' AND e.action IN ('DISPATCH', 'HAND_OVER')
          AND e.occurred_at >= ${start} AND e.occurred_at < ${end}
      )
      SELECT * FROM period, overdue, deliveries`;
    return [sql, params];
  }

  /** Counts of the period's requests by status, by channel and by service type (with names). */
  private breakdownSql(scope: StatsScope, period: StatsPeriod): Statement {
    const params: unknown[] = [];
    const inScope = this.scopeSql(scope, params);
    const start = bind(params, period.start);
    const end = bind(params, period.end);
    // status and channel are NOT NULL columns: a null in the result means "another grouping".
    const sql = `
      SELECT g.status, g.channel, g.service_type_id, g.count, g.average_rating, g.asked, g.rated,
             g.reopened, st.code, st.definition->>'nameBn' AS name_bn,
             st.definition->>'nameEn' AS name_en
      FROM (
        SELECT r.status::text AS status, r.channel::text AS channel, r.service_type_id,
               count(*)::int AS count,
               -- Ratings and reopenings (src/feedback): at most one feedback row per request.
               avg(f.rating)::float AS average_rating, count(f.id)::int AS asked,
               count(f.rating)::int AS rated,
               (count(*) FILTER (WHERE EXISTS (
                 SELECT 1 FROM request_reopenings o WHERE o.request_id = r.id)))::int AS reopened
        FROM service_requests r
        LEFT JOIN request_feedback f ON f.ward_id = r.ward_id AND f.request_id = r.id
        WHERE ${inScope} AND r.created_at >= ${start} AND r.created_at < ${end}
        GROUP BY GROUPING SETS ((r.status), (r.channel), (r.service_type_id))
      ) g
      LEFT JOIN service_types st ON st.id = g.service_type_id`;
    return [sql, params];
  }

  /**
   * The scope as a condition on `service_requests` (alias `r`): the municipality (always
   * `$1`), and the wards when narrowed. One ward is plain equality so the `(ward_id, ...)`
   * indexes serve the ranges directly.
   */
  private scopeSql(scope: StatsScope, params: unknown[]) {
    const conditions = [`r.municipality_id = ${bind(params, scope.municipalityId)}::uuid`];
    if (scope.wardIds) conditions.push(this.wardsSql(scope.wardIds, params));
    return conditions.join(' AND ');
  }

  /** Requests (alias `r`) of these wards: one ward is plain equality. */
  private wardsSql(wardIds: string[], params: unknown[]) {
    return wardIds.length === 1
      ? `r.ward_id = ${bind(params, wardIds[0])}::uuid`
      : `r.ward_id = ANY(${bind(params, wardIds)}::uuid[])`;
  }
}

/** Adds a parameter and returns its placeholder. */
function bind(params: unknown[], value: unknown): string {
  params.push(value);
  return `$${params.length}`;
}

import { Controller, Get, HttpException, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify } from 'csv-stringify';
import { FastifyReply, FastifyRequest } from 'fastify';
import { pipeline } from 'node:stream/promises';
import { PoolClient } from 'pg';
import QueryStream from 'pg-query-stream';
import { DataSource } from 'typeorm';
import { AuthenticatorService } from '../../auth/authenticator.service';
import { readableWards } from '../../common/access/access-control';
import { Actor } from '../../common/access/actor';
import { Permission } from '../../common/access/permission';
import { AppError } from '../../common/errors/app.error';
import { ErrorCode } from '../../common/errors/error-code';
import { ConcurrencyGate } from '../../common/rate-limit/concurrency-gate';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.tokens';
import { CertificatesService } from '../../certificates/certificates.service';
import { ExportQuery } from '../../common/sql/export-query';
import { RequestsService } from '../../requests/requests.service';

interface ExportKind extends ExportQuery {
  permission: Permission;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function refuse(status: number, code: string, message: string, field?: string): never {
  throw new HttpException({ error: { code, message, ...(field ? { field } : {}) } }, status);
}

/** A real calendar day as YYYY-MM-DD: `Date.parse` takes 2026-02-31 (PostgreSQL does not). */
function isCalendarDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const [year, month, day] = value.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** The filters an export takes; each at most once (a repeated one arrives as an array). */
const PARAMETERS = ['from', 'to', 'wardId', 'status'] as const;
type ExportParameters = Partial<Record<(typeof PARAMETERS)[number], string>>;

function singleParameters(query: Record<string, unknown>): ExportParameters {
  const single: ExportParameters = {};
  for (const name of PARAMETERS) {
    const value = query[name];
    if (value === undefined) continue;
    if (typeof value !== 'string')
      refuse(400, ErrorCode.BAD_USER_INPUT, `${name} may be given only once`, name);
    single[name] = value;
  }
  return single;
}

/**
 * Bulk data as CSV, streamed from a database cursor straight to the client: memory stays
 * flat whatever the size. Filters: `from`/`to` (Indian dates, inclusive), `wardId`, `status`.
 */
@Controller('exports')
export class ExportsController {
  private readonly gate: ConcurrencyGate;
  private readonly kinds: Record<string, ExportKind>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly authenticator: AuthenticatorService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    requests: RequestsService,
    certificates: CertificatesService,
  ) {
    this.gate = new ConcurrencyGate(config.bulk.exportConcurrency, config.bulk.exportPerCaller);
    // Each query belongs to the module whose table it reads; this controller filters and streams.
    this.kinds = {
      'requests.csv': { permission: Permission.REQUESTS_READ, ...requests.exportQuery() },
      'certificates.csv': {
        permission: Permission.CERTIFICATES_READ,
        ...certificates.exportQuery(),
      },
    };
  }

  @Get(':file')
  async export(
    @Param('file') file: string,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const kind = this.kinds[file];
    if (!kind) refuse(404, 'NOT_FOUND', 'Exports: requests.csv, certificates.csv');
    const { actor } = await this.authenticator.authenticate(request);
    if (!actor) refuse(401, ErrorCode.UNAUTHENTICATED, 'Sign in, or send a valid API key');
    const { where, values } = this.filter(actor, kind, singleParameters(query ?? {}));
    const release = this.gate.enter(`${actor.type}:${actor.id}`);
    if (!release) {
      void reply.header('retry-after', '30');
      refuse(
        429,
        'RATE_LIMITED',
        'Too many exports at once (per caller, or on this server); retry when one has finished',
      );
    }
    let runner: ReturnType<DataSource['createQueryRunner']> | null = null;
    try {
      runner = this.dataSource.createQueryRunner();
      const client = (await runner.connect()) as PoolClient;
      // A big file streams for longer than any GraphQL operation may run: its cursor is one
      // statement from the first row to the last, so it gets the export's own timeout — which
      // also ends a client that stops reading (the cursor waits on it). Put back below.
      await client.query(`SET statement_timeout = ${this.config.bulk.exportStatementTimeoutMs}`);
      const rows = client.query(
        new QueryStream(kind.sql.replace('{where}', where), values, { batchSize: 1000 }),
      );
      const csv = stringify({
        header: true,
        bom: true,
        columns: kind.columns,
        cast: { date: (value) => value.toISOString() },
      });
      void reply
        .code(200)
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file}"`)
        .header('cache-control', 'no-store')
        .send(csv);
      // A client that stops reading ends the export too: once the rows are all fetched the
      // statement timeout no longer runs, but a socket with nothing moving for that long is
      // closed, and the connection and the caller's slot are given back.
      const socket = request.raw.socket;
      socket.setTimeout(this.config.bulk.exportStatementTimeoutMs, () => socket.destroy());
      // A client that goes away mid-file ends the stream; the cursor is closed below.
      await pipeline(rows, csv).catch((error) => {
        if (!reply.raw.destroyed) reply.raw.destroy(error as Error);
      });
      await client.query('RESET statement_timeout').catch(() => undefined);
    } finally {
      request.raw.socket?.setTimeout(0);
      await runner?.release();
      release();
    }
  }

  private filter(actor: Actor, kind: ExportKind, query: ExportParameters) {
    let wards: 'ALL' | string[];
    try {
      wards = readableWards(actor, kind.permission);
    } catch (error) {
      if (error instanceof AppError) refuse(403, error.code, error.message);
      throw error;
    }
    const t = kind.table;
    const conditions = [`${t}.municipality_id = $1`];
    const values: unknown[] = [actor.municipalityId];
    const add = (sql: string, value: unknown) => {
      values.push(value);
      conditions.push(sql.replace('?', `$${values.length}`));
    };
    if (wards !== 'ALL') add(`${t}.ward_id = ANY(?)`, wards);
    for (const name of ['from', 'to'] as const) {
      const value = query[name];
      if (value === undefined) continue;
      if (!isCalendarDate(value))
        refuse(400, ErrorCode.BAD_USER_INPUT, `${name} must be a date as YYYY-MM-DD`, name);
      // Indian calendar days: [from 00:00 IST, to + 1 day 00:00 IST).
      add(
        name === 'from'
          ? `${t}.${kind.dateColumn} >= (CAST(? AS date)::timestamp AT TIME ZONE 'Asia/Kolkata')`
          : `${t}.${kind.dateColumn} < ((CAST(? AS date) + 1)::timestamp AT TIME ZONE 'Asia/Kolkata')`,
        value,
      );
    }
    if (query.wardId !== undefined) {
      if (!UUID.test(query.wardId))
        refuse(400, ErrorCode.BAD_USER_INPUT, 'wardId must be an id', 'wardId');
      add(`${t}.ward_id = ?`, query.wardId);
    }
    if (query.status !== undefined) {
      if (!kind.statuses.includes(query.status)) {
        refuse(
          400,
          ErrorCode.BAD_USER_INPUT,
          `status must be one of ${kind.statuses.join(', ')}`,
          'status',
        );
      }
      add(`${t}.status::text = ?`, query.status);
    }
    return { where: conditions.join(' AND '), values };
  }
}

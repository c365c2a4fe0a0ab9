/**
 * Benchmark of the request statistics (`wardStats`, `municipalityStats`) on a large table,
 * with a baseline measured in the same run (the machine is noisy: compare ratios, not rates).
 *
 * Starts its own embedded PostgreSQL and the real application (in this process, listening
 * on a random loopback port), seeds one municipality, 25 wards, BENCH_RESIDENTS residents
 * and the demo catalogue, then loads BENCH_REQUESTS service requests over the last 12
 * months with `INSERT … SELECT … FROM generate_series` (mixed statuses, channels, service
 * types, turnarounds and SLAs; the plain indexes built afterwards) and the DISPATCH /
 * HAND_OVER steps of their timelines, and VACUUMs and ANALYZEs them. Signs in an administrator over GraphQL. Then, for each of four
 * queries (one ward over 30 days and over 12 months, the municipality over 30 days and
 * over 12 months), BENCH_RUNS times:
 *   (a) baseline: the SQL statements the application sent to PostgreSQL for one such
 *       GraphQL request (captured at the `pg` client, parameters included), replayed one
 *       after the other through one `pg` Client;
 *   (b) app, one at a time: the GraphQL query over HTTP, sequentially;
 *   (c) app, BENCH_CONCURRENCY in flight: the same, for queries a second.
 * Finally EXPLAIN (ANALYZE, BUFFERS) of every statistics statement, the heaviest one in full.
 * See bench/README.md for how to run it.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { createApp } from '../src/app.factory';
import { systemActor } from '../src/audit/audit-actor';
import { StaffAccountsService } from '../src/auth/staff-accounts.service';
import { StaffRole } from '../src/common/access/staff-role';
import { createLogger } from '../src/common/logging/logger';
import { loadConfig } from '../src/config/app-config';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.launcher';
import { runMigrations } from '../src/database/migration-runner';
import { DEMO_CATALOGUE } from '../src/demo/demo-catalogue';
import { StatisticsService } from '../src/statistics/statistics.service';
import { statsPeriod } from '../src/statistics/stats-period';
import {
  DELIVERY_EVENTS_SQL,
  REQUEST_TIMES_SQL,
  UNIFORM_FUNCTION,
  outcomeLateral,
  requestUniformsSql,
  seedDemoCatalogue,
  seedMunicipality,
} from './support/generate';
import { machineTimes, percentile } from './support/measure';
import { Statement, StatementRecorder } from './support/statements';
import { runBenchmark, writeResults } from './support/results';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
/** Each measurement makes about this many seconds' worth of queries (see queriesFor()). */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const MIN_QUERIES = Number(process.env.BENCH_MIN_QUERIES ?? 8);
const MAX_QUERIES = Number(process.env.BENCH_MAX_QUERIES ?? 400);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const WARDS = 25;
/** The ward of the wardStats queries (all wards get the same share of the requests). */
const WARD_NUMBER = 7;
/** Rows per INSERT statement while loading. */
const CHUNK = 250_000;
const POOL_SIZE = 10;
const PASSWORD = 'bench password that is long enough';
const DAY_MS = 86_400_000;
const IST_OFFSET_MS = 330 * 60_000;

// ---------------------------------------------------------------------------------------
// Data: every value is a deterministic function of the row number (hashint8), so two runs
// load the same table (relative to the time of loading).

/**
 * Requests n = lo..hi, made one after the other over the 365 days before `now` (so that
 * the table is in the order of making, as a live one is); in a ward drawn at random
 * (tracking numbers unique); service types skewed towards the first ones (certificates,
 * ~60 %); 70 % with an outcome 1 h to 10 days after making (DELIVERED, RESOLVED, CLOSED,
 * REJECTED, CANCELLED by category), the rest open (NEEDS_INFO ones paused); SLA 7 days for
 * certificates, 48 h for the others.
 */
const INSERT_REQUESTS = `
  INSERT INTO service_requests (municipality_id, ward_id, tracking_number, resident_id,
    service_type_id, definition_version, category, channel, attributes, priority, status,
    sla_due_at, sla_paused_at, completed_at, status_changed_at, created_at, updated_at)
  SELECT $1::uuid, res.ward_id,
         'BSR-' || lpad(res.ward_number::text, 2, '0') || '-B-' || lpad(n::text, 7, '0'),
         res.id, st.id, 1, st.category, v.channel, '{}', v.priority, v.status,
         ${REQUEST_TIMES_SQL}
  FROM generate_series($2::int, $3::int) AS n${requestUniformsSql('n', ', pg_temp.u(n, 10) AS u_ward')}
  JOIN bench_types st ON st.k = floor(power(u.u_type, 1.3) * $5::int)::int
  JOIN bench_residents res ON res.ward_k = floor(u.u_ward * ${WARDS})::int
                          AND res.k = floor(u.u_resident * $6::int)::int
  ${outcomeLateral(`$4::timestamptz - interval '365 days' * (1 - (n - 1 + u.u_made) / $7::int)`)}`;

interface Loaded {
  municipalityId: string;
  wardId: string;
  wardIds: string[];
  now: Date;
  loading: Record<string, number>;
}

async function loadData(
  app: NestFastifyApplication,
  db: Client,
  log: (message: string) => void,
): Promise<Loaded> {
  const loading: Record<string, number> = {};
  const step = async (name: string, work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    loading[name] = (performance.now() - started) / 1000;
    log(`loading: ${name} in ${fixed(loading[name], 1)} s`);
  };
  const { municipalityId, wardIds } = await seedMunicipality(app, db, WARDS);
  const municipality = { id: municipalityId };
  await step('catalogue', () => seedDemoCatalogue(app, municipality.id));
  await step('residents', () =>
    db.query(
      `INSERT INTO residents (municipality_id, ward_id, full_name, phone, preferred_language,
         created_channel, name_key)
       SELECT $1, ($2::uuid[])[1 + n % ${WARDS}], 'বাসিন্দা ' || n, '+9197' || lpad(n::text, 8, '0'),
              (CASE WHEN n % 5 = 0 THEN 'EN' ELSE 'BN' END)::resident_language, 'WALK_IN',
              'basinda ' || n
       FROM generate_series(1, $3::int) AS n`,
      [municipality.id, wardIds, RESIDENTS],
    ),
  );
  const now = new Date();
  let indexes: Array<{ name: string; definition: string }> = [];
  await step('requests', async () => {
    await db.query(UNIFORM_FUNCTION);
    await db.query(
      `CREATE TEMP TABLE bench_types AS
         SELECT (row_number() OVER (ORDER BY created_at, code) - 1)::int AS k, id, category
         FROM service_types WHERE municipality_id = $1`,
      [municipality.id],
    );
    await db.query(
      `CREATE TEMP TABLE bench_residents AS
         SELECT w.number - 1 AS ward_k, w.number AS ward_number, r.ward_id, r.id,
                (row_number() OVER (PARTITION BY r.ward_id ORDER BY r.id) - 1)::int AS k
         FROM residents r JOIN wards w ON w.id = r.ward_id`,
    );
    await db.query('ANALYZE bench_types, bench_residents');
    // Every reference comes from a join with an existing row: the foreign-key triggers (five
    // checks a request) are switched off for the bulk load of this session.
    await db.query('SET session_replication_role = replica');
    // As pg_restore does: the plain indexes are built once the rows are in (half the time
    // of keeping ten indexes up to date row by row), from their own definitions. The
    // primary key and the unique tracking number stay.
    indexes = (
      await db.query(
        `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
         WHERE schemaname = 'public' AND tablename = 'service_requests'
           AND indexname LIKE 'ix\\_%' ORDER BY indexname`,
      )
    ).rows;
    for (const { name } of indexes) await db.query(`DROP INDEX ${name}`);
    for (let lo = 1; lo <= REQUESTS; lo += CHUNK) {
      const hi = Math.min(REQUESTS, lo + CHUNK - 1);
      await db.query(INSERT_REQUESTS, [
        municipality.id,
        lo,
        hi,
        now,
        DEMO_CATALOGUE.length,
        Math.floor(RESIDENTS / WARDS),
        REQUESTS,
      ]);
      log(`loading: ${hi} of ${REQUESTS} requests`);
    }
  });
  await step('indexes', async () => {
    for (const { definition } of indexes) await db.query(definition);
    const rebuilt = (
      await db.query(
        `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
         WHERE schemaname = 'public' AND tablename = 'service_requests'
           AND indexname LIKE 'ix\\_%' ORDER BY indexname`,
      )
    ).rows;
    if (JSON.stringify(rebuilt) !== JSON.stringify(indexes) || indexes.length === 0) {
      throw new Error(`indexes not rebuilt as they were: ${JSON.stringify(rebuilt)}`);
    }
  });
  await step('events', () => db.query(DELIVERY_EVENTS_SQL, [null, null]));
  await db.query('SET session_replication_role = DEFAULT');
  // As a long-running table would be (autovacuum would otherwise start on the fresh rows
  // during the measurements): visibility map, hint bits and statistics; then a checkpoint.
  await step('vacuum', () => db.query('VACUUM (ANALYZE) service_requests, request_events'));
  await step('checkpoint', () => db.query('CHECKPOINT'));
  const wardId = wardIds[WARD_NUMBER - 1];
  return { municipalityId: municipality.id, wardId, wardIds, now, loading };
}

// ---------------------------------------------------------------------------------------
// What the application sends to PostgreSQL for one GraphQL request: every statement passes
// `pg`'s Client#query (TypeORM's pool is made of them), recorded while `capture` runs.

// ---------------------------------------------------------------------------------------
// The queries.

const STATS_FIELDS = `from to total completed overdueNow completedWithinSlaShare
  byStatus { status count }
  byServiceType { serviceTypeId code nameBn nameEn count }
  byChannel { channel count }
  turnaroundHours { median p90 }
  deliveries { attempted succeeded }`;

const WARD_STATS = `query ($wardId: ID!, $from: String!, $to: String!) {
  wardStats(wardId: $wardId, from: $from, to: $to) { ${STATS_FIELDS} } }`;

const MUNICIPALITY_STATS = `query ($municipalityId: ID!, $from: String!, $to: String!) {
  municipalityStats(municipalityId: $municipalityId, from: $from, to: $to) { ${STATS_FIELDS} } }`;

interface QuerySpec {
  name: string;
  field: 'wardStats' | 'municipalityStats';
  body: string;
  from: string;
  to: string;
  wardIds: string[] | null;
}

/** An Indian calendar date (YYYY-MM-DD), `days` before the one of `at`. */
function indianDate(at: Date, days = 0): string {
  return new Date(at.getTime() + IST_OFFSET_MS - days * DAY_MS).toISOString().slice(0, 10);
}

function querySpecs(data: Loaded): QuerySpec[] {
  const today = indianDate(data.now);
  const periods: Array<[string, string]> = [
    ['30 days', indianDate(data.now, 29)],
    ['12 months', indianDate(data.now, 364)],
  ];
  const specs: QuerySpec[] = [];
  for (const [label, from] of periods) {
    specs.push({
      name: `wardStats, ${label}`,
      field: 'wardStats',
      body: JSON.stringify({
        query: WARD_STATS,
        variables: { wardId: data.wardId, from, to: today },
      }),
      from,
      to: today,
      wardIds: [data.wardId],
    });
  }
  for (const [label, from] of periods) {
    specs.push({
      name: `municipalityStats, ${label}`,
      field: 'municipalityStats',
      body: JSON.stringify({
        query: MUNICIPALITY_STATS,
        variables: { municipalityId: data.municipalityId, from, to: today },
      }),
      from,
      to: today,
      wardIds: null,
    });
  }
  return specs;
}

interface Answer {
  total: number;
  completed: number;
  byStatus: Array<{ status: string; count: number }>;
  deliveries: { attempted: number; succeeded: number };
}

/** One GraphQL request; its answer's statistics (or a thrown error). */
async function ask(url: string, token: string, spec: QuerySpec): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: spec.body,
  });
  const text = await response.text();
  let parsed: { data?: Record<string, Answer | null>; errors?: unknown } | undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Reported below.
  }
  const answer = parsed?.data?.[spec.field];
  if (response.status !== 200 || !answer || parsed?.errors) {
    throw new Error(`${spec.name}: HTTP ${response.status}: ${text.slice(0, 1000)}`);
  }
  return answer;
}

// ---------------------------------------------------------------------------------------
// Measurement helpers.

const gc = (globalThis as { gc?: () => void }).gc;

interface Latencies {
  queries: number;
  inFlight: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  /** CPU time of this Node process (application and client) ÷ wall time. */
  processCpu: number;
  /** Share of all logical CPUs busy (PostgreSQL, this process and anything else). */
  machineBusy: number;
}

/** Runs `count` calls of `once`, `inFlight` at a time, timing each and the whole. */
async function measure(
  count: number,
  inFlight: number,
  once: () => Promise<void>,
): Promise<Latencies> {
  gc?.();
  const times: number[] = [];
  const machineBefore = machineTimes();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const t0 = performance.now();
      await once();
      times.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const machine = machineTimes();
  return {
    queries: count,
    inFlight,
    seconds,
    perSecond: count / seconds,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    meanMs: times.reduce((a, b) => a + b, 0) / times.length,
    maxMs: Math.max(...times),
    processCpu: (cpu.user + cpu.system) / 1e6 / seconds,
    machineBusy: (machine.busy - machineBefore.busy) / (machine.total - machineBefore.total || 1),
  };
}

/** Enough queries for about SECONDS of one-at-a-time work, within the bounds. */
function queriesFor(msEach: number): number {
  return Math.max(MIN_QUERIES, Math.min(MAX_QUERIES, Math.round((SECONDS * 1000) / msEach)));
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);
const grouped = (value: number) => value.toLocaleString('en-US');
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const summary = (values: number[]) => ({
  median: median(values),
  min: Math.min(...values),
  max: Math.max(...values),
});

// ---------------------------------------------------------------------------------------
// EXPLAIN (ANALYZE, BUFFERS) of the statistics statements.

interface Scan {
  relation: string;
  node: string;
  index: string | null;
  /** Rows the node returned (all loops). */
  rows: number;
  /** Rows the node read and threw away by its filter (all loops). */
  removedByFilter: number;
  /** Until the node's last row (ms; a parallel scan's is per process, they overlap). */
  ms: number;
}

interface Explained {
  query: string;
  statement: 'summary' | 'breakdown';
  planningMs: number;
  executionMs: number;
  sharedHit: number;
  sharedRead: number;
  /** Blocks written to temporary files (a sort or hash larger than work_mem). */
  tempWritten: number;
  scans: Scan[];
  seqScans: string[];
}

function scansOf(plan: Record<string, any>): Scan[] {
  const own: Scan[] = [];
  if (plan['Relation Name']) {
    const loops = Number(plan['Actual Loops'] ?? 1);
    own.push({
      relation: plan['Relation Name'],
      node: plan['Node Type'],
      index: plan['Index Name'] ?? null,
      rows: Math.round(Number(plan['Actual Rows'] ?? 0) * loops),
      removedByFilter: Math.round(Number(plan['Rows Removed by Filter'] ?? 0) * loops),
      ms: Number(plan['Actual Total Time'] ?? 0),
    });
  }
  if (plan['Node Type'] === 'Bitmap Heap Scan') {
    const indexes = ((plan.Plans ?? []) as Array<Record<string, any>>)
      .map((child) => child['Index Name'])
      .filter(Boolean);
    if (own[0]) own[0].index = indexes.join(' + ') || null;
  }
  return [...own, ...((plan.Plans ?? []) as Array<Record<string, any>>).flatMap(scansOf)];
}

const describeScan = (scan: Scan) =>
  `${scan.relation}: ${scan.node}${scan.index ? ` on ${scan.index}` : ''}, ${grouped(scan.rows)} rows` +
  (scan.removedByFilter ? ` (${grouped(scan.removedByFilter)} more read and filtered out)` : '') +
  `, ${fixed(scan.ms, 1)} ms`;

/**
 * Per statement, the tables among service_requests and request_events that a sequential
 * scan read at least half of: "query (statement): table (rows read, rows kept); …".
 */
function fullScansOf(explained: Explained[], events: number): string[] {
  const sizes: Record<string, number> = { service_requests: REQUESTS, request_events: events };
  return explained.flatMap((e) => {
    const whole = e.scans
      .filter((s) => s.node === 'Seq Scan' && s.relation in sizes)
      .filter((s) => s.rows + s.removedByFilter >= 0.5 * sizes[s.relation])
      .map(
        (s) =>
          `${s.relation} (${grouped(Math.min(sizes[s.relation], s.rows + s.removedByFilter))} ` +
          `rows read, ${grouped(s.rows)} kept, ${fixed(s.ms, 0)} ms)`,
      );
    return whole.length ? [`${e.query}, ${e.statement}: ${whole.join('; ')}`] : [];
  });
}

// ---------------------------------------------------------------------------------------
// Results.

interface QueryRun {
  run: number;
  query: string;
  /** The application's statements for one request, replayed one after the other. */
  baseline: Latencies;
  /** The GraphQL request, one at a time. */
  app: Latencies;
  /** The GraphQL request, CONCURRENCY in flight. */
  appConcurrent: Latencies;
  /** App p50 ÷ baseline p50 (both one at a time). */
  appToBaseline: number;
  /** App queries/s at CONCURRENCY in flight ÷ baseline queries/s (one client). */
  concurrentToBaseline: number;
}

interface QueryInfo {
  name: string;
  from: string;
  to: string;
  /** Requests made in the period (of the scope). */
  requestsInPeriod: number;
  /** Statements the application sent to PostgreSQL for one request, first line each. */
  statements: string[];
  /** How many of them are the statistics statements (the rest: authentication, ward). */
  statisticsStatements: number;
  queriesPerMeasurement: number;
}

type Figure = [string, (r: QueryRun) => number, number];

const FIGURES: Figure[] = [
  ['Bare SQL p50 (ms)', (r) => r.baseline.p50Ms, 1],
  ['App p50 (ms)', (r) => r.app.p50Ms, 1],
  ['App ÷ bare SQL', (r) => r.appToBaseline, 2],
  [`App p50, ${CONCURRENCY} in flight (ms)`, (r) => r.appConcurrent.p50Ms, 1],
  [`App p99, ${CONCURRENCY} in flight (ms)`, (r) => r.appConcurrent.p99Ms, 1],
  [`App queries/s, ${CONCURRENCY} in flight`, (r) => r.appConcurrent.perSecond, 1],
  ['Bare SQL queries/s (1 client)', (r) => r.baseline.perSecond, 1],
  [`App (${CONCURRENCY} in flight) ÷ bare SQL, queries/s`, (r) => r.concurrentToBaseline, 2],
];

function markdown(
  meta: Record<string, unknown>,
  loading: Record<string, number>,
  infos: QueryInfo[],
  results: QueryRun[],
  explained: Explained[],
  heaviestPlan: string,
): string {
  const cells = (values: string[]) => `| ${values.join(' | ')} |`;
  const of = (name: string) => results.filter((r) => r.query === name);
  const heaviest = explained.reduce((a, b) => (b.executionMs > a.executionMs ? b : a));
  const fullScans = fullScansOf(explained, meta.requestEvents as number);
  return [
    '# Request statistics benchmark',
    '',
    ...Object.entries(meta).map(([key, value]) => `- ${key}: ${value}`),
    '',
    `Loading (context, not a result): ${Object.entries(loading)
      .map(([step, seconds]) => `${step} ${fixed(seconds, 1)} s`)
      .join(', ')}; ${fixed(
      Object.values(loading).reduce((a, b) => a + b, 0),
      0,
    )} s in all.`,
    '',
    '## Medians over the runs (min–max below each)',
    '',
    cells(['Query', 'Requests in period', 'Queries / measurement', ...FIGURES.map(([n]) => n)]),
    cells(['--', '--:', '--:', ...FIGURES.map(() => '--:')]),
    ...infos.flatMap((info) => {
      const runs = of(info.name);
      return [
        cells([
          `**${info.name}**`,
          grouped(info.requestsInPeriod),
          String(info.queriesPerMeasurement),
          ...FIGURES.map(([, get, digits]) => `**${fixed(median(runs.map(get)), digits)}**`),
        ]),
        cells([
          '',
          '',
          '',
          ...FIGURES.map(([, get, digits]) => {
            const s = summary(runs.map(get));
            return `${fixed(s.min, digits)}–${fixed(s.max, digits)}`;
          }),
        ]),
      ];
    }),
    '',
    '## Per run',
    '',
    cells([
      'Run',
      'Query',
      'Bare SQL p50 / p99 (ms)',
      'App p50 / p99 (ms)',
      `App, ${CONCURRENCY} in flight: p50 / p99 (ms)`,
      'queries/s',
      'App ÷ bare SQL',
      'Node CPU app / concurrent (% of a core)',
      'Machine busy bare / app / concurrent (%)',
    ]),
    cells(['--:', '--', '--:', '--:', '--:', '--:', '--:', '--:', '--:']),
    ...results.map((r) =>
      cells([
        String(r.run),
        r.query,
        `${fixed(r.baseline.p50Ms)} / ${fixed(r.baseline.p99Ms)}`,
        `${fixed(r.app.p50Ms)} / ${fixed(r.app.p99Ms)}`,
        `${fixed(r.appConcurrent.p50Ms)} / ${fixed(r.appConcurrent.p99Ms)}`,
        fixed(r.appConcurrent.perSecond),
        fixed(r.appToBaseline, 2),
        `${fixed(100 * r.app.processCpu, 0)} / ${fixed(100 * r.appConcurrent.processCpu, 0)}`,
        [r.baseline, r.app, r.appConcurrent].map((m) => fixed(100 * m.machineBusy, 0)).join(' / '),
      ]),
    ),
    '',
    'Statements the application sent to PostgreSQL for one request (replayed as the bare SQL):',
    '',
    ...infos.map(
      (info) =>
        `- ${info.name}: ${info.statements.length} (${info.statements
          .map((sql) => `\`${sql.length > 60 ? `${sql.slice(0, 57)}…` : sql}\``)
          .join(', ')})`,
    ),
    '',
    '## EXPLAIN (ANALYZE, BUFFERS) of the statistics statements',
    '',
    cells([
      'Query',
      'Statement',
      'Planning (ms)',
      'Execution (ms)',
      'Blocks hit / read / temp written',
      'Scans',
    ]),
    cells(['--', '--', '--:', '--:', '--:', '--']),
    ...explained.map((e) =>
      cells([
        e.query,
        e.statement,
        fixed(e.planningMs, 2),
        fixed(e.executionMs, 1),
        `${grouped(e.sharedHit)} / ${grouped(e.sharedRead)} / ${grouped(e.tempWritten)}`,
        e.scans.map(describeScan).join('; '),
      ]),
    ),
    '',
    `Heaviest statement: the ${heaviest.statement} of ${heaviest.query} (${fixed(
      heaviest.executionMs,
      0,
    )} ms executing, ${fixed(heaviest.planningMs, 2)} ms planning); ${
      heaviest.seqScans.length
        ? `sequential scan of ${heaviest.seqScans.join(', ')}`
        : 'no sequential scan'
    }.`,
    '',
    fullScans.length
      ? 'Sequential scans that read at least half of service_requests or request_events:'
      : 'No statement reads service_requests or request_events whole.',
    '',
    ...fullScans.map((line) => `- ${line}`),
    ...(fullScans.length ? [''] : []),
    `The heaviest statement's plan:`,
    '',
    '```',
    heaviestPlan.trimEnd(),
    '```',
    '',
    `- Data: ${grouped(REQUESTS)} requests made one after the other over the 365 days before loading (the table is in the order of making, as a live one is), each in one of ${WARDS} wards drawn at random, by one of ${grouped(RESIDENTS)} residents, for one of the ${DEMO_CATALOGUE.length} demo service types (skewed towards the certificates); 70 % with an outcome 1 h to 10 days after making; SLA 7 days (certificates) or 48 h; the rest open, NEEDS_INFO ones paused (${meta.requestsShape}). ${grouped(meta.requestEvents as number)} timeline rows: the DISPATCH / RETURN_UNDELIVERED / HAND_OVER steps of the DELIVERED and OUT_FOR_DELIVERY requests. Loaded with \`INSERT … SELECT … FROM generate_series\` (foreign-key triggers off for the loading session; the nine plain indexes of service_requests dropped and built again from their definitions afterwards, as pg_restore does), then VACUUM (ANALYZE) and CHECKPOINT.`,
    `- Bare SQL: every statement the application sent to PostgreSQL for one such GraphQL request (captured at the \`pg\` client, listed above), replayed with the same parameters one after the other through one \`pg\` client. App: the GraphQL query (all fields of RequestStats) over HTTP with \`fetch\`, one at a time, then ${CONCURRENCY} in flight. Latency from sending to reading the whole answer.`,
    `- Each measurement makes about ${SECONDS} s' worth of queries one at a time (at least ${MIN_QUERIES}, at most ${MAX_QUERIES}, from the warm-up's bare SQL time); with fewer than 100, p99 is the slowest. The three measurements of a query follow each other, query after query, in each run.`,
    '- Node CPU: CPU time of the bench process (application and client share its event loop) ÷ wall time; machine busy: all logical CPUs, PostgreSQL and anything else included.',
    "- EXPLAIN: once each, after the measurements, through the bare client. A scan's time is until its last row (a parallel scan's per process: the processes overlap); blocks read came from outside shared_buffers (from the operating system's cache here), temp written from a sort or hash larger than work_mem.",
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  // Not inside a 0700 temp dir: run as root, PostgreSQL runs as another user.
  const pgDir = join(tmpdir(), `duare-bench-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  let app: NestFastifyApplication | undefined;
  let stopPostgres: (() => Promise<void>) | undefined;
  let db: Client | undefined;
  let bare: Client | undefined;
  try {
    log(`PostgreSQL in ${pgDir}`);
    const postgres = await startEmbeddedPostgres({
      dataDir: pgDir,
      port: 0,
      databaseName: 'duare_bench',
    });
    stopPostgres = postgres.stop;
    await runMigrations(postgres.url);
    const recorder = new StatementRecorder();

    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: postgres.url,
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'bench-secret-that-is-at-least-32-characters',
      // Off: it would record breaches for the overdue requests during the measurements.
      SLA_SWEEP_SECONDS: '0',
      // The notification, webhook and inbox pollers have nothing to do: once a minute.
      NOTIFY_POLL_MS: '60000',
      // The points budget is still counted (an upsert a request) but never runs out.
      API_RATE_PER_MINUTE: '1000000',
    });
    app = await createApp({
      config,
      logger: createLogger(config.logLevel, quiet),
      databaseUrl: postgres.url,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const graphqlUrl = `${await app.getUrl()}/graphql`;

    db = new Client({ connectionString: postgres.url });
    await db.connect();
    log(`loading ${REQUESTS} requests`);
    const data = await loadData(app, db, log);
    const requestEvents: number = (await db.query('SELECT count(*)::int AS n FROM request_events'))
      .rows[0].n;
    const shape = (
      await db.query(
        `SELECT count(*) FILTER (WHERE completed_at IS NOT NULL)::float8 / count(*) AS completed,
                count(*) FILTER (WHERE sla_paused_at IS NOT NULL)::float8 / count(*) AS paused,
                count(*) FILTER (WHERE completed_at IS NULL AND sla_paused_at IS NULL
                                   AND sla_due_at < now())::float8 / count(*) AS overdue
         FROM service_requests`,
      )
    ).rows[0];
    const sizes = (
      await db.query(
        `SELECT pg_size_pretty(pg_table_size('service_requests')) AS requests,
                pg_size_pretty(pg_indexes_size('service_requests')) AS request_indexes,
                pg_size_pretty(pg_total_relation_size('request_events')) AS events,
                current_setting('shared_buffers') AS shared_buffers,
                current_setting('work_mem') AS work_mem,
                current_setting('max_parallel_workers_per_gather') AS parallel`,
      )
    ).rows[0];

    const by = systemActor('bench', 'bench');
    const created = await app.get(StaffAccountsService).createInMunicipality(
      data.municipalityId,
      {
        username: 'bench.admin',
        displayName: 'Bench admin',
        phone: null,
        password: PASSWORD,
        roles: [{ role: StaffRole.MUNICIPAL_ADMIN, wardId: null }],
      },
      by,
    );
    if (!created.account) throw new Error(`admin refused: ${JSON.stringify(created.errors)}`);
    const signIn = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation ($input: SignInInput!) { signIn(input: $input) { accessToken errors { message } } }`,
        variables: { input: { login: 'bench.admin', password: PASSWORD } },
      }),
    });
    const token: string | undefined = ((await signIn.json()) as any).data?.signIn?.accessToken;
    if (!token) throw new Error('sign-in failed');

    bare = new Client({ connectionString: postgres.url });
    await bare.connect();
    const service = app.get(StatisticsService);
    const specs = querySpecs(data);

    // Per query: capture the statements of one request, check them against the service's
    // own and the answer against SQL, warm up, and size the measurements.
    const replays = new Map<string, Statement[]>();
    const infos: QueryInfo[] = [];
    for (const spec of specs) {
      const period = statsPeriod(spec.from, spec.to);
      const own = service.statements(
        { municipalityId: data.municipalityId, wardIds: spec.wardIds },
        period,
      );
      const { answer, statements: captured } = await recorder.captureRequest(() =>
        ask(graphqlUrl, token, spec),
      );
      for (const [name, [sql]] of Object.entries(own)) {
        if (!captured.some((statement) => statement.sql === sql)) {
          throw new Error(`${spec.name}: the ${name} statement was not captured`);
        }
      }
      const direct: number = (
        await db.query(
          `SELECT count(*)::int AS n FROM service_requests r
           WHERE r.municipality_id = $1 AND ($2::uuid IS NULL OR r.ward_id = $2::uuid)
             AND r.created_at >= $3 AND r.created_at < $4`,
          [data.municipalityId, spec.wardIds?.[0] ?? null, period.start, period.end],
        )
      ).rows[0].n;
      if (!answer || answer.total !== direct) {
        throw new Error(`${spec.name}: total ${answer?.total}, SQL counts ${direct}`);
      }
      replays.set(spec.name, captured);
      const replay = async () => {
        for (const { sql, params } of captured) await bare!.query(sql, params);
      };
      for (let i = 0; i < WARMUP; i += 1) {
        await replay();
        await ask(graphqlUrl, token, spec);
      }
      const probe = await measure(Math.max(1, WARMUP), 1, replay);
      infos.push({
        name: spec.name,
        from: spec.from,
        to: spec.to,
        requestsInPeriod: direct,
        statements: captured.map((s) => s.sql.trim().split('\n')[0].slice(0, 120)),
        statisticsStatements: Object.keys(own).length,
        queriesPerMeasurement: queriesFor(probe.meanMs),
      });
      log(
        `${spec.name}: ${direct} requests in the period, ${captured.length} statements, ` +
          `bare SQL ${fixed(probe.meanMs)} ms`,
      );
    }

    const results: QueryRun[] = [];
    for (let run = 1; run <= RUNS; run += 1) {
      for (const spec of specs) {
        const count = infos.find((info) => info.name === spec.name)!.queriesPerMeasurement;
        const statements = replays.get(spec.name)!;
        const baseline = await measure(count, 1, async () => {
          for (const { sql, params } of statements) await bare!.query(sql, params);
        });
        const request = async () => {
          await ask(graphqlUrl, token, spec);
        };
        const single = await measure(count, 1, request);
        const concurrent = await measure(count, CONCURRENCY, request);
        results.push({
          run,
          query: spec.name,
          baseline,
          app: single,
          appConcurrent: concurrent,
          appToBaseline: single.p50Ms / baseline.p50Ms,
          concurrentToBaseline: concurrent.perSecond / baseline.perSecond,
        });
        log(
          `run ${run} ${spec.name}: bare SQL p50 ${fixed(baseline.p50Ms)} ms, app p50 ` +
            `${fixed(single.p50Ms)} ms (× ${fixed(single.p50Ms / baseline.p50Ms, 2)}), ` +
            `${CONCURRENCY} in flight ${fixed(concurrent.perSecond)} queries/s`,
        );
      }
    }

    // EXPLAIN (ANALYZE, BUFFERS) of each statistics statement, as the service makes it.
    const explained: Explained[] = [];
    for (const spec of specs) {
      const own = service.statements(
        { municipalityId: data.municipalityId, wardIds: spec.wardIds },
        statsPeriod(spec.from, spec.to),
      );
      for (const [statement, [sql, params]] of Object.entries(own)) {
        const { rows } = await bare.query(
          `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`,
          params as unknown[],
        );
        const top = rows[0]['QUERY PLAN'][0];
        const scans = scansOf(top.Plan);
        explained.push({
          query: spec.name,
          statement: statement as Explained['statement'],
          planningMs: top['Planning Time'],
          executionMs: top['Execution Time'],
          sharedHit: top.Plan['Shared Hit Blocks'] ?? 0,
          sharedRead: top.Plan['Shared Read Blocks'] ?? 0,
          tempWritten: top.Plan['Temp Written Blocks'] ?? 0,
          scans,
          seqScans: [...new Set(scans.filter((s) => s.node === 'Seq Scan').map((s) => s.relation))],
        });
      }
    }
    const heaviest = explained.reduce((a, b) => (b.executionMs > a.executionMs ? b : a));
    const heaviestSpec = specs.find((spec) => spec.name === heaviest.query)!;
    const [heaviestSql, heaviestParams] = service.statements(
      { municipalityId: data.municipalityId, wardIds: heaviestSpec.wardIds },
      statsPeriod(heaviestSpec.from, heaviestSpec.to),
    )[heaviest.statement];
    const heaviestPlan = (
      await bare.query(`EXPLAIN (ANALYZE, BUFFERS) ${heaviestSql}`, heaviestParams as unknown[])
    ).rows
      .map((row) => row['QUERY PLAN'])
      .join('\n');

    const meta = {
      date: new Date().toISOString(),
      node: process.version,
      cpu: `${cpus()[0]?.model ?? 'unknown'} (${cpus().length} logical CPUs)`,
      memory: `${fixed(totalmem() / 1024 ** 3)} GiB`,
      postgres: (await db.query('SHOW server_version')).rows[0].server_version,
      postgresSettings: `shared_buffers ${sizes.shared_buffers}, work_mem ${sizes.work_mem}, max_parallel_workers_per_gather ${sizes.parallel}`,
      requests: REQUESTS,
      requestEvents,
      requestsShape: `${fixed(100 * shape.completed)} % with an outcome, ${fixed(100 * shape.paused)} % paused, ${fixed(100 * shape.overdue)} % overdue now`,
      wards: WARDS,
      residents: RESIDENTS,
      serviceTypes: DEMO_CATALOGUE.length,
      tableSizes: `service_requests ${sizes.requests} + ${sizes.request_indexes} of indexes, request_events ${sizes.events}`,
      runs: RUNS,
      warmup: WARMUP,
      concurrency: CONCURRENCY,
      databasePoolSize: POOL_SIZE,
      forcedGc: Boolean(gc),
    };
    const figures = Object.fromEntries(
      infos.map((info) => [
        info.name,
        Object.fromEntries(
          FIGURES.map(([name, get]) => [
            name,
            summary(results.filter((r) => r.query === info.name).map(get)),
          ]),
        ),
      ]),
    );
    const report = markdown(meta, data.loading, infos, results, explained, heaviestPlan);
    const written = writeResults(
      'stats',
      {
        ...meta,
        loadingSeconds: data.loading,
        queries: infos,
        summary: figures,
        results,
        explain: explained,
        heaviest: { ...heaviest, plan: heaviestPlan },
      },
      report,
    );
    process.stdout.write(report);
    log(`results in ${written}.{json,md}`);
  } finally {
    await bare?.end().catch(() => undefined);
    await db?.end().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await stopPostgres?.().catch(() => undefined);
    rmSync(pgDir, { recursive: true, force: true });
  }
}

runBenchmark(main);

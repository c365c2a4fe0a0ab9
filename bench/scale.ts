/**
 * The scale benchmark (issue 11): the production build under HTTP load at a named data
 * scale (ward, municipality, state), every scenario next to baselines measured in the same
 * run, so that ratios mean something on a noisy machine.
 *
 *   npm run bench -- --scale ward [--only queue,search-name] [--fresh] [--runs 3] [--seconds 5]
 *
 * 1. PostgreSQL (embedded, pg_stat_statements loaded) in `.data/bench/<scale>`, kept
 *    between runs; the data generated into it when missing (bench/support/generate.ts).
 * 2. The application in this process, once, to capture the SQL statements of one
 *    operation of each scenario at the `pg` client (with parameters).
 * 3. The production entry (`src/main.js`, NODE_ENV=production) as a child process pinned to
 *    CPU 0, the raw `node:http` + `pg` baseline (bench/raw-server.ts, replaying the captured
 *    statements) as another child pinned to CPU 0, and autocannon in this process pinned to
 *    CPU 1 (without taskset: unpinned, and said so).
 * 4. Per scenario: a warm-up, then BENCH_RUNS runs of app, raw baseline and bare
 *    PostgreSQL (the captured statements in a tight `pg` loop) one after the other; req/s,
 *    p50/p99, statements per operation (pg_stat_statements), peak RSS of the server.
 * 5. Results in bench/results/scale-<scale>.{json,md}, and scale-growth.md from every
 *    scale's latest results. See bench/README.md.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { createApp } from '../src/app.factory';
import { createLogger } from '../src/common/logging/logger';
import { loadConfig } from '../src/config/app-config';
import { findFreePort } from '../src/database/embedded-postgres.launcher';
import { runMigrations } from '../src/database/migration-runner';
import { WebhooksService } from '../src/integration/webhooks/webhooks.service';
import { NotificationDispatcherService } from '../src/notifications/notification-dispatcher.service';
import { INBOX_CLAIM_SQL, WhatsAppInboxService } from '../src/whatsapp/whatsapp-inbox.service';
import { QUEUE_CARD_FIELDS } from '../test/support/request-fixtures';
import type { RawConfig, RawRoute } from './raw-server';
import { BENCH_APP_SECRET, BENCH_PASSWORD, benchAppEnv, signingKeyIn } from './support/app-env';
import { FakeGraph, startFakeGraph } from './support/fake-graph';
import { BENCH_HELPLINE, COORDINATOR, generate, Generated, SCALES } from './support/generate';
import { accessToken } from './support/graphql';
import { Load, LoadRequest, runLoad } from './support/load';
import { machineInfo, machineLines } from './support/machine';
import { fixed, grouped, machineBusy, percentile, sleep, spread, Spread } from './support/measure';
import { pin, rssOf, sampleRss, ServerProcess, startNodeServer } from './support/processes';
import { RESULTS_DIR, markdownTable, runBenchmark, writeResults } from './support/results';
import { startBenchPostgres } from './support/postgres';
import { appSettingsFromEnvironment, startProductionApp } from './support/production-app';
import {
  BareLoad,
  bareLoop,
  headline,
  ServerStatementCounter,
  Statement,
  StatementRecorder,
} from './support/statements';
import { textWebhook } from './support/whatsapp';

const { values: options } = parseArgs({
  options: {
    scale: { type: 'string', default: process.env.BENCH_SCALE ?? 'ward' },
    only: { type: 'string', default: process.env.BENCH_ONLY ?? '' },
    fresh: { type: 'boolean', default: process.env.BENCH_FRESH === '1' },
    runs: { type: 'string', default: process.env.BENCH_RUNS ?? '3' },
    seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '5' },
    warmup: { type: 'string', default: process.env.BENCH_WARMUP_SECONDS ?? '2' },
    connections: { type: 'string', default: process.env.BENCH_CONNECTIONS ?? '10' },
    'cpu-prof': { type: 'boolean', default: process.env.BENCH_CPU_PROF === '1' },
    'generate-only': { type: 'boolean', default: false },
    'growth-only': { type: 'boolean', default: false },
  },
  strict: true,
});

const SCALE = options.scale!;
const RUNS = Number(options.runs);
const SECONDS = Number(options.seconds);
const WARMUP_SECONDS = Number(options.warmup);
const CONNECTIONS = Number(options.connections);
const POOL_SIZE = 10;
const DATA_DIR = resolve(process.env.BENCH_DATA_DIR ?? join('.data', 'bench', SCALE));
/** Runs of a scenario whose operations take seconds under load last at least this long. */
const SLOW_SECONDS = Number(process.env.BENCH_SLOW_SECONDS ?? 30);

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

// ---------------------------------------------------------------------------------------
// The scenarios.

/** A queue page with everything a coordinator's screen shows (as the queue e2e test asks). */
const QUEUE = `query ($filter: RequestFilter, $first: Int) { requests(filter: $filter, first: $first) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { ${QUEUE_CARD_FIELDS} } } } }`;

const CREATE = `mutation ($input: CreateRequestInput!) { createRequest(input: $input) {
  request { id trackingNumber status version sla { dueAt } } errors { code field message } } }`;

const VERIFY = `query ($n: String!, $c: String!) { verifyCertificate(number: $n, code: $c) {
  status number typeCode typeNameBn typeNameEn issuedAt validUntil municipalityNameBn
  municipalityNameEn wardNumber holderNameMasked signatureValid keyId supersededByNumber revokedAt } }`;

const STATS = `query ($wardId: ID!, $from: String!, $to: String!) { wardStats(wardId: $wardId, from: $from, to: $to) {
  from to total completed overdueNow completedWithinSlaShare byStatus { status count }
  byServiceType { serviceTypeId code nameBn nameEn count } byChannel { channel count }
  turnaroundHours { median p90 } deliveries { attempted succeeded } } }`;

const SEARCH = `query ($search: String!) { residents(filter: { search: $search }, first: 20) {
  edges { node { id fullName phone ward { number } } } } }`;

/** The verification page of a valid certificate with a good signature says both. */
const VALID_PAGE_MARK = 'Valid certificate';
const SIGNATURE_MARK = 'ঠিক আছে / verified';

const BY_PHONE = `query ($phone: String!) { residentByPhone(phone: $phone) { id fullName phone ward { number } } }`;

interface Context {
  data: Generated;
  token: string;
  runId: string;
}

interface Scenario {
  name: string;
  /** The issue's scenario number. */
  item: number;
  title: string;
  /** The request autocannon sends (built afresh for each request where needed). */
  request(context: Context): LoadRequest;
  /** Whether an answer is right (beyond its status). */
  check(body: string): boolean;
  /** Whether it has the raw-server and bare-PostgreSQL baselines (captured statements). */
  baselines: boolean;
  /** For a write: the captured values the raw baseline makes new for each request. */
  fresh?: (body: Record<string, unknown>, answer: any) => RawRoute['fresh'];
}

const json = (body: string) => {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
};
const graphqlPost = (token: string | null, body: () => Record<string, unknown>): LoadRequest => ({
  method: 'POST',
  path: '/graphql',
  headers: {
    'content-type': 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  },
  next: () => ({ body: JSON.stringify(body()) }),
});
const dataOf = (body: string, field: string) => {
  const parsed = json(body);
  return parsed && !parsed.errors ? parsed.data?.[field] : undefined;
};
/** Indian calendar date `days` before today. */
const indianDate = (days: number) =>
  new Date(Date.now() + 330 * 60_000 - days * 86_400_000).toISOString().slice(0, 10);
/** A phone as people write it: 10 digits without +91, in two groups. */
const localPhone = (e164: string) => `${e164.slice(3, 8)} ${e164.slice(8)}`;

let sequence = 0;
const rotate = <T>(list: T[]) => list[sequence++ % list.length];

const SCENARIOS: Scenario[] = [
  {
    name: 'intake',
    item: 1,
    title: 'createRequest (idempotency key)',
    baselines: true,
    request: ({ data, token, runId }) =>
      graphqlPost(token, () => ({
        query: CREATE,
        variables: {
          input: {
            residentId: rotate(data.residents).id,
            serviceTypeId: data.serviceTypes.GARBAGE,
            channel: 'PHONE_CALL',
            description: 'তিন দিন ময়লা তোলা হয়নি',
            idempotencyKey: `bench-${runId}-${(sequence += 1)}`,
          },
        },
      })),
    check: (body) => {
      const payload = dataOf(body, 'createRequest');
      return Boolean(payload?.request?.trackingNumber) && payload.errors.length === 0;
    },
    fresh: (body, answer) => [
      { value: String((body as any).variables.input.idempotencyKey), as: 'key' },
      { value: String(answer.data.createRequest.request.trackingNumber), as: 'serial' },
      { value: String(answer.data.createRequest.request.id), as: 'uuid' },
    ],
  },
  {
    name: 'queue',
    item: 2,
    title: 'requests: page of 50, fully expanded, open statuses',
    baselines: true,
    request: ({ token }) =>
      graphqlPost(token, () => ({
        query: QUEUE,
        variables: {
          first: 50,
          filter: { statuses: ['SUBMITTED', 'IN_REVIEW', 'NEEDS_INFO', 'APPROVED'] },
        },
      })),
    check: (body) => dataOf(body, 'requests')?.edges?.length === 50,
  },
  {
    name: 'verify-graphql',
    item: 3,
    title: 'verifyCertificate (GraphQL, public)',
    baselines: true,
    request: ({ data }) =>
      graphqlPost(null, () => {
        const certificate = rotate(data.certificates);
        return { query: VERIFY, variables: { n: certificate.number, c: certificate.code } };
      }),
    check: (body) => {
      const answer = dataOf(body, 'verifyCertificate');
      return answer?.status === 'VALID' && answer.signatureValid === true;
    },
  },
  {
    name: 'verify-page',
    item: 3,
    title: 'GET /verify/{number}?c= (HTML page)',
    baselines: true,
    request: ({ data }) => ({
      method: 'GET',
      path: '/verify/x',
      next: () => {
        const certificate = rotate(data.certificates);
        return { path: `/verify/${encodeURIComponent(certificate.number)}?c=${certificate.code}` };
      },
    }),
    check: (body) => body.includes(VALID_PAGE_MARK) && body.includes(SIGNATURE_MARK),
  },
  {
    name: 'ward-stats',
    item: 5,
    title: 'wardStats, last 30 days',
    baselines: true,
    request: ({ data, token }) =>
      graphqlPost(token, () => ({
        query: STATS,
        variables: { wardId: data.wardId, from: indianDate(29), to: indianDate(0) },
      })),
    check: (body) => typeof dataOf(body, 'wardStats')?.total === 'number',
  },
  {
    name: 'search-name',
    item: 6,
    title: 'residents(search: a name), first 20',
    baselines: true,
    request: ({ data, token }) =>
      graphqlPost(token, () => ({
        query: SEARCH,
        variables: { search: rotate(data.residents).fullName },
      })),
    check: (body) => (dataOf(body, 'residents')?.edges?.length ?? 0) > 0,
  },
  {
    name: 'search-phone',
    item: 6,
    title: 'residentByPhone (a local form)',
    baselines: true,
    request: ({ data, token }) =>
      graphqlPost(token, () => ({
        query: BY_PHONE,
        variables: { phone: localPhone(rotate(data.residents).phone) },
      })),
    check: (body) => Boolean(dataOf(body, 'residentByPhone')?.id),
  },
];

// ---------------------------------------------------------------------------------------
// Set-up: the database (generated once per scale), the captured statements.

async function readGenerated(db: Client): Promise<Generated | null> {
  const found = await db.query(`SELECT to_regclass('bench.generated') AS t`);
  if (!found.rows[0].t) return null;
  const { rows } = await db.query(`SELECT data FROM bench.generated`);
  return rows[0]?.data ?? null;
}

function inProcessConfig(databaseUrl: string) {
  return loadConfig(benchAppEnv(databaseUrl, { CERTIFICATE_SIGNING_KEY: signingKeyIn(DATA_DIR) }));
}

async function startInProcess(databaseUrl: string): Promise<NestFastifyApplication> {
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  const config = inProcessConfig(databaseUrl);
  const app = await createApp({
    config,
    logger: createLogger(config.logLevel, quiet),
    databaseUrl,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app;
}

/**
 * Stops the background workers (notification dispatcher, WhatsApp inbox, outbound
 * webhooks) of an in-process application, so that only a request's own statements are
 * captured (the production server keeps them running).
 */
async function stopBackgroundWork(app: NestFastifyApplication): Promise<void> {
  await app.get(NotificationDispatcherService).beforeApplicationShutdown();
  await app.get(WhatsAppInboxService).beforeApplicationShutdown();
  await app.get(WebhooksService).beforeApplicationShutdown();
}

async function ensureData(databaseUrl: string, db: Client): Promise<Generated> {
  const existing = await readGenerated(db);
  if (existing) {
    log(`reusing the ${SCALE} data generated at ${existing.generatedAt}`);
    // Every "হ্যালো" of the webhook scenario registers a resident with one of a few profile
    // names: after a few runs a ward held 425,764 of them, 42,594 called "Chandan Sen", and
    // name search measured those, not the ward (round 7).
    const { helpline, others } = (
      await db.query(
        `SELECT count(*) FILTER (WHERE created_channel = 'WHATSAPP')::int AS helpline,
                count(*) FILTER (WHERE created_channel <> 'WHATSAPP')::int AS others
           FROM residents`,
      )
    ).rows[0] as { helpline: number; others: number };
    if (helpline > others) {
      log(
        `warning: ${helpline} residents registered by earlier webhook runs share the ward ` +
          'with the generated ones; name search is skewed (run with --fresh)',
      );
    }
    // Kept data follows the branch's schema: migrations added since it was generated (an
    // index, say) are applied to it now, before anything is measured, and said.
    const started = performance.now();
    const applied = await runMigrations(databaseUrl);
    if (applied.length > 0) {
      log(
        `applied ${applied.map((m) => m.name).join(', ')} to the kept data in ` +
          `${fixed((performance.now() - started) / 1000)} s`,
      );
      await db.query('ANALYZE');
    }
    return existing;
  }
  const tables = (
    await db.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)
  ).rows[0].n;
  if (tables > 0) {
    throw new Error(
      `${DATA_DIR} holds a database without finished bench data (an interrupted generation?): ` +
        'run again with --fresh',
    );
  }
  const started = performance.now();
  await runMigrations(databaseUrl);
  const app = await startInProcess(databaseUrl);
  try {
    const data = await generate(SCALE, app, await app.getUrl(), db, log);
    data.loadingSeconds.total = (performance.now() - started) / 1000;
    await db.query(`CREATE SCHEMA IF NOT EXISTS bench`);
    await db.query(`CREATE TABLE bench.generated (data jsonb NOT NULL)`);
    await db.query(`INSERT INTO bench.generated VALUES ($1)`, [JSON.stringify(data)]);
    log(`generated ${SCALE} in ${fixed(data.loadingSeconds.total)} s`);
    return data;
  } finally {
    await app.close();
  }
}

/**
 * The baselines count their hits in a rate-limit row of their own: sharing the caller's row
 * with the application would spend the application's budget (429s in the app's runs).
 */
function ownBudget(statement: Statement): Statement {
  if (!/\brate_limit_windows\b/.test(statement.sql)) return statement;
  // The key is the caller's hashed key (64 hex digits): the first parameter of a plain
  // spend, after the session's ids where the spend rides on the sign-in check.
  const at = statement.params.findIndex(
    (param) => typeof param === 'string' && /^[0-9a-f]{64}$/.test(param),
  );
  if (at < 0) return statement;
  const params = [...statement.params];
  params[at] = `bench-baseline:${String(params[at])}`;
  return { ...statement, params };
}

/**
 * Values the app makes new for each operation, made new per replay: a new request's tracking
 * link (its nonce and token hash) and each domain event's id (made by the app, so that the
 * notices sent with the event's insert can name it).
 */
function uniqueTokens(statements: Statement[]): NonNullable<RawRoute['fresh']> {
  const valuesOf = (pattern: RegExp, positions: number[]) =>
    statements
      .filter((statement) => pattern.test(statement.sql))
      .flatMap((statement) => positions.map((at) => statement.params[at]))
      .filter((value): value is string => typeof value === 'string');
  return [
    ...valuesOf(/INSERT INTO tracking_links\b/, [3, 4]).map((value) => ({
      value,
      as: 'hex' as const,
    })),
    ...valuesOf(/INSERT INTO domain_events\b/, [0]).map((value) => ({
      value,
      as: 'uuid' as const,
    })),
  ];
}

interface Captured {
  statements: Statement[];
  route: RawRoute;
}

/** The statements of one operation of each scenario, from the application in this process. */
async function captureStatements(
  databaseUrl: string,
  context: Context,
  scenarios: Scenario[],
): Promise<Map<string, Captured>> {
  const recorder = new StatementRecorder();
  const app = await startInProcess(databaseUrl);
  await stopBackgroundWork(app);
  const url = await app.getUrl();
  const captured = new Map<string, Captured>();
  try {
    for (const scenario of scenarios.filter((s) => s.baselines)) {
      const request = scenario.request(context);
      let sentBody: Record<string, unknown> = {};
      let answer: any = null;
      const { statements } = await recorder.captureRequest(async () => {
        const next = request.next?.() ?? {};
        const body = next.body ?? request.body;
        sentBody = body ? JSON.parse(String(body)) : {};
        const response = await fetch(`${url}${next.path ?? request.path}`, {
          method: request.method,
          headers: { ...request.headers, ...next.headers },
          body: body === undefined ? undefined : String(body),
        });
        const text = await response.text();
        if (response.status !== 200 || !scenario.check(text)) {
          throw new Error(`${scenario.name}: HTTP ${response.status}: ${text.slice(0, 500)}`);
        }
        answer = json(text);
      });
      const fresh = [...(scenario.fresh?.(sentBody, answer) ?? []), ...uniqueTokens(statements)];
      captured.set(scenario.name, {
        statements,
        route: { statements: statements.map(ownBudget), fresh },
      });
      log(`${scenario.name}: ${statements.length} statements at the pg client`);
    }
  } finally {
    await app.close();
  }
  return captured;
}

// ---------------------------------------------------------------------------------------
// Measurement.

interface Side {
  load: Load;
  peakRssMb: number;
}

interface RunResult {
  run: number;
  app: Side & { statementsPerOp: number; machineBusy: number };
  raw?: Side;
  bare?: BareLoad;
}

interface ScenarioResult {
  name: string;
  item: number;
  title: string;
  capturedStatements?: string[];
  secondsPerRun?: number;
  /** Why the scenario has no figures (the benchmark then exits with an error). */
  error?: string;
  runs: RunResult[];
  summary: Record<string, Spread>;
  extra?: Record<string, unknown>;
}

const mb = (bytes: number) => bytes / 1024 ** 2;

async function measureSide(
  server: ServerProcess,
  request: LoadRequest,
  check: (body: string) => boolean,
  label: string,
  seconds: number,
): Promise<Side> {
  const peak = sampleRss(server.pid);
  const load = await runLoad({
    url: server.url,
    request,
    connections: CONNECTIONS,
    seconds,
    check,
    label,
  });
  return { load, peakRssMb: mb(peak()) };
}

const FIGURES: Array<[string, (r: RunResult) => number]> = [
  ['appPerSecond', (r) => r.app.load.perSecond],
  ['appP50Ms', (r) => r.app.load.p50Ms],
  ['appP99Ms', (r) => r.app.load.p99Ms],
  ['rawPerSecond', (r) => r.raw?.load.perSecond ?? NaN],
  ['rawP50Ms', (r) => r.raw?.load.p50Ms ?? NaN],
  ['barePerSecond', (r) => r.bare?.perSecond ?? NaN],
  ['bareP50Ms', (r) => r.bare?.p50Ms ?? NaN],
  ['appToRaw', (r) => (r.raw ? r.app.load.perSecond / r.raw.load.perSecond : NaN)],
  ['rawToBare', (r) => (r.raw && r.bare ? r.raw.load.perSecond / r.bare.perSecond : NaN)],
  ['appToBare', (r) => (r.bare ? r.app.load.perSecond / r.bare.perSecond : NaN)],
  ['statementsPerOp', (r) => r.app.statementsPerOp],
  ['appPeakRssMb', (r) => r.app.peakRssMb],
  ['rawPeakRssMb', (r) => r.raw?.peakRssMb ?? NaN],
  ['machineBusy', (r) => r.app.machineBusy],
];

function summarise(runs: RunResult[]): Record<string, Spread> {
  return Object.fromEntries(FIGURES.map(([name, get]) => [name, spread(runs.map(get))]));
}

/** Load for the warm-up time, answers checked; none at all is no error. */
async function warmUp(
  url: string,
  request: LoadRequest,
  check: (body: string) => boolean,
  label: string,
  amount?: number,
): Promise<number> {
  const load = await runLoad({
    url,
    request,
    connections: CONNECTIONS,
    seconds: WARMUP_SECONDS,
    amount,
    check,
    label: `${label} warm-up`,
    warmup: true,
  });
  return load.requests;
}

async function measureScenario(
  scenario: Scenario,
  context: Context,
  app: ServerProcess,
  raw: ServerProcess | null,
  captured: Captured | undefined,
  counter: ServerStatementCounter,
  bareClients: Client[],
): Promise<ScenarioResult> {
  const check = scenario.check;
  const appRequest = () => scenario.request(context);
  const rawRequest: LoadRequest = {
    method: 'POST',
    path: `/${scenario.name}`,
    headers: { 'content-type': 'application/json' },
    body: '{}',
  };
  const rawCheck = (body: string) => body.startsWith('{"data":');
  const withBaselines = scenario.baselines && raw && captured;
  log(`${scenario.name}: warm-up`);
  const warmed = await warmUp(app.url, appRequest(), check, scenario.name);
  // Slower than one answer per connection in the warm-up (seconds an operation under load):
  // longer runs, so that each has answers enough for a median.
  const seconds = warmed < CONNECTIONS ? Math.max(SECONDS, SLOW_SECONDS) : SECONDS;
  if (seconds !== SECONDS)
    log(`${scenario.name}: slow (${warmed} warm-up answers): ${seconds} s runs`);
  if (withBaselines) await warmUp(raw.url, rawRequest, rawCheck, `${scenario.name} raw`);
  const runs: RunResult[] = [];
  for (let run = 1; run <= RUNS; run += 1) {
    await counter.reset();
    const busy = machineBusy();
    const appSide = await measureSide(app, appRequest(), check, scenario.name, seconds);
    const statements = await counter.count();
    const result: RunResult = {
      run,
      app: {
        ...appSide,
        statementsPerOp: statements / appSide.load.requests,
        machineBusy: busy(),
      },
    };
    if (withBaselines) {
      result.raw = await measureSide(raw, rawRequest, rawCheck, `${scenario.name} raw`, seconds);
      result.bare = await bareLoop(bareClients, seconds, captured.route);
    }
    runs.push(result);
    log(
      `${scenario.name} run ${run}: app ${fixed(result.app.load.perSecond)} req/s p50 ` +
        `${fixed(result.app.load.p50Ms)} ms p99 ${fixed(result.app.load.p99Ms)} ms` +
        (result.raw ? `; raw ${fixed(result.raw.load.perSecond)} req/s` : '') +
        (result.bare ? `; bare pg ${fixed(result.bare.perSecond)} op/s` : '') +
        `; ${fixed(result.app.statementsPerOp, 2)} statements/op; RSS ${fixed(result.app.peakRssMb)} MB`,
    );
  }
  return {
    name: scenario.name,
    item: scenario.item,
    title: scenario.title,
    capturedStatements: captured?.statements.map((s) => headline(s.sql)),
    secondsPerRun: seconds,
    runs,
    summary: summarise(runs),
  };
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

/** An EXPLAIN (FORMAT JSON) plan as lines: node, index, rows × loops, indented by depth. */
function planNodes(node: PlanNode, depth = 0): string[] {
  const index = node['Index Name'] ? ` on ${node['Index Name']}` : '';
  const line = `${'  '.repeat(depth)}${node['Node Type']}${index}: ${node['Actual Rows']} rows × ${node['Actual Loops']}`;
  return [line, ...(node.Plans ?? []).flatMap((child) => planNodes(child, depth + 1))];
}

/** Pending rows of the backlog measurement (`--backlog` / BENCH_BACKLOG). */
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 20_000);
/** The backlog measurement stops after this long, whatever is left (then discarded). */
const BACKLOG_MAX_SECONDS = Number(process.env.BENCH_BACKLOG_MAX_SECONDS ?? 180);
/** WhatsApp's limit for one business number: messages a second, and for how long. */
const STEADY_RATE = Number(process.env.BENCH_STEADY_RATE ?? 80);
const STEADY_SECONDS = Number(process.env.BENCH_STEADY_SECONDS ?? 30);

/**
 * Scenario 4, the WhatsApp helpline, in three parts:
 * - accept: signed "হ্যালো" POSTs (each from a new resident) for the run's duration, after a
 *   warm-up, against the raw floor (signature, JSON, one INSERT; raw-server.ts), at
 *   BENCH_CONNECTIONS and at 50 connections; the bot's backlog is worked off before each
 *   raw run, so that it does not share the CPU with it;
 * - backlog: BENCH_BACKLOG payloads stored as if they had arrived while nobody processed
 *   them, then made due at once: messages answered per second (the inbox until every row is
 *   done) and the claim's EXPLAIN ANALYZE at the full backlog;
 * - steady: STEADY_RATE messages a second, each from a different new resident, for
 *   STEADY_SECONDS: the time from each POST to its first reply at the fake Graph API.
 */
async function measureWebhooks(
  app: ServerProcess,
  raw: ServerProcess,
  graph: FakeGraph,
  counter: ServerStatementCounter,
  db: Client,
): Promise<ScenarioResult> {
  let seq = 0;
  const base = 10_000_000 + (Date.now() % 1000) * 10_000;
  const hello = () => {
    seq += 1;
    return textWebhook(`9197${base + seq}`, 'হ্যালো', BENCH_HELPLINE, BENCH_APP_SECRET, seq);
  };
  const request = (path: string): LoadRequest => ({
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json' },
    next: () => {
      const webhook = hello();
      return { headers: { 'x-hub-signature-256': webhook.signature }, body: webhook.raw };
    },
  });
  const accepted = (body: string) => body.includes('"received":true');
  const pending = async () =>
    Number(
      (
        await db.query(
          `SELECT count(*)::int AS n FROM whatsapp_inbox
            WHERE status = 'PENDING' AND next_attempt_at < 'infinity'`,
        )
      ).rows[0].n,
    );
  const anyPending = async () =>
    (
      await db.query(
        `SELECT EXISTS (SELECT 1 FROM whatsapp_inbox
                         WHERE status = 'PENDING' AND next_attempt_at < 'infinity') AS any`,
      )
    ).rows[0].any as boolean;
  /** Until the inbox is empty and the fake has had no reply for a second. */
  const drain = async (limitMs = 600_000) => {
    const started = performance.now();
    let last = -1;
    let quietSince = performance.now();
    while (performance.now() - started < limitMs) {
      const now = graph.count();
      if (now !== last) {
        last = now;
        quietSince = performance.now();
      }
      if (performance.now() - quietSince > 1000 && (await pending()) === 0) return;
      await sleep(200);
    }
    throw new Error(`webhook: the inbox still had ${await pending()} payloads after ${limitMs} ms`);
  };
  const removeRawRows = () =>
    db.query(`DELETE FROM whatsapp_inbox WHERE next_attempt_at = 'infinity'`);

  log('webhook: warm-up');
  await warmUp(app.url, request('/webhooks/whatsapp'), accepted, 'webhook');
  await warmUp(raw.url, request('/webhook'), accepted, 'webhook raw');
  await removeRawRows();
  await drain();
  const runs: RunResult[] = [];
  const at50: Array<{ app: number; raw: number }> = [];
  for (let run = 1; run <= RUNS; run += 1) {
    await counter.reset();
    const busy = machineBusy();
    const appSide = await measureSide(
      app,
      request('/webhooks/whatsapp'),
      accepted,
      'webhook',
      SECONDS,
    );
    const statements = await counter.count();
    await drain();
    const rawSide = await measureSide(raw, request('/webhook'), accepted, 'webhook raw', SECONDS);
    await removeRawRows();
    runs.push({
      run,
      app: {
        ...appSide,
        statementsPerOp: statements / appSide.load.requests,
        machineBusy: busy(),
      },
      raw: rawSide,
    });
    // The same at 50 connections (WhatsApp's deliveries come in parallel).
    const app50 = await runLoad({
      url: app.url,
      request: request('/webhooks/whatsapp'),
      connections: 50,
      seconds: SECONDS,
      check: accepted,
      label: 'webhook (50 connections)',
    });
    await drain();
    const raw50 = await runLoad({
      url: raw.url,
      request: request('/webhook'),
      connections: 50,
      seconds: SECONDS,
      check: accepted,
      label: 'webhook raw (50 connections)',
    });
    await removeRawRows();
    at50.push({ app: app50.perSecond, raw: raw50.perSecond });
    log(
      `webhook run ${run}: ${fixed(appSide.load.perSecond)} accepted/s (raw ${fixed(rawSide.load.perSecond)}), ` +
        `at 50 connections ${fixed(app50.perSecond)} (raw ${fixed(raw50.perSecond)}); ` +
        `${fixed(statements / appSide.load.requests, 1)} statements/webhook while accepting`,
    );
  }

  // The backlog: stored as the webhook stores it, not due until all are in.
  const backlog = Array.from({ length: BACKLOG }, () => hello());
  await drain();
  for (let i = 0; i < backlog.length; i += 1000) {
    const chunk = backlog.slice(i, i + 1000);
    await db.query(
      `INSERT INTO whatsapp_inbox (payload, sender, helpline, order_at, next_attempt_at)
       SELECT p::jsonb, s, $3, now(), now() + interval '1 day'
         FROM unnest($1::text[], $2::text[]) AS x(p, s)`,
      [chunk.map((w) => w.raw.toString('utf8')), chunk.map((w) => w.waId), BENCH_HELPLINE],
    );
  }
  // No ANALYZE: a backlog arrives after a quiet spell, when the statistics say nothing is
  // pending (with fresh ones, the anti-join the claim used to be hid its quadratic plan).
  await db.query(`UPDATE whatsapp_inbox SET next_attempt_at = now() WHERE status = 'PENDING'`);
  const explainClaim = async () => {
    await db.query('BEGIN');
    const { rows } = await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${INBOX_CLAIM_SQL}`, [32]);
    await db.query('ROLLBACK');
    return rows[0]['QUERY PLAN'][0];
  };
  const plan = await explainClaim();
  // The first scan after that UPDATE walks (and marks) the dead index entries it left; the
  // bot's claims after its first meet what this second one meets.
  const planAgain = await explainClaim();
  const peak = sampleRss(app.pid);
  await counter.reset();
  const repliesBefore = graph.count();
  const backlogStarted = performance.now();
  // One more message wakes the inbox (it is kicked by a stored payload, or polls).
  const kick = hello();
  const kicked = await fetch(`${app.url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': kick.signature },
    body: kick.raw,
  });
  if (kicked.status !== 200) throw new Error(`webhook answered ${kicked.status}`);
  // Polled by "is any left" (the first live row of the pending index), not by a count: a
  // count of 20,000 pending rows every half second took 82 ms of PostgreSQL's CPU each time,
  // a sixth of a core taken from the inbox it measured.
  while (performance.now() - backlogStarted < BACKLOG_MAX_SECONDS * 1000 && (await anyPending())) {
    await sleep(250);
  }
  const backlogSeconds = (performance.now() - backlogStarted) / 1000;
  const left = await pending();
  const processed = BACKLOG + 1 - left;
  const backlogStatements = await counter.count();
  const backlogRssMb = mb(peak());
  if (left > 0) {
    log(`webhook: ${left} of the backlog left after ${BACKLOG_MAX_SECONDS} s; discarded`);
    await db.query(
      `UPDATE whatsapp_inbox SET status = 'DISCARDED', processed_at = now() WHERE status = 'PENDING'`,
    );
  }
  await drain();
  const backlogReplies = graph.count() - repliesBefore;
  log(
    `webhook backlog: ${processed} messages in ${fixed(backlogSeconds, 1)} s = ` +
      `${fixed(processed / backlogSeconds)} answered/s, ${backlogReplies} replies, ` +
      `${fixed(backlogStatements / processed, 1)} statements/message; claim ${fixed(plan['Execution Time'], 2)} ms`,
  );

  // Steady: STEADY_RATE a second, each from a new resident, for STEADY_SECONDS.
  graph.clear();
  const sent: Array<{ waId: string; at: number }> = [];
  const posting: Array<Promise<void>> = [];
  const steadyPeak = sampleRss(app.pid);
  const startedSteady = performance.now();
  const total = STEADY_RATE * STEADY_SECONDS;
  for (let i = 0; i < total; i += 1) {
    const wait = startedSteady + (i * 1000) / STEADY_RATE - performance.now();
    if (wait > 0) await sleep(wait);
    const message = hello();
    sent.push({ waId: message.waId, at: performance.now() });
    posting.push(
      fetch(`${app.url}/webhooks/whatsapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': message.signature },
        body: message.raw,
      }).then(async (response) => {
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
      }),
    );
  }
  const sendingSeconds = (performance.now() - startedSteady) / 1000;
  await Promise.all(posting);
  const deadline = performance.now() + 120_000;
  while (sent.some((s) => graph.arrivals(s.waId).length === 0) && performance.now() < deadline) {
    await sleep(50);
  }
  const unanswered = sent.filter((s) => graph.arrivals(s.waId).length === 0).length;
  if (unanswered > 0) throw new Error(`webhook: ${unanswered} messages got no reply in 120 s`);
  const e2e = sent.map((s) => graph.arrivals(s.waId)[0] - s.at);
  const steadyRssMb = mb(steadyPeak());
  await drain();
  const summary = summarise(runs);
  summary.appPeakRssMb = spread([...runs.map((r) => r.app.peakRssMb), backlogRssMb, steadyRssMb]);
  return {
    name: 'webhook',
    item: 4,
    title: 'WhatsApp webhook: signed POSTs accepted/s; inbox backlog; replies at 80/s',
    runs,
    summary: {
      ...summary,
      appPerSecondAt50: spread(at50.map((r) => r.app)),
      appToRawAt50: spread(at50.map((r) => r.app / r.raw)),
      inboxProcessedPerSecond: spread([processed / backlogSeconds]),
      replyP50MsAt80PerSecond: spread([percentile(e2e, 50)]),
      replyP99MsAt80PerSecond: spread([percentile(e2e, 99)]),
    },
    extra: {
      backlog: BACKLOG,
      backlogProcessed: processed,
      backlogSeconds,
      backlogReplies,
      backlogStatementsPerMessage: backlogStatements / processed,
      backlogPeakRssMb: backlogRssMb,
      claimExplainMs: plan['Execution Time'],
      claimAgainExplainMs: planAgain['Execution Time'],
      claimPlan: plan.Plan['Node Type'],
      // The whole plan, node by node: a slow claim says which index (or sort) it went through.
      claimPlanNodes: planNodes(plan.Plan),
      steadyRatePerSecond: STEADY_RATE,
      steadySeconds: STEADY_SECONDS,
      steadyMessages: total,
      steadySendingSeconds: sendingSeconds,
      steadyPeakRssMb: steadyRssMb,
      replyP50Ms: percentile(e2e, 50),
      replyP99Ms: percentile(e2e, 99),
      replyMaxMs: Math.max(...e2e),
    },
  };
}

// ---------------------------------------------------------------------------------------
// Report.

const show = (s: Spread | undefined, digits = 0) =>
  !s || !Number.isFinite(s.median)
    ? '–'
    : `${fixed(s.median, digits)} (${fixed(s.min, digits)}–${fixed(s.max, digits)})`;

function markdown(meta: Record<string, unknown>, results: ScenarioResult[]): string {
  const lines: string[] = [`# Scale benchmark: ${SCALE}`, ''];
  lines.push(...machineLines(meta.machine as any));
  for (const [key, value] of Object.entries(meta)) {
    if (key !== 'machine')
      lines.push(`- ${key}: ${typeof value === 'object' ? JSON.stringify(value) : value}`);
  }
  lines.push(
    '',
    'Median over the runs, (min–max) in brackets. App: the production build over HTTP; raw: a',
    'bare `node:http` + `pg` server running the statements the app sent for one such request;',
    'bare pg: the same statements in a tight `pg` loop on as many connections. Ratios are per run',
    '(then the median): app ÷ raw and raw ÷ bare of req/s (1 = no cost added).',
    '',
  );
  lines.push(
    ...markdownTable(
      [
        ' Scenario',
        '#',
        'App req/s',
        'App p50 ms',
        'App p99 ms',
        'Raw req/s',
        'Bare pg op/s',
        'App ÷ raw',
        'Raw ÷ bare',
        'Statements/op',
        'Peak RSS MB',
      ],
      results.map((r) => [
        r.error
          ? `${r.name} (FAILED)`
          : r.secondsPerRun && r.secondsPerRun !== SECONDS
            ? `${r.name} (${r.secondsPerRun} s runs)`
            : r.name,
        String(r.item),
        show(r.summary.appPerSecond),
        show(r.summary.appP50Ms, 1),
        show(r.summary.appP99Ms, 1),
        show(r.summary.rawPerSecond),
        show(r.summary.barePerSecond),
        show(r.summary.appToRaw, 2),
        show(r.summary.rawToBare, 2),
        fixed(r.summary.statementsPerOp.median, 1),
        show(r.summary.appPeakRssMb),
      ]),
    ),
  );
  const webhook = results.find((r) => r.name === 'webhook');
  if (webhook?.extra) {
    const x = webhook.extra as Record<string, number | string>;
    const n = (key: string, digits = 0) => fixed(Number(x[key]), digits);
    lines.push(
      '',
      `Webhook: ${show(webhook.summary.appPerSecond)} signed POSTs accepted/s at ${CONNECTIONS}`,
      `connections (answered 200 once stored), app ÷ raw ${show(webhook.summary.appToRaw, 2)}; at 50`,
      `connections ${show(webhook.summary.appPerSecondAt50)}/s, app ÷ raw ${show(webhook.summary.appToRawAt50, 2)}.`,
      `Backlog: ${n('backlogProcessed')} of ${n('backlog')} pending payloads answered in ${n('backlogSeconds', 1)} s`,
      `= ${show(webhook.summary.inboxProcessedPerSecond)} messages/s (${n('backlogReplies')} replies,`,
      `${n('backlogStatementsPerMessage', 1)} statements/message); the claim took ${n('claimExplainMs', 2)} ms`,
      `at the full backlog (EXPLAIN ANALYZE, top node ${x.claimPlan}; ${n('claimAgainExplainMs', 2)} ms the second time). Steady: ${n('steadyMessages')} messages`,
      `at ${n('steadyRatePerSecond')}/s, each from a new resident: POST → first reply at the fake Graph API`,
      `p50 ${n('replyP50Ms')} ms, p99 ${n('replyP99Ms')} ms, max ${n('replyMaxMs')} ms.`,
      'Statements per webhook are counted while accepting (the bot answering included).',
    );
  }
  for (const r of results.filter((x) => x.error)) lines.push('', `FAILED ${r.name}: ${r.error}`);
  lines.push('', '## Per run', '');
  lines.push(
    ...markdownTable(
      [
        ' Scenario',
        'Run',
        'App req/s',
        'App p50',
        'App p99',
        'Raw req/s',
        'Raw p50',
        'Bare op/s',
        'Bare p50',
        'Stmts/op',
        'App RSS MB',
        'Raw RSS MB',
        'Machine busy %',
      ],
      results.flatMap((r) =>
        r.runs.map((run) => [
          r.name,
          String(run.run),
          fixed(run.app.load.perSecond, 0),
          fixed(run.app.load.p50Ms, 1),
          fixed(run.app.load.p99Ms, 1),
          run.raw ? fixed(run.raw.load.perSecond, 0) : '–',
          run.raw ? fixed(run.raw.load.p50Ms, 1) : '–',
          run.bare ? fixed(run.bare.perSecond, 0) : '–',
          run.bare ? fixed(run.bare.p50Ms, 2) : '–',
          fixed(run.app.statementsPerOp, 1),
          fixed(run.app.peakRssMb, 0),
          run.raw ? fixed(run.raw.peakRssMb, 0) : '–',
          fixed(100 * run.app.machineBusy, 0),
        ]),
      ),
    ),
  );
  lines.push('', '## Statements the app sent for one operation (captured at the pg client)', '');
  for (const r of results.filter((x) => x.capturedStatements)) {
    lines.push(`- ${r.name} (${r.capturedStatements!.length}):`);
    for (const sql of r.capturedStatements!) lines.push(`  - \`${sql.replace(/`/g, "'")}\``);
  }
  return lines.join('\n') + '\n';
}

/** scale-growth.md: the same scenarios at each scale whose results exist. */
function writeGrowth(): void {
  const scales = Object.keys(SCALES).filter((name) =>
    existsSync(join(RESULTS_DIR, `scale-${name}.json`)),
  );
  const loaded = scales.map((name) => ({
    name,
    json: JSON.parse(readFileSync(join(RESULTS_DIR, `scale-${name}.json`), 'utf8')),
  }));
  const names = [...new Set(loaded.flatMap((l) => l.json.scenarios.map((s: any) => s.name)))];
  const lines = [
    '# How cost grows with the data',
    '',
    'The latest results of each scale (`scale-<scale>.md`), side by side, medians over the',
    "runs. Bare pg op/s is PostgreSQL's own cost of one operation's statements (10 connections):",
    'it stays flat where the work is index-bound. App p50 and app ÷ raw come from runs made at',
    'different times on a shared machine: compare them with care.',
    '',
    ...loaded.map(
      (l) =>
        `- ${l.name}: ${grouped(l.json.data.residents)} residents, ${grouped(l.json.data.requests)} requests, ${l.json.data.wards} wards (measured ${l.json.machine.date}, commit ${l.json.machine.gitCommit})`,
    ),
    '',
  ];
  const cell = (l: (typeof loaded)[number], name: unknown) =>
    l.json.scenarios.find((x: any) => x.name === name);
  for (const [title, figure, digits] of [
    ['Bare pg op/s', 'barePerSecond', 0],
    ['App p50 ms', 'appP50Ms', 1],
    ['App ÷ raw', 'appToRaw', 2],
    ['Peak RSS MB', 'appPeakRssMb', 0],
  ] as const) {
    lines.push(`## ${title}`, '');
    lines.push(
      ...markdownTable(
        [' Scenario', ...loaded.map((l) => l.name)],
        names.map((name) => [
          String(name),
          ...loaded.map((l) => fixed(cell(l, name)?.summary[figure]?.median ?? NaN, digits)),
        ]),
      ),
      '',
    );
  }
  writeFileSync(join(RESULTS_DIR, 'scale-growth.md'), lines.join('\n'));
}

// ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (options['growth-only']) return writeGrowth();
  if (!SCALES[SCALE]) throw new Error(`--scale must be one of ${Object.keys(SCALES).join(', ')}`);
  const only = options.only ? options.only.split(',').map((s) => s.trim()) : [];
  const known = [...SCENARIOS.map((s) => s.name), 'webhook'];
  const unknown = only.filter((name) => !known.includes(name));
  if (unknown.length) throw new Error(`unknown scenario ${unknown} (known: ${known.join(', ')})`);
  const wanted = (name: string) => only.length === 0 || only.includes(name);
  if (options.fresh && existsSync(DATA_DIR)) {
    const { rmSync } = await import('node:fs');
    rmSync(DATA_DIR, { recursive: true, force: true });
  }
  mkdirSync(DATA_DIR, { recursive: true });
  const postgres = await startBenchPostgres(DATA_DIR, log);
  const stops: Array<() => Promise<unknown>> = [postgres.stop];
  const db = new Client({ connectionString: postgres.url });
  await db.connect();
  stops.unshift(() => db.end());
  try {
    const data = await ensureData(postgres.url, db);
    if (options['generate-only']) return;
    const counter = new ServerStatementCounter(db);
    await counter.install();
    const machine = await machineInfo(db);
    const scenarios = SCENARIOS.filter((s) => wanted(s.name));

    // Statements of one operation each, from the application in this process.
    const token = await (async () => {
      const app = await startInProcess(postgres.url);
      try {
        return await accessToken(await app.getUrl(), COORDINATOR, BENCH_PASSWORD);
      } finally {
        await app.close();
      }
    })();
    const context: Context = { data, token, runId: randomUUID().slice(0, 8) };
    const captured = await captureStatements(postgres.url, context, scenarios);

    // The servers: the production entry and the raw baseline, pinned to CPU 0.
    const graph = await startFakeGraph();
    stops.unshift(() => graph.stop());
    const profileDir = join(DATA_DIR, '..', 'profiles');
    const app = await startProductionApp({
      databaseUrl: postgres.url,
      dataDir: DATA_DIR,
      graphUrl: graph.url,
      logFile: join(DATA_DIR, '..', `app-${SCALE}.log`),
      nodeArgs: options['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    });
    stops.unshift(() => app.stop());
    const rawPort = await findFreePort();
    const rawConfig: RawConfig = {
      databaseUrl: postgres.url,
      port: rawPort,
      poolSize: POOL_SIZE,
      routes: Object.fromEntries([...captured].map(([name, c]) => [name, c.route])),
      webhookSecret: BENCH_APP_SECRET,
    };
    const rawConfigFile = join(DATA_DIR, '..', `raw-${SCALE}.json`);
    writeFileSync(rawConfigFile, JSON.stringify(rawConfig));
    const raw = await startNodeServer({
      args: [join(__dirname, 'raw-server.js'), rawConfigFile],
      env: {},
      url: `http://127.0.0.1:${rawPort}`,
      readyPath: '/ready',
      cpus: '0',
    });
    stops.unshift(() => raw.stop());
    const selfPinned = pin(process.pid, '1');
    log(
      `app pid ${app.pid} (${app.pinned ? 'CPU 0' : 'not pinned'}), raw pid ${raw.pid}, ` +
        `load generator ${selfPinned ? 'CPU 1' : 'not pinned'}; idle app RSS ${fixed(mb(rssOf(app.pid)))} MB`,
    );
    const bareClients = await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        const client = new Client({ connectionString: postgres.url });
        await client.connect();
        return client;
      }),
    );
    stops.unshift(() => Promise.all(bareClients.map((c) => c.end())));

    const results: ScenarioResult[] = [];
    // A failing scenario is recorded and the others still run; the benchmark fails at the end.
    const failed = (name: string, item: number, title: string, error: unknown): ScenarioResult => {
      log(`${name} FAILED: ${error instanceof Error ? error.message : error}`);
      return { name, item, title, error: String(error), runs: [], summary: summarise([]) };
    };
    for (const scenario of scenarios) {
      results.push(
        await measureScenario(
          scenario,
          context,
          app,
          raw,
          captured.get(scenario.name),
          counter,
          bareClients,
        ).catch((error) => failed(scenario.name, scenario.item, scenario.title, error)),
      );
    }
    if (wanted('webhook')) {
      results.push(
        await measureWebhooks(app, raw, graph, counter, db).catch((error) =>
          failed('webhook', 4, 'WhatsApp webhook', error),
        ),
      );
    }

    const meta = {
      machine,
      scale: SCALE,
      data: data.counts,
      generatedAt: data.generatedAt,
      generationSeconds: Object.fromEntries(
        Object.entries(data.loadingSeconds).map(([k, v]) => [k, Math.round(v * 10) / 10]),
      ),
      runs: RUNS,
      secondsPerRun: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      connections: CONNECTIONS,
      databasePoolSize: POOL_SIZE,
      pinning:
        app.pinned && selfPinned
          ? 'servers on CPU 0, load generator on CPU 1, PostgreSQL unpinned'
          : 'none (taskset unavailable)',
      server: 'production entry (src/main.js as compiled by tsc), NODE_ENV=production',
      appSettingsChanged: appSettingsFromEnvironment(),
    };
    const report = markdown(meta, results);
    const partial = only.length > 0;
    const name = partial ? `scale-${SCALE}-only` : `scale-${SCALE}`;
    writeResults(name, { ...meta, scenarios: results }, report);
    if (!partial) writeGrowth();
    process.stdout.write(report);
    log(`results in ${RESULTS_DIR}/${name}.{json,md}`);
    const failures = results.filter((r) => r.error);
    if (failures.length) {
      throw new Error(
        `failed scenarios: ${failures.map((r) => `${r.name}: ${r.error}`).join('; ')}`,
      );
    }
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
  }
}

runBenchmark(main);

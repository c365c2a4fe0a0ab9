/**
 * Benchmark of the notification dispatcher against a fake WhatsApp Graph API, with two
 * baselines measured in the same run (the machine is noisy: compare ratios, not rates).
 *
 * Starts its own embedded PostgreSQL, a minimal fake Graph API (`node:http` on 127.0.0.1)
 * and the real application (in this process), then BENCH_RUNS times:
 *   (a) HTTP baseline: BENCH_NOTIFICATIONS POSTs of the same JSON body the Cloud API client
 *       sends, made with `fetch` straight from this process, 50 in flight (the dispatcher's
 *       batch): what talking to the fake costs at minimum;
 *   (b) database baseline: as many single-row `UPDATE notifications SET status = 'SENT',
 *       provider_message_id = …` statements through one `pg` client: what recording the
 *       outcomes costs at minimum;
 *   (c) dispatcher: BENCH_NOTIFICATIONS QUEUED rows (spread over BENCH_SENDERS helplines),
 *       timed from `NotificationDispatcherService.kick()` until it resolves; every row must
 *       then be SENT.
 * See bench/README.md for how to run it.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory';
import { systemActor } from '../src/audit/audit-actor';
import { createLogger } from '../src/common/logging/logger';
import { loadConfig } from '../src/config/app-config';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.launcher';
import { runMigrations } from '../src/database/migration-runner';
import { NotificationDispatcherService } from '../src/notifications/notification-dispatcher.service';
import { MunicipalitiesService } from '../src/wards/municipalities.service';
import { FakeGraph, startFakeGraph } from './support/fake-graph';
import { machineTimes } from './support/measure';
import { runBenchmark, writeResults } from './support/results';

const NOTIFICATIONS = Number(process.env.BENCH_NOTIFICATIONS ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 20);
const RATE_PER_SECOND = Number(process.env.BENCH_RATE_PER_SECOND ?? 1000);
/** The dispatcher claims and sends 50 at a time (BATCH in the service): the baseline's width. */
const IN_FLIGHT = 50;
const API_VERSION = 'v21.0';
const ACCESS_TOKEN = 'bench-access-token';
const TEMPLATE = 'duare_request_received';
const POOL_SIZE = 10;

// The fake Graph API (bench/support/fake-graph.ts): reads each body whole, answers 200
// with a fresh wamid.

// ---------------------------------------------------------------------------------------
// Data: QUEUED WhatsApp template notifications, one recipient each, over SENDERS helplines.

const helpline = (i: number) => `10650000000${String(i).padStart(4, '0')}`;

/** Empties `notifications` and queues `count` rows due now (the e2e test's SQL, scaled up). */
async function queueNotifications(
  db: Client,
  ids: { municipality: string; ward: string; event: string },
  count: number,
): Promise<void> {
  await db.query('TRUNCATE notifications');
  await db.query(
    `INSERT INTO notifications (municipality_id, ward_id, event_id, template_key, recipient_type,
       recipient_id, channel, address, sender, language, body, template_name)
     SELECT $1, $2, $3, 'request_received', 'RESIDENT', gen_random_uuid(), 'WHATSAPP',
            '919' || lpad(n::text, 9, '0'), '10650000000' || lpad((n % $5::int)::text, 4, '0'),
            'bn', 'আপনার অনুরোধ REQ-' || n || ' পাওয়া গেছে।', $4
     FROM generate_series(1, $6::int) AS n`,
    [ids.municipality, ids.ward, ids.event, TEMPLATE, SENDERS, count],
  );
  // Statistics as a long-running table would have them (outside the timing).
  await db.query('ANALYZE notifications');
}

async function countByStatus(db: Client): Promise<Record<string, number>> {
  const { rows } = await db.query(
    'SELECT status, count(*)::int AS n FROM notifications GROUP BY status',
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

// ---------------------------------------------------------------------------------------
// Baselines.

/** N POSTs with the Cloud API client's request (URL, headers, body, timeout), 50 in flight. */
async function httpBaseline(fakeUrl: string, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const to = `919${String(i + 1).padStart(9, '0')}`;
      const response = await fetch(`${fakeUrl}/${API_VERSION}/${helpline(i % SENDERS)}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ACCESS_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          to,
          type: 'template',
          template: { name: TEMPLATE, language: { code: 'bn' }, components: [] },
        }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await response.json()) as { messages?: Array<{ id?: string }> };
      if (!response.ok || !body.messages?.[0]?.id) {
        throw new Error(`fake answered ${response.status}: ${JSON.stringify(body)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, count) }, worker));
}

/** One single-row UPDATE per notification, one after the other, through one client. */
async function databaseBaseline(url: string, ids: string[], run: number): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (let i = 0; i < ids.length; i += 1) {
      const result = await client.query(
        `UPDATE notifications SET status = 'SENT', provider_message_id = $2 WHERE id = $1`,
        [ids[i], `wamid.BASE${run}.${i}`],
      );
      if (result.rowCount !== 1) throw new Error(`baseline UPDATE of ${ids[i]} hit no row`);
    }
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------
// Where the dispatcher's time goes: every statement it makes passes DataSource.query
// (claims, the 24-hour-window check, the outcome UPDATE). Timing them costs a clock read.

type StatementKind = 'claim' | 'window' | 'record' | 'other';

interface Breakdown {
  claims: number;
  claimSeconds: number;
  claimMsFirst: number | null;
  claimMsLast: number | null;
  claimMsMax: number;
  windowChecks: number;
  windowCheckMeanMs: number;
  records: number;
  recordMeanMs: number;
  otherStatements: number;
}

class StatementClock {
  private active = false;
  private readonly times: Record<StatementKind, number[]> = {
    claim: [],
    window: [],
    record: [],
    other: [],
  };

  constructor(dataSource: DataSource) {
    const original = dataSource.query.bind(dataSource);
    dataSource.query = (async (sql: string, parameters?: unknown[], queryRunner?: unknown) => {
      if (!this.active) return original(sql, parameters, queryRunner as never);
      const started = process.hrtime.bigint();
      try {
        return await original(sql, parameters, queryRunner as never);
      } finally {
        this.times[kindOf(sql)].push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }) as DataSource['query'];
  }

  start(): void {
    for (const list of Object.values(this.times)) list.length = 0;
    this.active = true;
  }

  stop(): Breakdown {
    this.active = false;
    const { claim, window, record, other } = this.times;
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const mean = (values: number[]) => (values.length ? sum(values) / values.length : 0);
    return {
      claims: claim.length,
      claimSeconds: sum(claim) / 1000,
      claimMsFirst: claim[0] ?? null,
      // The last claim finds nothing: the one before it is the last that returned rows.
      claimMsLast: claim.length > 1 ? claim[claim.length - 2] : null,
      claimMsMax: Math.max(0, ...claim),
      windowChecks: window.length,
      windowCheckMeanMs: mean(window),
      records: record.length,
      recordMeanMs: mean(record),
      otherStatements: other.length,
    };
  }
}

function kindOf(sql: string): StatementKind {
  if (sql.includes("SET status = 'SENDING'")) return 'claim';
  if (sql.includes('FROM whatsapp_windows')) return 'window';
  if (sql.includes("SET status = 'SENT'")) return 'record';
  return 'other';
}

// ---------------------------------------------------------------------------------------
// Measurement and reporting.

interface Rate {
  seconds: number;
  perSecond: number;
  /** CPU time of this Node process (app, fake server and bench client) ÷ wall time. */
  processCpu: number;
  /** Share of all logical CPUs busy (PostgreSQL, this process and anything else). */
  machineBusy: number;
}

interface RunResult {
  run: number;
  notifications: number;
  httpBaseline: Rate;
  databaseBaseline: Rate;
  /** 1 / (1/http + 1/db): both baselines' costs one after the other, per message. */
  combinedFloorPerSecond: number;
  dispatcher: Rate & Breakdown;
  dispatcherToHttp: number;
  dispatcherToFloor: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function timed(
  work: () => Promise<void>,
): Promise<{ seconds: number; processCpu: number; machineBusy: number }> {
  gc?.();
  const machineBefore = machineTimes();
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const machine = machineTimes();
  return {
    seconds,
    processCpu: (cpu.user + cpu.system) / 1e6 / seconds,
    machineBusy: (machine.busy - machineBefore.busy) / (machine.total - machineBefore.total || 1),
  };
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);
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

const FIGURES: Array<[string, (r: RunResult) => number, number]> = [
  ['HTTP baseline (msg/s)', (r) => r.httpBaseline.perSecond, 0],
  ['DB baseline (UPDATE/s)', (r) => r.databaseBaseline.perSecond, 0],
  ['Combined floor (msg/s)', (r) => r.combinedFloorPerSecond, 0],
  ['Dispatcher (notifications/s)', (r) => r.dispatcher.perSecond, 0],
  ['Dispatcher ÷ HTTP', (r) => r.dispatcherToHttp, 2],
  ['Dispatcher ÷ floor', (r) => r.dispatcherToFloor, 2],
  [
    'Claims (% of dispatcher time)',
    (r) => (100 * r.dispatcher.claimSeconds) / r.dispatcher.seconds,
    0,
  ],
];

function markdown(meta: Record<string, unknown>, results: RunResult[]): string {
  const cells = (values: string[]) => `| ${values.join(' | ')} |`;
  const lines = [
    '# Notification dispatch benchmark',
    '',
    ...Object.entries(meta).map(([key, value]) => `- ${key}: ${value}`),
    '',
    cells(['Run', ...FIGURES.map(([name]) => name)]),
    cells(['--:', ...FIGURES.map(() => '--:')]),
    ...results.map((r) =>
      cells([String(r.run), ...FIGURES.map(([, get, digits]) => fixed(get(r), digits))]),
    ),
    cells([
      '**median**',
      ...FIGURES.map(([, get, digits]) => `**${fixed(median(results.map(get)), digits)}**`),
    ]),
    cells([
      'min–max',
      ...FIGURES.map(([, get, digits]) => {
        const s = summary(results.map(get));
        return `${fixed(s.min, digits)}–${fixed(s.max, digits)}`;
      }),
    ]),
    '',
    'Where the dispatcher spends its time (per run):',
    '',
    cells([
      'Run',
      'Dispatcher (s)',
      'Claims',
      'Claim time (s)',
      'First claim (ms)',
      'Last full claim (ms)',
      'Slowest claim (ms)',
      'Window check mean (ms)',
      'Outcome UPDATE mean (ms)',
      'Node CPU (% of a core)',
      'Machine busy (%)',
    ]),
    cells(Array(11).fill('--:')),
    ...results.map(({ run, dispatcher: d }) =>
      cells([
        String(run),
        fixed(d.seconds, 2),
        String(d.claims),
        fixed(d.claimSeconds, 2),
        d.claimMsFirst === null ? 'n/a' : fixed(d.claimMsFirst),
        d.claimMsLast === null ? 'n/a' : fixed(d.claimMsLast),
        fixed(d.claimMsMax),
        fixed(d.windowCheckMeanMs, 2),
        fixed(d.recordMeanMs, 2),
        fixed(100 * d.processCpu, 0),
        fixed(100 * d.machineBusy, 0),
      ]),
    ),
    '',
    `- HTTP baseline: ${NOTIFICATIONS} POSTs with the Cloud API client's URL, headers, body and timeout, sent with \`fetch\` from the bench process, ${IN_FLIGHT} in flight, to the same fake Graph API.`,
    `- DB baseline: ${NOTIFICATIONS} single-row \`UPDATE notifications SET status = 'SENT', provider_message_id = $2 WHERE id = $1\` statements, one after the other through one \`pg\` client.`,
    '- Combined floor = 1 / (1/HTTP + 1/DB): both costs paid one after the other for each message.',
    `- Dispatcher: ${NOTIFICATIONS} QUEUED template notifications over ${SENDERS} helplines, timed from \`kick()\` until it resolves; every row is then SENT with a distinct provider id. Per notification it makes a 24-hour-window check (SELECT), the POST and the outcome UPDATE; one claim per ${IN_FLIGHT}.`,
    '- Claims run one after the other, so their summed time is part of the wall time; window checks and outcome UPDATEs overlap (means are per statement, pool waits included).',
    '- Node CPU: CPU time of the bench process (application, fake server and bench client share its event loop) ÷ wall time; machine busy: all logical CPUs, PostgreSQL and anything else included.',
    '',
  ];
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  // Not inside a 0700 temp dir: run as root, PostgreSQL runs as another user.
  const pgDir = join(tmpdir(), `duare-bench-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
  // Logs are discarded, but the last few warnings are kept for a failure message.
  const warnings: string[] = [];
  const quiet = new Writable({
    write: (chunk, _encoding, done) => {
      warnings.push(String(chunk).slice(0, 500));
      if (warnings.length > 5) warnings.shift();
      done();
    },
  });
  let app: NestFastifyApplication | undefined;
  let stopPostgres: (() => Promise<void>) | undefined;
  let fake: FakeGraph | undefined;
  let db: Client | undefined;
  try {
    log(`PostgreSQL in ${pgDir}`);
    const postgres = await startEmbeddedPostgres({
      dataDir: pgDir,
      port: 0,
      databaseName: 'duare_bench',
    });
    stopPostgres = postgres.stop;
    await runMigrations(postgres.url);
    fake = await startFakeGraph();

    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: postgres.url,
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'bench-secret-that-is-at-least-32-characters',
      WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
      WHATSAPP_API_BASE_URL: fake.url,
      WHATSAPP_API_VERSION: API_VERSION,
      WHATSAPP_RATE_PER_SECOND: String(RATE_PER_SECOND),
      // The bench drives the dispatcher with kick(); the poll should not start it early.
      NOTIFY_POLL_MS: '60000',
    });
    app = await createApp({
      config,
      logger: createLogger(config.logLevel, quiet),
      databaseUrl: postgres.url,
    });
    const dispatcher = app.get(NotificationDispatcherService);
    const clock = new StatementClock(app.get(DataSource));

    db = new Client({ connectionString: postgres.url });
    await db.connect();
    const { municipality, errors } = await app.get(MunicipalitiesService).create(
      {
        code: 'BSR',
        nameBn: 'বসিরহাট পৌরসভা',
        nameEn: 'Basirhat Municipality',
        district: 'North 24 Parganas',
        state: 'West Bengal',
      },
      systemActor('bench', 'bench'),
    );
    if (!municipality) throw new Error(`municipality refused: ${JSON.stringify(errors)}`);
    const ward: string = (
      await db.query(
        `INSERT INTO wards (municipality_id, number, name_bn, name_en, service_hours)
         VALUES ($1, 1, 'ওয়ার্ড ১', 'Ward 1',
                 '{"days":["MON","TUE","WED","THU","FRI","SAT","SUN"],"opensAt":"00:00","closesAt":"24:00"}')
         RETURNING id`,
        [municipality.id],
      )
    ).rows[0].id;
    const event: string = (
      await db.query(
        `INSERT INTO domain_events (type, aggregate_type, aggregate_id, municipality_id, ward_id, payload)
         VALUES ('request.created', 'ServiceRequest', gen_random_uuid(), $1, $2, '{}') RETURNING id`,
        [municipality.id, ward],
      )
    ).rows[0].id;
    const ids = { municipality: municipality.id, ward, event };

    /** Queues `count` rows, kicks the dispatcher, checks every row went out once. */
    const dispatch = async (count: number) => {
      await queueNotifications(db!, ids, count);
      const servedBefore = fake!.count();
      clock.start();
      const { seconds, processCpu, machineBusy } = await timed(() => dispatcher.kick());
      const breakdown = clock.stop();
      const statuses = await countByStatus(db!);
      const posts = fake!.count() - servedBefore;
      const distinct: number = (
        await db!.query(
          `SELECT count(DISTINCT provider_message_id)::int AS n FROM notifications WHERE status = 'SENT'`,
        )
      ).rows[0].n;
      if (statuses.SENT !== count || distinct !== count || posts !== count) {
        throw new Error(
          `dispatcher: ${JSON.stringify(statuses)} (${distinct} distinct provider ids) after ` +
            `${posts} POSTs; ${count} expected. Last log lines:\n${warnings.join('')}`,
        );
      }
      return { seconds, perSecond: count / seconds, processCpu, machineBusy, ...breakdown };
    };

    if (WARMUP > 0) {
      log(`warm-up: ${WARMUP} of each (not timed)`);
      await httpBaseline(fake.url, WARMUP);
      await queueNotifications(db, ids, WARMUP);
      const warmIds = (await db.query('SELECT id FROM notifications ORDER BY seq')).rows;
      await databaseBaseline(
        postgres.url,
        warmIds.map((row) => row.id),
        0,
      );
      await dispatch(WARMUP);
    }

    const results: RunResult[] = [];
    for (let run = 1; run <= RUNS; run += 1) {
      const servedBefore = fake.count();
      const httpTime = await timed(() => httpBaseline(fake!.url, NOTIFICATIONS));
      const httpSeconds = httpTime.seconds;
      if (fake.count() - servedBefore !== NOTIFICATIONS) {
        throw new Error(`HTTP baseline: ${fake.count() - servedBefore} POSTs answered`);
      }
      log(`run ${run} HTTP baseline: ${fixed(httpSeconds, 2)} s`);

      await queueNotifications(db, ids, NOTIFICATIONS);
      const rowIds: string[] = (
        await db.query('SELECT id FROM notifications ORDER BY seq')
      ).rows.map((row) => row.id);
      const dbTime = await timed(() => databaseBaseline(postgres.url, rowIds, run));
      const dbSeconds = dbTime.seconds;
      const afterBaseline = await countByStatus(db);
      if (afterBaseline.SENT !== NOTIFICATIONS) {
        throw new Error(`DB baseline: ${JSON.stringify(afterBaseline)}`);
      }
      log(`run ${run} DB baseline: ${fixed(dbSeconds, 2)} s`);

      const dispatched = await dispatch(NOTIFICATIONS);
      log(`run ${run} dispatcher: ${fixed(dispatched.seconds, 2)} s`);

      const http = NOTIFICATIONS / httpSeconds;
      const database = NOTIFICATIONS / dbSeconds;
      const floor = 1 / (1 / http + 1 / database);
      results.push({
        run,
        notifications: NOTIFICATIONS,
        httpBaseline: { ...httpTime, perSecond: http },
        databaseBaseline: { ...dbTime, perSecond: database },
        combinedFloorPerSecond: floor,
        dispatcher: dispatched,
        dispatcherToHttp: dispatched.perSecond / http,
        dispatcherToFloor: dispatched.perSecond / floor,
      });
    }

    const meta = {
      date: new Date().toISOString(),
      node: process.version,
      cpu: `${cpus()[0]?.model ?? 'unknown'} (${cpus().length} logical CPUs)`,
      memory: `${fixed(totalmem() / 1024 ** 3)} GiB`,
      postgres: (await db.query('SHOW server_version')).rows[0].server_version,
      notifications: NOTIFICATIONS,
      helplines: SENDERS,
      runs: RUNS,
      warmup: WARMUP,
      ratePerSecondPerHelpline: RATE_PER_SECOND,
      dispatcherBatch: IN_FLIGHT,
      databasePoolSize: POOL_SIZE,
      forcedGc: Boolean(gc),
    };
    const figures = Object.fromEntries(
      FIGURES.map(([name, get]) => [name, summary(results.map(get))]),
    );
    const table = markdown(meta, results);
    const written = writeResults('notifications', { ...meta, summary: figures, results }, table);
    process.stdout.write(table);
    log(`results in ${written}.{json,md}`);
  } finally {
    await db?.end().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await fake?.stop().catch(() => undefined);
    await stopPostgres?.().catch(() => undefined);
    rmSync(pgDir, { recursive: true, force: true });
  }
}

runBenchmark(main);

/**
 * Benchmark of the WhatsApp webhook (`POST /webhooks/whatsapp`): signed POSTs accepted per
 * second, and the time from a resident's message to the bot's reply leaving, with a
 * baseline measured in the same run (the machine is noisy: compare ratios, not rates).
 *
 * Starts its own embedded PostgreSQL, a minimal fake Graph API (`node:http` on 127.0.0.1)
 * and the real application (in this process, listening on a random loopback port), seeds
 * one municipality, one ward with a helpline number and the demo catalogue, then
 * BENCH_RUNS times:
 *   A. accepted/s: BENCH_WEBHOOKS signed single-message webhooks ("হ্যালো" from as many
 *      distinct residents), sent by autocannon with BENCH_CONNECTIONS in flight, to each of
 *      (a) a baseline: a raw `node:http` server in this process that checks the HMAC over
 *          the raw bytes and INSERTs the payload into a twin of `whatsapp_inbox` through a
 *          `pg` Pool of the application's size;
 *      (b) the application with its inbox processor paused: the accept path alone;
 *      (c) the application as it runs in production: the processor answers residents
 *          (one inbox row at a time) while the POSTs come in;
 *      interleaved in BENCH_SLICES rounds so that noise falls on all three alike. Then the
 *      processor is timed answering a backlog of BENCH_DRAIN rows (rows/s).
 *   B. end to end: BENCH_E2E_MESSAGES "হ্যালো" from new residents at a steady
 *      BENCH_E2E_RATE a second; for each, the time from sending the POST to the first
 *      reply to that resident reaching the fake Graph API (and to the second, the menu).
 * See bench/README.md for how to run it.
 */
import 'reflect-metadata';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { AddressInfo } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import autocannon from 'autocannon';
import { Client, Pool } from 'pg';
import { createApp } from '../src/app.factory';
import { systemActor } from '../src/audit/audit-actor';
import { createLogger } from '../src/common/logging/logger';
import { loadConfig } from '../src/config/app-config';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.launcher';
import { runMigrations } from '../src/database/migration-runner';
import { NotificationDispatcherService } from '../src/notifications/notification-dispatcher.service';
import { MunicipalitiesService } from '../src/wards/municipalities.service';
import { WhatsAppInboxService } from '../src/whatsapp/whatsapp-inbox.service';
import { FakeGraph, startFakeGraph } from './support/fake-graph';
import { seedDemoCatalogue } from './support/generate';
import type { Load as LoadFigures } from './support/load';
import { machineTimes, percentile, sleep } from './support/measure';
import { SignedWebhook, textWebhook } from './support/whatsapp';
import { runBenchmark, writeResults } from './support/results';

const WEBHOOKS = Number(process.env.BENCH_WEBHOOKS ?? 4000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
/** Scenario A's measurements are interleaved in this many rounds (see accept()). */
const SLICES = Number(process.env.BENCH_SLICES ?? 4);
const E2E_MESSAGES = Number(process.env.BENCH_E2E_MESSAGES ?? 300);
const E2E_RATE = Number(process.env.BENCH_E2E_RATE ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 50);
/** Rows of the paused backlog kept for the drain measurement (the inbox takes ~50/s). */
const DRAIN = Math.min(Number(process.env.BENCH_DRAIN ?? 500), WEBHOOKS);
/** The application's DATABASE_POOL_SIZE, and the baseline Pool's size. */
const POOL_SIZE = 10;
const APP_SECRET = 'bench-app-secret-for-webhooks';
const ACCESS_TOKEN = 'bench-access-token';
const HELPLINE = '106540352242922';
/** Replies the bot sends to a first "হ্যালো": the welcome text, then the menu list. */
const REPLIES_PER_HELLO = 2;
/** How long the bot may take to answer everything before the benchmark gives up. */
const SETTLE_TIMEOUT_MS = 180_000;

// ---------------------------------------------------------------------------------------
// The fake Graph API: answers 200 with a fresh wamid, and notes when each POST arrived and
// to whom it was addressed.

// ---------------------------------------------------------------------------------------
// The baseline: a raw node:http server doing the least the webhook must do per POST:
// check the signature over the raw bytes, store the payload, answer 200.

interface Baseline {
  url: string;
  stop(): Promise<void>;
}

const BASELINE_TABLE = 'bench_inbox';

async function startBaseline(databaseUrl: string): Promise<Baseline> {
  const pool = new Pool({ connectionString: databaseUrl, max: POOL_SIZE });
  const secret = Buffer.from(APP_SECRET, 'utf8');
  const answer = (res: import('node:http').ServerResponse, status: number, body: string) => {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const header = req.headers['x-hub-signature-256'];
      const expected = createHmac('sha256', secret).update(raw).digest();
      const given =
        typeof header === 'string' && header.startsWith('sha256=')
          ? Buffer.from(header.slice('sha256='.length), 'hex')
          : Buffer.alloc(0);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        answer(res, 401, '{"error":"bad signature"}');
        return;
      }
      // The raw text goes in as is: PostgreSQL parses it into jsonb (no JSON.parse here).
      pool
        .query(`INSERT INTO ${BASELINE_TABLE} (payload) VALUES ($1)`, [raw.toString('utf8')])
        .then(
          () => answer(res, 200, '{"received":true}'),
          (error: Error) => answer(res, 500, JSON.stringify({ error: error.message })),
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}

// ---------------------------------------------------------------------------------------
// Data: one realistic single-message webhook per resident, as Meta sends it.

let residentSeq = 0;

/** `count` signed "হ্যালো" webhooks, each from a WhatsApp id never used before. */
function helloWebhooks(count: number): SignedWebhook[] {
  return Array.from({ length: count }, () => {
    residentSeq += 1;
    const waId = `9198${String(residentSeq).padStart(8, '0')}`;
    return textWebhook(waId, 'হ্যালো', HELPLINE, APP_SECRET, residentSeq);
  });
}

// ---------------------------------------------------------------------------------------
// Scenario A's load: autocannon, CONNECTIONS keep-alive connections, one request in flight
// on each, exactly `count` requests; every request a different signed body.

interface Load extends LoadFigures {
  /** CPU time of this Node process (app, baseline, fake and autocannon) ÷ wall time. */
  processCpu: number;
  /** Share of all logical CPUs busy (PostgreSQL, this process and anything else). */
  machineBusy: number;
}

interface Slice {
  requests: number;
  latencies: number[];
  reading: Reading;
}

async function fire(baseUrl: string, count: number): Promise<Slice> {
  // autocannon builds each connection's first request ahead: a few bodies may be built and
  // never sent, so there are spares (each body is sent at most once).
  const webhooks = helloWebhooks(count + 2 * CONNECTIONS);
  let next = 0;
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const measure = timer();
  // autocannon notices it is done only at its next sample tick: the clock stops at the last
  // answer instead.
  let reading: ReturnType<typeof measure> | undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${baseUrl}/webhooks/whatsapp`,
        connections: Math.min(CONNECTIONS, count),
        pipelining: 1,
        amount: count,
        timeout: 30,
        sampleInt: 100,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const webhook = webhooks[next++ % webhooks.length];
              return {
                ...req,
                method: 'POST',
                path: '/webhooks/whatsapp',
                headers: {
                  'content-type': 'application/json',
                  'x-hub-signature-256': webhook.signature,
                },
                body: webhook.raw,
              };
            },
          },
        ],
      },
      (error, outcome) => (error ? reject(error) : resolve(outcome)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      latencies.push(responseTime);
      if (latencies.length === count) reading = measure();
    });
  });
  const ok = statuses[200] ?? 0;
  if (ok !== count || statusCount(statuses) !== count || result.errors || result.timeouts) {
    throw new Error(
      `load on ${baseUrl}: ${count} requests, statuses ${JSON.stringify(statuses)}, ` +
        `${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return { requests: ok, latencies, reading: reading ?? measure() };
}

/** The slices of one kind, added up: their requests over their summed wall times. */
function combine(slices: Slice[]): Load {
  const requests = slices.reduce((a, slice) => a + slice.requests, 0);
  const seconds = slices.reduce((a, slice) => a + slice.reading.seconds, 0);
  const latencies = slices.flatMap((slice) => slice.latencies);
  return {
    requests,
    seconds,
    perSecond: requests / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.reduce((a, b) => Math.max(a, b), 0),
    ...usage(slices.map((slice) => slice.reading)),
  };
}

const statusCount = (statuses: Record<number, number>) =>
  Object.values(statuses).reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------------------------------
// Scenario B's load: one POST every 1/E2E_RATE s on a keep-alive agent, not waiting for
// the previous answer (an open loop: a slow answer does not delay the next message).

interface Sent {
  waId: string;
  sentAt: number;
  answeredAt: number;
}

function post(agent: Agent, baseUrl: string, webhook: SignedWebhook): Promise<Sent> {
  const url = new URL('/webhooks/whatsapp', baseUrl);
  return new Promise((resolve, reject) => {
    const sentAt = performance.now();
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': webhook.raw.length,
          'x-hub-signature-256': webhook.signature,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`webhook answered ${res.statusCode}`));
          else resolve({ waId: webhook.waId, sentAt, answeredAt: performance.now() });
        });
      },
    );
    req.on('error', reject);
    req.end(webhook.raw);
  });
}

async function steady(baseUrl: string, webhooks: SignedWebhook[], rate: number): Promise<Sent[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 50 });
  try {
    const started = performance.now();
    const pending: Array<Promise<Sent>> = [];
    for (let i = 0; i < webhooks.length; i += 1) {
      const wait = started + (i * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      pending.push(post(agent, baseUrl, webhooks[i]));
    }
    return await Promise.all(pending);
  } finally {
    agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------
// Measurement helpers.

const gc = (globalThis as { gc?: () => void }).gc;

/** What a clock read: wall time, this process's CPU time, the machine's CPU time. */
interface Reading {
  seconds: number;
  cpuSeconds: number;
  machineBusyMs: number;
  machineTotalMs: number;
}

/** Starts a clock (after a forced GC when exposed); the function returned reads it. */
function timer(): () => Reading {
  gc?.();
  const machineBefore = machineTimes();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const machine = machineTimes();
    return {
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      machineBusyMs: machine.busy - machineBefore.busy,
      machineTotalMs: machine.total - machineBefore.total,
    };
  };
}

/** Node CPU (share of a core) and machine busy (share of all CPUs) over readings. */
function usage(readings: Reading[]): { processCpu: number; machineBusy: number } {
  const sum = (get: (r: Reading) => number) => readings.reduce((a, r) => a + get(r), 0);
  return {
    processCpu: sum((r) => r.cpuSeconds) / sum((r) => r.seconds),
    machineBusy: sum((r) => r.machineBusyMs) / (sum((r) => r.machineTotalMs) || 1),
  };
}

// ---------------------------------------------------------------------------------------
// Results.

interface Drain {
  rows: number;
  /** From resuming the processor to the last reply reaching the fake Graph API. */
  seconds: number;
  perSecond: number;
  /** From resuming the processor until it found nothing left in the inbox. */
  inboxSeconds: number;
  processCpu: number;
  machineBusy: number;
}

interface EndToEnd {
  messages: number;
  ratePerSecond: number;
  /** POST sent → the webhook's 200 answer. */
  acceptP50Ms: number;
  acceptP99Ms: number;
  /** POST sent → the first reply to that resident arriving at the fake Graph API. */
  firstReplyP50Ms: number;
  firstReplyP99Ms: number;
  firstReplyMaxMs: number;
  /** POST sent → the second (last) reply, the menu, arriving. */
  lastReplyP50Ms: number;
  lastReplyP99Ms: number;
  lastReplyMaxMs: number;
  processCpu: number;
  machineBusy: number;
}

interface RunResult {
  run: number;
  baseline: Load;
  /** The application with its inbox processor paused: the accept path alone. */
  appAcceptOnly: Load;
  /** The paused backlog answered once the processor is resumed. */
  drain: Drain;
  /** The application with the inbox processor answering residents meanwhile. */
  app: Load & { processedDuringLoad: number };
  appToBaseline: number;
  appAcceptOnlyToBaseline: number;
  endToEnd: EndToEnd;
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

type Figure = [string, (r: RunResult) => number, number];

const ACCEPT_FIGURES: Figure[] = [
  ['Baseline (req/s)', (r) => r.baseline.perSecond, 0],
  ['App (req/s)', (r) => r.app.perSecond, 0],
  ['App ÷ baseline', (r) => r.appToBaseline, 2],
  ['App, inbox paused (req/s)', (r) => r.appAcceptOnly.perSecond, 0],
  ['Paused ÷ baseline', (r) => r.appAcceptOnlyToBaseline, 2],
  ['Baseline p50 / p99 (ms)', (r) => r.baseline.p50Ms, 1],
  ['App p50 / p99 (ms)', (r) => r.app.p50Ms, 1],
  ['Paused p50 / p99 (ms)', (r) => r.appAcceptOnly.p50Ms, 1],
  ['Inbox answered (rows/s)', (r) => r.drain.perSecond, 1],
];
/** The p99 shown next to a p50 figure, by name. */
const P99_OF: Record<string, (r: RunResult) => number> = {
  'Baseline p50 / p99 (ms)': (r) => r.baseline.p99Ms,
  'App p50 / p99 (ms)': (r) => r.app.p99Ms,
  'Paused p50 / p99 (ms)': (r) => r.appAcceptOnly.p99Ms,
};

const E2E_FIGURES: Figure[] = [
  ['First reply p50 (ms)', (r) => r.endToEnd.firstReplyP50Ms, 0],
  ['First reply p99 (ms)', (r) => r.endToEnd.firstReplyP99Ms, 0],
  ['First reply max (ms)', (r) => r.endToEnd.firstReplyMaxMs, 0],
  ['Menu (2nd reply) p50 (ms)', (r) => r.endToEnd.lastReplyP50Ms, 0],
  ['Menu (2nd reply) p99 (ms)', (r) => r.endToEnd.lastReplyP99Ms, 0],
  ['200 answer p50 (ms)', (r) => r.endToEnd.acceptP50Ms, 1],
  ['200 answer p99 (ms)', (r) => r.endToEnd.acceptP99Ms, 1],
];

function table(results: RunResult[], figures: Figure[]): string[] {
  const cells = (values: string[]) => `| ${values.join(' | ')} |`;
  const show = (name: string, value: number, p99: number | undefined, digits: number) =>
    p99 === undefined ? fixed(value, digits) : `${fixed(value, digits)} / ${fixed(p99, digits)}`;
  const over = (get: (r: RunResult) => number) => results.map(get);
  return [
    cells(['Run', ...figures.map(([name]) => name)]),
    cells(['--:', ...figures.map(() => '--:')]),
    ...results.map((r) =>
      cells([
        String(r.run),
        ...figures.map(([name, get, digits]) => show(name, get(r), P99_OF[name]?.(r), digits)),
      ]),
    ),
    cells([
      '**median**',
      ...figures.map(([name, get, digits]) => {
        const p99 = P99_OF[name];
        return `**${show(name, median(over(get)), p99 && median(over(p99)), digits)}**`;
      }),
    ]),
    cells([
      'min–max',
      ...figures.map(([name, get, digits]) => {
        const s = summary(over(get));
        const range = `${fixed(s.min, digits)}–${fixed(s.max, digits)}`;
        const p99 = P99_OF[name];
        if (!p99) return range;
        const t = summary(over(p99));
        return `${range} / ${fixed(t.min, digits)}–${fixed(t.max, digits)}`;
      }),
    ]),
  ];
}

function markdown(meta: Record<string, unknown>, results: RunResult[]): string {
  const cells = (values: string[]) => `| ${values.join(' | ')} |`;
  return [
    '# WhatsApp webhook benchmark',
    '',
    ...Object.entries(meta).map(([key, value]) => `- ${key}: ${value}`),
    '',
    `## A. Signed webhook POSTs accepted per second (${WEBHOOKS} per measurement, ${CONNECTIONS} in flight)`,
    '',
    ...table(results, ACCEPT_FIGURES),
    '',
    'Per run, what else happened:',
    '',
    cells([
      'Run',
      'App: rows answered during the load',
      'App max (ms)',
      'Baseline max (ms)',
      'Inbox drain (s)',
      'Last reply after (s)',
      'Node CPU baseline / app / drain (% of a core)',
      'Machine busy baseline / app / drain (%)',
    ]),
    cells(Array(8).fill('--:')),
    ...results.map((r) =>
      cells([
        String(r.run),
        `${r.app.processedDuringLoad} of ${r.app.requests}`,
        fixed(r.app.maxMs),
        fixed(r.baseline.maxMs),
        fixed(r.drain.inboxSeconds, 1),
        fixed(r.drain.seconds, 1),
        [r.baseline, r.app, r.drain].map((m) => fixed(100 * m.processCpu, 0)).join(' / '),
        [r.baseline, r.app, r.drain].map((m) => fixed(100 * m.machineBusy, 0)).join(' / '),
      ]),
    ),
    '',
    `## B. POST to reply leaving (${E2E_MESSAGES} messages at ${E2E_RATE}/s)`,
    '',
    ...table(results, E2E_FIGURES),
    '',
    `- Every POST is a realistic single-message webhook (Meta's shape, about ${meta.payloadBytes} bytes): "হ্যালো" from a WhatsApp id never seen before, with a unique wamid, signed \`x-hub-signature-256: sha256=<HMAC-SHA256 of the raw body>\`. Each one registers a resident and gets two replies (a welcome text, then the menu list).`,
    `- A, baseline: a raw \`node:http\` server in the bench process reads the body, checks the HMAC over the raw bytes with \`timingSafeEqual\`, runs \`INSERT INTO ${BASELINE_TABLE} (payload) VALUES ($1)\` (a twin of \`whatsapp_inbox\`: \`LIKE … INCLUDING ALL\`, so nothing processes its rows) through a \`pg\` Pool of ${POOL_SIZE} (the application's pool size) and answers 200. No JSON.parse, no schema check, no framework: a floor, not a rival.`,
    `- A, app: the same requests to \`POST /webhooks/whatsapp\` of the application (Fastify + Nest, raw body kept for the signature, zod check, TypeORM insert), with the inbox processor answering residents meanwhile, as in production. "Rows answered during the load": inbox rows the processor finished during these slices (it is paused during the other two kinds).`,
    `- A, app with the inbox paused: the same, with the processor stopped (the accept path alone). Afterwards all but the oldest ${DRAIN} pending rows are deleted and the processor is resumed: "Inbox answered (rows/s)" is ${DRAIN} divided by the time from resuming to the last of their ${DRAIN * REPLIES_PER_HELLO} replies reaching the fake Graph API ("inbox drain": until the processor found nothing left). The inbox takes rows one at a time.`,
    `- Load: autocannon in the bench process, ${CONNECTIONS} keep-alive connections, one request in flight on each; latency is from writing a request to reading its answer. Each measurement is cut in ${SLICES} slices, interleaved with the other two (baseline, paused, app; the order turns each round) so that a burst of noise on the machine falls on all three alike; rates are 200 answers ÷ the slices' summed wall time (connection set-up included), p50/p99 over all the slices' answers.`,
    `- B: one POST every ${fixed(1000 / E2E_RATE, 0)} ms (not waiting for answers), to the application running as in production (\`NOTIFY_POLL_MS=${POLL_MS}\`); the time from sending each POST to the arrival at the fake Graph API of the first (and the second) reply addressed to that resident. B has no baseline of its own: read it with A's figures of the same run.`,
    '- Node CPU: CPU time of the bench process (application, baseline server, fake Graph API and load generator share its event loop; GC and I/O threads can take it over 100 %) ÷ wall time; machine busy: all logical CPUs, PostgreSQL and anything else included.',
    '',
  ].join('\n');
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
  let baseline: Baseline | undefined;
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
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_RATE_PER_SECOND: '1000',
      NOTIFY_POLL_MS: String(POLL_MS),
    });
    app = await createApp({
      config,
      logger: createLogger(config.logLevel, quiet),
      databaseUrl: postgres.url,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const appUrl = await app.getUrl();
    const inbox = app.get(WhatsAppInboxService);
    const dispatcher = app.get(NotificationDispatcherService);

    db = new Client({ connectionString: postgres.url });
    await db.connect();
    const by = systemActor('bench', 'bench');
    const { municipality, errors } = await app.get(MunicipalitiesService).create(
      {
        code: 'BSR',
        nameBn: 'বসিরহাট পৌরসভা',
        nameEn: 'Basirhat Municipality',
        district: 'North 24 Parganas',
        state: 'West Bengal',
      },
      by,
    );
    if (!municipality) throw new Error(`municipality refused: ${JSON.stringify(errors)}`);
    await db.query(
      `INSERT INTO wards (municipality_id, number, name_bn, name_en, service_hours, whatsapp_phone_number_id)
       VALUES ($1, 5, 'ওয়ার্ড ৫', 'Ward 5',
               '{"days":["MON","TUE","WED","THU","FRI","SAT","SUN"],"opensAt":"00:00","closesAt":"24:00"}', $2)`,
      [municipality.id, HELPLINE],
    );
    await seedDemoCatalogue(app, municipality.id);
    await db.query(`CREATE TABLE ${BASELINE_TABLE} (LIKE whatsapp_inbox INCLUDING ALL)`);
    baseline = await startBaseline(postgres.url);

    // The inbox processor, paused and resumed through its own lifecycle hooks.
    let paused = false;
    const pauseInbox = async () => {
      if (paused) return;
      paused = true;
      await inbox.beforeApplicationShutdown();
    };
    const resumeInbox = () => {
      if (!paused) return;
      paused = false;
      inbox.onApplicationBootstrap();
    };

    /** Empties what a measurement leaves behind (never audit_log, which is append-only). */
    const reset = async () => {
      await pauseInbox();
      await db!.query(`TRUNCATE whatsapp_inbox, ${BASELINE_TABLE}`);
      // Replies already queued go out first, so that nothing is in flight when emptied.
      await dispatcher.kick();
      await db!.query(
        'TRUNCATE whatsapp_messages, conversations, whatsapp_windows, notifications, residents CASCADE',
      );
      await db!.query(`ANALYZE whatsapp_inbox, ${BASELINE_TABLE}, notifications, residents`);
      fake!.clear();
      resumeInbox();
    };

    const inboxCount = async (table: string, status?: string): Promise<number> =>
      (
        await db!.query(
          `SELECT count(*)::int AS n FROM ${table}${status ? ' WHERE status = $1' : ''}`,
          status ? [status] : [],
        )
      ).rows[0].n;

    /** Waits until each resident has had both replies; returns when the last one arrived. */
    const answered = async (waIds: string[]): Promise<number> => {
      const deadline = performance.now() + SETTLE_TIMEOUT_MS;
      for (;;) {
        let last = 0;
        let missing = 0;
        for (const waId of waIds) {
          const arrivals = fake!.arrivals(waId);
          if (arrivals.length < REPLIES_PER_HELLO) missing += 1;
          else last = Math.max(last, arrivals[REPLIES_PER_HELLO - 1]);
        }
        if (missing === 0) return last;
        if (performance.now() > deadline) {
          const pending = await inboxCount('whatsapp_inbox', 'PENDING');
          const parked = await inboxCount('whatsapp_inbox', 'PARKED');
          throw new Error(
            `${missing} of ${waIds.length} residents not answered after ${SETTLE_TIMEOUT_MS} ms ` +
              `(${pending} inbox rows pending, ${parked} parked). Last log lines:\n${warnings.join('')}`,
          );
        }
        await sleep(20);
      }
    };

    /**
     * A: the baseline, the application with its inbox paused and the application as in
     * production, in SLICES rounds of interleaved slices (the order turning each round), so
     * that a burst of noise on the machine falls on all three alike. Then the drain.
     */
    const accept = async () => {
      await reset();
      await pauseInbox();
      const slices: Record<'baseline' | 'paused' | 'live', Slice[]> = {
        baseline: [],
        paused: [],
        live: [],
      };
      const kinds = ['baseline', 'paused', 'live'] as const;
      for (let round = 0; round < SLICES; round += 1) {
        const size = Math.floor(WEBHOOKS / SLICES) + (round < WEBHOOKS % SLICES ? 1 : 0);
        for (let k = 0; k < kinds.length; k += 1) {
          const kind = kinds[(round + k) % kinds.length];
          if (kind === 'live') resumeInbox();
          slices[kind].push(await fire(kind === 'baseline' ? baseline!.url : appUrl, size));
          // The processor works only during the live slices (and finishes its row here).
          if (kind === 'live') await pauseInbox();
        }
      }
      const base = combine(slices.baseline);
      const paused = combine(slices.paused);
      const live = combine(slices.live);
      const storedBaseline = await inboxCount(BASELINE_TABLE);
      const storedApp = await inboxCount('whatsapp_inbox');
      if (storedBaseline !== base.requests || storedApp !== paused.requests + live.requests) {
        throw new Error(
          `baseline: ${base.requests} accepted, ${storedBaseline} rows; app: ` +
            `${paused.requests + live.requests} accepted, ${storedApp} inbox rows`,
        );
      }
      const processedDuringLoad = await inboxCount('whatsapp_inbox', 'DONE');

      // The drain: the oldest DRAIN pending rows are kept, the other pending rows dropped (a
      // backlog of thousands would take minutes, one row at a time).
      await db!.query(
        `DELETE FROM whatsapp_inbox WHERE status = 'PENDING' AND id NOT IN
           (SELECT id FROM whatsapp_inbox WHERE status = 'PENDING' ORDER BY received_at, id LIMIT $1)`,
        [DRAIN],
      );
      await db!.query('ANALYZE whatsapp_inbox');
      const kept = new Set(
        (
          await db!.query(
            `SELECT payload #>> '{entry,0,changes,0,value,messages,0,from}' AS wa
               FROM whatsapp_inbox WHERE status = 'PENDING'`,
          )
        ).rows.map((row) => row.wa as string),
      );
      const measure = timer();
      const started = performance.now();
      resumeInbox();
      await inbox.kick();
      const inboxSeconds = (performance.now() - started) / 1000;
      const last = await answered([...kept]);
      const reading = measure();
      const seconds = (last - started) / 1000;
      const done = (await inboxCount('whatsapp_inbox', 'DONE')) - processedDuringLoad;
      if (done !== DRAIN || kept.size !== DRAIN) {
        throw new Error(`drain: ${done} of ${DRAIN} rows done (${kept.size} residents)`);
      }
      const drain: Drain = {
        rows: done,
        seconds,
        perSecond: done / seconds,
        inboxSeconds,
        ...usage([reading]),
      };
      return { base, paused, live: { ...live, processedDuringLoad }, drain };
    };

    // B: steady messages, POST → replies at the fake Graph API.
    const endToEnd = async (messages: number): Promise<EndToEnd> => {
      await reset();
      const webhooks = helloWebhooks(messages);
      const measure = timer();
      const sent = await steady(appUrl, webhooks, E2E_RATE);
      await answered(sent.map((s) => s.waId));
      const { processCpu, machineBusy } = usage([measure()]);
      // Every resident got the welcome (text) and the menu (list), and nothing else was sent
      // (once the dispatcher has recorded the last outcomes).
      await dispatcher.kick();
      const { rows } = await db!.query(
        `SELECT count(*) FILTER (WHERE status = 'SENT' AND content->>'type' = 'text')::int AS texts,
                count(*) FILTER (WHERE status = 'SENT' AND content->>'type' = 'interactive')::int AS menus,
                count(*)::int AS total
           FROM notifications`,
      );
      if (
        rows[0].texts !== messages ||
        rows[0].menus !== messages ||
        rows[0].total !== 2 * messages
      ) {
        throw new Error(`end to end: ${JSON.stringify(rows[0])} for ${messages} greetings`);
      }
      const first = sent.map((s) => fake!.arrivals(s.waId)[0] - s.sentAt);
      const lastReply = sent.map((s) => fake!.arrivals(s.waId)[REPLIES_PER_HELLO - 1] - s.sentAt);
      const accept = sent.map((s) => s.answeredAt - s.sentAt);
      return {
        messages,
        ratePerSecond: E2E_RATE,
        acceptP50Ms: percentile(accept, 50),
        acceptP99Ms: percentile(accept, 99),
        firstReplyP50Ms: percentile(first, 50),
        firstReplyP99Ms: percentile(first, 99),
        firstReplyMaxMs: Math.max(...first),
        lastReplyP50Ms: percentile(lastReply, 50),
        lastReplyP99Ms: percentile(lastReply, 99),
        lastReplyMaxMs: Math.max(...lastReply),
        processCpu,
        machineBusy,
      };
    };

    if (WARMUP > 0) {
      log(`warm-up: ${WARMUP} webhooks to each server, and the end-to-end path (not timed)`);
      await reset();
      await pauseInbox();
      await fire(baseline.url, WARMUP);
      await fire(appUrl, WARMUP);
      resumeInbox();
      await inbox.kick();
      await endToEnd(Math.min(WARMUP, 2 * E2E_RATE));
    }

    const results: RunResult[] = [];
    for (let run = 1; run <= RUNS; run += 1) {
      const { base, paused, live, drain } = await accept();
      log(
        `run ${run} baseline ${fixed(base.perSecond, 0)} req/s, app ${fixed(live.perSecond, 0)} ` +
          `req/s, app with the inbox paused ${fixed(paused.perSecond, 0)} req/s; ` +
          `backlog answered at ${fixed(drain.perSecond, 1)} rows/s`,
      );
      const e2e = await endToEnd(E2E_MESSAGES);
      log(
        `run ${run} end to end: first reply p50 ${fixed(e2e.firstReplyP50Ms, 0)} ms, ` +
          `p99 ${fixed(e2e.firstReplyP99Ms, 0)} ms`,
      );
      results.push({
        run,
        baseline: base,
        appAcceptOnly: paused,
        drain,
        app: live,
        appToBaseline: live.perSecond / base.perSecond,
        appAcceptOnlyToBaseline: paused.perSecond / base.perSecond,
        endToEnd: e2e,
      });
    }
    await reset();

    const meta = {
      date: new Date().toISOString(),
      node: process.version,
      cpu: `${cpus()[0]?.model ?? 'unknown'} (${cpus().length} logical CPUs)`,
      memory: `${fixed(totalmem() / 1024 ** 3)} GiB`,
      postgres: (await db.query('SHOW server_version')).rows[0].server_version,
      webhooksPerMeasurement: WEBHOOKS,
      payloadBytes: helloWebhooks(1)[0].raw.length,
      drainRows: DRAIN,
      connections: CONNECTIONS,
      slicesPerMeasurement: SLICES,
      endToEndMessages: E2E_MESSAGES,
      endToEndRatePerSecond: E2E_RATE,
      runs: RUNS,
      warmup: WARMUP,
      notifyPollMs: POLL_MS,
      whatsappRatePerSecond: 1000,
      databasePoolSize: POOL_SIZE,
      loadGenerator: `autocannon ${
        JSON.parse(readFileSync(require.resolve('autocannon/package.json'), 'utf8')).version
      }`,
      forcedGc: Boolean(gc),
    };
    const figures = Object.fromEntries(
      [
        ...ACCEPT_FIGURES,
        ...E2E_FIGURES,
        ['Baseline p99 (ms)', (r: RunResult) => r.baseline.p99Ms, 1] as Figure,
        ['App p99 (ms)', (r: RunResult) => r.app.p99Ms, 1] as Figure,
        ['Paused p99 (ms)', (r: RunResult) => r.appAcceptOnly.p99Ms, 1] as Figure,
      ].map(([name, get]) => [name.replace(' / p99', ''), summary(results.map(get))]),
    );
    const report = markdown(meta, results);
    const written = writeResults('webhooks', { ...meta, summary: figures, results }, report);
    process.stdout.write(report);
    log(`results in ${written}.{json,md}`);
  } finally {
    await db?.end().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await baseline?.stop().catch(() => undefined);
    await fake?.stop().catch(() => undefined);
    await stopPostgres?.().catch(() => undefined);
    rmSync(pgDir, { recursive: true, force: true });
  }
}

runBenchmark(main);

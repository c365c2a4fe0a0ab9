/**
 * Benchmark of the streaming CSV export (`GET /exports/requests.csv`) at two table sizes,
 * against baselines measured in the same run (the machine is noisy: compare ratios).
 *
 * Starts its own embedded PostgreSQL and the real application (in this process, on a random
 * loopback port), seeds one municipality, 25 wards, BENCH_RESIDENTS residents and the demo
 * catalogue, loads service requests with `INSERT … SELECT … FROM generate_series` up to each
 * size of BENCH_SIZES (100,000 then 1,000,000 by default), VACUUMs and ANALYZEs, and then,
 * BENCH_RUNS times per size:
 *   (a) baseline COPY: `COPY (the export's SELECT) TO STDOUT (FORMAT csv, HEADER)` through
 *       one `pg` client (pg-copy-streams): what PostgreSQL alone takes to produce the rows;
 *   (b) baseline cursor: the export's SELECT read through `pg-query-stream` (1,000 rows a
 *       batch, as the app does), rows counted and dropped: the driver without HTTP and CSV;
 *   (c) app: the whole file over HTTP, read and counted as it arrives (never kept).
 * During each measurement the process's RSS and heap are sampled every 25 ms; the peak and
 * the growth over the value just before (after a forced GC when `--expose-gc`) are reported.
 * Every run must return every row, or the benchmark fails. See bench/README.md.
 *
 * The set-up shared with the other benchmarks (PostgreSQL, the application's settings, the
 * municipality, catalogue and sign-in, machine facts, results files) is in bench/support.
 */
import 'reflect-metadata';
import { request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import QueryStream from 'pg-query-stream';
import { systemActor } from '../src/audit/audit-actor';
import { StaffAccountsService } from '../src/auth/staff-accounts.service';
import { StaffRole } from '../src/common/access/staff-role';
import { runMigrations } from '../src/database/migration-runner';
import { BENCH_PASSWORD } from './support/app-env';
import { ADMIN, seedDemoCatalogue, seedMunicipality } from './support/generate';
import { accessToken } from './support/graphql';
import { startInProcessApp } from './support/in-process-app';
import { MachineInfo, machineInfo, machineLines } from './support/machine';
import { BenchPostgres, startBenchPostgres } from './support/postgres';
import { RESULTS_DIR, markdownTable, runBenchmark, writeResults } from './support/results';

const SIZES = (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? 5000);
const WARDS = 25;
const CHUNK = 250_000;
const SAMPLE_MS = 25;
const LIVE_SAMPLE_MS = 1000;
const MIB = 1024 * 1024;

/** The export's SELECT (src/integration/exports/exports.controller.ts), for the baselines. */
const EXPORT_SELECT = `SELECT r.tracking_number, w.number AS ward_number, s.code AS service_code, r.category, r.channel,
       r.status, r.priority, r.created_at, r.sla_due_at, r.completed_at, r.resident_id, r.id AS request_id
  FROM service_requests r JOIN wards w ON w.id = r.ward_id JOIN service_types s ON s.id = r.service_type_id
 WHERE r.municipality_id = $1 ORDER BY r.created_at, r.id`;

/** Requests n = lo..hi, one a second backwards from `now`, spread over wards, types, statuses. */
const INSERT_REQUESTS = `
  INSERT INTO service_requests (municipality_id, ward_id, tracking_number, resident_id,
    service_type_id, definition_version, category, channel, attributes, priority, status,
    sla_due_at, completed_at, status_changed_at, created_at, updated_at)
  SELECT $1::uuid, res.ward_id, 'BSR-' || lpad(res.ward_number::text, 2, '0') || '-E-' || lpad(n::text, 8, '0'),
         res.id, st.id, 1, st.category,
         (ARRAY['WHATSAPP','PHONE_CALL','WALK_IN','API'])[1 + n % 4]::request_channel, '{}',
         (ARRAY['NORMAL','NORMAL','HIGH','LOW','URGENT'])[1 + n % 5]::request_priority,
         (ARRAY['SUBMITTED','IN_REVIEW','RESOLVED','CLOSED','REJECTED'])[1 + n % 5]::request_status,
         m.made + interval '48 hours',
         CASE WHEN n % 5 >= 2 THEN m.made + interval '5 hours' END,
         m.made, m.made, m.made
  FROM generate_series($2::int, $3::int) AS n
  CROSS JOIN LATERAL (SELECT $4::timestamptz - n * interval '1 second' AS made) m
  JOIN bench_residents res ON res.k = n % $5::int
  JOIN bench_types st ON st.k = n % $6::int`;

interface Memory {
  rssBeforeMiB: number;
  rssPeakMiB: number;
  rssGrowthMiB: number;
  heapBeforeMiB: number;
  heapPeakMiB: number;
  heapGrowthMiB: number;
  /** Heap still in use after a forced GC, sampled every second during the run (`--expose-gc`). */
  liveHeapPeakMiB: number | null;
  liveHeapGrowthMiB: number | null;
}

interface Result extends Memory {
  rows: number;
  run: number;
  method: 'copy' | 'cursor' | 'app';
  seconds: number;
  rowsPerSecond: number;
  mibPerSecond: number;
  bytes: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
const fixed = (value: number, digits = 1) => Number(value.toFixed(digits));

/** Runs `work` while sampling memory; returns its answer, the time and the memory figures. */
async function measured<T>(
  work: () => Promise<T>,
): Promise<{ value: T; seconds: number } & Memory> {
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const before = process.memoryUsage();
  let rssPeak = before.rss;
  let heapPeak = before.heapUsed;
  const sample = () => {
    const now = process.memoryUsage();
    rssPeak = Math.max(rssPeak, now.rss);
    heapPeak = Math.max(heapPeak, now.heapUsed);
  };
  let liveHeapPeak: number | null = null;
  const timer = setInterval(sample, SAMPLE_MS);
  // What is really kept (garbage collected first): a growing heap between major GCs is
  // only V8 being lazy; a growing live heap would be rows held in memory.
  const sampleLive = () => {
    if (!gc) return;
    sample();
    gc();
    liveHeapPeak = Math.max(liveHeapPeak ?? 0, process.memoryUsage().heapUsed);
  };
  const liveTimer = gc ? setInterval(sampleLive, LIVE_SAMPLE_MS) : undefined;
  const started = performance.now();
  try {
    const value = await work();
    const seconds = (performance.now() - started) / 1000;
    sampleLive();
    sample();
    return {
      value,
      seconds,
      rssBeforeMiB: fixed(before.rss / MIB),
      rssPeakMiB: fixed(rssPeak / MIB),
      rssGrowthMiB: fixed((rssPeak - before.rss) / MIB),
      heapBeforeMiB: fixed(before.heapUsed / MIB),
      heapPeakMiB: fixed(heapPeak / MIB),
      heapGrowthMiB: fixed((heapPeak - before.heapUsed) / MIB),
      liveHeapPeakMiB: liveHeapPeak === null ? null : fixed(liveHeapPeak / MIB),
      liveHeapGrowthMiB:
        liveHeapPeak === null ? null : fixed((liveHeapPeak - before.heapUsed) / MIB),
    };
  } finally {
    clearInterval(timer);
    if (liveTimer) clearInterval(liveTimer);
  }
}

/** Counts lines and bytes of a byte stream without keeping it. */
function lineCounter(): Writable & { lines: number; bytes: number } {
  const counter = new Writable({
    write(chunk: Buffer, _encoding, done) {
      counter.bytes += chunk.length;
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) {
        counter.lines += 1;
      }
      done();
    },
  }) as Writable & { lines: number; bytes: number };
  counter.lines = 0;
  counter.bytes = 0;
  return counter;
}

async function viaCopy(db: Client, municipalityId: string) {
  // COPY takes no parameters: the id is ours (a UUID), inlined as a literal.
  const sql = EXPORT_SELECT.replace('$1', `'${municipalityId}'::uuid`);
  const counter = lineCounter();
  await pipeline(db.query(copyTo(`COPY (${sql}) TO STDOUT (FORMAT csv, HEADER)`)), counter);
  return { rows: counter.lines - 1, bytes: counter.bytes };
}

async function viaCursor(db: Client, municipalityId: string) {
  let rows = 0;
  const sink = new Writable({
    objectMode: true,
    write(_row, _encoding, done) {
      rows += 1;
      done();
    },
  });
  await pipeline(
    db.query(new QueryStream(EXPORT_SELECT, [municipalityId], { batchSize: 1000 })),
    sink,
  );
  return { rows, bytes: 0 };
}

function viaApp(url: string, token: string): Promise<{ rows: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}/exports/requests.csv`,
      { headers: { authorization: `Bearer ${token}` } },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`export answered ${res.statusCode}`));
          res.resume();
          return;
        }
        const counter = lineCounter();
        pipeline(res, counter).then(
          () => resolve({ rows: counter.lines - 1, bytes: counter.bytes }),
          reject,
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function seed(app: NestFastifyApplication, db: Client): Promise<string> {
  const { municipalityId, wardIds } = await seedMunicipality(app, db, WARDS);
  await seedDemoCatalogue(app, municipalityId);
  await db.query(
    `INSERT INTO residents (municipality_id, ward_id, full_name, phone, preferred_language,
       created_channel, name_key)
     SELECT $1, ($2::uuid[])[1 + n % ${WARDS}], 'বাসিন্দা ' || n, '+9197' || lpad(n::text, 8, '0'),
            'BN', 'WALK_IN', 'basinda ' || n
     FROM generate_series(1, $3::int) AS n`,
    [municipalityId, wardIds, RESIDENTS],
  );
  await db.query(
    `CREATE TEMP TABLE bench_types AS
       SELECT (row_number() OVER (ORDER BY code) - 1)::int AS k, id, category
       FROM service_types WHERE municipality_id = $1`,
    [municipalityId],
  );
  await db.query(
    `CREATE TEMP TABLE bench_residents AS
       SELECT (row_number() OVER (ORDER BY r.id) - 1)::int AS k, r.id, r.ward_id,
              w.number AS ward_number
       FROM residents r JOIN wards w ON w.id = r.ward_id`,
  );
  const admin = await app.get(StaffAccountsService).createInMunicipality(
    municipalityId,
    {
      username: ADMIN,
      displayName: 'Bench admin',
      phone: null,
      password: BENCH_PASSWORD,
      roles: [{ role: StaffRole.MUNICIPAL_ADMIN, wardId: null }],
    },
    systemActor('bench', 'bench'),
  );
  if (!admin.account) throw new Error(`admin refused: ${JSON.stringify(admin.errors)}`);
  return municipalityId;
}

function markdown(machine: MachineInfo, meta: Record<string, unknown>, results: Result[]): string {
  const rows = results.map((r) => {
    const copy = results.find((c) => c.rows === r.rows && c.run === r.run && c.method === 'copy');
    return [
      r.rows.toLocaleString('en'),
      String(r.run),
      r.method,
      String(fixed(r.seconds, 2)),
      Math.round(r.rowsPerSecond).toLocaleString('en'),
      r.bytes ? String(fixed(r.mibPerSecond)) : '',
      copy ? String(fixed(r.seconds / copy.seconds, 2)) : '',
      String(r.rssPeakMiB),
      String(r.rssGrowthMiB),
      String(r.heapGrowthMiB),
      String(r.liveHeapGrowthMiB ?? ''),
    ];
  });
  const lines = [
    '# CSV export benchmark (`bench/exports.ts`)',
    '',
    ...machineLines(machine),
    ...Object.entries(meta).map(([key, value]) => `- ${key}: ${String(value)}`),
    '',
    ...markdownTable(
      [
        'rows',
        'run',
        ' method',
        'seconds',
        'rows/s',
        'MiB/s',
        '÷ COPY',
        'peak RSS MiB',
        'RSS growth MiB',
        'heap growth MiB',
        'live heap growth MiB',
      ],
      rows,
    ),
    '',
  ];
  const apps = SIZES.map((size) =>
    results.filter((r) => r.method === 'app' && r.rows === size),
  ).filter((list) => list.length > 0);
  if (apps.length >= 2) {
    const peak = (list: Result[]) => Math.max(...list.map((r) => r.rssPeakMiB));
    const growth = (list: Result[]) => Math.max(...list.map((r) => r.rssGrowthMiB));
    const live = (list: Result[]) => Math.max(...list.map((r) => r.liveHeapGrowthMiB ?? NaN));
    const [small, large] = [apps[0], apps[apps.length - 1]];
    const line = (list: Result[]) =>
      `peak RSS ${peak(list)} MiB (growth ≤ ${growth(list)} MiB, live heap growth ≤ ${live(list)} MiB) at ${list[0].rows.toLocaleString('en')} rows`;
    lines.push(`Memory of the app's export: ${line(small)}; ${line(large)}.`, '');
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
  let app: NestFastifyApplication | undefined;
  let postgres: BenchPostgres | undefined;
  let db: Client | undefined;
  try {
    postgres = await startBenchPostgres(null, log);
    await runMigrations(postgres.url);
    // The default operation timeout (15 s) stays on: the export must outlive it.
    const started = await startInProcessApp(postgres.url);
    app = started.app;
    const { url, config } = started;
    db = new Client({ connectionString: postgres.url });
    await db.connect();
    const municipalityId = await seed(app, db);
    const token = await accessToken(url, ADMIN, BENCH_PASSWORD);
    const types: number = (await db.query('SELECT count(*)::int AS n FROM bench_types')).rows[0].n;
    const now = new Date();

    const results: Result[] = [];
    let loaded = 0;
    for (const size of SIZES) {
      log(`loading requests ${loaded + 1}..${size}`);
      const started = performance.now();
      await db.query('SET session_replication_role = replica');
      for (let lo = loaded + 1; lo <= size; lo += CHUNK) {
        const hi = Math.min(size, lo + CHUNK - 1);
        await db.query(INSERT_REQUESTS, [municipalityId, lo, hi, now, RESIDENTS, types]);
      }
      await db.query('SET session_replication_role = DEFAULT');
      await db.query('VACUUM (ANALYZE) service_requests');
      loaded = size;
      log(`loaded in ${fixed((performance.now() - started) / 1000)} s`);
      for (let run = 1; run <= RUNS; run += 1) {
        const methods: Array<[Result['method'], () => Promise<{ rows: number; bytes: number }>]> = [
          ['copy', () => viaCopy(db!, municipalityId)],
          ['cursor', () => viaCursor(db!, municipalityId)],
          ['app', () => viaApp(url, token)],
        ];
        for (const [method, work] of methods) {
          const { value, seconds, ...memory } = await measured(work);
          if (value.rows !== size) {
            throw new Error(`${method} returned ${value.rows} rows, expected ${size}`);
          }
          const result: Result = {
            rows: size,
            run,
            method,
            seconds: fixed(seconds, 3),
            rowsPerSecond: Math.round(size / seconds),
            mibPerSecond: fixed(value.bytes / MIB / seconds),
            bytes: value.bytes,
            ...memory,
          };
          results.push(result);
          log(
            `${size} rows, run ${run}, ${method}: ${fixed(seconds, 2)} s, ` +
              `${result.rowsPerSecond} rows/s, peak RSS ${memory.rssPeakMiB} MiB ` +
              `(+${memory.rssGrowthMiB}), heap +${memory.heapGrowthMiB} MiB`,
          );
        }
      }
    }

    const machine = await machineInfo(db);
    const meta = {
      sizes: SIZES.join(', '),
      runs: RUNS,
      forcedGc: Boolean(gc),
      statementTimeoutMs: config.graphql.operationTimeoutMs,
      note: 'app, client and pg clients share one process: RSS and heap are the whole process',
    };
    const report = markdown(machine, meta, results);
    writeResults('exports', { ...machine, ...meta, results }, report);
    process.stdout.write(report);
    log(`results in ${RESULTS_DIR}/exports.{json,md}`);
  } finally {
    await db?.end().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await postgres?.stop();
  }
}

runBenchmark(main);

/**
 * Benchmark of `POST /imports/residents` against a plain multi-row INSERT baseline.
 *
 * Starts its own embedded PostgreSQL and the real application (in this process), writes a
 * CSV of BENCH_ROWS residents to disk, then BENCH_RUNS times, each on an emptied
 * `residents` table:
 *   (a) baseline: the same rows, already validated and normalised outside the timing, sent
 *       by the `pg` client as multi-row `INSERT … ON CONFLICT DO NOTHING` statements of
 *       BENCH_BATCH rows in one transaction: what the database alone costs;
 *   (b) import: the file streamed from disk over HTTP to the running application.
 * See bench/README.md for how to run it.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { createApp } from '../src/app.factory';
import { systemActor } from '../src/audit/audit-actor';
import { sha256Hex } from '../src/common/crypto/sha256';
import { StaffAccountsService } from '../src/auth/staff-accounts.service';
import { StaffRole } from '../src/common/access/staff-role';
import { createLogger } from '../src/common/logging/logger';
import { nameKey } from '../src/common/text/name-key';
import { toAsciiDigits, toBengaliDigits } from '../src/common/text/digits';
import { normalizeText } from '../src/common/text/normalize';
import { toE164 } from '../src/common/text/phone-number';
import { loadConfig } from '../src/config/app-config';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.launcher';
import { runMigrations } from '../src/database/migration-runner';
import { searchKey } from '../src/residents/resident-columns';
import { seedMunicipality } from './support/generate';
import { runBenchmark, writeResults } from './support/results';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
/** BENCH_WITH_DOB=0 leaves date_of_birth empty (to isolate the cost of the date check). */
const WITH_DOB = process.env.BENCH_WITH_DOB !== '0';
const WARDS = 25;
const SAMPLE_MS = 50;
const PASSWORD = 'bench password that is long enough';
const MiB = 1024 * 1024;

// ---------------------------------------------------------------------------------------
// Data: deterministic, realistic rows (Bengali and English names, Bengali digits, quoted
// commas, about 10 % without a phone so the dedupe-key path is exercised too).

const CSV_COLUMNS = [
  'ward_number',
  'full_name',
  'alt_name',
  'guardian_name',
  'guardian_relation',
  'phone',
  'house_number',
  'locality',
  'pin_code',
  'preferred_language',
  'date_of_birth',
] as const;
type CsvRow = Record<(typeof CSV_COLUMNS)[number], string>;

const FIRST = [
  ['রহিম', 'Rahim'],
  ['সুনীতা', 'Sunita'],
  ['মালতী', 'Malati'],
  ['গোপাল', 'Gopal'],
  ['অনিতা', 'Anita'],
  ['করিম', 'Karim'],
  ['দীপা', 'Dipa'],
  ['চন্দন', 'Chandan'],
  ['বিনা', 'Bina'],
  ['অরূপ', 'Arup'],
  ['সালমা', 'Salma'],
  ['তাপস', 'Tapas'],
];
const LAST = [
  ['শেখ', 'Sheikh'],
  ['দাস', 'Das'],
  ['পাল', 'Pal'],
  ['মণ্ডল', 'Mondal'],
  ['রায়', 'Roy'],
  ['ঘোষ', 'Ghosh'],
  ['সেন', 'Sen'],
  ['বিশ্বাস', 'Biswas'],
];
const RELATIONS: Array<[string, string]> = [
  ['পিতা', 'FATHER'],
  ['father', 'FATHER'],
  ['স্বামী', 'HUSBAND'],
  ['Husband', 'HUSBAND'],
  ['মাতা', 'MOTHER'],
];
const LOCALITIES = ['Mondal Para, Taki Road', 'Nayabad', 'Station Road', 'ইটিন্ডা রোড', 'Bazar'];

/** A small deterministic generator, so every run imports the same file. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function generateRow(i: number, next: () => number): CsvRow {
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)];
  const bengali = next() < 0.6;
  const [firstBn, firstEn] = pick(FIRST);
  const [lastBn, lastEn] = pick(LAST);
  const [guardianBn, guardianEn] = pick(FIRST);
  const [relation] = pick(RELATIONS);
  const ward = String(1 + (i % WARDS));
  const digits = `9${String(800000000 + i)}`; // 10 digits, unique per row
  const hasPhone = i % 10 !== 9;
  const phoneStyle = i % 4;
  const phone = !hasPhone
    ? ''
    : phoneStyle === 0
      ? digits
      : phoneStyle === 1
        ? `+91 ${digits.slice(0, 5)} ${digits.slice(5)}`
        : phoneStyle === 2
          ? toBengaliDigits(`0${digits}`)
          : `0${digits}`;
  const year = 1940 + Math.floor(next() * 65);
  const month = String(1 + Math.floor(next() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(next() * 28)).padStart(2, '0');
  return {
    ward_number: i % 5 === 0 ? toBengaliDigits(ward) : ward,
    full_name: bengali ? `${firstBn} ${lastBn}` : `${firstEn} ${lastEn}`,
    alt_name: bengali ? `${firstEn} ${lastEn}` : '',
    guardian_name: bengali ? `${guardianBn} ${lastBn}` : `${guardianEn} ${lastEn}`,
    guardian_relation: relation,
    phone,
    // Rows without a phone are told apart by holding number (part of the dedupe key).
    house_number: hasPhone ? `${1 + Math.floor(next() * 400)}` : `H-${i}`,
    locality: pick(LOCALITIES),
    pin_code: i % 3 === 0 ? toBengaliDigits('743411') : `7434${10 + (i % 80)}`,
    preferred_language: bengali ? 'bn' : 'EN',
    date_of_birth: WITH_DOB ? `${year}-${month}-${day}` : '',
  };
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

async function writeCsv(path: string, rows: CsvRow[]): Promise<number> {
  const out = createWriteStream(path);
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write('\uFEFF' + CSV_COLUMNS.join(',') + '\n');
  for (const row of rows) await write(CSV_COLUMNS.map((c) => csvCell(row[c])).join(',') + '\n');
  out.end();
  await once(out, 'finish');
  return statSync(path).size;
}

// ---------------------------------------------------------------------------------------
// Baseline: the column values the import stores, computed up front (not timed).

const BASELINE_COLUMNS = [
  'municipality_id',
  'ward_id',
  'full_name',
  'alt_name',
  'guardian_name',
  'guardian_relation',
  'phone',
  'house_number',
  'locality',
  'pin_code',
  'preferred_language',
  'date_of_birth',
  'created_channel',
  'name_key',
  'dedupe_key',
  'import_id',
] as const;

function baselineValues(
  row: CsvRow,
  municipalityId: string,
  wardIds: string[],
  importId: string,
): unknown[] {
  const wardId = wardIds[Number(toAsciiDigits(row.ward_number)) - 1];
  const fullName = normalizeText(row.full_name);
  const altName = normalizeText(row.alt_name) || null;
  const guardianName = normalizeText(row.guardian_name) || null;
  const phone = row.phone ? toE164(row.phone) : null;
  const houseNumber = normalizeText(row.house_number) || null;
  const relation = RELATIONS.find(([written]) => written === row.guardian_relation)![1];
  return [
    municipalityId,
    wardId,
    fullName,
    altName,
    guardianName,
    relation,
    phone,
    houseNumber,
    normalizeText(row.locality),
    toAsciiDigits(row.pin_code),
    row.preferred_language.toUpperCase(),
    row.date_of_birth || null,
    'IMPORT',
    searchKey(fullName, altName),
    phone
      ? null
      : sha256Hex([wardId, nameKey(fullName), nameKey(guardianName), houseNumber ?? ''].join('|')),
    importId,
  ];
}

async function baselineInsert(url: string, values: unknown[][]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    const width = BASELINE_COLUMNS.length;
    for (let start = 0; start < values.length; start += BATCH) {
      const batch = values.slice(start, start + BATCH);
      const tuples = batch.map(
        (_, r) => `(${BASELINE_COLUMNS.map((__, c) => `$${r * width + c + 1}`).join(', ')})`,
      );
      await client.query(
        `INSERT INTO residents (${BASELINE_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}
         ON CONFLICT DO NOTHING`,
        batch.flat(),
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------
// Measurement.

interface Measurement {
  run: number;
  method: 'baseline' | 'import';
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  ratioToBaseline: number | null;
  rssBeforeMiB: number;
  peakRssMiB: number;
  heapBeforeMiB: number;
  peakHeapMiB: number;
  heapGrowthMiB: number;
  /** heapUsed after the run and a forced GC, minus heapUsed before (null without --expose-gc). */
  heapRetainedMiB: number | null;
  samples: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Runs `work`, sampling this process's memory every 50 ms (the app runs in it too). */
async function measure(work: () => Promise<void>) {
  gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  let samples = 0;
  const sample = () => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
    samples += 1;
  };
  const timer = setInterval(sample, SAMPLE_MS);
  const started = process.hrtime.bigint();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  sample();
  let heapRetainedMiB: number | null = null;
  if (gc) {
    gc();
    heapRetainedMiB = (process.memoryUsage().heapUsed - before.heapUsed) / MiB;
  }
  return {
    seconds,
    rssBeforeMiB: before.rss / MiB,
    peakRssMiB: peakRss / MiB,
    heapBeforeMiB: before.heapUsed / MiB,
    peakHeapMiB: peakHeap / MiB,
    heapGrowthMiB: (peakHeap - before.heapUsed) / MiB,
    heapRetainedMiB,
    samples,
  };
}

/** Streams the file from disk as the request body (never held in memory whole). */
function postFile(
  url: string,
  token: string,
  path: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/imports/residents`,
      {
        method: 'POST',
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-length': statSync(path).size,
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    const file = createReadStream(path);
    file.on('error', reject);
    file.pipe(req);
  });
}

async function count(db: Client): Promise<number> {
  return (await db.query('SELECT count(*)::int AS n FROM residents')).rows[0].n;
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function markdown(meta: Record<string, unknown>, results: Measurement[]): string {
  const lines = [
    '# Resident import benchmark',
    '',
    ...Object.entries(meta).map(([key, value]) => `- ${key}: ${value}`),
    '',
    '| Run | Method | Rows | Wall time (s) | Rows/s | × baseline time | Peak RSS (MiB) | RSS before (MiB) | Heap growth (MiB) | Heap retained after GC (MiB) |',
    '| --: | --- | --: | --: | --: | --: | --: | --: | --: | --: |',
    ...results.map(
      (r) =>
        `| ${r.run} | ${r.method} | ${r.rows} | ${fixed(r.seconds, 2)} | ${fixed(r.rowsPerSecond, 0)} | ` +
        `${r.ratioToBaseline === null ? '1.00' : fixed(r.ratioToBaseline, 2)} | ${fixed(r.peakRssMiB)} | ` +
        `${fixed(r.rssBeforeMiB)} | ${fixed(r.heapGrowthMiB)} | ` +
        `${r.heapRetainedMiB === null ? 'n/a' : fixed(r.heapRetainedMiB)} |`,
    ),
  ];
  for (const method of ['baseline', 'import'] as const) {
    const runs = results.filter((r) => r.method === method);
    lines.push(
      `| median | ${method} | ${ROWS} | ${fixed(median(runs.map((r) => r.seconds)), 2)} | ` +
        `${fixed(median(runs.map((r) => r.rowsPerSecond)), 0)} | ` +
        `${method === 'baseline' ? '1.00' : fixed(median(runs.map((r) => r.ratioToBaseline ?? 0)), 2)} | ` +
        `${fixed(Math.max(...runs.map((r) => r.peakRssMiB)))} | | ` +
        `${fixed(median(runs.map((r) => r.heapGrowthMiB)))} | |`,
    );
  }
  lines.push(
    '',
    'Baseline: the same rows, validated and normalised before the clock starts, inserted by the',
    `\`pg\` client as multi-row \`INSERT … ON CONFLICT DO NOTHING\` statements of ${BATCH} rows in one`,
    'transaction (not COPY: pg-copy-streams is not a dependency). Import: the CSV file streamed',
    'from disk with `http.request` to `POST /imports/residents` of the application running in the',
    'same process, timed until the JSON answer is read. × baseline time = import time ÷ baseline',
    'time of the same run. RSS and heap are of the whole process (client, app and pg client),',
    `sampled every ${SAMPLE_MS} ms (samples wait while the event loop is busy); RSS is rarely`,
    'given back, so "RSS before" shows what earlier runs left. Heap growth = peak heapUsed −',
    'heapUsed at the start; heap retained = heapUsed after the run and a forced GC − heapUsed at',
    'the start' + (gc ? '.' : ' (n/a: run node with --expose-gc for it and for steadier figures).'),
    '',
  );
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'duare-bench-'));
  // Not inside workDir (mode 0700): run as root, PostgreSQL runs as another user.
  const pgDir = join(tmpdir(), `duare-bench-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
  let app: NestFastifyApplication | undefined;
  let stopPostgres: (() => Promise<void>) | undefined;
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

    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: postgres.url,
      DATABASE_POOL_SIZE: '10',
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'bench-secret-that-is-at-least-32-characters',
    });
    const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
    app = await createApp({
      config,
      logger: createLogger(config.logLevel, quiet),
      databaseUrl: postgres.url,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = await app.getUrl();

    db = new Client({ connectionString: postgres.url });
    await db.connect();
    const by = systemActor('bench', 'bench');
    const { municipalityId, wardIds } = await seedMunicipality(app, db, WARDS);
    const municipality = { id: municipalityId };
    const created = await app.get(StaffAccountsService).createInMunicipality(
      municipality.id,
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
    const signIn = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation ($input: SignInInput!) { signIn(input: $input) { accessToken errors { message } } }`,
        variables: { input: { login: 'bench.admin', password: PASSWORD } },
      }),
    });
    const token: string | undefined = ((await signIn.json()) as any).data?.signIn?.accessToken;
    if (!token) throw new Error('sign-in failed');

    log(`generating ${ROWS} rows`);
    const next = random(20_251_128);
    const rows = Array.from({ length: ROWS }, (_, i) => generateRow(i, next));
    const csvPath = join(workDir, 'residents.csv');
    const fileBytes = await writeCsv(csvPath, rows);
    const baselineImportId = '00000000-0000-4000-8000-000000000000';
    const values = rows.map((row) =>
      baselineValues(row, municipality.id, wardIds, baselineImportId),
    );
    rows.length = 0; // Not kept alive during the measured imports.

    const results: Measurement[] = [];
    for (let run = 1; run <= RUNS; run += 1) {
      await db.query('TRUNCATE residents CASCADE');
      const base = await measure(() => baselineInsert(postgres.url, values));
      const stored = await count(db);
      if (stored !== ROWS) throw new Error(`baseline stored ${stored} rows, not ${ROWS}`);
      results.push({
        run,
        method: 'baseline',
        rows: ROWS,
        rowsPerSecond: ROWS / base.seconds,
        ratioToBaseline: null,
        ...base,
      });
      log(`run ${run} baseline: ${fixed(base.seconds, 2)} s`);

      await db.query('TRUNCATE residents CASCADE');
      let answer: { status: number; body: string } | undefined;
      const imported = await measure(async () => {
        answer = await postFile(url, token, csvPath);
      });
      const body = answer && answer.status === 200 ? JSON.parse(answer.body) : null;
      if (!body || body.created !== ROWS || body.rejectedCount !== 0) {
        throw new Error(
          `import ${answer?.status}: ${answer?.body.slice(0, 2000) ?? 'no answer'}`.trim(),
        );
      }
      if ((await count(db)) !== ROWS) throw new Error('import did not store every row');
      results.push({
        run,
        method: 'import',
        rows: ROWS,
        rowsPerSecond: ROWS / imported.seconds,
        ratioToBaseline: imported.seconds / base.seconds,
        ...imported,
      });
      log(`run ${run} import: ${fixed(imported.seconds, 2)} s`);
    }

    const meta = {
      date: new Date().toISOString(),
      node: process.version,
      cpu: `${cpus()[0]?.model ?? 'unknown'} (${cpus().length} logical CPUs)`,
      memory: `${fixed(totalmem() / 1024 ** 3)} GiB`,
      postgres: (await db.query('SHOW server_version')).rows[0].server_version,
      rows: ROWS,
      wards: WARDS,
      file:
        `${fixed(fileBytes / MiB)} MiB (${ROWS} rows, about 10 % without a phone, ` +
        `${WITH_DOB ? 'every row with' : 'no'} date_of_birth)`,
      runs: RUNS,
      baselineBatch: BATCH,
      forcedGc: Boolean(gc),
    };
    const table = markdown(meta, results);
    const written = writeResults('import-residents', { ...meta, results }, table);
    process.stdout.write(table);
    log(`results in ${written}.{json,md}`);
  } finally {
    await db?.end().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await stopPostgres?.().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
    rmSync(pgDir, { recursive: true, force: true });
  }
}

runBenchmark(main);

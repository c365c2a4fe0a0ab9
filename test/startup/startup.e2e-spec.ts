import { DEMO_REQUESTS } from '../../src/demo/demo-requests';
import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppProcess, MAIN, startAppProcess as start } from '../support/app-process';
import { createTestDatabase } from '../support/test-database';

/**
 * The newcomer's path, as a real process: `node dist/src/main.js` (what `npm start` runs
 * after building; `npm test` builds first).
 */
const CREATE_ADMIN = resolve(__dirname, '../../dist/scripts/create-admin.js');

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
}

async function stop(started: AppProcess): Promise<number | null> {
  started.child.kill('SIGINT');
  return (await started.exited).code;
}

async function post(graphqlUrl: string, body: unknown, token?: string): Promise<any> {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return response.json();
}

/** Signs in with the demo administrator the banner shows, and lists the demo wards. */
async function demoWards(started: AppProcess) {
  const [, login, password] = started.output().match(/MUNICIPAL_ADMIN\s+(\S+)\s+(\S+)/) ?? [];
  const signedIn = await post(started.graphqlUrl, {
    query: 'mutation ($i: SignInInput!) { signIn(input: $i) { accessToken } }',
    variables: { i: { login, password } },
  });
  const body = await post(
    started.graphqlUrl,
    {
      query: `{ municipalities { edges { node { id code nameBn
        wards(first: 100) { totalCount edges { node { number councillorStatus population helplineWhatsappNumber } } } } } }
        all: residents { totalCount }
        holding5: residents(filter: { search: "৫" }) { totalCount }
        queue: requests { totalCount }
        waiting: requests(filter: { statuses: [SUBMITTED] }) { totalCount } }`,
    },
    signedIn.data.signIn.accessToken,
  );
  return {
    ...body.data.municipalities.edges[0].node,
    residents: body.data.all.totalCount,
    holding5: body.data.holding5.totalCount,
    queue: body.data.queue.totalCount,
    waiting: body.data.waiting.totalCount,
  };
}

// Real processes: each start builds an embedded PostgreSQL and loads 7,000 demo residents,
// which takes well over Jest's default 30 s on a loaded 2-core machine.
jest.setTimeout(180_000);

describe('starting the service (e2e, real process)', () => {
  let scratch: string;

  beforeAll(() => {
    if (!existsSync(MAIN))
      throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does)`);
    scratch = mkdtempSync(join(tmpdir(), 'duare-startup-'));
    chmodSync(scratch, 0o755);
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('starts an embedded PostgreSQL, loads the demo data, stops cleanly and reuses the data', async () => {
    const dataDir = join(scratch, 'pg');
    const first = await start({ EMBEDDED_PG_DIR: dataDir });
    expect(first.output()).toContain('Demo data: loaded now');
    const municipality = await demoWards(first);
    expect(municipality).toMatchObject({ code: 'BSR', nameBn: 'বসিরহাট পৌরসভা' });
    expect(municipality.wards.totalCount).toBe(23);
    const ward5 = municipality.wards.edges.find((e: any) => e.node.number === 5).node;
    expect(ward5).toEqual({
      number: 5,
      councillorStatus: 'VACANT',
      population: 7000,
      helplineWhatsappNumber: expect.stringMatching(/^\+91\d{10}$/),
    });
    // The invented ward-5 register: 7,000 residents on holdings 1–400.
    expect(municipality.residents).toBe(7000);
    expect(municipality.holding5).toBe(18);
    // A worked ward-5 queue: every demo request made and stepped through the workflow.
    expect(municipality.queue).toBe(DEMO_REQUESTS.length);
    expect(municipality.waiting).toBe(4);

    expect(await stop(first)).toBe(0);
    // PostgreSQL removes postmaster.pid when it has shut down.
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);

    const second = await start({ EMBEDDED_PG_DIR: dataDir });
    try {
      expect(second.output()).toContain('Demo data: present');
      expect((await demoWards(second)).id).toBe(municipality.id);
    } finally {
      expect(await stop(second)).toBe(0);
    }
  });

  it('uses DATABASE_URL when it is set, migrating and seeding that server', async () => {
    const db = await createTestDatabase();
    try {
      // An empty database: the app must migrate it itself.
      await db.pool.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
      const started = await start({ DATABASE_URL: db.url });
      try {
        expect(started.output()).toContain('Database:  DATABASE_URL');
        expect((await demoWards(started)).wards.totalCount).toBe(23);
        const migrations = await db.pool.query('SELECT count(*)::int AS n FROM migrations');
        expect(migrations.rows[0].n).toBeGreaterThan(0);
      } finally {
        expect(await stop(started)).toBe(0);
      }
    } finally {
      await db.drop();
    }
  });

  it('creates the first administrator of a production deployment with the script', async () => {
    const db = await createTestDatabase();
    try {
      await db.pool.query(
        `INSERT INTO municipalities (code, name_bn, name_en, district, state)
         VALUES ('BSR', 'বসিরহাট', 'Basirhat', 'North 24 Parganas', 'West Bengal')`,
      );
      const run = (password: string) => {
        const child = spawn(
          process.execPath,
          [
            CREATE_ADMIN,
            '--municipality',
            'bsr',
            '--username',
            'First.Admin',
            '--display-name',
            'First Admin',
          ],
          {
            env: {
              PATH: process.env.PATH ?? '',
              DATABASE_URL: db.url,
              DUARE_ADMIN_PASSWORD: password,
            },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let output = '';
        child.stdout?.on('data', (chunk) => (output += chunk.toString()));
        child.stderr?.on('data', (chunk) => (output += chunk.toString()));
        return exitOf(child).then((code) => ({ code, output }));
      };
      const weak = await run('short');
      expect(weak).toEqual({
        code: 1,
        output: expect.stringContaining('password: must be at least 10'),
      });
      const created = await run('a strong admin passphrase');
      expect(created).toEqual({
        code: 0,
        output: expect.stringContaining('created administrator first.admin'),
      });
      const { rows } = await db.pool.query(
        `SELECT g.role FROM staff_accounts a JOIN staff_role_grants g ON g.account_id = a.id WHERE a.username = 'first.admin'`,
      );
      expect(rows).toEqual([{ role: 'MUNICIPAL_ADMIN' }]);
    } finally {
      await db.drop();
    }
  });

  it('refuses to start on bad configuration, naming each bad variable', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty', DATABASE_URL: 'mysql://x/y' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += chunk.toString()));
    expect(await exitOf(child)).toBe(1);
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('DATABASE_URL');
    expect(stderr).not.toContain('mysql://x/y');
  });
});

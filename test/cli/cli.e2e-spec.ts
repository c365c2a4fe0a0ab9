import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import {
  ADMIN_PASSWORD,
  BOOTSTRAP_BSR,
  createEmptyDatabase,
  productionEnv,
  runCli,
} from './cli-process';

jest.setTimeout(300_000);

/**
 * The operator's command line as it runs in production: `node dist/cli.js <command>` as a
 * process of its own, against a real PostgreSQL.
 */
describe('node dist/cli.js', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'duare-cli-test-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const count = async (db: TestDatabase, table: string) =>
    (await db.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

  describe('help and wrong use', () => {
    it('lists the commands, and explains each with --help', async () => {
      const overview = await runCli(['--help'], {});
      expect(overview.code).toBe(0);
      for (const name of [
        'bootstrap',
        'create-admin',
        'import-residents',
        'doctor',
        'migrate',
        'rotate-signing-key',
        'rotate-secrets-key',
      ]) {
        expect(overview.stdout).toContain(name);
        const help = await runCli([name, '--help'], {});
        expect({ name, code: help.code }).toEqual({ name, code: 0 });
        expect(help.stdout).toContain(`usage: `);
        expect(help.stdout).toContain(name);
        expect(help.stdout).toContain('Exit codes');
      }
    });

    it('answers no command, an unknown command and an unknown option with exit code 2', async () => {
      const none = await runCli([], {});
      expect(none.code).toBe(2);
      expect(none.stdout).toContain('commands:');
      const unknown = await runCli(['bootstrapp'], {});
      expect(unknown).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('Unknown command: bootstrapp'),
      });
      const option = await runCli(['doctor', '--fix'], {});
      expect(option).toMatchObject({
        code: 2,
        stderr: expect.stringContaining("Unknown option '--fix'"),
      });
      // The password is never an argument.
      const password = await runCli([...BOOTSTRAP_BSR, '--admin-password', 'x'], {});
      expect(password).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('--admin-password'),
      });
    });
  });

  describe('bootstrap', () => {
    it('takes an empty database to a municipality, its wards and an administrator who signs in', async () => {
      const db = await createEmptyDatabase();
      try {
        const env = productionEnv(db.url);
        const made = await runCli(BOOTSTRAP_BSR, env, `${ADMIN_PASSWORD}\n`);
        expect(made.stderr).toBe('');
        expect(made.code).toBe(0);
        expect(made.stdout).toContain('Created municipality BSR');
        expect(made.stdout).toContain('wards: 23 (without a councillor: 5)');
        expect(made.stdout).toContain('administrator: first.admin');

        const { rows: wards } = await db.pool.query(
          `SELECT w.number, w.name_bn, w.name_en, w.councillor_status
             FROM wards w JOIN municipalities m ON m.id = w.municipality_id
            WHERE m.code = 'BSR' ORDER BY w.number`,
        );
        expect(wards).toHaveLength(23);
        expect(wards[4]).toEqual({
          number: 5,
          name_bn: 'ওয়ার্ড ৫',
          name_en: 'Ward 5',
          councillor_status: 'VACANT',
        });
        expect(wards.filter((w) => w.councillor_status === 'VACANT')).toHaveLength(1);
        const { rows: audit } = await db.pool.query(
          `SELECT action, count(*)::int AS n FROM audit_log GROUP BY action ORDER BY action`,
        );
        expect(audit).toEqual([
          { action: 'municipality.created', n: 1 },
          { action: 'staff_account.created', n: 1 },
          { action: 'ward.created', n: 23 },
        ]);

        // Doctor, with everything production needs, has nothing to say.
        const doctor = await runCli(['doctor'], env);
        expect(doctor.stdout).not.toContain('FAIL');
        expect(doctor.stdout).toContain('municipality BSR: 1 active administrator');
        expect(doctor.code).toBe(0);

        // The production app starts on it, and the new administrator signs in.
        const app = await startAppProcess(env);
        try {
          const signIn = await app.gql(
            `mutation($login: String!, $password: String!) {
               signIn(input: { login: $login, password: $password }) { accessToken }
             }`,
            { login: 'first.admin', password: ADMIN_PASSWORD },
          );
          const token = signIn.data?.signIn.accessToken as string;
          expect(token).toEqual(expect.any(String));
          const me = await app.gql(
            `{ me { staffAccount { username } permissions }
               wards(filter: { councillorStatus: VACANT }) { totalCount edges { node { number } } } }`,
            {},
            { authorization: `Bearer ${token}` },
          );
          expect(me.errors).toBeUndefined();
          expect(me.data?.me.staffAccount.username).toBe('first.admin');
          expect(me.data?.me.permissions).toContain('STAFF_MANAGE');
          expect(me.data?.wards).toEqual({ totalCount: 1, edges: [{ node: { number: 5 } }] });
        } finally {
          app.child.kill('SIGTERM');
          await app.exited;
        }

        // Run again: refused, naming what exists; nothing changes.
        const again = await runCli(BOOTSTRAP_BSR, env, ADMIN_PASSWORD);
        expect(again.code).toBe(1);
        expect(again.stderr).toContain('Municipality BSR (Basirhat Municipality) already exists');
        expect(again.stderr).toContain('23 wards');
        expect(again.stderr).toContain('first.admin');
        expect(await count(db, 'wards')).toBe(23);
        expect(await count(db, 'staff_accounts')).toBe(1);

        // Another municipality whose administrator's name is taken: nothing of it is stored.
        const other = await runCli(
          [
            'bootstrap',
            '--municipality',
            'KLK',
            '--name-en',
            'Kolkata',
            '--name-bn',
            'কলকাতা',
            '--district',
            'Kolkata',
            '--wards',
            '3',
            '--admin-username',
            'first.admin',
            '--admin-display-name',
            'Someone Else',
          ],
          env,
          'another strong passphrase',
        );
        expect(other.code).toBe(1);
        expect(other.stderr).toContain(
          'A staff account named first.admin already exists (municipality BSR)',
        );
        expect(await count(db, 'municipalities')).toBe(1);
      } finally {
        await db.drop();
      }
    });

    it('refuses bad input before writing anything, naming the option', async () => {
      const db = await createTestDatabase();
      try {
        const env = { DATABASE_URL: db.url };
        const without = (name: string) => {
          const at = BOOTSTRAP_BSR.indexOf(name);
          return [...BOOTSTRAP_BSR.slice(0, at), ...BOOTSTRAP_BSR.slice(at + 2)];
        };
        const withValue = (name: string, value: string) =>
          BOOTSTRAP_BSR.map((arg, i) => (BOOTSTRAP_BSR[i - 1] === name ? value : arg));
        const cases: Array<[string[], string, string?]> = [
          [without('--municipality'), '--municipality is required'],
          [withValue('--name-en', ''), '--name-en must not be empty'],
          [withValue('--name-en', '   '), '--name-en must not be empty'],
          [
            withValue('--municipality', 'B1'),
            '--municipality: must be 2 to 8 capital Latin letters',
          ],
          [
            withValue('--wards', 'twenty'),
            '--wards must be a whole number between 1 and 999, not "twenty"',
          ],
          [withValue('--wards', '০'), '--wards must be between 1 and 999, not 0'],
          [withValue('--wards', '২৩.৫'), '--wards must be a whole number'],
          [withValue('--vacant-wards', '৩০'), '--vacant-wards names ward(s) beyond --wards 23: 30'],
          [without('--wards'), '--wards COUNT or --wards-file FILE is required'],
          [[...BOOTSTRAP_BSR, '--wards-file', 'w.csv'], 'not both'],
          [withValue('--admin-username', 'A B'), '--admin-username: must be 3–64 of a–z'],
          [withValue('--admin-display-name', ''), '--admin-display-name must not be empty'],
          [BOOTSTRAP_BSR, 'No password', ''],
          [BOOTSTRAP_BSR, 'password: must be at least 10', 'short'],
          [[...BOOTSTRAP_BSR, 'extra'], 'unexpected argument: extra'],
        ];
        for (const [args, message, stdin = ADMIN_PASSWORD] of cases) {
          const run = await runCli(args, env, stdin);
          expect({ message, stderr: run.stderr }).toEqual({
            message,
            stderr: expect.stringContaining(message),
          });
          expect({ message, code: run.code }).toEqual({
            message,
            code: message.startsWith('password:') ? 1 : 2,
          });
        }
        expect(await count(db, 'municipalities')).toBe(0);
        expect(await count(db, 'staff_accounts')).toBe(0);
      } finally {
        await db.drop();
      }
    });

    it('reads wards from a file (Bengali digits, councillor status), and refuses a bad file whole', async () => {
      const db = await createTestDatabase();
      try {
        const env = { DATABASE_URL: db.url };
        const good = join(scratch, 'wards.csv');
        writeFileSync(
          good,
          '\uFEFFnumber,name_en,name_bn,councillor_status,councillor_status_since,population\n' +
            '১,Ward One,ওয়ার্ড ১,ELECTED,,6000\n' +
            '2,"Ward Two, North",ওয়ার্ড ২,vacant,2022-03-20,"7,100"\n' +
            '১০,Ward Ten,ওয়ার্ড ১০,,,\n',
        );
        const bad = join(scratch, 'bad-wards.csv');
        writeFileSync(
          bad,
          'number,name_en,name_bn,councillor_status\n' +
            '1,Ward One,ওয়ার্ড ১,ELECTED\n' +
            '1,Ward One again,ওয়ার্ড ১,ELECTED\n' +
            'x,,ওয়ার্ড,GONE\n',
        );
        const args = (file: string) =>
          BOOTSTRAP_BSR.filter(
            (_, i) =>
              !['--wards', '--vacant-wards'].includes(BOOTSTRAP_BSR[i]) &&
              !['--wards', '--vacant-wards'].includes(BOOTSTRAP_BSR[i - 1]),
          ).concat(['--wards-file', file]);

        const refused = await runCli(args(bad), env, ADMIN_PASSWORD);
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain('row 3: number: ward 1 is already on row 2');
        expect(refused.stderr).toContain('row 4: number: must be a whole number, not "x"');
        expect(refused.stderr).toContain(
          'councillor_status: must be ELECTED or VACANT, not "GONE"',
        );
        expect(refused.stderr).toContain('name_en: ');
        const missing = await runCli(args(join(scratch, 'nowhere.csv')), env, ADMIN_PASSWORD);
        expect(missing).toMatchObject({
          code: 2,
          stderr: expect.stringContaining('Cannot read the wards file'),
        });
        expect(await count(db, 'municipalities')).toBe(0);

        const made = await runCli(args(good), env, ADMIN_PASSWORD);
        expect(made.stderr).toBe('');
        expect(made.code).toBe(0);
        const { rows } = await db.pool.query(
          `SELECT number, name_en, councillor_status, councillor_status_since::text AS since, population
             FROM wards ORDER BY number`,
        );
        expect(rows).toEqual([
          {
            number: 1,
            name_en: 'Ward One',
            councillor_status: 'ELECTED',
            since: null,
            population: 6000,
          },
          {
            number: 2,
            name_en: 'Ward Two, North',
            councillor_status: 'VACANT',
            since: '2022-03-20',
            population: 7100,
          },
          {
            number: 10,
            name_en: 'Ward Ten',
            councillor_status: 'ELECTED',
            since: null,
            population: null,
          },
        ]);
      } finally {
        await db.drop();
      }
    });

    it('answers exit code 3 when the database cannot be reached or the configuration is invalid', async () => {
      const unreachable = await runCli(
        BOOTSTRAP_BSR,
        { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' },
        ADMIN_PASSWORD,
      );
      expect(unreachable.code).toBe(3);
      expect(unreachable.stderr).toContain('Cannot reach the database');
      const invalid = await runCli(
        BOOTSTRAP_BSR,
        { DATABASE_URL: 'mysql://x/y', PORT: 'eighty' },
        ADMIN_PASSWORD,
      );
      expect(invalid.code).toBe(3);
      expect(invalid.stderr).toContain('DATABASE_URL');
      expect(invalid.stderr).toContain('PORT');
    });
  });

  describe('create-admin, import-residents', () => {
    it('adds an administrator to an existing municipality only, and imports residents', async () => {
      const db = await createTestDatabase();
      try {
        const env = { DATABASE_URL: db.url };
        const args = [
          'create-admin',
          '--municipality',
          'BSR',
          '--username',
          'second.admin',
          '--display-name',
          'Second Admin',
        ];
        const nowhere = await runCli(args, env, ADMIN_PASSWORD);
        expect(nowhere.code).toBe(1);
        expect(nowhere.stderr).toContain(
          'No municipality with code BSR (this database has none yet: create it with node dist/cli.js bootstrap)',
        );

        expect((await runCli(BOOTSTRAP_BSR, env, ADMIN_PASSWORD)).code).toBe(0);
        const made = await runCli(args, env, ADMIN_PASSWORD);
        expect(made).toMatchObject({
          code: 0,
          stdout: expect.stringContaining('created administrator second.admin in BSR'),
        });
        const twice = await runCli(args, env, ADMIN_PASSWORD);
        expect(twice).toMatchObject({
          code: 1,
          stderr: expect.stringContaining('second.admin already exists'),
        });
        const elsewhere = await runCli(
          [...args.slice(0, 2), 'KLK', ...args.slice(3)],
          env,
          ADMIN_PASSWORD,
        );
        expect(elsewhere).toMatchObject({
          code: 1,
          stderr: expect.stringContaining('No municipality with code KLK (this database has: BSR)'),
        });

        const csv = join(scratch, 'residents.csv');
        writeFileSync(
          csv,
          'ward_number,full_name,phone\n৫,রহিম শেখ,9800000001\n5,Karim Sheikh,\n99,Nobody,\n',
        );
        const imported = await runCli(['import-residents', csv, '--municipality', 'bsr'], env);
        expect(imported.code).toBe(1);
        expect(imported.stdout).toContain(
          '3 rows, 2 residents created, 0 already known, 1 rejected',
        );
        expect(imported.stdout).toContain('row 4: ');
        const again = await runCli(['import-residents', csv, '--municipality', 'BSR'], env);
        expect(again.stdout).toContain('0 residents created, 2 already known, 1 rejected');
        const badHeader = join(scratch, 'bad-residents.csv');
        writeFileSync(badHeader, 'name\nX\n');
        const refused = await runCli(['import-residents', badHeader, '--municipality', 'BSR'], env);
        expect(refused).toMatchObject({
          code: 2,
          stderr: expect.stringContaining('Missing column(s): ward_number, full_name'),
        });
        const noFile = await runCli(['import-residents', '--municipality', 'BSR'], env);
        expect(noFile).toMatchObject({
          code: 2,
          stderr: expect.stringContaining('the CSV file is required'),
        });
        expect(await count(db, 'residents')).toBe(2);
      } finally {
        await db.drop();
      }
    });
  });

  describe('keys', () => {
    it('rotates the signing key to a new id, and re-seals webhook secrets with a new key', async () => {
      const db = await createTestDatabase();
      try {
        const env = productionEnv(db.url);
        expect((await runCli(BOOTSTRAP_BSR, env, ADMIN_PASSWORD)).code).toBe(0);
        // Commands do not start the app: the configured key is published when the app starts.
        const keyFile = join(scratch, 'bsr-2.pem');
        const rotated = await runCli(['rotate-signing-key', '--out', keyFile], env);
        expect(rotated.code).toBe(0);
        expect(rotated.stderr).toContain('CERTIFICATE_KEY_ID=bsr-2');
        expect(statSync(keyFile).mode & 0o777).toBe(0o600);
        const { rows } = await db.pool.query(
          `SELECT key_id FROM certificate_signing_keys ORDER BY created_at`,
        );
        expect(rows.map((r) => r.key_id)).toEqual(['bsr-2']);
        const taken = await runCli(
          ['rotate-signing-key', '--out', join(scratch, 'x.pem'), '--key-id', 'bsr-1'],
          env,
        );
        expect(taken).toMatchObject({
          code: 1,
          stderr: expect.stringContaining('Key id bsr-1 is already used'),
        });
        const exists = await runCli(['rotate-signing-key', '--out', keyFile], env);
        expect(exists).toMatchObject({ code: 1, stderr: expect.stringContaining('EEXIST') });

        // The new key in place: doctor is content; with the old id for the new key it is not.
        const { readFileSync } = await import('node:fs');
        const next = {
          ...env,
          CERTIFICATE_SIGNING_KEY: readFileSync(keyFile, 'utf8'),
          CERTIFICATE_KEY_ID: 'bsr-2',
        };
        const doctor = await runCli(['doctor'], next);
        expect(doctor.stdout).toContain('ok    signing key: bsr-2 (Ed25519); 1 key(s) published');
        const wrong = await runCli(['doctor'], { ...env, CERTIFICATE_KEY_ID: 'bsr-2' });
        expect(wrong.code).toBe(1);
        expect(wrong.stdout).toContain(
          'FAIL  signing key: key id bsr-2 is published for another key',
        );

        // Webhook secrets: one stored before any key (plain), re-sealed under a new key.
        await db.pool.query(
          `INSERT INTO webhook_endpoints (municipality_id, owner_type, owner_id, url, event_types, secret)
           SELECT id, 'STAFF', gen_random_uuid(), 'https://erp.example.org/hook', '[]', 'plain-secret-0123456789'
             FROM municipalities`,
        );
        const noNewKey = await runCli(['rotate-secrets-key'], env);
        expect(noNewKey).toMatchObject({
          code: 2,
          stderr: expect.stringContaining('NEW_SECRETS_ENCRYPTION_KEY is not set'),
        });
        const newKey = Buffer.alloc(32, 7).toString('base64');
        const resealed = await runCli(['rotate-secrets-key'], {
          ...env,
          NEW_SECRETS_ENCRYPTION_KEY: newKey,
        });
        expect(resealed).toMatchObject({
          code: 0,
          stdout: expect.stringContaining('Re-sealed 1 webhook secret'),
        });
        const oldKeyDoctor = await runCli(['doctor'], env);
        expect(oldKeyDoctor.stdout).toContain(
          'FAIL  encryption key: SECRETS_ENCRYPTION_KEY does not open 1 of 1',
        );
        const newKeyDoctor = await runCli(['doctor'], { ...env, SECRETS_ENCRYPTION_KEY: newKey });
        expect(newKeyDoctor.stdout).toContain(
          'ok    encryption key: set; opens the 1 sealed webhook secret',
        );
        // With the old key again the rotation is refused: the stored secrets do not open.
        const stale = await runCli(['rotate-secrets-key'], {
          ...env,
          NEW_SECRETS_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
        });
        expect(stale).toMatchObject({
          code: 1,
          stderr: expect.stringContaining('does not open the stored secrets'),
        });
      } finally {
        await db.drop();
      }
    });
  });

  describe('doctor', () => {
    it('lists what production lacks, and fails when the database cannot be reached', async () => {
      const db = await createEmptyDatabase();
      try {
        const bare = await runCli(['doctor'], { DATABASE_URL: db.url, PORT: 'eighty' });
        expect(bare.code).toBe(1);
        for (const line of [
          'FAIL  configuration: PORT',
          'FAIL  NODE_ENV is unset',
          'FAIL  JWT_SECRET is not set',
          'FAIL  PUBLIC_BASE_URL is not set',
          'FAIL  WhatsApp: WHATSAPP_ACCESS_TOKEN is not set',
          'FAIL  WhatsApp: WHATSAPP_APP_SECRET is not set',
          'warn  SMS: no SMS provider (SMS_PROVIDER=log)',
          'ok    database: reachable',
        ]) {
          expect(bare.stdout).toContain(line);
        }
        expect(bare.stdout).toMatch(/FAIL {2}migrations: (\d+) of \1 not applied/);
        // Doctor changes nothing: no migration ran.
        const { rows } = await db.pool.query(`SELECT to_regclass('public.migrations') AS t`);
        expect(rows[0].t).toBeNull();

        const unreachable = await runCli(['doctor'], {
          ...productionEnv('postgres://postgres@127.0.0.1:1/none'),
        });
        expect(unreachable.code).toBe(1);
        expect(unreachable.stdout).toContain('FAIL  database: Cannot reach the database');
        const embedded = await runCli(['doctor'], {
          NODE_ENV: 'production',
          JWT_SECRET: 'x'.repeat(40),
        });
        expect(embedded.stdout).toContain('FAIL  DATABASE_URL is not set');
      } finally {
        await db.drop();
      }
    });
  });
});

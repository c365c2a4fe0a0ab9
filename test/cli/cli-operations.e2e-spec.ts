import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase } from '../support/test-database';
import {
  ADMIN_PASSWORD,
  BOOTSTRAP_BSR,
  createEmptyDatabase,
  productionEnv,
  runCli,
  scratchFolder,
  countRows,
} from './cli-process';

jest.setTimeout(300_000);

/**
 * The operator's command line as it runs in production: `node dist/cli.js <command>` as a
 * process of its own, against a real PostgreSQL.
 */
describe('node dist/cli.js: create-admin, import-residents, keys, doctor', () => {
  const scratch = scratchFolder();
  const count = countRows;

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

        const csv = join(scratch.path, 'residents.csv');
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
        const badHeader = join(scratch.path, 'bad-residents.csv');
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
        const keyFile = join(scratch.path, 'bsr-2.pem');
        const rotated = await runCli(['rotate-signing-key', '--out', keyFile], env);
        expect(rotated.code).toBe(0);
        expect(rotated.stderr).toContain('CERTIFICATE_KEY_ID=bsr-2');
        expect(statSync(keyFile).mode & 0o777).toBe(0o600);
        const { rows } = await db.pool.query(
          `SELECT key_id FROM certificate_signing_keys ORDER BY created_at`,
        );
        expect(rows.map((r) => r.key_id)).toEqual(['bsr-2']);
        const taken = await runCli(
          ['rotate-signing-key', '--out', join(scratch.path, 'x.pem'), '--key-id', 'bsr-1'],
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

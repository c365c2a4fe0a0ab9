import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAppProcess } from '../support/app-process';
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
describe('node dist/cli.js: help, wrong use, bootstrap', () => {
  const scratch = scratchFolder();
  const count = countRows;

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
        const good = join(scratch.path, 'wards.csv');
        writeFileSync(
          good,
          '\uFEFFnumber,name_en,name_bn,councillor_status,councillor_status_since,population\n' +
            '১,Ward One,ওয়ার্ড ১,ELECTED,,6000\n' +
            '2,"Ward Two, North",ওয়ার্ড ২,vacant,2022-03-20,"7,100"\n' +
            '১০,Ward Ten,ওয়ার্ড ১০,,,\n',
        );
        const bad = join(scratch.path, 'bad-wards.csv');
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
        const missing = await runCli(args(join(scratch.path, 'nowhere.csv')), env, ADMIN_PASSWORD);
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
});

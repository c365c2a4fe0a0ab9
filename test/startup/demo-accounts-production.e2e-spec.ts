import { hashPassword } from '../../src/auth/password';
import { StaffRole } from '../../src/common/access/staff-role';
import { DEMO_ACCOUNTS } from '../../src/demo/demo-data';
import { seedMunicipality, seedStaff } from '../support/fixtures';
import { startTestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(60_000);

/**
 * Issue 21: started in production over a database seeded in development, the demo
 * administrator still signed in with its published password, without a warning.
 */
describe('a production start over demo accounts (e2e)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    const development = await startTestApp({}, db);
    const bsr = await seedMunicipality(development, 'BSR');
    for (const demo of DEMO_ACCOUNTS.slice(0, 2)) {
      await seedStaff(development, bsr, demo.username, [{ role: StaffRole.MUNICIPAL_ADMIN }], {
        password: demo.password,
      });
    }
    await development.close({ keepDatabase: true });
  });
  afterAll(() => db.drop());

  it('refuses to start while a demo account keeps its published password, naming it', async () => {
    const started = startTestApp({ NODE_ENV: 'production' }, db);
    await expect(started).rejects.toThrow(
      /Refusing to start in production: the demo account\(s\) bsr\.admin, bsr\.signatory still sign in with the password published/,
    );
    // Outside production the same database starts (demo sign-ins are meant there).
    const development = await startTestApp({}, db);
    await development.close({ keepDatabase: true });
  });

  it('starts once each is dealt with: a new password, or deactivated', async () => {
    await db.pool.query(`UPDATE staff_accounts SET password_hash = $1 WHERE username = $2`, [
      await hashPassword('a private passphrase now'),
      'bsr.admin',
    ]);
    await expect(startTestApp({ NODE_ENV: 'production' }, db)).rejects.toThrow(
      /demo account\(s\) bsr\.signatory still/,
    );
    await db.pool.query(
      `UPDATE staff_accounts SET active = false WHERE username = 'bsr.signatory'`,
    );
    const production = await startTestApp({ NODE_ENV: 'production' }, db);
    await production.close({ keepDatabase: true });
  });
});

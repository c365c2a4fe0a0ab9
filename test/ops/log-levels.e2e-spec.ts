import { StaffRole } from '../../src/common/access/staff-role';
import { GraphQL, insertWards, seedMunicipality, SIGN_IN, staffClient } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

interface LogLine {
  level: number;
  msg: string;
  code?: string;
  statusCode?: number;
  context?: string;
}
const INFO = 30;
const WARN = 40;
const ERROR = 50;

/** What the caller caused is logged with its code at info or warn; never at error. */
describe('log levels of client errors (e2e)', () => {
  let t: TestApp;
  let coordinator: GraphQL;

  const linesDuring = async (action: () => Promise<unknown>): Promise<LogLine[]> => {
    t.logs.length = 0;
    await action();
    return t.logs.flatMap((chunk) =>
      chunk
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as LogLine),
    );
  };

  beforeAll(async () => {
    t = await startTestApp();
    const bsr = await seedMunicipality(t, 'BSR');
    const [ward] = await insertWards(t, bsr, 1);
    coordinator = await staffClient(t, bsr, 'coord.1', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward },
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('logs a NOT_FOUND at info with its code', async () => {
    const lines = await linesDuring(() =>
      coordinator(`{ request(id: "00000000-0000-4000-8000-000000000000") { id } }`),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ level: INFO, code: 'NOT_FOUND', msg: 'GraphQL error answered' }),
    );
    expect(lines.filter((l) => l.level >= ERROR)).toEqual([]);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: INFO, statusCode: 200, msg: 'request answered' }),
    );
  });

  it('logs a wrong password and a missing sign-in at warn, as UNAUTHENTICATED', async () => {
    const lines = await linesDuring(async () => {
      await t.gql(SIGN_IN, { input: { login: 'coord.1', password: 'ভুল পাসওয়ার্ড ১২৩' } });
      await t.gql(`{ me { actorType } }`);
    });
    expect(lines.filter((l) => l.code === 'UNAUTHENTICATED').map((l) => l.level)).toEqual([
      WARN,
      WARN,
    ]);
    expect(lines.filter((l) => l.level >= ERROR)).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain('ভুল পাসওয়ার্ড');
  });

  it('logs invalid documents at info', async () => {
    const lines = await linesDuring(() => coordinator(`{ me { nope } }`));
    expect(lines).toContainEqual(
      expect.objectContaining({ level: INFO, code: 'GRAPHQL_VALIDATION_FAILED' }),
    );
    expect(lines.filter((l) => l.level >= ERROR)).toEqual([]);
  });

  it('logs HTTP 404 at info and 401 at warn, one line per request', async () => {
    const lines = await linesDuring(async () => {
      await fetch(`${t.url}/no-such-route`);
      await fetch(`${t.url}/files/abc`);
    });
    const answered = lines.filter((l) => l.msg === 'request answered');
    expect(answered.map((l) => [l.statusCode, l.level])).toEqual([
      [404, INFO],
      [401, WARN],
    ]);
    expect(lines.filter((l) => l.level >= ERROR)).toEqual([]);
  });
});

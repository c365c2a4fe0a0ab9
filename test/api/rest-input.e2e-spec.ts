import { StaffRole } from '../../src/common/access/staff-role';
import { insertWards, seedMunicipality, signIn, staffClient } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 21: REST routes validate their query — impossible dates and repeated parameters
 * included — and answer 400 in the REST error shape `{ error: { code, message, field } }`,
 * never a 500 with the framework's body.
 */
describe('REST query parameters (e2e)', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    const bsr = await seedMunicipality(t, 'BSR');
    await insertWards(t, bsr, 1);
    await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    token = (await signIn(t, 'bsr.admin')).accessToken;
  });
  afterAll(() => t.close());

  const get = async (path: string) => {
    const response = await fetch(`${t.url}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  it.each([
    ['/exports/requests.csv?from=2026-02-31', 'from'],
    ['/exports/certificates.csv?to=2026-04-31', 'to'],
    ['/exports/requests.csv?from=2026-13-01', 'from'],
    ['/exports/requests.csv?from=2026-01-01&from=2026-01-02', 'from'],
    ['/exports/requests.csv?from=2026-01-01&from=2026-01-01', 'from'],
    ['/exports/requests.csv?status=SUBMITTED&status=CLOSED', 'status'],
    ['/exports/requests.csv?wardId=%00', 'wardId'],
  ])('%s answers 400 BAD_USER_INPUT naming %s', async (path, field) => {
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect(body).toEqual({
      error: { code: 'BAD_USER_INPUT', message: expect.any(String), field },
    });
  });

  it('still takes real dates, 29 February of a leap year included', async () => {
    const response = await fetch(`${t.url}/exports/requests.csv?from=2028-02-29&to=2028-03-01`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
  });
});

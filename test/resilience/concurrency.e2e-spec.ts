import { setTimeout as delay } from 'node:timers/promises';
import { CertificatesService } from '../../src/certificates/certificates.service';
import { StaffRole } from '../../src/common/access/staff-role';
import { DEMO_CERTIFICATE_TYPES } from '../../src/demo/demo-certificate-types';
import { GraphQL, insertWards, seedMunicipality, staffClient } from '../support/fixtures';
import { createRequest, createResident, seedCatalogue, step } from '../support/request-fixtures';
import { GraphQLResponse, startTestApp, TestApp } from '../support/test-app';

const ISSUE = `mutation ($input: IssueCertificateInput!) { issueCertificate(input: $input) {
  certificate { id number } errors { code field message } } }`;
const AT_ONCE = 50;

/** The outcome of a mutation: OK, a payload error code or a GraphQL error code. */
function outcome(res: GraphQLResponse, field: string): string {
  const payload = res.data?.[field];
  if (payload && !payload.errors?.length) return 'OK';
  return String(payload?.errors?.[0]?.code ?? res.errors?.[0]?.extensions?.code ?? res.status);
}

/**
 * 50 conflicting writes at once through the API (more than the 16 concurrent creates of
 * test/requests/requests.e2e-spec.ts and the 20 issuances of
 * test/certificates/certificates.e2e-spec.ts): one outcome per version, one certificate per
 * request, gapless numbers, and nothing left waiting on a lock afterwards.
 */
describe('concurrent conflicting writes (e2e)', () => {
  let t: TestApp;
  let ward: string;
  let types: Record<string, string>;
  let coordinators: GraphQL[];
  let signatories: GraphQL[];
  let resident: string;

  const nothingWaiting = async () => {
    const { rows } = await t.db.pool.query(
      `SELECT (SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock')::int AS waiting,
              (SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
                WHERE d.datname = current_database() AND NOT l.granted)::int AS ungranted,
              (SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND state = 'idle in transaction')::int AS open`,
    );
    return rows[0];
  };
  /**
   * A background worker may be between two statements of its own short transaction at the
   * moment we look (seen on a slow machine), so this looks again for up to 10 s: a lock or a
   * transaction the writes left behind does not go away, a worker's does.
   */
  const nothingLeftBehind = async () => {
    let seen = await nothingWaiting();
    for (let look = 0; look < 100 && (seen.waiting || seen.ungranted || seen.open); look += 1) {
      await delay(100);
      seen = await nothingWaiting();
    }
    return seen;
  };
  const approved = async (code: string, attributes: Record<string, unknown>) => {
    let request = await createRequest(coordinators[0], {
      residentId: resident,
      serviceTypeId: types[code],
      attributes,
    });
    for (const action of ['START_REVIEW', 'APPROVE'])
      request = (await step(coordinators[0], request, action)).data?.transitionRequest.request;
    return request;
  };

  beforeAll(async () => {
    t = await startTestApp({ DATABASE_POOL_SIZE: '8' });
    const bsr = await seedMunicipality(t, 'BSR');
    [ward] = await insertWards(t, bsr, 1);
    types = await seedCatalogue(t, bsr);
    await t.app.get(CertificatesService).createTypes(bsr, DEMO_CERTIFICATE_TYPES);
    // Several staff members, as in a real office: the writes come from different sessions.
    coordinators = [];
    signatories = [];
    for (let i = 0; i < 5; i += 1) {
      coordinators.push(
        await staffClient(t, bsr, `coord.${i}`, [
          { role: StaffRole.WARD_COORDINATOR, wardId: ward },
        ]),
      );
      signatories.push(
        await staffClient(t, bsr, `signatory.${i}`, [{ role: StaffRole.SIGNATORY }]),
      );
    }
    resident = await createResident(coordinators[0], ward, 'রহিম শেখ', null, {
      altName: 'Rahim Sheikh',
    });
  }, 60_000);
  afterAll(() => t?.close());

  it('lets exactly one of 50 conflicting transitions win at each version', async () => {
    // From SUBMITTED and from IN_REVIEW, three different legal steps each, all at one version.
    const rounds = [
      { before: [], actions: ['START_REVIEW', 'REJECT', 'CANCEL'] },
      { before: ['START_REVIEW'], actions: ['APPROVE', 'REQUEST_INFO', 'REJECT'] },
    ];
    for (const round of rounds) {
      let request = await createRequest(coordinators[0], {
        residentId: resident,
        serviceTypeId: types.INCOME_CERT,
        attributes: { purpose: 'bank', annual_income: 60000 },
      });
      for (const action of round.before)
        request = (await step(coordinators[0], request, action)).data?.transitionRequest.request;
      const results = await Promise.all(
        Array.from({ length: AT_ONCE }, (_, i) =>
          step(
            coordinators[i % coordinators.length],
            request,
            round.actions[i % round.actions.length],
            `note ${i}`,
          ),
        ),
      );
      const outcomes = results.map((r) => outcome(r, 'transitionRequest'));
      expect(outcomes.filter((o) => o === 'OK')).toHaveLength(1);
      expect(outcomes.filter((o) => o !== 'OK')).toEqual(Array(AT_ONCE - 1).fill('CONFLICT'));
      const winner = results[outcomes.indexOf('OK')].data?.transitionRequest.request;
      expect(winner.version).toBe(request.version + 1);
      const stored = await t.db.pool.query(
        `SELECT status, version FROM service_requests WHERE id = $1`,
        [request.id],
      );
      expect(stored.rows[0]).toEqual({ status: winner.status, version: winner.version });
      // One journal entry per step that won, none for the 49 that lost.
      const steps = await t.db.pool.query(
        `SELECT count(*)::int AS n FROM request_events
          WHERE request_id = $1 AND from_status IS NOT NULL AND to_status IS DISTINCT FROM from_status`,
        [request.id],
      );
      expect(steps.rows[0].n).toBe(round.before.length + 1);
    }
    expect(await nothingLeftBehind()).toEqual({ waiting: 0, ungranted: 0, open: 0 });
  }, 120_000);

  it('issues one certificate when 50 issuances of the same request race', async () => {
    const request = await approved('RESIDENCE_CERT', { purpose: 'school', years_of_residence: 3 });
    const results = await Promise.all(
      Array.from({ length: AT_ONCE }, (_, i) =>
        signatories[i % signatories.length](ISSUE, {
          input: { requestId: request.id, version: request.version },
        }),
      ),
    );
    const outcomes = results.map((r) => outcome(r, 'issueCertificate'));
    expect(outcomes.filter((o) => o === 'OK')).toHaveLength(1);
    expect(new Set(outcomes.filter((o) => o !== 'OK'))).toEqual(new Set(['CONFLICT']));
    const stored = await t.db.pool.query(`SELECT number FROM certificates WHERE request_id = $1`, [
      request.id,
    ]);
    expect(stored.rows).toEqual([
      { number: results[outcomes.indexOf('OK')].data?.issueCertificate.certificate.number },
    ]);
    expect(await nothingLeftBehind()).toEqual({ waiting: 0, ungranted: 0, open: 0 });
  }, 120_000);

  it('numbers 50 concurrent issuances of one type 1..50, no gaps, no repeats', async () => {
    const requests = [];
    for (let i = 0; i < AT_ONCE; i += 1)
      requests.push(await approved('INCOME_CERT', { purpose: 'bank', annual_income: 70000 + i }));
    const results = await Promise.all(
      requests.map((request, i) =>
        signatories[i % signatories.length](ISSUE, {
          input: { requestId: request.id, version: request.version },
        }),
      ),
    );
    expect(results.map((r) => outcome(r, 'issueCertificate'))).toEqual(Array(AT_ONCE).fill('OK'));
    const serials = results
      .map((r) => Number(r.data?.issueCertificate.certificate.number.split('/')[3]))
      .sort((a, b) => a - b);
    expect(serials).toEqual(Array.from({ length: AT_ONCE }, (_, i) => i + 1));
    const perRequest = await t.db.pool.query(
      `SELECT request_id, count(*)::int AS n FROM certificates WHERE request_id = ANY($1)
        GROUP BY request_id HAVING count(*) <> 1`,
      [requests.map((r) => r.id)],
    );
    expect(perRequest.rows).toEqual([]);
    expect(await nothingLeftBehind()).toEqual({ waiting: 0, ungranted: 0, open: 0 });
  }, 180_000);
});

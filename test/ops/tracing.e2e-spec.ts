import { startTracing } from '../../src/tracing/tracing';
import { AppProcess, startAppProcess } from '../support/app-process';
import { FakeOtlpCollector } from '../support/fake-otlp';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { waitFor } from '../support/wait';

const SIGN_IN = `mutation SignIn($input: SignInInput!) {
  signIn(input: $input) { accessToken errors { code } } }`;

/**
 * Traces as production makes them: the built service in a process of its own (the
 * instrumentations patch `pg`, `graphql` and `http` as Node loads them), exporting OTLP/HTTP
 * JSON to a fake collector on 127.0.0.1.
 */
describe('OpenTelemetry traces (e2e, OTLP to a fake collector)', () => {
  let collector: FakeOtlpCollector;
  let db: TestDatabase;
  let app: AppProcess;

  beforeAll(async () => {
    collector = await new FakeOtlpCollector().start();
    db = await createTestDatabase();
    app = await startAppProcess({
      DATABASE_URL: db.url,
      DEMO_DATA: 'false',
      JWT_SECRET: 'a-test-secret-that-is-at-least-32-characters',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_SERVICE_NAME: 'duare-test',
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
  });
  afterAll(async () => {
    app?.child.kill('SIGTERM');
    await app?.exited;
    await db?.drop();
    await collector?.stop();
  });

  it('shows a GraphQL operation with its SQL spans in one trace, without values', async () => {
    const login = 'rahim.sheikh.9876543210';
    const res = await app.gql(SIGN_IN, { input: { login, password: 'গোপন-পাসওয়ার্ড-৯৯' } });
    expect(res.status).toBe(200);
    // The same with the values written into the document: they are masked in its text.
    await app.gql(
      `mutation Inline { signIn(input: { login: "${login}", password: "গোপন-পাসওয়ার্ড-৯৯" }) { accessToken } }`,
    );
    await waitFor('the inline operation', () =>
      collector.spans.find((s) => s.name === 'mutation Inline'),
    );
    const execute = await waitFor('the operation span', () =>
      collector.spans.find(
        (s) => s.name === 'mutation SignIn' && s.attributes['graphql.operation.name'] === 'SignIn',
      ),
    );
    expect(execute.service).toBe('duare-test');
    expect(execute.attributes['graphql.operation.type']).toBe('mutation');
    const sql = await waitFor('its SQL spans', () => {
      const inTrace = collector.spans.filter(
        (s) => s.traceId === execute.traceId && s.attributes['db.system.name'] === 'postgresql',
      );
      return inTrace.length ? inTrace : null;
    });
    const statements = sql.map((s) => String(s.attributes['db.query.text'] ?? ''));
    expect(statements.some((text) => /staff_accounts/.test(text))).toBe(true);
    // The request itself is the trace's root: POST /graphql.
    const root = collector.spans.find((s) => s.traceId === execute.traceId && !s.parentSpanId);
    expect(root?.attributes['http.request.method']).toBe('POST');
    // Neither the login nor the password leaves the process.
    const sent = collector.bodies.join('');
    expect(sent).not.toContain(login);
    expect(sent).not.toContain('পাসওয়ার্ড');
  });

  it('shows a compiled query with its SQL spans in one trace', async () => {
    // A query runs compiled by graphql-jit, never through graphql-js's traced `execute`.
    const res = await app.gql('query Wards { municipalities { totalCount } }');
    expect(res.status).toBe(200);
    const execute = await waitFor('the query span', () =>
      collector.spans.find(
        (s) => s.name === 'query Wards' && s.attributes['graphql.operation.name'] === 'Wards',
      ),
    );
    expect(execute.attributes['graphql.operation.type']).toBe('query');
    const root = collector.spans.find((s) => s.traceId === execute.traceId && !s.parentSpanId);
    expect(root?.attributes['http.request.method']).toBe('POST');
    expect(execute.parentSpanId).toBeTruthy();
  });

  it('does not trace scrapes and probes, and keeps no query string', async () => {
    await fetch(`${app.url}/health/ready`);
    const secret = 'x-secret-in-the-query-1234';
    await fetch(`${app.url}/graphql?query=${encodeURIComponent('{ __typename }')}&s=${secret}`);
    await waitFor('the GET /graphql span', () =>
      collector.spans.find(
        (s) =>
          s.attributes['url.path'] === '/graphql' && s.attributes['http.request.method'] === 'GET',
      ),
    );
    expect(
      collector.spans.some((s) => String(s.attributes['url.path']).startsWith('/health')),
    ).toBe(false);
    expect(collector.bodies.join('')).not.toContain(secret);
  });

  it('is off unless an OTLP endpoint is configured', () => {
    expect(startTracing({})).toBeNull();
    expect(
      startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x', OTEL_SDK_DISABLED: 'true' }),
    ).toBeNull();
  });
});

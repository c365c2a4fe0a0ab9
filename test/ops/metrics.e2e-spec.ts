import { StaffRole } from '../../src/common/access/staff-role';
import { NotificationDispatcherService } from '../../src/notifications/notification-dispatcher.service';
import { GraphQL, insertWards, seedMunicipality, staffClient } from '../support/fixtures';
import { createRequest, createResident, seedCatalogue } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const TOKEN = 'metrics-token-for-the-e2e-test';

/** The value of one sample of a Prometheus text exposition, or undefined when absent. */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const has = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => has[key] === value)) return Number(match[3]);
  }
  return undefined;
}

describe('Prometheus metrics at /metrics (e2e)', () => {
  let t: TestApp;
  let coordinator: GraphQL;
  let types: Record<string, string>;
  let resident: string;

  const scrape = async () => {
    const response = await fetch(`${t.url}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  };

  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN: TOKEN });
    const bsr = await seedMunicipality(t, 'BSR');
    const [, ward2] = await insertWards(t, bsr, 2);
    types = await seedCatalogue(t, bsr);
    coordinator = await staffClient(t, bsr, 'coord.2', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward2 },
    ]);
    resident = await createResident(coordinator, ward2, 'সুমিত্রা দাস', '+91 98300 11111');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses a scrape without the bearer token, or with another one', async () => {
    const none = await fetch(`${t.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(await none.text()).not.toContain('duare_');
    for (const authorization of [`Bearer ${TOKEN}x`, `Basic ${TOKEN}`, 'Bearer ', TOKEN]) {
      const res = await fetch(`${t.url}/metrics`, { headers: { authorization } });
      expect(res.status).toBe(401);
    }
  });

  it('shows an overdue request appearing in its ward', async () => {
    const before = await scrape();
    expect(sample(before, 'duare_requests_open', { municipality: 'BSR', ward: '2' })).toBe(0);
    expect(sample(before, 'duare_requests_open', { municipality: 'BSR', ward: '1' })).toBe(0);
    const request = await createRequest(coordinator, {
      residentId: resident,
      serviceTypeId: types.GARBAGE,
    });
    const open = await scrape();
    expect(sample(open, 'duare_requests_open', { municipality: 'BSR', ward: '2' })).toBe(1);
    expect(sample(open, 'duare_requests_overdue', { municipality: 'BSR', ward: '2' })).toBe(0);
    // Its due time passes (the clock moved on).
    await t.db.pool.query(
      `UPDATE service_requests SET sla_due_at = now() - interval '1 hour' WHERE id = $1`,
      [request.id],
    );
    const overdue = await scrape();
    expect(sample(overdue, 'duare_requests_overdue', { municipality: 'BSR', ward: '2' })).toBe(1);
    expect(sample(overdue, 'duare_requests_overdue', { municipality: 'BSR', ward: '1' })).toBe(0);
  });

  it('shows the backlog and age of a stalled job, and notifications by channel and status', async () => {
    await t.app.get(NotificationDispatcherService).kick();
    const calm = await scrape();
    expect(sample(calm, 'duare_job_backlog', { job: 'notifications' })).toBe(0);
    expect(sample(calm, 'duare_job_oldest_age_seconds', { job: 'notifications' })).toBe(0);
    expect(sample(calm, 'duare_job_backlog', { job: 'webhook_deliveries' })).toBe(0);
    expect(sample(calm, 'duare_notifications', { channel: 'LOG', status: 'SENT' })).toBe(1);
    // A message made two hours ago that is still waiting for a retry.
    await t.db.pool.query(
      `UPDATE notifications SET status = 'QUEUED', created_at = now() - interval '2 hours',
              next_attempt_at = now() + interval '1 day', error_code = '131000'`,
    );
    // And one inbound WhatsApp payload nobody has processed for an hour.
    await t.db.pool.query(
      `INSERT INTO whatsapp_inbox (payload, received_at, next_attempt_at)
       VALUES ('{}', now() - interval '1 hour', now() + interval '1 day')`,
    );
    const stalled = await scrape();
    expect(sample(stalled, 'duare_job_backlog', { job: 'notifications' })).toBe(1);
    expect(sample(stalled, 'duare_job_due', { job: 'notifications' })).toBe(0);
    expect(
      sample(stalled, 'duare_job_oldest_age_seconds', { job: 'notifications' }),
    ).toBeGreaterThanOrEqual(7200);
    expect(sample(stalled, 'duare_job_backlog', { job: 'whatsapp_inbox' })).toBe(1);
    expect(
      sample(stalled, 'duare_job_oldest_age_seconds', { job: 'whatsapp_inbox' }),
    ).toBeGreaterThanOrEqual(3600);
    expect(sample(stalled, 'duare_notifications', { channel: 'LOG', status: 'QUEUED' })).toBe(1);
    expect(
      sample(stalled, 'duare_notifications', { channel: 'LOG', status: 'SENT' }),
    ).toBeUndefined();
    await t.db.pool.query(`DELETE FROM whatsapp_inbox`);
    await t.db.pool.query(
      `UPDATE notifications SET status = 'FAILED', channel = 'WHATSAPP', error_code = '131026',
              created_at = now(), failed_at = now()`,
    );
    const failed = await scrape();
    expect(sample(failed, 'duare_whatsapp_send_errors', { code: '131026', final: 'true' })).toBe(1);
    expect(sample(failed, 'duare_job_backlog', { job: 'notifications' })).toBe(0);
  });

  it('times HTTP requests by route and GraphQL operations by bounded name', async () => {
    await coordinator(`query WardQueue { me { actorType } }`);
    await coordinator(`{ me { actorType } }`);
    await coordinator(`query Broken { me { nope } }`);
    await t.gql(`query Mine { me { actorType } }`);
    const text = await scrape();
    expect(
      sample(text, 'duare_graphql_operation_duration_seconds_count', {
        operation: 'WardQueue',
        type: 'query',
        outcome: 'ok',
      }),
    ).toBe(1);
    expect(
      sample(text, 'duare_graphql_operation_duration_seconds_count', {
        operation: '_anonymous',
        type: 'query',
      }),
    ).toBeGreaterThanOrEqual(1);
    // A document that fails validation never becomes an operation.
    expect(
      sample(text, 'duare_graphql_operation_duration_seconds_count', {
        operation: '_invalid',
        outcome: 'error',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'duare_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'duare_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/graphql',
        status_code: '200',
      }),
    ).toBeGreaterThanOrEqual(3);
    expect(
      sample(text, 'duare_db_pool_connections', { pool: 'api', state: 'total' }),
    ).toBeGreaterThan(0);
    expect(sample(text, 'duare_db_pool_connections', { pool: 'workers', state: 'waiting' })).toBe(
      0,
    );
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'duare_state_scrape_ok')).toBe(1);
  });

  it('keeps operation names bounded: names past the cap are _other', async () => {
    for (let i = 0; i < 160; i += 1) await coordinator(`query Op${i} { me { actorType } }`);
    const text = await scrape();
    const names = new Set(
      [
        ...text.matchAll(/duare_graphql_operation_duration_seconds_count\{operation="([^"]+)"/g),
      ].map((m) => m[1]),
    );
    expect(names.size).toBeLessThanOrEqual(150 + 3);
    expect(names.has('_other')).toBe(true);
  });
});

import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { StaffRole } from '../../src/common/access/staff-role';
import { GraphQL, insertWards, seedMunicipality, signIn, staffClient } from '../support/fixtures';
import { createRequest, createResident, seedCatalogue, step } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { LiveEventsService } from '../../src/live-queue/live-events.service';

const SUBSCRIBE = `subscription ($wardIds: [ID!]) { requestEvents(wardIds: $wardIds) {
  id type requestId wardId trackingNumber status from action assigneeId occurredAt } }`;

/** A graphql-ws client on an app, collecting what arrives. */
function subscriber(app: TestApp, token: string | null, wardIds: string[] | null = null) {
  const received: Array<Record<string, any>> = [];
  const errors: unknown[] = [];
  const client: Client = createClient({
    url: app.url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
    // A refused connection is an expected outcome here, not something to print.
    onNonLazyError: (error) => errors.push(error),
  });
  const ready = new Promise<void>((resolve) => client.on('connected', () => resolve()));
  const closed = new Promise<{ code: number }>((resolve) =>
    client.on('closed', (event) => resolve(event as { code: number })),
  );
  let open = true;
  client.on('closed', () => (open = false));
  const unsubscribe = client.subscribe(
    { query: SUBSCRIBE, variables: { wardIds } },
    {
      // A refused subscription arrives as a result carrying errors.
      next: (value) =>
        value.errors
          ? errors.push(value.errors)
          : received.push(value.data?.requestEvents as Record<string, any>),
      error: (error) => errors.push(error),
      complete: () => undefined,
    },
  );
  return { client, received, errors, ready, closed, unsubscribe, isOpen: () => open };
}

/** Waits until the condition holds (events cross a real database and socket). */
async function until(condition: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting for events');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the live queue (e2e: two app instances, graphql-ws)', () => {
  let a: TestApp;
  let b: TestApp;
  let coordinator5: GraphQL;
  let coordinator6: GraphQL;
  let token5: string;
  let ward5: string;
  let types: Record<string, string>;
  let rahim: string;
  let karim: string;

  beforeAll(async () => {
    a = await startTestApp();
    // b checks its sockets' credentials every second (the default is a minute).
    b = await startTestApp({ SUBSCRIPTION_RECHECK_SECONDS: '1' }, a.db);
    const bsr = await seedMunicipality(a, 'BSR');
    let ward6: string;
    [, , , , ward5, ward6] = await insertWards(a, bsr, 6);
    types = await seedCatalogue(a, bsr);
    coordinator5 = await staffClient(a, bsr, 'coord.5', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward5 },
    ]);
    coordinator6 = await staffClient(a, bsr, 'coord.6', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward6 },
    ]);
    token5 = (await signIn(b, 'coord.5')).accessToken;
    rahim = await createResident(coordinator5, ward5, 'রহিম শেখ');
    karim = await createResident(coordinator6, ward6, 'করিম মণ্ডল');
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  /**
   * What `live` received before a marker: a request created now in ward 5. PostgreSQL hands
   * notifications over in commit order, so once the marker's event is in, any stray event of
   * an earlier change would be too — no fixed wait for events that should not come.
   */
  const receivedBeforeMarker = async (live: ReturnType<typeof subscriber>) => {
    const marker = await createRequest(coordinator5, {
      residentId: rahim,
      serviceTypeId: types.GARBAGE,
    });
    await until(() => live.received.some((e) => e.requestId === marker.id));
    return live.received.slice(
      0,
      live.received.findIndex((e) => e.requestId === marker.id),
    );
  };

  it('delivers events committed on one instance to a subscriber on the other, of its wards only', async () => {
    const live = subscriber(b, token5);
    await live.ready;
    try {
      // Another ward's request: never reaches this socket.
      await createRequest(coordinator6, { residentId: karim, serviceTypeId: types.GARBAGE });
      const request = await createRequest(coordinator5, {
        residentId: rahim,
        serviceTypeId: types.GARBAGE,
      });
      await step(coordinator5, request, 'START_REVIEW');
      const received = await receivedBeforeMarker(live);
      expect(received.map((e) => [e.type, e.trackingNumber, e.status, e.action])).toEqual([
        ['request.created', request.trackingNumber, 'SUBMITTED', null],
        ['request.status_changed', request.trackingNumber, 'IN_REVIEW', 'START_REVIEW'],
      ]);
      expect(received.every((e) => e.wardId === ward5)).toBe(true);
      expect(live.errors).toEqual([]);
    } finally {
      await live.client.dispose();
    }
  });

  it('publishes nothing for a change that rolls back', async () => {
    const live = subscriber(b, token5, [ward5]);
    await live.ready;
    try {
      await a.db.pool.query(`
        CREATE FUNCTION fail_marked() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.description = 'roll back' THEN RAISE EXCEPTION 'injected'; END IF; RETURN NEW; END $$;
        CREATE TRIGGER fail_marked AFTER INSERT ON service_requests FOR EACH ROW EXECUTE FUNCTION fail_marked();`);
      const res = await coordinator5(
        `mutation ($i: CreateRequestInput!) { createRequest(input: $i) { errors { code } } }`,
        { i: { residentId: rahim, serviceTypeId: types.GARBAGE, description: 'roll back' } },
      );
      expect(res.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      const after = await createRequest(coordinator5, {
        residentId: rahim,
        serviceTypeId: types.GARBAGE,
      });
      expect((await receivedBeforeMarker(live)).map((e) => e.requestId)).toEqual([after.id]);
    } finally {
      await a.db.pool.query(
        `DROP TRIGGER fail_marked ON service_requests; DROP FUNCTION fail_marked();`,
      );
      await live.client.dispose();
    }
  });

  it('checks the subscription’s permission like any operation', async () => {
    const admin = await staffClient(
      a,
      (await a.db.pool.query(`SELECT id FROM municipalities`)).rows[0].id,
      'bsr.admin',
      [{ role: StaffRole.MUNICIPAL_ADMIN }],
    );
    const key = (
      await admin(
        `mutation { createApiClient(input: { name: "wards only", scopes: [WARDS_READ] }) { apiKey } }`,
      )
    ).data?.createApiClient.apiKey;
    const limited = subscriber(b, key);
    await until(() => limited.errors.length > 0);
    expect(JSON.stringify(limited.errors[0])).toContain('FORBIDDEN');
    await limited.client.dispose();
  });

  it('ends a subscription as soon as the client unsubscribes, even with no event coming', async () => {
    const subscriptions = () => b.app.get(LiveEventsService).subscriberCount();
    const live = subscriber(b, token5, [ward5]);
    await live.ready;
    try {
      await until(() => subscriptions() === 1);
      live.unsubscribe();
      await until(() => subscriptions() === 0);
      expect(live.isOpen()).toBe(true);
    } finally {
      await live.client.dispose();
    }
  });

  it('closes a socket with 4403 once its session is signed out, and stops its events', async () => {
    const subscriptions = () => b.app.get(LiveEventsService).subscriberCount();
    const { accessToken } = await signIn(b, 'coord.5');
    const live = subscriber(b, accessToken, [ward5]);
    await live.ready;
    await until(() => subscriptions() === 1);
    const out = await b.gql(
      `mutation { signOut { endedSessions } }`,
      {},
      {
        authorization: `Bearer ${accessToken}`,
      },
    );
    expect(out.data?.signOut.endedSessions).toBe(1);
    expect((await live.closed).code).toBe(4403);
    await until(() => subscriptions() === 0);
    // The other sessions of the same account keep their sockets, and get the events the
    // signed-out one no longer does.
    const other = subscriber(b, token5, [ward5]);
    await other.ready;
    await until(() => subscriptions() === 1);
    expect(await receivedBeforeMarker(other)).toEqual([]);
    expect(live.received).toEqual([]);
    // Through at least one recheck of its credentials (every second on b): a fixed wait,
    // as "nothing closes it" has no event to wait for.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(other.isOpen()).toBe(true);
    await other.client.dispose();
  });

  it('refuses a connection without valid credentials', async () => {
    const anonymous = subscriber(b, null);
    expect((await anonymous.closed).code).toBe(4403);
    const forged = subscriber(b, 'not-a-token');
    expect((await forged.closed).code).toBe(4403);
  });
});

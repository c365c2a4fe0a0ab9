import { StaffActor } from '../../src/common/access/actor';
import { StaffRole } from '../../src/common/access/staff-role';
import { RequestOrderField, OrderDirection } from '../../src/requests/dto/request.inputs';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { GraphQLObjectType } from 'graphql';
import { DataSource, In } from 'typeorm';
import { ServiceRequest } from '../../src/requests/entities/service-request.entity';
import { TimelineEntry } from '../../src/requests/entities/timeline-entry.entity';
import { RequestQueueService } from '../../src/requests/queue/request-queue.service';
import { RequestLoaders } from '../../src/requests/queue/request.loaders';
import { Resident } from '../../src/residents/entities/resident.entity';
import { ResidentLoaders } from '../../src/residents/resident.loaders';
import { Ward } from '../../src/wards/entities/ward.entity';
import { WardLoaders } from '../../src/wards/ward.loaders';
import {
  as,
  GraphQL,
  insertWards,
  seedMunicipality,
  seedStaff,
  signIn,
  staffClient,
} from '../support/fixtures';
import {
  createRequest,
  createResident,
  QUEUE_CARD_FIELDS,
  seedCatalogue,
  step,
} from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const LIST = `query ($filter: RequestFilter, $orderBy: RequestOrder, $first: Int, $after: String) {
  requests(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id trackingNumber } } } }`;

/** Everything a coordinator's screen shows for each request. */
const EXPANDED = `query ($first: Int) { requests(first: $first) { totalCount edges { node {
  ${QUEUE_CARD_FIELDS}
} } } }`;

describe('the coordinator’s queue (e2e)', () => {
  let t: TestApp;
  let bsr: string;
  let ward1: string;
  let ward5: string;
  let ward6: string;
  let ward7: string;
  let types: Record<string, string>;
  let admin: GraphQL;
  let coordinator: GraphQL;
  let otherWard: GraphQL;
  let coordinatorId: string;
  let rahim: string;
  let sumitra: string;
  let karim: string;
  const made: Array<Record<string, any>> = [];

  const ids = async (client: GraphQL, filter: Record<string, unknown>) => {
    const res = await client(LIST, { filter, first: 100 });
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    return res.data.requests.edges.map((e: any) => e.node.id).sort();
  };
  /** Every page of a list, following cursors. */
  const walkPages = async (
    client: GraphQL,
    orderBy: Record<string, unknown>,
    filter: Record<string, unknown>,
    first: number,
  ) => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = -1;
    for (let pages = 0; pages < 100; pages += 1) {
      const res: any = await client(LIST, { filter, orderBy, first, after });
      const page = res.data.requests;
      total = page.totalCount;
      seen.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    return { seen, total };
  };

  beforeAll(async () => {
    t = await startTestApp();
    bsr = await seedMunicipality(t, 'BSR');
    [ward1, , , , ward5, ward6, ward7] = await insertWards(t, bsr, 7);
    types = await seedCatalogue(t, bsr);
    admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    coordinatorId = await seedStaff(t, bsr, 'coord.5', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward5 },
    ]);
    coordinator = as(t, (await signIn(t, 'coord.5')).accessToken);
    otherWard = await staffClient(t, bsr, 'coord.6', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward6 },
    ]);
    rahim = await createResident(coordinator, ward5, 'রহিম শেখ', '+91 98765 43210');
    sumitra = await createResident(coordinator, ward5, 'সুমিত্রা দাস', '9830012345');
    karim = await createResident(otherWard, ward6, 'করিম মণ্ডল', '9123456780');
    const plan: Array<[string, string, Record<string, unknown>]> = [
      [rahim, 'GARBAGE', {}],
      [rahim, 'WATER_SUPPLY', { details: 'জল নেই' }],
      [sumitra, 'CHARACTER_CERT', { purpose: 'job' }],
      [sumitra, 'BIRTH_DEATH_COPY', { registration_number: 'B-12' }],
      [rahim, 'STREET_LIGHT', {}],
    ];
    for (let i = 0; i < 30; i += 1) {
      const [residentId, code, attributes] = plan[i % plan.length];
      made.push(
        await createRequest(i % 3 === 0 ? admin : coordinator, {
          residentId,
          serviceTypeId: types[code],
          attributes,
          channel: i % 4 === 0 ? 'WALK_IN' : 'PHONE_CALL',
          priority: ['LOW', 'NORMAL', 'HIGH', 'URGENT'][i % 4],
        }),
      );
    }
    for (let i = 0; i < 5; i += 1) {
      await createRequest(otherWard, { residentId: karim, serviceTypeId: types.GARBAGE });
    }
    // Some requests move on; some share a creation instant to exercise tie-breaking.
    for (const request of made.slice(0, 6)) await step(coordinator, request, 'START_REVIEW');
    await t.db.pool.query(
      `UPDATE service_requests SET created_at = '2026-11-20 10:00:00.123456+00'
       WHERE id = ANY($1)`,
      [made.slice(10, 16).map((r) => r.id)],
    );
    await t.db.pool.query(`UPDATE service_requests SET assignee_id = $1 WHERE id = ANY($2)`, [
      coordinatorId,
      made.slice(20, 23).map((r) => r.id),
    ]);
  });
  afterAll(() => t.close());

  it.each([
    [RequestOrderField.CREATED_AT, 'created_at'],
    [RequestOrderField.UPDATED_AT, 'updated_at'],
    [RequestOrderField.SLA_DUE_AT, 'sla_due_at'],
    [RequestOrderField.PRIORITY, 'priority'],
  ])(
    'pages through the ward by %s both ways without skipping or repeating',
    async (field, column) => {
      for (const direction of [OrderDirection.ASC, OrderDirection.DESC]) {
        const { seen, total } = await walkPages(coordinator, { field, direction }, {}, 7);
        const expected = await t.db.pool.query(
          `SELECT id FROM service_requests WHERE ward_id = $1 ORDER BY ${column} ${direction}, id ${direction}`,
          [ward5],
        );
        expect({ direction, seen }).toEqual({ direction, seen: expected.rows.map((r) => r.id) });
        expect(total).toBe(30);
      }
    },
  );

  it('orders newest first by default and refuses cursors of another order or made up', async () => {
    const first = (await coordinator(LIST, { first: 3 })).data?.requests;
    const newest = await t.db.pool.query(
      `SELECT id FROM service_requests WHERE ward_id = $1 ORDER BY created_at DESC, id DESC LIMIT 3`,
      [ward5],
    );
    expect(first.edges.map((e: any) => e.node.id)).toEqual(newest.rows.map((r) => r.id));
    const foreign = await coordinator(LIST, {
      orderBy: { field: 'PRIORITY', direction: 'DESC' },
      after: first.pageInfo.endCursor,
    });
    expect(foreign.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
    for (const after of [
      'garbage',
      Buffer.from('["CREATED_AT","DESC","x","y"]').toString('base64url'),
    ]) {
      const bad = await coordinator(LIST, { after });
      expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    }
    const negative = await coordinator(LIST, { first: -1 });
    expect(negative.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const capped = await admin(LIST, { first: 1000 });
    expect(capped.data?.requests.edges).toHaveLength(35);
  });

  it('counts the whole list on a page past its end too (the count rides on the page’s rows)', async () => {
    const all = (await coordinator(LIST, { first: 100 })).data?.requests;
    expect(all.edges).toHaveLength(30);
    const past = (await coordinator(LIST, { first: 10, after: all.pageInfo.endCursor })).data
      ?.requests;
    expect(past.edges).toEqual([]);
    expect(past.totalCount).toBe(30);
    const open = (await coordinator(LIST, { filter: { statuses: ['IN_REVIEW'] }, first: 100 })).data
      ?.requests;
    expect(open.totalCount).toBe(6);
  });

  it('filters by status, category, type, channel, assignee, resident, time and ward', async () => {
    const sql = async (where: string, params: unknown[] = []) =>
      (
        await t.db.pool.query(
          `SELECT id FROM service_requests WHERE ward_id = $1 AND ${where} ORDER BY id`,
          [ward5, ...params],
        )
      ).rows.map((r) => r.id);
    expect(await ids(coordinator, { statuses: ['IN_REVIEW'] })).toEqual(
      await sql(`status = 'IN_REVIEW'`),
    );
    expect((await ids(coordinator, { statuses: ['IN_REVIEW'] })).length).toBe(6);
    expect(await ids(coordinator, { categories: ['CERTIFICATE', 'SERVICE'] })).toEqual(
      await sql(`category IN ('CERTIFICATE', 'SERVICE')`),
    );
    expect(await ids(coordinator, { serviceTypeIds: [types.GARBAGE] })).toEqual(
      await sql(`service_type_id = $2`, [types.GARBAGE]),
    );
    expect(await ids(coordinator, { channel: 'WALK_IN' })).toEqual(
      await sql(`channel = 'WALK_IN'`),
    );
    expect(await ids(coordinator, { assigneeId: coordinatorId })).toEqual(
      made
        .slice(20, 23)
        .map((r) => r.id)
        .sort(),
    );
    expect((await ids(coordinator, { unassigned: true })).length).toBe(27);
    expect(await ids(coordinator, { residentId: sumitra })).toEqual(
      await sql(`resident_id = $2`, [sumitra]),
    );
    expect(
      await ids(coordinator, {
        createdFrom: '2026-11-20T10:00:00.000Z',
        createdTo: '2026-11-20T10:00:01.000Z',
      }),
    ).toEqual(
      made
        .slice(10, 16)
        .map((r) => r.id)
        .sort(),
    );
    expect(
      await ids(coordinator, {
        statuses: ['SUBMITTED'],
        categories: ['COMPLAINT'],
        channel: 'WALK_IN',
      }),
    ).toEqual(await sql(`status = 'SUBMITTED' AND category = 'COMPLAINT' AND channel = 'WALK_IN'`));
    // Wards: an administrator narrows to one; a coordinator asking for another ward gets nothing.
    expect((await ids(admin, { wardIds: [ward6] })).length).toBe(5);
    expect(await ids(coordinator, { wardIds: [ward6] })).toEqual([]);
    expect((await ids(otherWard, {})).length).toBe(5);
    const bad = await coordinator(LIST, { filter: { serviceTypeIds: ['nope'] } });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('searches by tracking number, its serial, and the resident’s name or phone in any script', async () => {
    const target = made[7];
    expect(await ids(coordinator, { search: target.trackingNumber.toLowerCase() })).toEqual([
      target.id,
    ]);
    const serial = String(Number(target.trackingNumber.slice(-5)));
    const bengaliSerial = serial.replace(/\d/g, (d) => '০১২৩৪৫৬৭৮৯'[Number(d)]);
    expect(await ids(coordinator, { search: bengaliSerial })).toContain(target.id);
    const rahims = (
      await t.db.pool.query(`SELECT id FROM service_requests WHERE resident_id = $1 ORDER BY id`, [
        rahim,
      ])
    ).rows.map((r) => r.id);
    expect(await ids(coordinator, { search: 'রহিম' })).toEqual(rahims);
    expect(await ids(coordinator, { search: 'Rahim Sheikh' })).toEqual(rahims);
    expect(await ids(coordinator, { search: '৯৮৭৬৫ ৪৩২১০' })).toEqual(rahims);
    expect(await ids(coordinator, { search: 'করিম' })).toEqual([]);
  });

  it('refuses search text over 100 characters before any SQL, naming the field (issue 21)', async () => {
    for (const search of ['x'.repeat(5000), 'ক'.repeat(101), 'রহিম '.repeat(30)]) {
      const res = await coordinator(LIST, { filter: { search } });
      expect(res.data).toBeNull();
      expect(res.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'filter.search',
      });
      expect(res.errors?.[0].message).toMatch(/at most 100 characters/);
    }
    // At the limit the trigram match stays cheap: 100 Bengali letters answer (nothing).
    const started = Date.now();
    expect(
      await ids(coordinator, { search: 'রহিমশেখকরিমসুমিত্রাদাস'.repeat(5).slice(0, 100) }),
    ).toEqual([]);
    console.info(`a 100-character Bengali request search took ${Date.now() - started} ms`);
  });

  it('matches names and phones only for callers who may read residents (issue 21: no oracle)', async () => {
    const key = async (scopes: string) =>
      (
        await admin(
          `mutation { createApiClient(input: { name: "queue ${scopes}", scopes: [${scopes}] }) { apiKey } }`,
        )
      ).data?.createApiClient.apiKey as string;
    const requestsOnly = as(t, await key('REQUESTS_READ'));
    const withResidents = as(t, await key('REQUESTS_READ, RESIDENTS_READ'));
    const rahims = (
      await t.db.pool.query(`SELECT id FROM service_requests WHERE resident_id = $1 ORDER BY id`, [
        rahim,
      ])
    ).rows.map((r) => r.id);
    for (const search of ['+919876543210', 'রহিম শেখ']) {
      const refused = await requestsOnly(LIST, { filter: { search } });
      expect(refused.data).toBeNull();
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(refused.errors?.[0].message).toMatch(/residents:read/);
      expect(await ids(withResidents, { search })).toEqual(rahims);
    }
    // Tracking numbers and serials are the request's own data: no right to residents needed.
    const target = made[7];
    expect(await ids(requestsOnly, { search: target.trackingNumber })).toEqual([target.id]);
    expect(
      await ids(requestsOnly, { search: String(Number(target.trackingNumber.slice(-5))) }),
    ).toContain(target.id);
  });

  it('serves a page of fully expanded requests in a constant number of SQL statements', async () => {
    const statementsFor = async (first: number) => {
      t.queries.reset();
      const res = await admin(EXPANDED, { first });
      expect(res.errors).toBeUndefined();
      expect(res.data?.requests.edges).toHaveLength(Math.min(first, 35));
      return t.queries.statements;
    };
    // Both pages hold assigned requests, so both need the assignee batch.
    await t.db.pool.query(
      `UPDATE service_requests SET assignee_id = $1
       WHERE id = (SELECT id FROM service_requests ORDER BY created_at DESC, id DESC LIMIT 1)`,
      [coordinatorId],
    );
    const five = await statementsFor(5);
    const fifty = await statementsFor(50);
    expect(fifty).toBe(five);
    // The sign-in check with the rate limit's charge (one statement), the page with its
    // count, its requests' wards (which are also their residents' wards) and residents, then
    // one batch each: service type with its version, assignee, attachments, timeline (the
    // last event is its last entry). A page that asked for more than it used gets the rest
    // back in the next page's rate-limit statement, not in one of its own.
    expect(fifty).toBe(6);
    expect(await statementsFor(50)).toBe(6);
  });

  it('resolves a card’s fields without Nest’s per-call context (its fast path)', () => {
    // Nest wraps a field resolver with parameter decorators in a context of its own on every
    // call (pipes, param factories, a few promises): 500 calls on a page of 50 cards. Without
    // decorators it hands graphql-js the method itself, which is what these fields use.
    const { schema } = t.app.get(GraphQLSchemaHost);
    const fields = (type: string) => (schema.getType(type) as GraphQLObjectType).getFields();
    const isTheMethod = (type: string, name: string) =>
      fields(type)[name].resolve?.name.endsWith(`bound ${name}`);
    const cardFields = ['ward', 'resident', 'serviceType', 'assignee', 'sla', 'attachments'];
    for (const name of [...cardFields, 'documents', 'lastEvent', 'availableActions'])
      expect([name, isTheMethod('ServiceRequest', name)]).toEqual([name, true]);
    expect(isTheMethod('Resident', 'ward')).toBe(true);
    // The timeline takes arguments (`@Args`), so it still goes through Nest's context.
    expect(isTheMethod('ServiceRequest', 'timeline')).toBe(false);
  });

  it('adds the next steps and the links to certificate and deliveries in a constant number of statements', async () => {
    const LINKED = `query ($first: Int) { requests(first: $first) { edges { node { id
      nextSteps { step allowed takenBy deliveryId } certificate { id number request { id } }
      deliveries { id request { id } } currentDelivery { id } } } } }`;
    const statementsFor = async (first: number) => {
      t.queries.reset();
      const res = await admin(LINKED, { first });
      expect(res.errors).toBeUndefined();
      return t.queries.statements;
    };
    // Pages large enough to hold every kind of request: a page without a certificate request
    // looks no certificate type up, one statement fewer.
    const twenty = await statementsFor(20);
    const fifty = await statementsFor(50);
    expect(fifty).toBe(twenty);
    // The sign-in check with the rate limit's charge, the page (no COUNT: `totalCount` is
    // not asked for), then the batches of the service types (with their versions),
    // deliveries, certificates and the links' requests.
    expect(fifty).toBe(6);
  });

  it('maps the page’s rows and the timelines to the same entities as TypeORM’s repositories', async () => {
    const actor: StaffActor = {
      type: 'STAFF',
      id: coordinatorId,
      username: 'coord.5',
      displayName: 'coord.5',
      sessionId: 'entities',
      requestId: 'entities',
      municipalityId: bsr,
      grants: [{ role: StaffRole.WARD_COORDINATOR, wardId: ward5 }],
    };
    const page = await t.app.get(RequestQueueService).list(actor, {}, null, 100, null, true);
    expect(page.totalCount).toBe(30);
    const read = page.edges.map((edge) => edge.node);
    const byRepository = await t.app
      .get(DataSource)
      .getRepository(ServiceRequest)
      .findBy({ id: In(read.map((r) => r.id)) });
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect([...read].sort(byId)).toEqual(byRepository.sort(byId));
    expect(read[0]).toBeInstanceOf(ServiceRequest);
    const ids = read.map((r) => r.id);
    const timelines = await t.app.get(RequestLoaders).timelineByRequest.create().loadMany(ids);
    const entries = await t.app
      .get(DataSource)
      .getRepository(TimelineEntry)
      .find({
        where: { requestId: In(ids) },
        order: { occurredAt: 'ASC', id: 'ASC' },
      });
    const residentIds = [...new Set(read.map((r) => r.residentId))];
    const residents = await t.app.get(ResidentLoaders).residentById.create().loadMany(residentIds);
    expect(residents).toEqual(
      await Promise.all(
        residentIds.map((id) => t.app.get(DataSource).getRepository(Resident).findOneBy({ id })),
      ),
    );
    expect(timelines.flat()).toHaveLength(entries.length);
    expect(timelines.flat().sort(byId as never)).toEqual([...entries].sort(byId));
    // The residents and wards a page joins into its own statement are the repositories' too.
    const [residentLoaders, wardLoaders] = [t.app.get(ResidentLoaders), t.app.get(WardLoaders)];
    const joinedResidents: Array<Resident | null> = [];
    const joinedWards: Array<Ward | null> = [];
    const joinedPage = await t.app
      .get(RequestQueueService)
      .list(actor, {}, null, 100, null, false, [
        {
          add: (query) => residentLoaders.joinResident(query, 'r.resident_id', 'jr'),
          read: (row) => joinedResidents.push(residentLoaders.residentOfRow(row, 'jr')),
        },
        {
          add: (query) => wardLoaders.joinWard(query, 'r.ward_id', 'jw'),
          read: (row) => joinedWards.push(wardLoaders.wardOfRow(row, 'jw')),
        },
      ]);
    const repository = (target: typeof Resident | typeof Ward) =>
      t.app.get(DataSource).getRepository(target);
    expect(joinedResidents).toHaveLength(30);
    expect(joinedResidents).toEqual(
      await Promise.all(
        joinedPage.edges.map((e) => repository(Resident).findOneBy({ id: e.node.residentId })),
      ),
    );
    expect(joinedWards).toEqual(
      await Promise.all(
        joinedPage.edges.map((e) => repository(Ward).findOneBy({ id: e.node.wardId })),
      ),
    );
  });

  it('uses the indexes for the main queue queries at ward scale (EXPLAIN)', async () => {
    // 40,000 requests in two wards, written straight in SQL, then fresh statistics.
    await t.db.pool.query(
      `INSERT INTO service_requests (municipality_id, ward_id, tracking_number, resident_id,
         service_type_id, definition_version, category, channel, attributes, status, priority,
         sla_due_at, created_at, updated_at)
       SELECT $1, CASE WHEN n % 2 = 0 THEN $2 ELSE $5 END::uuid,
              'BSR-07-2627-' || lpad(n::text, 5, '0'), $3, $4, 1, 'COMPLAINT', 'API', '{}',
              (ARRAY['SUBMITTED','IN_REVIEW','CLOSED','RESOLVED']::request_status[])[1 + n % 4],
              (ARRAY['LOW','NORMAL','HIGH','URGENT']::request_priority[])[1 + n % 4],
              now() + (n % 100) * interval '1 hour',
              now() - n * interval '1 minute', now() - n * interval '1 minute'
       FROM generate_series(1, 40000) AS n`,
      [bsr, ward7, rahim, types.GARBAGE, ward1],
    );
    await t.db.pool.query('ANALYZE service_requests');
    const actor: StaffActor = {
      type: 'STAFF',
      id: coordinatorId,
      username: 'coord.7',
      displayName: 'coord.7',
      sessionId: 'explain',
      requestId: 'explain',
      municipalityId: bsr,
      grants: [{ role: StaffRole.WARD_COORDINATOR, wardId: ward7 }],
    };
    const queue = t.app.get(RequestQueueService);
    const plans: Record<string, string> = {};
    const cases: Array<[string, Record<string, unknown>, RequestOrderField]> = [
      ['newest', {}, RequestOrderField.CREATED_AT],
      ['open by due time', { statuses: ['SUBMITTED', 'IN_REVIEW'] }, RequestOrderField.SLA_DUE_AT],
      ['recently updated', {}, RequestOrderField.UPDATED_AT],
      ['by priority', {}, RequestOrderField.PRIORITY],
      ['one status', { statuses: ['IN_REVIEW'] }, RequestOrderField.CREATED_AT],
    ];
    for (const [name, filter, field] of cases) {
      const [sql, params] = queue.pageSql(
        actor,
        filter,
        { field, direction: OrderDirection.DESC },
        50,
      );
      const { rows } = await t.db.pool.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      plans[name] = JSON.stringify(rows[0]['QUERY PLAN']);
    }
    for (const [name, plan] of Object.entries(plans)) {
      expect({ name, usesIndex: /ix_service_requests_/.test(plan) }).toEqual({
        name,
        usesIndex: true,
      });
      expect({ name, seqScan: /"Seq Scan"/.test(plan) }).toEqual({ name, seqScan: false });
    }
    // The plain queue needs no sort at all: the index gives the order.
    expect(plans.newest).not.toMatch(/"Node Type":"Sort"/);
  });
});

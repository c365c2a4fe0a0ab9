import { StaffRole } from '../../src/common/access/staff-role';
import { StatisticsService } from '../../src/statistics/statistics.service';
import { statsPeriod } from '../../src/statistics/stats-period';
import { GraphQL, insertWards, seedMunicipality, staffClient } from '../support/fixtures';
import { createResident, seedCatalogue } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const STATS_FIELDS = `from to total completed overdueNow completedWithinSlaShare
  byStatus { status count }
  byServiceType { serviceTypeId code nameBn nameEn count }
  byChannel { channel count }
  turnaroundHours { median p90 }
  deliveries { attempted succeeded }`;

const WARD_STATS = `query ($wardId: ID!, $from: String!, $to: String!) {
  wardStats(wardId: $wardId, from: $from, to: $to) { ${STATS_FIELDS} } }`;

const MUNICIPALITY_STATS = `query ($municipalityId: ID!, $from: String!, $to: String!) {
  municipalityStats(municipalityId: $municipalityId, from: $from, to: $to) { ${STATS_FIELDS} } }`;

/** An instant written as Indian local time (UTC+05:30). */
const ist = (local: string) => `${local}+05:30`;
const hoursAfter = (local: string, hours: number) =>
  new Date(new Date(ist(local)).getTime() + hours * 3_600_000).toISOString();

interface Row {
  ward: string;
  type: string;
  channel: string;
  status: string;
  createdAt: string;
  completedAt?: string | null;
  slaDueAt: string;
  slaPausedAt?: string | null;
}

/**
 * A crafted data set, written straight in SQL so every timestamp is chosen. The expected
 * numbers below are worked out by hand from it.
 *
 * Ward 5, period 2026-03-10 .. 2026-03-12 (Indian days):
 *   C1..C10  made 2026-03-11 10:00 IST, outcome k = 1..10 hours later, due 6 h after making
 *            C1-C4 GARBAGE WHATSAPP RESOLVED, C5 GARBAGE PHONE_CALL CLOSED,
 *            C6-C7 CHARACTER_CERT PHONE_CALL DELIVERED, C8 CHARACTER_CERT WALK_IN DELIVERED,
 *            C9 CHARACTER_CERT WALK_IN CLOSED, C10 CHARACTER_CERT WALK_IN REJECTED
 *   O1 made 2026-03-10 23:50 IST (18:20 UTC), GARBAGE API SUBMITTED, due in the past
 *   O2 made 2026-03-11 00:10 IST (2026-03-10 18:40 UTC), WATER_SUPPLY PHONE_CALL IN_REVIEW, due 2099
 *   O3 made 2026-03-12 12:00 IST, WATER_SUPPLY WALK_IN NEEDS_INFO, paused, due in the past
 *   O4 made 2026-03-10 00:00 IST exactly, CHARACTER_CERT WHATSAPP APPROVED, due in the past
 *   O5 made 2026-03-09 23:59:59 IST (outside), CHARACTER_CERT PHONE_CALL OUT_FOR_DELIVERY, due in the past
 *   O6 made 2026-03-13 00:00 IST (outside: the end is exclusive), GARBAGE API READY, due 2099
 *   X1 made 2026-03-01 10:00 IST (outside), GARBAGE WALK_IN CLOSED after 100 h
 * Ward 6: W6a made 2026-03-11 12:00 IST GARBAGE API SUBMITTED, due in the past;
 *         W6b made 2026-03-11 12:00 IST CHARACTER_CERT API DELIVERED after 50 h, due 6 h after.
 */
describe('ward and municipality statistics (e2e)', () => {
  let t: TestApp;
  let bsr: string;
  let kol: string;
  let ward1: string;
  let ward5: string;
  let ward6: string;
  let ward7: string;
  let types: Record<string, string>;
  let admin: GraphQL;
  let coordinator: GraphQL;
  let otherWard: GraphQL;
  let otherMunicipality: GraphQL;
  let residents: Record<string, string>;
  const requests: Record<string, string> = {};
  let serial = 0;

  const insertRequest = async (row: Row): Promise<string> => {
    serial += 1;
    const { rows } = await t.db.pool.query(
      `INSERT INTO service_requests (municipality_id, ward_id, tracking_number, resident_id,
         service_type_id, definition_version, category, channel, attributes, status,
         sla_due_at, sla_paused_at, completed_at, created_at, updated_at)
       SELECT $1::uuid, $2::uuid, 'STAT-' || lpad($3::text, 5, '0'), $4::uuid, st.id, 1,
              st.category, $6::request_channel, '{}', $7::request_status, $8::timestamptz,
              $9::timestamptz, $10::timestamptz, $11::timestamptz, $11::timestamptz
       FROM service_types st WHERE st.id = $5
       RETURNING id`,
      [
        bsr,
        row.ward,
        serial,
        residents[row.ward],
        types[row.type],
        row.channel,
        row.status,
        row.slaDueAt,
        row.slaPausedAt ?? null,
        row.completedAt ?? null,
        row.createdAt,
      ],
    );
    return rows[0].id;
  };

  const insertEvent = (
    requestId: string,
    ward: string,
    action: string,
    fromStatus: string,
    toStatus: string,
    occurredAt: string,
  ) =>
    t.db.pool.query(
      `INSERT INTO request_events (request_id, ward_id, kind, action, from_status, to_status,
         actor_type, actor_name, occurred_at)
       VALUES ($1, $2, 'STATUS_CHANGED', $3, $4, $5, 'STAFF', 'coord.5', $6)`,
      [requestId, ward, action, fromStatus, toStatus, occurredAt],
    );

  const stats = async (client: GraphQL, wardId: string, from: string, to: string) => {
    const res = await client(WARD_STATS, { wardId, from, to });
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    return res.data.wardStats;
  };

  beforeAll(async () => {
    t = await startTestApp();
    bsr = await seedMunicipality(t, 'BSR');
    kol = await seedMunicipality(t, 'KOL', { nameBn: 'কলকাতা', nameEn: 'Kolkata' });
    [ward1, , , , ward5, ward6, ward7] = await insertWards(t, bsr, 7);
    await insertWards(t, kol, 1);
    types = await seedCatalogue(t, bsr);
    admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    coordinator = await staffClient(t, bsr, 'coord.5', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward5 },
    ]);
    otherWard = await staffClient(t, bsr, 'coord.6', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward6 },
    ]);
    otherMunicipality = await staffClient(t, kol, 'kol.admin', [
      { role: StaffRole.MUNICIPAL_ADMIN },
    ]);
    residents = {
      [ward5]: await createResident(coordinator, ward5, 'রহিম শেখ', '+91 98765 43210'),
      [ward6]: await createResident(otherWard, ward6, 'করিম মণ্ডল', '9123456780'),
      [ward7]: await createResident(admin, ward7, 'সুমিত্রা দাস', '9830012345'),
      [ward1]: await createResident(admin, ward1, 'অমল রায়', '9830054321'),
    };

    const past = ist('2026-03-12T12:00:00');
    const future = ist('2099-01-01T00:00:00');
    const completedPlan: Array<[string, string, string]> = [
      ['GARBAGE', 'WHATSAPP', 'RESOLVED'],
      ['GARBAGE', 'WHATSAPP', 'RESOLVED'],
      ['GARBAGE', 'WHATSAPP', 'RESOLVED'],
      ['GARBAGE', 'WHATSAPP', 'RESOLVED'],
      ['GARBAGE', 'PHONE_CALL', 'CLOSED'],
      ['CHARACTER_CERT', 'PHONE_CALL', 'DELIVERED'],
      ['CHARACTER_CERT', 'PHONE_CALL', 'DELIVERED'],
      ['CHARACTER_CERT', 'WALK_IN', 'DELIVERED'],
      ['CHARACTER_CERT', 'WALK_IN', 'CLOSED'],
      ['CHARACTER_CERT', 'WALK_IN', 'REJECTED'],
    ];
    for (const [i, [type, channel, status]] of completedPlan.entries()) {
      const made = '2026-03-11T10:00:00';
      requests[`C${i + 1}`] = await insertRequest({
        ward: ward5,
        type,
        channel,
        status,
        createdAt: ist(made),
        completedAt: hoursAfter(made, i + 1),
        slaDueAt: hoursAfter(made, 6),
      });
    }
    const open: Array<[string, Row]> = [
      [
        'O1',
        {
          ward: ward5,
          type: 'GARBAGE',
          channel: 'API',
          status: 'SUBMITTED',
          createdAt: ist('2026-03-10T23:50:00'),
          slaDueAt: past,
        },
      ],
      [
        'O2',
        {
          ward: ward5,
          type: 'WATER_SUPPLY',
          channel: 'PHONE_CALL',
          status: 'IN_REVIEW',
          createdAt: ist('2026-03-11T00:10:00'),
          slaDueAt: future,
        },
      ],
      [
        'O3',
        {
          ward: ward5,
          type: 'WATER_SUPPLY',
          channel: 'WALK_IN',
          status: 'NEEDS_INFO',
          createdAt: ist('2026-03-12T12:00:00'),
          slaDueAt: past,
          slaPausedAt: ist('2026-03-12T13:00:00'),
        },
      ],
      [
        'O4',
        {
          ward: ward5,
          type: 'CHARACTER_CERT',
          channel: 'WHATSAPP',
          status: 'APPROVED',
          createdAt: ist('2026-03-10T00:00:00'),
          slaDueAt: past,
        },
      ],
      [
        'O5',
        {
          ward: ward5,
          type: 'CHARACTER_CERT',
          channel: 'PHONE_CALL',
          status: 'OUT_FOR_DELIVERY',
          createdAt: ist('2026-03-09T23:59:59'),
          slaDueAt: past,
        },
      ],
      [
        'O6',
        {
          ward: ward5,
          type: 'GARBAGE',
          channel: 'API',
          status: 'READY',
          createdAt: ist('2026-03-13T00:00:00'),
          slaDueAt: future,
        },
      ],
      [
        'X1',
        {
          ward: ward5,
          type: 'GARBAGE',
          channel: 'WALK_IN',
          status: 'CLOSED',
          createdAt: ist('2026-03-01T10:00:00'),
          completedAt: hoursAfter('2026-03-01T10:00:00', 100),
          slaDueAt: hoursAfter('2026-03-01T10:00:00', 6),
        },
      ],
      [
        'W6a',
        {
          ward: ward6,
          type: 'GARBAGE',
          channel: 'API',
          status: 'SUBMITTED',
          createdAt: ist('2026-03-11T12:00:00'),
          slaDueAt: past,
        },
      ],
      [
        'W6b',
        {
          ward: ward6,
          type: 'CHARACTER_CERT',
          channel: 'API',
          status: 'DELIVERED',
          createdAt: ist('2026-03-11T12:00:00'),
          completedAt: hoursAfter('2026-03-11T12:00:00', 50),
          slaDueAt: hoursAfter('2026-03-11T12:00:00', 6),
        },
      ],
    ];
    for (const [name, row] of open) requests[name] = await insertRequest(row);

    // Deliveries, from the timeline.
    const r = requests;
    await insertEvent(
      r.C6,
      ward5,
      'DISPATCH',
      'READY',
      'OUT_FOR_DELIVERY',
      ist('2026-03-11T13:00:00'),
    );
    await insertEvent(
      r.C6,
      ward5,
      'HAND_OVER',
      'OUT_FOR_DELIVERY',
      'DELIVERED',
      ist('2026-03-11T14:00:00'),
    );
    await insertEvent(
      r.C7,
      ward5,
      'DISPATCH',
      'READY',
      'OUT_FOR_DELIVERY',
      ist('2026-03-11T14:00:00'),
    );
    await insertEvent(
      r.C7,
      ward5,
      'RETURN_UNDELIVERED',
      'OUT_FOR_DELIVERY',
      'READY',
      ist('2026-03-11T14:30:00'),
    );
    await insertEvent(
      r.C7,
      ward5,
      'DISPATCH',
      'READY',
      'OUT_FOR_DELIVERY',
      ist('2026-03-11T15:00:00'),
    );
    await insertEvent(
      r.C7,
      ward5,
      'HAND_OVER',
      'OUT_FOR_DELIVERY',
      'DELIVERED',
      ist('2026-03-11T16:00:00'),
    );
    // Handed over at the office: not a doorstep delivery.
    await insertEvent(r.C8, ward5, 'HAND_OVER', 'READY', 'DELIVERED', ist('2026-03-11T17:00:00'));
    // O5 was made before the period, but sent out within it: the step counts.
    await insertEvent(
      r.O5,
      ward5,
      'DISPATCH',
      'READY',
      'OUT_FOR_DELIVERY',
      ist('2026-03-12T23:50:00'),
    );
    // Just after the period (2026-03-12 18:40 UTC) and just before it (2026-03-09 18:20 UTC).
    await insertEvent(
      r.C9,
      ward5,
      'DISPATCH',
      'READY',
      'OUT_FOR_DELIVERY',
      ist('2026-03-13T00:10:00'),
    );
    await insertEvent(
      r.C10,
      ward5,
      'DISPATCH',
      'READY',
      'OUT_FOR_DELIVERY',
      ist('2026-03-09T23:50:00'),
    );
    await insertEvent(
      r.W6b,
      ward6,
      'DISPATCH',
      'READY',
      'OUT_FOR_DELIVERY',
      ist('2026-03-11T20:00:00'),
    );
    await insertEvent(
      r.W6b,
      ward6,
      'HAND_OVER',
      'OUT_FOR_DELIVERY',
      'DELIVERED',
      ist('2026-03-13T14:00:00'),
    );
  });
  afterAll(() => t.close());

  /** Ward 5 over 2026-03-10 .. 2026-03-12, worked out by hand. */
  const WARD5_PERIOD = {
    from: '2026-03-10',
    to: '2026-03-12',
    // C1..C10 + O1, O2, O3, O4 = 14 (O5 is one second early, O6 exactly at the exclusive end).
    total: 14,
    byStatus: [
      { status: 'SUBMITTED', count: 1 }, // O1
      { status: 'IN_REVIEW', count: 1 }, // O2
      { status: 'NEEDS_INFO', count: 1 }, // O3
      { status: 'APPROVED', count: 1 }, // O4
      { status: 'DELIVERED', count: 3 }, // C6, C7, C8
      { status: 'RESOLVED', count: 4 }, // C1..C4
      { status: 'CLOSED', count: 2 }, // C5, C9
      { status: 'REJECTED', count: 1 }, // C10
    ],
    byChannel: [
      { channel: 'WHATSAPP', count: 5 }, // C1..C4 + O4
      { channel: 'PHONE_CALL', count: 4 }, // C5..C7 + O2
      { channel: 'WALK_IN', count: 4 }, // C8..C10 + O3
      { channel: 'API', count: 1 }, // O1
    ],
    // C1..C10 have an outcome.
    completed: 10,
    // Turnarounds 1..10 h. Median: (5 + 6) / 2 = 5.5. p90 (percentile_cont): position
    // 0.9 × (10 − 1) = 8.1 → 9 + 0.1 × (10 − 9) = 9.1.
    turnaroundHours: { median: 5.5, p90: 9.1 },
    // Due 6 h after making: C1..C6 (6 h is "by" the due time) → 6 / 10.
    completedWithinSlaShare: 0.6,
    // Whatever the period: O1, O4, O5 (running, past due). O2 not yet due, O3 paused,
    // O6 not yet due, the completed ones have stopped clocks → 3.
    overdueNow: 3,
    // DISPATCH: C6, C7 twice, O5 = 4; HAND_OVER from OUT_FOR_DELIVERY: C6, C7 = 2
    // (C8 at the office, C9 after the period, C10 before it).
    deliveries: { attempted: 4, succeeded: 2 },
  };

  it('counts a ward’s requests of a period by status, type and channel, with turnaround, SLA, overdue and deliveries', async () => {
    const result = await stats(coordinator, ward5, '2026-03-10', '2026-03-12');
    expect(result).toMatchObject(WARD5_PERIOD);
    expect(result.byServiceType).toEqual([
      // 6 and 6 tie, then by code; names are the catalogue's.
      {
        serviceTypeId: types.CHARACTER_CERT,
        code: 'CHARACTER_CERT',
        nameBn: expect.any(String),
        nameEn: expect.any(String),
        count: 6, // C6..C10 + O4
      },
      {
        serviceTypeId: types.GARBAGE,
        code: 'GARBAGE',
        nameBn: expect.any(String),
        nameEn: expect.any(String),
        count: 6, // C1..C5 + O1
      },
      {
        serviceTypeId: types.WATER_SUPPLY,
        code: 'WATER_SUPPLY',
        nameBn: expect.any(String),
        nameEn: expect.any(String),
        count: 2, // O2, O3
      },
    ]);
    const names = await t.db.pool.query(
      `SELECT definition->>'nameEn' AS name FROM service_types WHERE id = $1`,
      [types.GARBAGE],
    );
    expect(result.byServiceType[1].nameEn).toBe(names.rows[0].name);
    // The counts add up to the total.
    for (const list of [result.byStatus, result.byServiceType, result.byChannel]) {
      expect(list.reduce((sum: number, g: { count: number }) => sum + g.count, 0)).toBe(14);
    }
  });

  it('cuts days at midnight in India, not in UTC', async () => {
    // O1 (23:50 IST on the 10th) and O2 (00:10 IST on the 11th) are both 2026-03-10 in UTC
    // (18:20 and 18:40); in India they fall on different days.
    const tenth = await stats(coordinator, ward5, '2026-03-10', '2026-03-10');
    // O4 at 00:00 IST (the start is included) + O1 at 23:50 IST = 2.
    expect(tenth.total).toBe(2);
    expect(tenth.byStatus).toEqual([
      { status: 'SUBMITTED', count: 1 },
      { status: 'APPROVED', count: 1 },
    ]);
    // No delivery step on the 10th (C10's dispatch was at 23:50 IST on the 9th).
    expect(tenth.deliveries).toEqual({ attempted: 0, succeeded: 0 });
    const eleventh = await stats(coordinator, ward5, '2026-03-11', '2026-03-11');
    // O2 at 00:10 IST + C1..C10 = 11.
    expect(eleventh.total).toBe(11);
    expect(eleventh.byStatus.find((g: any) => g.status === 'IN_REVIEW')).toEqual({
      status: 'IN_REVIEW',
      count: 1,
    });
    // 23:59:59 IST on the 9th belongs to the 9th: O5 alone, and C10's dispatch at 23:50 IST.
    const ninth = await stats(coordinator, ward5, '2026-03-09', '2026-03-09');
    expect(ninth).toMatchObject({ total: 1, deliveries: { attempted: 1, succeeded: 0 } });
    // The 13th: O6 made at 00:00 IST; C9 dispatched at 00:10 IST. Nothing completed: nulls.
    const thirteenth = await stats(coordinator, ward5, '2026-03-13', '2026-03-13');
    expect(thirteenth).toMatchObject({
      total: 1,
      completed: 0,
      turnaroundHours: { median: null, p90: null },
      completedWithinSlaShare: null,
      deliveries: { attempted: 1, succeeded: 0 },
      overdueNow: 3,
    });
  });

  it('gives a municipality’s numbers over every ward to an administrator', async () => {
    const res = await admin(MUNICIPALITY_STATS, {
      municipalityId: bsr,
      from: '2026-03-10',
      to: '2026-03-12',
    });
    expect(res.errors).toBeUndefined();
    expect(res.data?.municipalityStats).toMatchObject({
      // Ward 5's 14 + W6a, W6b = 16.
      total: 16,
      completed: 11,
      // Turnarounds 1..10 and 50 h (W6b), 11 values. Median: the 6th = 6.
      // p90: position 0.9 × (11 − 1) = 9 → the 10th value = 10.
      turnaroundHours: { median: 6, p90: 10 },
      overdueNow: 4, // O1, O4, O5 + W6a
      // Ward 5's 4 + W6b's dispatch on the 11th; W6b's hand-over on the 13th is outside.
      deliveries: { attempted: 5, succeeded: 2 },
    });
    // Within SLA: C1..C6 of 11 (W6b took 50 h against 6) = 6 / 11.
    expect(res.data?.municipalityStats.completedWithinSlaShare).toBeCloseTo(6 / 11, 10);
    expect(res.data?.municipalityStats.byChannel).toEqual([
      { channel: 'WHATSAPP', count: 5 },
      { channel: 'PHONE_CALL', count: 4 },
      { channel: 'WALK_IN', count: 4 },
      { channel: 'API', count: 3 }, // O1 + W6a + W6b
    ]);
    // Ward 6's hand-over on the 13th counts on the 13th.
    const later = await admin(MUNICIPALITY_STATS, {
      municipalityId: bsr,
      from: '2026-03-13',
      to: '2026-03-13',
    });
    expect(later.data?.municipalityStats.deliveries).toEqual({ attempted: 1, succeeded: 1 });
  });

  it('keeps wards and municipalities apart', async () => {
    // The other ward's coordinator: ward 5 does not exist for them.
    const foreign = await otherWard(WARD_STATS, {
      wardId: ward5,
      from: '2026-03-10',
      to: '2026-03-12',
    });
    expect(foreign.data).toBeNull();
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    // Their own ward: W6a and W6b only.
    expect(await stats(otherWard, ward6, '2026-03-10', '2026-03-12')).toMatchObject({
      total: 2,
      overdueNow: 1,
      turnaroundHours: { median: 50, p90: 50 },
      completedWithinSlaShare: 0,
      deliveries: { attempted: 1, succeeded: 0 },
    });
    // Municipality statistics for a coordinator count only their ward.
    const mine = await coordinator(MUNICIPALITY_STATS, {
      municipalityId: bsr,
      from: '2026-03-10',
      to: '2026-03-12',
    });
    expect(mine.errors).toBeUndefined();
    expect(mine.data?.municipalityStats).toMatchObject(WARD5_PERIOD);
    const theirs = await otherWard(MUNICIPALITY_STATS, {
      municipalityId: bsr,
      from: '2026-03-10',
      to: '2026-03-12',
    });
    expect(theirs.data?.municipalityStats).toMatchObject({ total: 2, overdueNow: 1 });
    // Another municipality: neither its wards nor the municipality exist for the caller.
    for (const res of [
      await otherMunicipality(WARD_STATS, { wardId: ward5, from: '2026-03-10', to: '2026-03-12' }),
      await otherMunicipality(MUNICIPALITY_STATS, {
        municipalityId: bsr,
        from: '2026-03-10',
        to: '2026-03-12',
      }),
      await coordinator(MUNICIPALITY_STATS, {
        municipalityId: kol,
        from: '2026-03-10',
        to: '2026-03-12',
      }),
      await admin(WARD_STATS, {
        wardId: '00000000-0000-4000-8000-000000000000',
        from: '2026-03-10',
        to: '2026-03-12',
      }),
    ]) {
      expect(res.data).toBeNull();
      expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
    // Their own municipality has nothing yet.
    const empty = await otherMunicipality(MUNICIPALITY_STATS, {
      municipalityId: kol,
      from: '2026-03-10',
      to: '2026-03-12',
    });
    expect(empty.data?.municipalityStats).toMatchObject({
      total: 0,
      byStatus: [],
      byServiceType: [],
      byChannel: [],
      completed: 0,
      turnaroundHours: { median: null, p90: null },
      completedWithinSlaShare: null,
      overdueNow: 0,
      deliveries: { attempted: 0, succeeded: 0 },
    });
    // No token at all.
    const anonymous = await t.gql(WARD_STATS, {
      wardId: ward5,
      from: '2026-03-10',
      to: '2026-03-12',
    });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses bad arguments naming them', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ from: '2026-3-10', to: '2026-03-12' }, 'from'],
      [{ from: '10-03-2026', to: '2026-03-12' }, 'from'],
      [{ from: '2026-03-10', to: '2026-02-30' }, 'to'],
      [{ from: '2026-03-10', to: '2026-03-12T00:00:00Z' }, 'to'],
      // from after to
      [{ from: '2026-03-12', to: '2026-03-10' }, 'from'],
      // 2025-03-10 .. 2026-03-11 is 367 days counting both ends
      [{ from: '2025-03-10', to: '2026-03-11' }, 'to'],
      [{ wardId: 'ward-5', from: '2026-03-10', to: '2026-03-12' }, 'wardId'],
    ];
    for (const [args, field] of cases) {
      const res = await coordinator(WARD_STATS, { wardId: ward5, ...args });
      expect({ args, data: res.data, extensions: res.errors?.[0].extensions }).toEqual({
        args,
        data: null,
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field }),
      });
      expect(res.errors?.[0].message).toContain(field);
    }
    const badMunicipality = await admin(MUNICIPALITY_STATS, {
      municipalityId: 'bsr',
      from: '2026-03-10',
      to: '2026-03-12',
    });
    expect(badMunicipality.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'municipalityId',
    });
    const tooLong = await admin(MUNICIPALITY_STATS, {
      municipalityId: bsr,
      from: '2025-01-01',
      to: '2026-01-02',
    });
    expect(tooLong.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    // 366 days (2025-03-11 .. 2026-03-11) is allowed.
    // X1, O5, O4, O1, O2 and C1..C10 = 15.
    expect((await stats(coordinator, ward5, '2025-03-11', '2026-03-11')).total).toBe(15);
  });

  it('answers in a fixed handful of SQL statements', async () => {
    const count = async (run: () => Promise<unknown>) => {
      t.queries.reset();
      await run();
      return t.queries.statements;
    };
    const ward = await count(() => stats(coordinator, ward5, '2026-03-10', '2026-03-12'));
    const municipality = await count(() =>
      admin(MUNICIPALITY_STATS, { municipalityId: bsr, from: '2025-03-13', to: '2026-03-13' }),
    );
    // Authentication (session check), the ward lookup, then the summary and the breakdowns.
    expect(ward).toBe(AUTH_STATEMENTS + 3);
    // No ward lookup; the same two statements however many wards and days.
    expect(municipality).toBe(AUTH_STATEMENTS + 2);
  });

  it('uses the indexes on a large table (EXPLAIN)', async () => {
    // 40,000 requests over ~4.5 years in wards 1 and 7, mostly finished, written in SQL.
    await t.db.pool.query(
      `INSERT INTO service_requests (municipality_id, ward_id, tracking_number, resident_id,
         service_type_id, definition_version, category, channel, attributes, status,
         sla_due_at, completed_at, created_at, updated_at)
       SELECT $1, CASE WHEN n % 2 = 0 THEN $2 ELSE $3 END::uuid,
              'BIG-' || lpad(n::text, 6, '0'),
              CASE WHEN n % 2 = 0 THEN $4 ELSE $5 END::uuid, $6, 1, 'COMPLAINT',
              (ARRAY['WHATSAPP','PHONE_CALL','WALK_IN','API']::request_channel[])[1 + n % 4],
              '{}',
              CASE WHEN n % 50 = 0 THEN 'IN_REVIEW' ELSE 'CLOSED' END::request_status,
              made + interval '72 hours',
              CASE WHEN n % 50 = 0 THEN NULL ELSE made + (n % 96) * interval '1 hour' END,
              made, made
       FROM generate_series(1, 40000) AS n,
            LATERAL (SELECT timestamptz '2026-03-20 00:00+05:30' - n * interval '1 hour' AS made) m`,
      [bsr, ward7, ward1, residents[ward7], residents[ward1], types.GARBAGE],
    );
    await t.db.pool.query('ANALYZE service_requests');
    const service = t.app.get(StatisticsService);
    const period = statsPeriod('2026-02-01', '2026-02-28');
    const seqScans: Record<string, string[]> = {};
    for (const [scope, wardIds] of [
      ['one ward', [ward7]],
      ['two wards', [ward7, ward1]],
      ['municipality', null],
    ] as Array<[string, string[] | null]>) {
      const statements = service.statements({ municipalityId: bsr, wardIds }, period);
      for (const [name, [sql, params]] of Object.entries(statements)) {
        const { rows } = await t.db.pool.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
        seqScans[`${scope}: ${name}`] = seqScanned(rows[0]['QUERY PLAN'][0].Plan);
      }
    }
    // service_requests is never read whole (small reference tables may be; request_events
    // has no ward index yet, see docs/api.md).
    for (const [name, relations] of Object.entries(seqScans)) {
      expect({ name, seqScan: relations.includes('service_requests') }).toEqual({
        name,
        seqScan: false,
      });
    }
    // And the answer over the large table is the one SQL gives directly.
    const result = await stats(admin, ward7, '2026-02-01', '2026-02-28');
    const direct = await t.db.pool.query(
      `SELECT count(*)::int AS total FROM service_requests
       WHERE ward_id = $1 AND created_at >= $2 AND created_at < $3`,
      [ward7, period.start, period.end],
    );
    // 28 days × 24 hours, every other hour in ward 7 = 336.
    expect(direct.rows[0].total).toBe(336);
    expect(result.total).toBe(336);
  });
});

/**
 * Statements every authenticated operation costs besides its own work: the session check,
 * the points budget taken up front (the requested cost) and settled afterwards (to the
 * actual cost, which differs here: the breakdown lists are counted by their real length).
 */
const AUTH_STATEMENTS = 2;

/** Relations read by a sequential scan anywhere in an EXPLAIN (FORMAT JSON) plan. */
function seqScanned(plan: Record<string, any>): string[] {
  const own = plan['Node Type'] === 'Seq Scan' ? [plan['Relation Name'] as string] : [];
  return [...own, ...((plan.Plans ?? []) as Array<Record<string, any>>).flatMap(seqScanned)];
}

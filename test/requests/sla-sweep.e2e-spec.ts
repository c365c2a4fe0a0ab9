import { StaffRole } from '../../src/common/access/staff-role';
import { RequestSlaService, SLA_ALERTS_PER_WARD } from '../../src/requests/sla/request-sla.service';
import {
  GraphQL,
  insertWards,
  seedMunicipality,
  seedStaff,
  staffClient,
} from '../support/fixtures';
import { createRequest, createResident, seedCatalogue, step } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;

describe('the SLA sweep, escalation and the daily digest (e2e, a controlled clock)', () => {
  let t: TestApp;
  let bsr: string;
  let types: Record<string, string>;
  let admin: GraphQL;
  let coordinator: GraphQL;
  let resident: string;

  const sweep = (now: Date, app = t) => app.app.get(RequestSlaService).sweep(now);
  const garbage = () =>
    createRequest(coordinator, { residentId: resident, serviceTypeId: types.GARBAGE });
  const breaches = async (requestId: string) =>
    (
      await t.db.pool.query(
        `SELECT count(*)::int AS n FROM domain_events WHERE aggregate_id = $1 AND type = 'request.sla_breached'`,
        [requestId],
      )
    ).rows[0].n;
  /** Every open request made here is past due at this instant and none after it. */
  const past = (request: Record<string, any>, hours = 1) =>
    new Date(Date.parse(request.sla.dueAt) + hours * HOUR);

  beforeAll(async () => {
    t = await startTestApp();
    bsr = await seedMunicipality(t, 'BSR');
    const [, , , , ward5] = await insertWards(t, bsr, 5);
    types = await seedCatalogue(t, bsr);
    admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    await seedStaff(t, bsr, 'bsr.admin.phone', [{ role: StaffRole.MUNICIPAL_ADMIN }], {
      phone: '+91 70000 00101',
    });
    coordinator = await staffClient(t, bsr, 'coord.5', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward5 },
    ]);
    await seedStaff(
      t,
      bsr,
      'coord.5.phone',
      [{ role: StaffRole.WARD_COORDINATOR, wardId: ward5 }],
      { phone: '+91 70000 00555' },
    );
    resident = await createResident(coordinator, ward5, 'রহিম শেখ', '+91 98765 43210');
  });
  afterAll(() => t.close());

  it('records a breach once, with a timeline entry, and tells the administrators', async () => {
    const request = await garbage();
    expect(await sweep(new Date(Date.parse(request.sla.dueAt) - HOUR))).toBe(0);
    expect(await sweep(past(request))).toBeGreaterThanOrEqual(1);
    expect(await breaches(request.id)).toBe(1);
    expect(await sweep(past(request, 5))).toBe(0);
    expect(await breaches(request.id)).toBe(1);
    const read = (
      await coordinator(
        `query ($id: ID!) { request(id: $id) { slaBreachedAt lastEvent { kind actorName } } }`,
        { id: request.id },
      )
    ).data?.request;
    expect(read.slaBreachedAt).not.toBeNull();
    expect(read.lastEvent).toEqual({ kind: 'SLA_BREACHED', actorName: 'sla sweep' });
    const alerts = await t.db.pool.query(
      `SELECT template_key, recipient_type, body FROM notifications WHERE request_id = $1 AND recipient_type = 'STAFF'`,
      [request.id],
    );
    expect(alerts.rows).toEqual([
      expect.objectContaining({
        template_key: 'staff_sla_breached',
        body: expect.stringContaining(request.trackingNumber),
      }),
    ]);
  });

  it('never breaches a paused clock, and a new due time can be breached anew', async () => {
    let request: any = await garbage();
    for (const [action, note] of [['START_REVIEW'], ['REQUEST_INFO', 'কোথায়?']]) {
      request = (await step(coordinator, request, action!, note)).data?.transitionRequest.request;
    }
    expect(await sweep(past(request, 10))).toBe(0);
    expect(await breaches(request.id)).toBe(0);
    // The resident answers two hours later: the due time moves by the pause.
    await t.db.pool.query(
      `UPDATE service_requests SET sla_paused_at = sla_paused_at - interval '2 hours' WHERE id = $1`,
      [request.id],
    );
    request = (await step(coordinator, request, 'PROVIDE_INFO')).data?.transitionRequest.request;
    expect(await sweep(past(request))).toBeGreaterThanOrEqual(1);
    expect(await breaches(request.id)).toBe(1);
    request = (await step(coordinator, request, 'REQUEST_INFO', 'ছবি দিন')).data?.transitionRequest
      .request;
    await t.db.pool.query(
      `UPDATE service_requests SET sla_paused_at = sla_paused_at - interval '3 hours' WHERE id = $1`,
      [request.id],
    );
    request = (await step(coordinator, request, 'PROVIDE_INFO')).data?.transitionRequest.request;
    const breachedAt = (
      await t.db.pool.query(`SELECT sla_breached_at FROM service_requests WHERE id = $1`, [
        request.id,
      ])
    ).rows[0].sla_breached_at;
    expect(breachedAt).toBeNull();
    expect(await sweep(past(request))).toBeGreaterThanOrEqual(1);
    expect(await breaches(request.id)).toBe(2);
  });

  it('alerts a ward’s first breaches one by one and tells the rest in one summary', async () => {
    const made = [];
    for (let i = 0; i < SLA_ALERTS_PER_WARD + 4; i += 1) made.push(await garbage());
    const at = past(made[made.length - 1], 3);
    const breached = await sweep(at);
    expect(breached).toBeGreaterThanOrEqual(made.length);
    const events = await t.db.pool.query(
      `SELECT aggregate_id, payload->>'alert' AS alert FROM domain_events
        WHERE type = 'request.sla_breached' AND payload->>'breachedAt' = $1 ORDER BY position`,
      [at.toISOString()],
    );
    expect(events.rows).toHaveLength(breached);
    const alerted = events.rows.filter((e) => e.alert === 'true').map((e) => e.aggregate_id);
    expect(alerted).toHaveLength(SLA_ALERTS_PER_WARD);
    // The earliest due are the ones told one by one.
    expect(alerted).toEqual(made.slice(0, SLA_ALERTS_PER_WARD).map((r) => r.id));
    const staffMessages = await t.db.pool.query(
      `SELECT n.template_key, n.body FROM notifications n JOIN domain_events e ON e.id = n.event_id
        WHERE n.recipient_type = 'STAFF' AND e.payload->>'breachedAt' = $1 ORDER BY n.template_key`,
      [at.toISOString()],
    );
    // One administrator has a phone: three alerts and one summary of the rest.
    expect(staffMessages.rows.map((m) => m.template_key)).toEqual([
      ...Array(SLA_ALERTS_PER_WARD).fill('staff_sla_breached'),
      'staff_sla_breaches_summary',
    ]);
    expect(staffMessages.rows[SLA_ALERTS_PER_WARD].body).toContain(
      `আরও ${breached - SLA_ALERTS_PER_WARD}টি আবেদনের সময় পেরিয়েছে`,
    );
  });

  it('sweeps on exactly one of two instances sharing the database', async () => {
    const second = await startTestApp({}, t.db);
    try {
      const made = [];
      for (let i = 0; i < 5; i += 1) made.push(await garbage());
      const at = past(made[4], 2);
      const counts = await Promise.all([
        sweep(at),
        sweep(at, second),
        sweep(at),
        sweep(at, second),
      ]);
      const total = (await Promise.all(made.map((r) => breaches(r.id)))).reduce((a, b) => a + b, 0);
      expect(total).toBe(5);
      expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);
      expect(counts.filter((c) => c > 0)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('sends each ward’s coordinators one digest a day, from the digest hour (India)', async () => {
    const second = await startTestApp({}, t.db);
    try {
      const early = new Date('2031-03-10T01:00:00Z'); // 06:30 in India: before 08:00
      expect(await t.app.get(RequestSlaService).digest(early)).toBe(0);
      const morning = new Date('2031-03-10T03:00:00Z'); // 08:30 in India
      const [a, b] = await Promise.all([
        t.app.get(RequestSlaService).digest(morning),
        second.app.get(RequestSlaService).digest(morning),
      ]);
      expect([a, b].sort()).toEqual([0, 1]);
      expect(await t.app.get(RequestSlaService).digest(new Date('2031-03-10T15:00:00Z'))).toBe(0);
      const digest = await t.db.pool.query(
        `SELECT body FROM notifications WHERE template_key = 'staff_daily_digest' AND recipient_type = 'STAFF'`,
      );
      expect(digest.rows).toHaveLength(1);
      expect(digest.rows[0].body).toMatch(
        /^ওয়ার্ড 5: খোলা আবেদন \d+, আজ শেষ হওয়ার কথা \d+, সময় পেরিয়েছে \d+।$/,
      );
      // The next Indian day is a new digest.
      expect(await t.app.get(RequestSlaService).digest(new Date('2031-03-11T03:00:00Z'))).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('skips the municipality’s holidays in working-day promises', async () => {
    const residence = () =>
      createRequest(coordinator, {
        residentId: resident,
        serviceTypeId: types.RESIDENCE_CERT,
        attributes: { purpose: 'school', years_of_residence: 3 },
      });
    const before = await residence();
    const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(
      new Date(Date.now() + 86_400_000),
    );
    const SET = `mutation ($input: SetMunicipalityHolidaysInput!) { setMunicipalityHolidays(input: $input) { date name } }`;
    const bad = await admin(SET, { input: { holidays: [{ date: '2026-13-01', name: 'x' }] } });
    expect(bad.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'holidays.0.date',
    });
    const set = await admin(SET, { input: { holidays: [{ date: tomorrow, name: 'ভাইফোঁটা' }] } });
    expect(set.data?.setMunicipalityHolidays).toEqual([{ date: tomorrow, name: 'ভাইফোঁটা' }]);
    expect((await coordinator(SET, { input: { holidays: [] } })).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );
    const after = await residence();
    const isSunday = new Date(`${tomorrow}T12:00:00Z`).getUTCDay() === 0;
    const shift = Date.parse(after.sla.dueAt) - Date.parse(before.sla.dueAt);
    // A holiday that is a working day pushes the promise one working day later.
    if (isSunday) expect(shift).toBeLessThan(HOUR);
    else expect(shift).toBeGreaterThanOrEqual(24 * HOUR - 60_000);
    expect(
      (await coordinator(`{ municipalityHolidays { date } }`)).data?.municipalityHolidays,
    ).toEqual([{ date: tomorrow }]);
  });
});

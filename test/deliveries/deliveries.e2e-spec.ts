import { StaffRole } from '../../src/common/access/staff-role';
import { NotificationDispatcherService } from '../../src/notifications/notification-dispatcher.service';
import {
  as,
  GraphQL,
  insertWards,
  seedMunicipality,
  seedStaff,
  signIn,
  staffClient,
} from '../support/fixtures';
import { createRequest, createResident, seedCatalogue, step } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const DELIVERY =
  'delivery { id status codeAttempts failureReason scheduledDate windowStart windowEnd agentId address recipient { name } }';
const SCHEDULE = `mutation ($input: ScheduleDeliveryInput!) { scheduleDelivery(input: $input) { ${DELIVERY} errors { code field message } } }`;
const CONFIRM = `mutation ($input: ConfirmDeliveryInput!) { confirmDelivery(input: $input) { ${DELIVERY} errors { code field message } } }`;
const FAIL = `mutation ($input: FailDeliveryInput!) { failDelivery(input: $input) { ${DELIVERY} errors { code field message } } }`;

const INDIA = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' });
const todayInIndia = () => INDIA.format(new Date());
/** The first day after today, in India, that passes `wanted` (0 = Sunday … 6 = Saturday). */
function nextDayInIndia(wanted: (weekday: number) => boolean): string {
  for (let days = 1; ; days += 1) {
    const day = INDIA.format(new Date(Date.now() + days * 86_400_000));
    if (wanted(new Date(`${day}T12:00:00Z`).getUTCDay())) return day;
  }
}
const nextSundayInIndia = () => nextDayInIndia((weekday) => weekday === 0);
// Tomorrow is a Sunday on Saturdays, when a Monday-to-Saturday ward would refuse the date too.
const nextWorkingDayInIndia = () => nextDayInIndia((weekday) => weekday !== 0);
const MONTHS = [
  'জানুয়ারি',
  'ফেব্রুয়ারি',
  'মার্চ',
  'এপ্রিল',
  'মে',
  'জুন',
  'জুলাই',
  'আগস্ট',
  'সেপ্টেম্বর',
  'অক্টোবর',
  'নভেম্বর',
  'ডিসেম্বর',
];
/** "৪ ডিসেম্বর" for 2026-12-04, written out here rather than with the code under test. */
function bengaliDay(iso: string): string {
  const [, month, day] = iso.split('-').map(Number);
  return `${String(day).replace(/\d/g, (d) => '০১২৩৪৫৬৭৮৯'[Number(d)])} ${MONTHS[month - 1]}`;
}

function tomorrowInIndia(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(
    new Date(Date.now() + 86_400_000),
  );
}

describe('doorstep delivery (e2e)', () => {
  let t: TestApp;
  let types: Record<string, string>;
  let coordinator: GraphQL;
  let agent: GraphQL;
  let agent2: GraphQL;
  let foreignAgent: GraphQL;
  let agentId: string;
  let resident: string;
  let ward5: string;

  /** A READY request of a service delivered to the door. */
  const ready = async (): Promise<any> => {
    let request: any = await createRequest(coordinator, {
      residentId: resident,
      serviceTypeId: types.BIRTH_DEATH_COPY,
      attributes: { registration_number: 'BSR/B/2019/01234' },
    });
    for (const action of ['START_REVIEW', 'APPROVE', 'MARK_READY']) {
      request = (await step(coordinator, request, action)).data?.transitionRequest.request;
    }
    return request;
  };
  const schedule = async (request: any, extra: Record<string, unknown> = {}) =>
    coordinator(SCHEDULE, {
      input: {
        requestId: request.id,
        version: request.version,
        date: tomorrowInIndia(),
        windowStart: '10:00',
        windowEnd: '12:00',
        agentId,
        ...extra,
      },
    });
  /**
   * The code, as the resident reads it in the message they got: the LOG channel (no
   * WhatsApp in this test) prints what it sends, in Bengali with Bengali digits. The stored
   * copy no longer holds it.
   */
  const codeSent = async (requestId: string) => {
    await t.app.get(NotificationDispatcherService).kick();
    const { rows } = await t.db.pool.query(
      `SELECT id, body FROM notifications WHERE request_id = $1
         AND template_key IN ('delivery_on_the_way', 'delivery_code_resent') ORDER BY seq DESC LIMIT 1`,
      [requestId],
    );
    const line = t.logs.filter((l) => l.includes(rows[0].id)).at(-1) ?? '';
    const written = /([০-৯]{6})/.exec(JSON.parse(line).text as string)![1];
    const code = written.replace(/[০-৯]/g, (d) => String('০১২৩৪৫৬৭৮৯'.indexOf(d)));
    expect(rows[0].body).not.toContain(written);
    expect(rows[0].body).toContain('••••••');
    return code;
  };
  const START = `mutation ($id: ID!) { startDeliveryTrip(deliveryId: $id) { ${DELIVERY} errors { code field message } } }`;
  const start = async (client: GraphQL, deliveryId: string) =>
    (await client(START, { id: deliveryId })).data?.startDeliveryTrip;
  const requestStatus = async (id: string) =>
    (await t.db.pool.query(`SELECT status FROM service_requests WHERE id = $1`, [id])).rows[0]
      .status;

  beforeAll(async () => {
    t = await startTestApp();
    const bsr = await seedMunicipality(t, 'BSR');
    const [, , , , fifth, ward6] = await insertWards(t, bsr, 6);
    ward5 = fifth;
    types = await seedCatalogue(t, bsr);
    coordinator = await staffClient(t, bsr, 'coord.5', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward5 },
    ]);
    agentId = await seedStaff(t, bsr, 'agent.5', [{ role: StaffRole.FIELD_AGENT, wardId: ward5 }]);
    agent = as(t, (await signIn(t, 'agent.5')).accessToken);
    agent2 = await staffClient(t, bsr, 'agent.5b', [
      { role: StaffRole.FIELD_AGENT, wardId: ward5 },
    ]);
    foreignAgent = await staffClient(t, bsr, 'agent.6', [
      { role: StaffRole.FIELD_AGENT, wardId: ward6 },
    ]);
    resident = await createResident(coordinator, ward5, 'রহিম শেখ', '+91 98765 43210');
    await t.db.pool.query(
      `UPDATE residents SET house_number = '১২', locality = 'মোল্লাপাড়া' WHERE id = $1`,
      [resident],
    );
  });
  afterAll(() => t.close());

  it('schedules, sends the resident a one-time code, and the agent confirms with it', async () => {
    const request = await ready();
    const scheduled = (await schedule(request)).data?.scheduleDelivery;
    expect(scheduled.errors).toEqual([]);
    expect(scheduled.delivery).toMatchObject({
      status: 'SCHEDULED',
      agentId,
      // The coordinator may read the ward's residents: they see whom it is for.
      recipient: { name: 'রহিম শেখ' },
      windowStart: '10:00',
      address: { houseNumber: '১২', locality: 'মোল্লাপাড়া' },
    });
    expect(await requestStatus(request.id)).toBe('OUT_FOR_DELIVERY');
    // Scheduling tells the resident the day and window in their language, without a code.
    await t.app.get(NotificationDispatcherService).kick();
    const told = await t.db.pool.query(
      `SELECT body FROM notifications WHERE request_id = $1 AND template_key = 'delivery_scheduled'`,
      [request.id],
    );
    expect(told.rows[0].body).toContain(`${bengaliDay(tomorrowInIndia())}, সকাল ১০টা–১২টা`);
    expect(told.rows[0].body).not.toMatch(/[0-9]{2}:[0-9]{2}|রওনা হয়েছে/);

    const NEXT = `query ($id: ID!) { request(id: $id) { nextSteps { step operation toStatus allowed takenBy why deliveryId } currentDelivery { id status } deliveries { id } } }`;
    const next = async (client: GraphQL) => (await client(NEXT, { id: request.id })).data?.request;
    const atSchedule = await next(coordinator);
    expect(atSchedule.currentDelivery).toEqual({ id: scheduled.delivery.id, status: 'SCHEDULED' });
    expect(atSchedule.nextSteps).toEqual([
      {
        step: 'START_DELIVERY_TRIP',
        operation: 'startDeliveryTrip',
        toStatus: null,
        allowed: false,
        takenBy: ['FIELD_AGENT'],
        why: 'taken by the delivery’s field agent',
        deliveryId: scheduled.delivery.id,
      },
      expect.objectContaining({ step: 'CANCEL_DELIVERY', allowed: true, toStatus: 'READY' }),
    ]);
    // No code before the trip: the agent cannot confirm, the coordinator cannot resend.
    const early = await agent(CONFIRM, {
      input: { deliveryId: scheduled.delivery.id, code: '000000' },
    });
    expect(early.data?.confirmDelivery.errors).toEqual([
      expect.objectContaining({ code: 'INVALID_TRANSITION', field: 'deliveryId' }),
    ]);
    expect((await start(agent2, scheduled.delivery.id)) ?? null).toBeNull();
    const started = await start(agent, scheduled.delivery.id);
    expect(started).toMatchObject({ delivery: { status: 'ON_THE_WAY' }, errors: [] });
    expect((await start(agent, scheduled.delivery.id)).errors).toEqual([
      expect.objectContaining({ code: 'INVALID_TRANSITION', field: 'deliveryId' }),
    ]);
    const onTheWay = (await next(coordinator)).nextSteps.map((s: any) => [s.step, s.allowed]);
    expect(onTheWay).toEqual([
      ['CONFIRM_DELIVERY', false],
      ['FAIL_DELIVERY', false],
      ['RESEND_DELIVERY_CODE', true],
      ['CANCEL_DELIVERY', true],
    ]);
    const code = await codeSent(request.id);
    // Only a hash of the code is kept with the delivery.
    const stored = await t.db.pool.query(
      `SELECT row_to_json(d)::text AS row FROM deliveries d WHERE id = $1`,
      [scheduled.delivery.id],
    );
    expect(stored.rows[0].row).not.toContain(code);
    const events = await t.db.pool.query(
      `SELECT payload::text FROM domain_events WHERE aggregate_id = $1`,
      [scheduled.delivery.id],
    );
    expect(events.rows.map((r) => r.payload).join()).not.toContain(code);

    const MINE = `{ myDeliveries { id status trackingNumber recipient { name phone } } }`;
    const mine = (await agent(MINE)).data?.myDeliveries;
    // What the agent needs at the door, without reading the ward's requests or residents.
    expect(mine).toEqual([
      {
        id: scheduled.delivery.id,
        status: 'ON_THE_WAY',
        trackingNumber: request.trackingNumber,
        recipient: { name: 'রহিম শেখ', phone: '+919876543210' },
      },
    ]);
    expect((await agent2(`{ myDeliveries { id } }`)).data?.myDeliveries).toEqual([]);
    const readRequest = await agent(`query ($id: ID!) { request(id: $id) { id } }`, {
      id: request.id,
    });
    expect(readRequest.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await agent(`{ requests { totalCount } }`)).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );

    const confirm = (client: GraphQL, given: string) =>
      client(CONFIRM, { input: { deliveryId: scheduled.delivery.id, code: given } });
    expect((await confirm(agent2, code)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await confirm(coordinator, code)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await confirm(foreignAgent, code)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const wrong = await confirm(agent, code === '000000' ? '111111' : '000000');
    expect(wrong.data?.confirmDelivery.errors).toEqual([
      { code: 'INVALID', field: 'code', message: 'wrong code; 4 tries left' },
    ]);
    const bengali = code.replace(/\d/g, (d) => '০১২৩৪৫৬৭৮৯'[Number(d)]);
    const done = await confirm(agent, bengali);
    expect(done.data?.confirmDelivery).toMatchObject({
      delivery: { status: 'DELIVERED', codeAttempts: 1 },
      errors: [],
    });
    expect(await requestStatus(request.id)).toBe('DELIVERED');
    // Once it is handed over, the agent no longer sees whom it was for.
    expect((await agent(MINE)).data?.myDeliveries[0].recipient).toBeNull();
    const last = (
      await coordinator(
        `query ($id: ID!) { request(id: $id) { lastEvent { action actorName } } }`,
        { id: request.id },
      )
    ).data?.request.lastEvent;
    expect(last).toEqual({ action: 'HAND_OVER', actorName: 'deliveries (agent.5)' });
    const again = await confirm(agent, code);
    expect(again.data?.confirmDelivery.errors[0]).toMatchObject({ code: 'INVALID_TRANSITION' });
    const all = await t.db.pool.query(
      `SELECT template_key FROM notifications WHERE request_id = $1 ORDER BY seq`,
      [request.id],
    );
    expect(all.rows.map((r) => r.template_key)).toEqual([
      'request_received',
      'request_approved',
      'request_ready',
      'delivery_scheduled',
      'delivery_on_the_way',
      'request_delivered',
      // The rating question (issue 26) follows the outcome.
      'feedback_request',
    ]);
    // From the request to its deliveries and back.
    const linked = await coordinator(
      `query ($id: ID!) { request(id: $id) { currentDelivery { id } deliveries { id status request { id } } nextSteps { step } } }`,
      { id: request.id },
    );
    expect(linked.data?.request).toEqual({
      currentDelivery: null,
      deliveries: [{ id: scheduled.delivery.id, status: 'DELIVERED', request: { id: request.id } }],
      nextSteps: [{ step: 'CLOSE' }],
    });
  });

  it('locks after five wrong codes until the coordinator sends a new one', async () => {
    const request = await ready();
    const delivery = (await schedule(request)).data?.scheduleDelivery.delivery;
    await start(agent, delivery.id);
    const first = await codeSent(request.id);
    const wrongCode = first === '000000' ? '111111' : '000000';
    const messages: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      messages.push(
        (await agent(CONFIRM, { input: { deliveryId: delivery.id, code: wrongCode } })).data
          ?.confirmDelivery.errors[0].message,
      );
    }
    expect(messages.at(-1)).toBe(
      'wrong code; no tries left: the coordinator must issue a new code',
    );
    const locked = await agent(CONFIRM, { input: { deliveryId: delivery.id, code: first } });
    expect(locked.data?.confirmDelivery.errors[0].message).toMatch(/too many wrong codes/);
    const resent = await coordinator(
      `mutation ($id: ID!) { resendDeliveryCode(deliveryId: $id) { delivery { status codeAttempts } errors { code } } }`,
      { id: delivery.id },
    );
    expect(resent.data?.resendDeliveryCode).toEqual({
      delivery: { status: 'ON_THE_WAY', codeAttempts: 0 },
      errors: [],
    });
    const second = await codeSent(request.id);
    // The old code is dead (when the two differ), and the resend is in the audit trail.
    if (second !== first) {
      const old = await agent(CONFIRM, { input: { deliveryId: delivery.id, code: first } });
      expect(old.data?.confirmDelivery.errors[0]).toMatchObject({ code: 'INVALID', field: 'code' });
    }
    const audited = await t.db.pool.query(
      `SELECT actor_label FROM audit_log WHERE entity_id = $1 AND action = 'delivery.code_resent'`,
      [delivery.id],
    );
    expect(audited.rows).toEqual([{ actor_label: 'coord.5' }]);
    const done = await agent(CONFIRM, { input: { deliveryId: delivery.id, code: second } });
    expect(done.data?.confirmDelivery.delivery?.status).toBe('DELIVERED');
  });

  it('records a failed attempt, returns the request to scheduling, and can be scheduled again or cancelled', async () => {
    const request = await ready();
    const delivery = (await schedule(request)).data?.scheduleDelivery.delivery;
    await start(agent, delivery.id);
    const failed = await agent(FAIL, {
      input: { deliveryId: delivery.id, reason: 'NOT_AT_HOME', note: 'দরজা বন্ধ' },
    });
    expect(failed.data?.failDelivery.delivery).toMatchObject({
      status: 'FAILED',
      failureReason: 'NOT_AT_HOME',
    });
    expect(await requestStatus(request.id)).toBe('READY');
    const version = (
      await t.db.pool.query(`SELECT version FROM service_requests WHERE id = $1`, [request.id])
    ).rows[0].version;
    const again = (await schedule({ id: request.id, version })).data?.scheduleDelivery;
    expect(again.delivery.status).toBe('SCHEDULED');
    // Only the delivery moves the request while it is under way, so the two never disagree:
    // stepping it back or handing it over by hand is forbidden, and it cannot go out twice.
    for (const [action, note] of [['RETURN_UNDELIVERED', 'হাতে ফেরত'], ['HAND_OVER']]) {
      const byHand = await step(
        coordinator,
        { id: request.id, version: version + 1 },
        action,
        note,
      );
      expect({ action, code: byHand.errors?.[0].extensions?.code }).toEqual({
        action,
        code: 'FORBIDDEN',
      });
    }
    expect(await requestStatus(request.id)).toBe('OUT_FOR_DELIVERY');
    const twice = await schedule({ id: request.id, version: version + 1 });
    expect(twice.data?.scheduleDelivery.errors).toEqual([
      expect.objectContaining({ code: 'INVALID_TRANSITION', field: 'requestId' }),
    ]);
    const cancelled = await coordinator(
      `mutation ($id: ID!) { cancelDelivery(input: { deliveryId: $id, reason: "ঠিকানা বদলাবে" }) { delivery { status } errors { code } } }`,
      { id: again.delivery.id },
    );
    expect(cancelled.data?.cancelDelivery.delivery.status).toBe('CANCELLED');
    expect(await requestStatus(request.id)).toBe('READY');
  });

  it('refuses what cannot be delivered, clearly, and changes nothing', async () => {
    const request = await ready();
    const errors = async (extra: Record<string, unknown>, r: any = request) =>
      (await schedule(r, extra)).data?.scheduleDelivery.errors.map((e: any) => [e.code, e.field]);
    expect(await errors({ windowStart: '12:00', windowEnd: '10:00' })).toEqual([
      ['OUT_OF_RANGE', 'windowEnd'],
    ]);
    expect(await errors({ windowStart: '25:00' })).toEqual([['INVALID_FORMAT', 'windowStart']]);
    expect(await errors({ date: '2020-01-01' })).toEqual([['OUT_OF_RANGE', 'date']]);
    // Today, in a window already over: not a promise anyone can keep.
    expect(
      await errors({ date: todayInIndia(), windowStart: '00:00', windowEnd: '00:01' }),
    ).toEqual([['OUT_OF_RANGE', 'windowStart']]);
    // Outside the ward's service hours (10:00–17:00, Monday to Saturday).
    await t.db.pool.query(
      `UPDATE wards SET service_hours = '{"days":["MON","TUE","WED","THU","FRI","SAT"],"opensAt":"10:00","closesAt":"17:00"}' WHERE id = $1`,
      [ward5],
    );
    expect(
      await errors({ date: nextWorkingDayInIndia(), windowStart: '09:00', windowEnd: '18:00' }),
    ).toEqual([
      ['OUT_OF_RANGE', 'windowStart'],
      ['OUT_OF_RANGE', 'windowEnd'],
    ]);
    expect(await errors({ date: nextSundayInIndia() })).toEqual([['OUT_OF_RANGE', 'date']]);
    await t.db.pool.query(
      `UPDATE wards SET service_hours = '{"days":["MON","TUE","WED","THU","FRI","SAT","SUN"],"opensAt":"00:00","closesAt":"24:00"}' WHERE id = $1`,
      [ward5],
    );
    const foreignAgentId = (
      await t.db.pool.query(`SELECT id FROM staff_accounts WHERE username = 'agent.6'`)
    ).rows[0].id;
    expect(await errors({ agentId: foreignAgentId })).toEqual([['NOT_FOUND', 'agentId']]);
    let office: any = await createRequest(coordinator, {
      residentId: resident,
      serviceTypeId: types.TRADE_LICENCE_HELP,
      attributes: { business_name: 'x' },
    });
    for (const action of ['START_REVIEW', 'APPROVE', 'MARK_READY'])
      office = (await step(coordinator, office, action)).data?.transitionRequest.request;
    expect(await errors({}, office)).toEqual([['INVALID', 'requestId']]);
    const stale = await schedule({ ...request, version: request.version - 1 });
    expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(await requestStatus(request.id)).toBe('READY');
    expect(
      Number(
        (
          await t.db.pool.query(`SELECT count(*) FROM deliveries WHERE request_id = $1`, [
            request.id,
          ])
        ).rows[0].count,
      ),
    ).toBe(0);
  });
});

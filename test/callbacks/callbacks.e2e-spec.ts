import { StaffRole } from '../../src/common/access/staff-role';
import { CallbacksService } from '../../src/callbacks/callbacks.service';
import { NotificationDispatcherService } from '../../src/notifications/notification-dispatcher.service';
import { FakeGraphApi } from '../support/fake-graph-api';
import { EXOPHONE, EXOTEL_SECRET, passthru } from '../support/exotel';
import { GraphQL, insertWards, seedMunicipality, staffClient } from '../support/fixtures';
import { createRequest, createResident, seedCatalogue } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import { whatsappEnv } from '../support/whatsapp-webhooks';

const TASKS = `query ($filter: CallbackTaskFilter) { callbackTasks(filter: $filter) { totalCount
  edges { node { id version callerPhone status callCount throttledCalls dueAt overdue escalatedAt
    unansweredAttempts closedReason resident { fullName } openRequests { trackingNumber }
    attempts { outcome result note actorName requestId } } } } }`;
const RECORD = `mutation ($input: RecordCallbackOutcomeInput!) { recordCallbackOutcome(input: $input) {
  requestId task { id status closedReason unansweredAttempts } errors { code field message } } }`;
const SET_NUMBER = `mutation ($input: SetMissedCallNumberInput!) { setMissedCallNumber(input: $input) {
  wardId number errors { code field message } } }`;

describe('missed-call callbacks (e2e, Exotel Passthru played on 127.0.0.1)', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  let ward5: string;
  let ward6: string;
  let admin: GraphQL;
  let coordinator: GraphQL;
  let otherWard: GraphQL;
  let types: Record<string, string>;

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await t.db.pool.query(sql, params)).rows[0].n);
  const tasksOf = async (phone: string) =>
    (
      await t.db.pool.query(
        `SELECT * FROM callback_tasks WHERE caller_phone = $1 ORDER BY created_at`,
        [phone],
      )
    ).rows;
  const smsTo = async (address: string) =>
    (
      await t.db.pool.query(
        `SELECT template_key, channel, body, status, language FROM notifications WHERE address = $1 ORDER BY seq`,
        [address],
      )
    ).rows;
  const record = (client: GraphQL, input: Record<string, unknown>) =>
    client(RECORD, { input }).then((res) => res.data?.recordCallbackOutcome ?? res);

  beforeAll(async () => {
    fake = await new FakeGraphApi().start();
    t = await startTestApp({
      ...whatsappEnv(fake),
      EXOTEL_WEBHOOK_SECRET: EXOTEL_SECRET,
      PUBLIC_BASE_URL: 'https://duare.example.in',
    });
    const bsr = await seedMunicipality(t, 'BSR');
    [, , , , ward5, ward6] = await insertWards(t, bsr, 6);
    types = await seedCatalogue(t, bsr);
    admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    coordinator = await staffClient(t, bsr, 'coord.5', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward5 },
    ]);
    otherWard = await staffClient(t, bsr, 'coord.6', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward6 },
    ]);
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('sets a ward’s missed-call number: Bengali digits read, coordinators and duplicates refused', async () => {
    const set = await admin(SET_NUMBER, { input: { wardId: ward5, number: '০৮০ ৪৭১১ ২৩৪৫' } });
    expect(set.data?.setMissedCallNumber).toEqual({
      wardId: ward5,
      number: '+918047112345',
      errors: [],
    });
    const byCoordinator = await coordinator(SET_NUMBER, {
      input: { wardId: ward5, number: EXOPHONE },
    });
    expect(byCoordinator.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const taken = await admin(SET_NUMBER, { input: { wardId: ward6, number: EXOPHONE } });
    expect(taken.data?.setMissedCallNumber.errors[0]).toMatchObject({
      code: 'DUPLICATE',
      field: 'number',
    });
    const junk = await admin(SET_NUMBER, { input: { wardId: ward6, number: 'x'.repeat(5000) } });
    expect(junk.data?.setMissedCallNumber.errors[0]).toMatchObject({
      code: 'INVALID',
      field: 'number',
    });
    expect(await count(`SELECT count(*) AS n FROM missed_call_numbers`)).toBe(1);
  });

  it('refuses forged and malformed provider calls, and logs them without the secret', async () => {
    const forged = await passthru(t.url, { from: '09876543210' }, null);
    expect(forged.status).toBe(401);
    const wrong = await passthru(t.url, { from: '09876543210' }, 'exotel:guessed-password-123');
    expect(wrong.status).toBe(401);
    const noSid = await passthru(t.url, { from: '09876543210', sid: '' });
    expect(noSid.status).toBe(400);
    const anonymous = await passthru(t.url, { from: 'anonymous' });
    expect(anonymous).toMatchObject({ status: 400, body: 'BAD_CALLER' });
    expect(await count(`SELECT count(*) AS n FROM callback_tasks`)).toBe(0);
    const logs = t.logs.join('\n');
    expect(logs).toContain('Exotel missed-call webhook refused');
    expect(logs).not.toContain('guessed-password-123');
    expect(logs).not.toContain(Buffer.from('exotel:guessed-password-123').toString('base64'));
    // A number no ward has: answered (Exotel's set-up, not a retry), nothing filed.
    const stray = await passthru(t.url, { from: '09876543210', to: '08000000001' });
    expect(stray).toMatchObject({ status: 200, body: 'UNKNOWN_NUMBER' });
    expect(await count(`SELECT count(*) AS n FROM callback_tasks`)).toBe(0);
  });

  it('turns a known resident’s missed call into a task with an SMS and their request’s link; repeats join, a flood is counted, three unanswered attempts close it', async () => {
    const rahim = await createResident(coordinator, ward5, 'রহিম শেখ', '+91 98765 43210');
    const open = await createRequest(coordinator, {
      residentId: rahim,
      serviceTypeId: types.GARBAGE,
    });
    const first = await passthru(t.url, { from: '09876543210' });
    expect(first).toMatchObject({ status: 200, body: 'CREATED' });
    const [task] = await tasksOf('+919876543210');
    expect(task).toMatchObject({
      ward_id: ward5,
      resident_id: rahim,
      status: 'OPEN',
      call_count: 1,
    });
    // Ward 5 is staffed round the clock (fixture): due two hours after the call.
    expect(task.due_at.getTime() - task.first_call_at.getTime()).toBe(2 * 60 * 60 * 1000);

    // The SMS went out at once through the SMS channel, with the open request's link.
    await t.app.get(NotificationDispatcherService).kick();
    const sms = await waitFor('the callback SMS sent', async () => {
      const rows = (await smsTo('919876543210')).filter((r) =>
        r.template_key.startsWith('callback'),
      );
      return rows[0]?.status === 'SENT' ? rows : null;
    });
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({
      template_key: 'callback_acknowledged_with_link',
      channel: 'SMS',
      language: 'bn',
    });
    expect(sms[0].body).toContain('আপনার মিসড কল পেয়েছি');
    expect(sms[0].body).toContain(open.trackingNumber);
    expect(sms[0].body).toContain('••••••');
    const link = (
      await coordinator(`query ($id: ID!) { request(id: $id) { trackingLink { url } } }`, {
        id: open.id,
      })
    ).data?.request.trackingLink.url;
    expect(t.logs.join('\n')).toContain(link);

    // The same call delivered again changes nothing; a repeat within 30 minutes joins.
    const again = await passthru(t.url, { from: '09876543210', sid: first.sid });
    expect(again.body).toBe('DUPLICATE');
    expect((await passthru(t.url, { from: '+91 98765 43210' })).body).toBe('JOINED');
    // A flood: stored up to the limit, then only counted; never a second SMS or task.
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i += 1)
      outcomes.push((await passthru(t.url, { from: '9876543210' })).body);
    expect(outcomes).toContain('THROTTLED');
    const [after] = await tasksOf('+919876543210');
    expect(after.call_count).toBe(10);
    expect(after.throttled_calls).toBeGreaterThan(0);
    expect(
      await count(`SELECT count(*) AS n FROM callback_calls WHERE task_id = $1`, [task.id]),
    ).toBe(10 - after.throttled_calls);
    expect(await tasksOf('+919876543210')).toHaveLength(1);
    expect(
      (await smsTo('919876543210')).filter((r) => r.template_key.startsWith('callback')),
    ).toHaveLength(1);

    // The coordinator's queue shows it with the resident and their open request.
    const queue = (await coordinator(TASKS, { filter: { wardId: ward5 } })).data?.callbackTasks;
    expect(queue.totalCount).toBe(1);
    expect(queue.edges[0].node).toMatchObject({
      callerPhone: '+919876543210',
      status: 'OPEN',
      callCount: 10,
      overdue: false,
      resident: { fullName: 'রহিম শেখ' },
      openRequests: [{ trackingNumber: open.trackingNumber }],
    });
    // Another ward's coordinator neither sees nor touches it.
    expect((await otherWard(TASKS, {})).data?.callbackTasks.totalCount).toBe(0);
    const foreign = await otherWard(RECORD, { input: { taskId: task.id, outcome: 'NO_ANSWER' } });
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const badId = await coordinator(RECORD, {
      input: { taskId: 'not-a-uuid', outcome: 'NO_ANSWER' },
    });
    expect(badId.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const badOutcome = await coordinator(RECORD, { input: { taskId: task.id, outcome: 'MAYBE' } });
    expect(badOutcome.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const stale = await record(coordinator, { taskId: task.id, version: 99, outcome: 'NO_ANSWER' });
    expect(stale.errors[0]).toMatchObject({ code: 'INVALID', field: 'version' });
    expect(await count(`SELECT count(*) AS n FROM callback_attempts`)).toBe(0);

    // Three unanswered attempts close it, with that reason.
    for (const n of [1, 2]) {
      const attempt = await record(coordinator, {
        taskId: task.id,
        outcome: 'NO_ANSWER',
        note: `চেষ্টা ${'০১২৩৪৫৬৭৮৯'[n]}`,
      });
      expect(attempt.task).toMatchObject({ status: 'OPEN', unansweredAttempts: n });
    }
    const third = await record(coordinator, { taskId: task.id, outcome: 'NO_ANSWER' });
    expect(third.task).toMatchObject({
      status: 'CLOSED',
      closedReason: 'NO_ANSWER',
      unansweredAttempts: 3,
    });
    const fourth = await record(coordinator, { taskId: task.id, outcome: 'NO_ANSWER' });
    expect(fourth.errors[0]).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(
      await count(`SELECT count(*) AS n FROM callback_attempts WHERE task_id = $1`, [task.id]),
    ).toBe(3);
    const closed = (await coordinator(TASKS, { filter: { status: 'CLOSED' } })).data?.callbackTasks;
    expect(closed.edges[0].node.attempts.map((a: { note: string | null }) => a.note)).toEqual([
      'চেষ্টা ১',
      'চেষ্টা ২',
      null,
    ]);
  });

  it('turns an unknown caller’s task into a new resident and request in one step; bad input changes nothing', async () => {
    expect((await passthru(t.url, { from: '09000011111' })).body).toBe('CREATED');
    const [task] = await tasksOf('+919000011111');
    expect(task.resident_id).toBeNull();
    await t.app.get(NotificationDispatcherService).kick();
    const sms = await waitFor('the callback SMS', async () => (await smsTo('919000011111'))[0]);
    expect(sms).toMatchObject({ template_key: 'callback_acknowledged', channel: 'SMS' });

    const residents = () => count(`SELECT count(*) AS n FROM residents`);
    const before = await residents();
    const bogusType = await record(coordinator, {
      taskId: task.id,
      outcome: 'REACHED',
      newRequest: { serviceTypeId: '00000000-0000-4000-8000-000000000000', fullName: 'সুমিতা দাস' },
    });
    expect(bogusType.errors[0]).toMatchObject({
      code: 'NOT_FOUND',
      field: 'newRequest.serviceTypeId',
    });
    const noName = await record(coordinator, {
      taskId: task.id,
      outcome: 'REACHED',
      newRequest: { serviceTypeId: types.STREET_LIGHT },
    });
    expect(noName.errors[0]).toMatchObject({ code: 'REQUIRED', field: 'newRequest.fullName' });
    const notReached = await record(coordinator, {
      taskId: task.id,
      outcome: 'NO_ANSWER',
      newRequest: { serviceTypeId: types.STREET_LIGHT, fullName: 'সুমিতা দাস' },
    });
    expect(notReached.errors[0]).toMatchObject({ code: 'INVALID', field: 'newRequest' });
    expect(await residents()).toBe(before);
    expect((await tasksOf('+919000011111'))[0]).toMatchObject({ status: 'OPEN', version: 1 });

    const done = await record(coordinator, {
      taskId: task.id,
      outcome: 'REACHED',
      note: 'মোড়ের আলো জ্বলছে না',
      newRequest: {
        serviceTypeId: types.STREET_LIGHT,
        fullName: 'সুমিতা দাস',
        description: 'মসজিদের পাশের বাতিস্তম্ভ, তিন দিন ধরে বন্ধ',
      },
    });
    expect(done.errors).toEqual([]);
    expect(done.task).toMatchObject({ status: 'CLOSED', closedReason: 'REACHED' });
    const { rows } = await t.db.pool.query(
      `SELECT r.channel, r.ward_id, p.full_name, p.phone FROM service_requests r
         JOIN residents p ON p.id = r.resident_id WHERE r.id = $1`,
      [done.requestId],
    );
    expect(rows[0]).toEqual({
      channel: 'PHONE_CALL',
      ward_id: ward5,
      full_name: 'সুমিতা দাস',
      phone: '+919000011111',
    });
    const [closed] = await tasksOf('+919000011111');
    expect(closed.request_id).toBe(done.requestId);
    expect(closed.resident_id).not.toBeNull();
  });

  it('escalates an open task past its due time once, and lists it as overdue', async () => {
    expect((await passthru(t.url, { from: '09830012345' })).body).toBe('CREATED');
    const [task] = await tasksOf('+919830012345');
    await t.db.pool.query(
      `UPDATE callback_tasks SET due_at = now() - interval '1 minute' WHERE id = $1`,
      [task.id],
    );
    const service = t.app.get(CallbacksService);
    expect(await service.runOnce()).toBe(1);
    expect(await service.runOnce()).toBe(0);
    const overdue = (await coordinator(TASKS, { filter: { overdue: true } })).data?.callbackTasks;
    expect(overdue.totalCount).toBe(1);
    expect(overdue.edges[0].node).toMatchObject({ id: task.id, overdue: true });
    expect(overdue.edges[0].node.escalatedAt).not.toBeNull();
  });
});

import { CertificatesService } from '../../src/certificates/certificates.service';
import { StaffRole } from '../../src/common/access/staff-role';
import { DEMO_CATALOGUE } from '../../src/demo/demo-catalogue';
import { DEMO_CERTIFICATE_TYPES } from '../../src/demo/demo-certificate-types';
import { NotificationDispatcherService } from '../../src/notifications/notification-dispatcher.service';
import { EXOPHONE, EXOTEL_SECRET } from '../support/exotel';
import { FakeGraphApi } from '../support/fake-graph-api';
import {
  GraphQL,
  insertWards,
  seedMunicipality,
  seedStaff,
  staffClient,
} from '../support/fixtures';
import { createRequest, createResident, seedCatalogue, step } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import { whatsappEnv } from '../support/whatsapp-webhooks';

const READ = `query ($id: ID!) { request(id: $id) { id version status completedAt slaDueAt
  feedback { rating comment askedAt answeredAt answeredVia closesAt } } }`;
const QUEUE = `query ($filter: RequestFilter) { requests(filter: $filter) { totalCount edges { node { id } } } }`;
const REOPEN = `mutation ($input: ReopenRequestInput!) { reopenRequest(input: $input) {
  request { id status version slaDueAt completedAt } errors { code field message } } }`;
const ISSUE = `mutation ($input: IssueCertificateInput!) { issueCertificate(input: $input) {
  certificate { id } errors { code field message } } }`;

describe('rating and reopening (e2e, SMS replies over Exotel played on 127.0.0.1)', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  let ward5: string;
  let coordinator: GraphQL;
  let otherWard: GraphQL;
  let signatory: GraphQL;
  let admin: GraphQL;
  let types: Record<string, string>;
  let rahim: string;
  let sidCounter = 0;

  /** Exotel's incoming-SMS callback: a form-encoded POST with Basic credentials. */
  const sms = async (
    from: string,
    body: string,
    credentials: string | null = `exotel:${EXOTEL_SECRET}`,
  ) => {
    sidCounter += 1;
    const response = await fetch(`${t.url}/webhooks/exotel/sms`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(credentials
          ? { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` }
          : {}),
      },
      body: new URLSearchParams({
        SmsSid: `sms${String(sidCounter).padStart(8, '0')}`,
        From: from,
        To: EXOPHONE,
        Body: body,
        Date: '2026-12-03 11:15:00',
      }).toString(),
    });
    return { status: response.status, body: await response.text() };
  };
  const read = async (id: string) => (await coordinator(READ, { id })).data?.request;
  const messages = async (requestId: string | null, key: string) =>
    (
      await t.db.pool.query(
        `SELECT template_key, channel, body, address FROM notifications
          WHERE template_key = $1 AND ($2::uuid IS NULL OR request_id = $2) ORDER BY seq`,
        [key, requestId],
      )
    ).rows;
  const walk = async (request: any, ...steps: Array<[string, string?]>) => {
    let current = request;
    for (const [action, note] of steps) {
      const res = await step(coordinator, current, action, note);
      current = res.data?.transitionRequest.request;
      if (!current) throw new Error(`${action} refused: ${JSON.stringify(res)}`);
    }
    return current;
  };
  const resolvedComplaint = async () =>
    walk(
      await createRequest(coordinator, { residentId: rahim, serviceTypeId: types.GARBAGE }),
      ['START_REVIEW'],
      ['RESOLVE', 'ময়লা তুলে নেওয়া হয়েছে'],
    );

  beforeAll(async () => {
    fake = await new FakeGraphApi().start();
    t = await startTestApp({ ...whatsappEnv(fake), EXOTEL_WEBHOOK_SECRET: EXOTEL_SECRET });
    const bsr = await seedMunicipality(t, 'BSR');
    let ward6: string;
    [, , , , ward5, ward6] = await insertWards(t, bsr, 6);
    types = await seedCatalogue(t, bsr);
    await t.app.get(CertificatesService).createTypes(bsr, DEMO_CERTIFICATE_TYPES);
    admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    signatory = await staffClient(t, bsr, 'bsr.signatory', [{ role: StaffRole.SIGNATORY }]);
    coordinator = await staffClient(t, bsr, 'coord.5', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward5 },
    ]);
    await seedStaff(
      t,
      bsr,
      'coord.5.phone',
      [{ role: StaffRole.WARD_COORDINATOR, wardId: ward5 }],
      {
        phone: '+91 70000 00555',
      },
    );
    otherWard = await staffClient(t, bsr, 'coord.6', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward6 },
    ]);
    await admin(
      `mutation ($w: ID!) { setMissedCallNumber(input: { wardId: $w, number: "${EXOPHONE}" }) { errors { code } } }`,
      { w: ward5 },
    );
    rahim = await createResident(coordinator, ward5, 'রহিম শেখ', '+91 98765 43210', {
      altName: 'Rahim Sheikh',
      addressEn: '12 Mollapara, 743411',
    });
    await t.db.pool.query(
      `UPDATE residents SET guardian_name = 'করিম শেখ', guardian_relation = 'FATHER', house_number = '১২',
         locality = 'মোল্লাপাড়া', pin_code = '743411', guardian_name_en = 'Karim Sheikh' WHERE id = $1`,
      [rahim],
    );
  });
  /** Today in India, as the statistics' period takes it. */
  const today = () => new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10);

  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('asks once after a certificate is delivered, takes a rating of 2 with a comment by SMS, and shows it under "rated ≤ 2"', async () => {
    let request = await createRequest(coordinator, {
      residentId: rahim,
      serviceTypeId: types.RESIDENCE_CERT,
      attributes: { purpose: 'school', years_of_residence: 12 },
    });
    request = await walk(request, ['START_REVIEW'], ['APPROVE']);
    const issued = await signatory(ISSUE, {
      input: { requestId: request.id, version: request.version },
    });
    expect(issued.data?.issueCertificate.errors).toEqual([]);
    request = await walk(await read(request.id), ['HAND_OVER']);
    expect(request.status).toBe('DELIVERED');

    const asked = await read(request.id);
    expect(asked.feedback).toMatchObject({ rating: null, answeredAt: null });
    const [question] = await messages(request.id, 'feedback_request');
    expect(question).toMatchObject({ channel: 'SMS', address: '919876543210' });
    expect(question.body).toContain('১ থেকে ৫-এর মধ্যে একটি সংখ্যা');

    // Forged, then out of range (0, 9, Bengali ৯): answered politely, nothing stored.
    expect((await sms('09876543210', '2 দেরি', null)).status).toBe(401);
    expect((await sms('09876543210', '2 দেরি', 'exotel:wrong-password-xyz')).status).toBe(401);
    for (const text of ['0', '9', '৯'])
      expect(await sms('09876543210', text)).toEqual({ status: 200, body: 'BAD_RATING' });
    expect((await read(request.id)).feedback.rating).toBeNull();
    expect(await messages(null, 'feedback_bad_rating')).toHaveLength(3);
    // A message from a number nobody has, or chatter, is ignored.
    expect((await sms('09000000000', '৪')).body).toBe('IGNORED');
    expect((await sms('09876543210', 'ধন্যবাদ')).body).toBe('IGNORED');

    expect(await sms('09876543210', '২ কাগজ পেতে দেরি হয়েছে')).toEqual({
      status: 200,
      body: 'RATED',
    });
    const rated = (await read(request.id)).feedback;
    expect(rated).toMatchObject({ rating: 2, comment: 'কাগজ পেতে দেরি হয়েছে', answeredVia: 'SMS' });
    expect(await messages(null, 'feedback_thanks')).toHaveLength(1);
    // An answer after the question is closed is thanked and ignored.
    expect((await sms('09876543210', '5')).body).toBe('CLOSED');
    expect((await read(request.id)).feedback.rating).toBe(2);
    expect(await messages(null, 'feedback_closed')).toHaveLength(1);

    const low = (await coordinator(QUEUE, { filter: { ratedAtMost: 2 } })).data?.requests;
    expect(low.edges.map((e: any) => e.node.id)).toEqual([request.id]);
    expect(
      (await coordinator(QUEUE, { filter: { ratedAtMost: 1 } })).data?.requests.totalCount,
    ).toBe(0);

    // A certificate is not reopened: the answer points to a correction.
    const refused = await coordinator(REOPEN, {
      input: { requestId: request.id, reason: 'নামের বানান ভুল' },
    });
    expect(refused.data?.reopenRequest.errors[0]).toMatchObject({
      code: 'INVALID_TRANSITION',
      field: 'requestId',
    });
    expect(refused.data?.reopenRequest.errors[0].message).toContain('correction');
    expect((await read(request.id)).status).toBe('DELIVERED');
  });

  it('reopens a resolved complaint when the resident replies "এখনও ঠিক হয়নি": back in the queue, SLA restarted, coordinator told', async () => {
    const resolved = await resolvedComplaint();
    const before = await read(resolved.id);
    expect((await messages(resolved.id, 'feedback_request_complaint'))[0].body).toContain(
      'এখনও ঠিক হয়নি',
    );
    expect(await sms('09876543210', 'এখনও ঠিক হয়নি, মোড়ে আবার ময়লা জমেছে')).toEqual({
      status: 200,
      body: 'REOPENED',
    });
    const after = await read(resolved.id);
    expect(after).toMatchObject({ status: 'IN_REVIEW', completedAt: null });
    expect(new Date(after.slaDueAt).getTime()).toBeGreaterThan(new Date(before.slaDueAt).getTime());
    const { rows } = await t.db.pool.query(
      `SELECT reason, by_resident FROM request_reopenings WHERE request_id = $1`,
      [resolved.id],
    );
    expect(rows).toEqual([{ reason: 'এখনও ঠিক হয়নি, মোড়ে আবার ময়লা জমেছে', by_resident: true }]);
    expect(await messages(resolved.id, 'request_reopened')).toHaveLength(1);
    const [alert] = await messages(resolved.id, 'staff_request_reopened');
    expect(alert).toMatchObject({ address: '917000000555' });
    expect(alert.body).toContain('মোড়ে আবার ময়লা জমেছে');
    const reopened = (
      await coordinator(QUEUE, { filter: { reopened: true, statuses: ['IN_REVIEW'] } })
    ).data?.requests;
    expect(reopened.edges.map((e: any) => e.node.id)).toContain(resolved.id);
    await t.app.get(NotificationDispatcherService).kick();
    await waitFor(
      'the reopen answer sent',
      async () =>
        (
          await t.db.pool.query(
            `SELECT 1 FROM notifications WHERE template_key = 'request_reopened' AND status = 'SENT'`,
          )
        ).rowCount,
    );
  });

  it('lets staff reopen a complaint with a reason within 7 days; refuses empty reasons, stale versions, other wards and late reopens', async () => {
    const resolved = await resolvedComplaint();
    const current = await read(resolved.id);
    const empty = await coordinator(REOPEN, { input: { requestId: resolved.id, reason: '   ' } });
    expect(empty.data?.reopenRequest.errors[0]).toMatchObject({
      code: 'REQUIRED',
      field: 'reason',
    });
    const foreign = await otherWard(REOPEN, { input: { requestId: resolved.id, reason: 'আবার' } });
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const stale = await coordinator(REOPEN, {
      input: { requestId: resolved.id, version: 1, reason: 'আবার' },
    });
    expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await read(resolved.id)).status).toBe('RESOLVED');

    const done = await coordinator(REOPEN, {
      input: {
        requestId: resolved.id,
        version: current.version,
        reason: 'বাসিন্দা ফোনে জানালেন আবার জমেছে',
      },
    });
    expect(done.data?.reopenRequest).toMatchObject({
      errors: [],
      request: { status: 'IN_REVIEW', completedAt: null },
    });

    const late = await resolvedComplaint();
    await t.db.pool.query(
      `UPDATE service_requests SET completed_at = now() - interval '8 days' WHERE id = $1`,
      [late.id],
    );
    const tooLate = await coordinator(REOPEN, { input: { requestId: late.id, reason: 'আবার' } });
    expect(tooLate.data?.reopenRequest.errors[0].message).toContain('7 days');
    expect((await read(late.id)).status).toBe('RESOLVED');
    // By SMS after the window: told politely, nothing reopened.
    expect((await sms('09876543210', 'still not fixed')).body).toBe('NOT_REOPENED');
    expect((await read(late.id)).status).toBe('RESOLVED');
    expect(await messages(late.id, 'reopen_too_late')).toHaveLength(1);
  });
  it('gives the ward statistics the average rating, the share rated and the reopen rate per service type', async () => {
    const res = await coordinator(
      `query ($w: ID!, $from: String!, $to: String!) { wardStats(wardId: $w, from: $from, to: $to) {
        byServiceType { code count averageRating shareRated reopenRate } } }`,
      { w: ward5, from: today(), to: today() },
    );
    const byCode = Object.fromEntries(
      res.data?.wardStats.byServiceType.map((row: any) => [row.code, row]),
    );
    // The delivered certificate, rated 2 by SMS, never reopened.
    expect(byCode.RESIDENCE_CERT).toEqual({
      code: 'RESIDENCE_CERT',
      count: 1,
      averageRating: 2,
      shareRated: 1,
      reopenRate: 0,
    });
    // Three resolved complaints, each asked, none rated, two reopened.
    expect(byCode.GARBAGE).toEqual({
      code: 'GARBAGE',
      count: 3,
      averageRating: null,
      shareRated: 0,
      reopenRate: 2 / 3,
    });
  });
  it('takes the reopen window from the service type (catalogue data), 10 days for street lights here', async () => {
    const current = (await admin(`{ serviceType(code: "STREET_LIGHT") { id version } }`)).data
      ?.serviceType;
    const definition = {
      ...DEMO_CATALOGUE.find((d) => d.code === 'STREET_LIGHT')!.definition,
      reopenDays: 10,
    };
    const updated = await admin(
      `mutation ($input: UpdateServiceTypeInput!) { updateServiceType(input: $input) {
        serviceType { reopenDays } errors { code field message } } }`,
      { input: { id: current.id, version: current.version, definition } },
    );
    expect(updated.data?.updateServiceType).toEqual({
      serviceType: { reopenDays: 10 },
      errors: [],
    });
    const light = await walk(
      await createRequest(coordinator, { residentId: rahim, serviceTypeId: types.STREET_LIGHT }),
      ['START_REVIEW'],
      ['RESOLVE', 'বাল্ব বদলানো হয়েছে'],
    );
    await t.db.pool.query(
      `UPDATE service_requests SET completed_at = now() - interval '8 days' WHERE id = $1`,
      [light.id],
    );
    const reopened = await coordinator(REOPEN, {
      input: { requestId: light.id, reason: 'আবার নিভে গেছে' },
    });
    expect(reopened.data?.reopenRequest).toMatchObject({
      errors: [],
      request: { status: 'IN_REVIEW' },
    });
  });
});

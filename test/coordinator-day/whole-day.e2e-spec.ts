import { createHash } from 'node:crypto';
import { systemActor } from '../../src/audit/audit-actor';
import { CertificateTypesService } from '../../src/certificates/certificate-types.service';
import { StaffRole } from '../../src/common/access/staff-role';
import { DEMO_CERTIFICATE_TYPES } from '../../src/demo/demo-certificate-types';
import { FakeGraphApi } from '../support/fake-graph-api';
import { as, GraphQL, insertWards, seedMunicipality, seedStaff, signIn } from '../support/fixtures';
import { seedCatalogue } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { settle as settleBackground } from '../support/background';
import { tmpdir } from 'node:os';
import { HELPLINE, makeHelpline, whatsappEnv } from '../support/whatsapp-webhooks';

const INDIA = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' });
const BN = '০১২৩৪৫৬৭৮৯';
const bengali = (text: string | number) => String(text).replace(/\d/g, (d) => BN[Number(d)]);
const ascii = (text: string) => text.replace(/[০-৯]/g, (d) => String(BN.indexOf(d)));

/** A window the resident can be promised: later today when there is time left, else tomorrow. */
function nextWindow(): { date: string; windowStart: string; windowEnd: string; today: boolean } {
  const now = new Date();
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Kolkata',
      hour: '2-digit',
      hourCycle: 'h23',
    }).format(now),
  );
  if (hour <= 20) {
    const pad = (h: number) => `${String(h).padStart(2, '0')}:00`;
    return {
      date: INDIA.format(now),
      windowStart: pad(hour + 1),
      windowEnd: pad(hour + 3),
      today: true,
    };
  }
  return {
    date: INDIA.format(new Date(now.getTime() + 86_400_000)),
    windowStart: '10:00',
    windowEnd: '12:00',
    today: false,
  };
}

const ERRORS = 'errors { code field message }';
const MAX_BYTES = 64 * 1024;
/** A photo of a card as a phone sends it (a JPEG: the bytes say so, whatever the name). */
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);
const UPLOAD = `mutation ($input: CreateDocumentUploadInput!) { createDocumentUpload(input: $input) { upload { uploadUrl expiresAt } ${ERRORS} } }`;
const NEXT_STEPS = 'nextSteps { step operation toStatus allowed takenBy why deliveryId }';

/**
 * The coordinator's day as the README tells it, through the API only: a resident phones, is
 * registered, asks for a residence certificate, it is approved, signed by the signatory and
 * carried to the door by an agent the coordinator set up; the resident's messages go through
 * a fake WhatsApp Cloud API. No administrator, no server log.
 */
describe('a coordinator’s whole day (e2e)', () => {
  let t: TestApp;
  let fake: FakeGraphApi;
  let coordinator: GraphQL;
  let coordinatorToken: string;
  let signatory: GraphQL;
  let ward5: string;
  let ward6: string;
  let bsr: string;
  const RESIDENT_WA = '919876543210';

  const settle = () => settleBackground(t, 60_000, { inbox: false });
  /** The texts the resident received on WhatsApp, in order. */
  const received = async () => {
    await settle();
    return fake
      .accepted()
      .filter((c) => c.body.to === RESIDENT_WA)
      .map((c) => c.body.text?.body as string);
  };
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await t.db.pool.query(sql, params)).rows[0].n);
  /** Asks for an upload URL and PUTs the bytes to it, as a browser or the console would. */
  const upload = async (requestId: string, documentCode: string, bytes: Buffer) => {
    const granted = (await coordinator(UPLOAD, { input: { requestId, documentCode } })).data
      ?.createDocumentUpload;
    expect(granted.errors).toEqual([]);
    const res = await fetch(`${t.url}${granted.upload.uploadUrl}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${coordinatorToken}`,
        'content-type': 'application/octet-stream',
      },
      body: bytes,
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    fake = await new FakeGraphApi().start();
    t = await startTestApp({
      ...whatsappEnv(fake),
      FILES_DIR: `${tmpdir()}/duare-day-${process.pid}`,
      FILES_MAX_BYTES: String(MAX_BYTES),
    });
    // What `npm start` sets up as demo data: wards, catalogue, certificate types, two people.
    bsr = await seedMunicipality(t, 'BSR');
    [, , , , ward5, ward6] = await insertWards(t, bsr, 6);
    await makeHelpline(t.db.pool, ward5);
    await seedCatalogue(t, bsr, { requiredDocuments: true });
    for (const input of DEMO_CERTIFICATE_TYPES) {
      await t.app
        .get(CertificateTypesService)
        .createInMunicipality(bsr, input, systemActor('test-fixture', 'test'));
    }
    await seedStaff(t, bsr, 'ward5.coordinator', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward5 },
    ]);
    await t.db.pool.query(
      `UPDATE staff_accounts SET display_name = 'নাসরিন সুলতানা' WHERE username = 'ward5.coordinator'`,
    );
    coordinatorToken = (await signIn(t, 'ward5.coordinator')).accessToken;
    coordinator = as(t, coordinatorToken);
    await seedStaff(t, bsr, 'bsr.signatory', [{ role: StaffRole.SIGNATORY }]);
    signatory = as(t, (await signIn(t, 'bsr.signatory')).accessToken);
    await seedStaff(t, bsr, 'ward6.agent', [{ role: StaffRole.FIELD_AGENT, wardId: ward6 }]);
    // The resident has written to the helpline before: free-form texts reach them.
    await t.db.pool.query(
      `INSERT INTO whatsapp_windows (phone_number_id, wa_id, last_inbound_at) VALUES ($1, $2, now())`,
      [HELPLINE, RESIDENT_WA],
    );
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('registers, asks, approves, signs, delivers to the door and shows it all from the request', async () => {
    // Morning: the coordinator sets up a field agent for the ward (the password is shown once).
    const made = (
      await coordinator(
        `mutation ($input: CreateFieldAgentInput!) { createFieldAgent(input: $input) { account { id } firstSignInPassword ${ERRORS} } }`,
        {
          input: {
            wardId: ward5,
            username: 'ward5.subrata',
            displayName: 'সুব্রত হালদার',
            phone: '৭০০০০ ০০১৫১',
          },
        },
      )
    ).data?.createFieldAgent;
    expect(made.errors).toEqual([]);
    const agent = as(t, (await signIn(t, 'ward5.subrata', made.firstSignInPassword)).accessToken);

    // A resident phones. Nobody has the number yet.
    const byPhone = `query ($phone: String!) { residentByPhone(phone: $phone) { id fullName } }`;
    const nobody = await coordinator(byPhone, { phone: '৯৮৭৬৫ ৪৩২১০' });
    expect(nobody.errors).toBeUndefined();
    expect(nobody.data?.residentByPhone).toBeNull();
    const registered = (
      await coordinator(
        `mutation ($input: CreateResidentInput!) { createResident(input: $input) { resident { id dateOfBirth } ${ERRORS} } }`,
        {
          input: {
            wardId: ward5,
            fullName: 'রহিমা খাতুন',
            altName: 'Rahima Khatun',
            guardianName: 'আব্দুল খালেক',
            guardianNameEn: 'Abdul Khalek',
            addressEn: '12 Mollapara, Ward 5, Basirhat',
            guardianRelation: 'FATHER',
            phone: '৯৮৭৬৫ ৪৩২১০',
            dateOfBirth: '১৯৭৮-০৪-১৫',
            address: { houseNumber: '১২', locality: 'মোল্লাপাড়া' },
            channel: 'PHONE_CALL',
          },
        },
      )
    ).data?.createResident;
    expect(registered.errors).toEqual([]);
    expect(registered.resident.dateOfBirth).toBe('1978-04-15');
    const residentId = registered.resident.id;
    expect(
      (await coordinator(byPhone, { phone: '+91 98765 43210' })).data?.residentByPhone.id,
    ).toBe(residentId);

    // She asks for a residence certificate, delivered to her door.
    const REQUEST = `id trackingNumber status version availableActions ${NEXT_STEPS}`;
    const asked = (
      await coordinator(
        `mutation ($input: CreateRequestInput!) { createRequest(input: $input) { request { ${REQUEST} } ${ERRORS} } }`,
        {
          input: {
            residentId,
            serviceTypeId: (await coordinator(`{ serviceType(code: "RESIDENCE_CERT") { id } }`))
              .data?.serviceType.id,
            attributes: { purpose: 'school', years_of_residence: '১২' },
          },
        },
      )
    ).data?.createRequest;
    expect(asked.errors).toEqual([]);
    let request = asked.request;
    const step = async (action: string) => {
      const res = (
        await coordinator(
          `mutation ($input: TransitionRequestInput!) { transitionRequest(input: $input) { request { ${REQUEST} } ${ERRORS} } }`,
          { input: { requestId: request.id, action, version: request.version } },
        )
      ).data?.transitionRequest;
      expect(res.errors).toEqual([]);
      request = res.request;
    };
    await step('START_REVIEW');
    // Approval waits for the Aadhaar card the service requires, and says so.
    const early = await coordinator(
      `mutation ($input: TransitionRequestInput!) { transitionRequest(input: $input) { request { id } ${ERRORS} } }`,
      { input: { requestId: request.id, action: 'APPROVE', version: request.version } },
    );
    expect(early.data?.transitionRequest).toEqual({
      request: null,
      errors: [
        {
          code: 'REQUIRED',
          field: 'documents.aadhaar',
          message:
            'required document missing: aadhaar (Aadhaar card / আধার কার্ড); upload it (createDocumentUpload) or waive it with a reason (waiveRequiredDocument)',
        },
      ],
    });
    const DOCUMENTS = `query ($id: ID!) { request(id: $id) { documents { code required missing waiverReason attachmentIds } } }`;
    const documents = async () =>
      (await coordinator(DOCUMENTS, { id: request.id })).data?.request.documents;
    expect((await documents())[0]).toEqual({
      code: 'aadhaar',
      required: true,
      missing: true,
      waiverReason: null,
      attachmentIds: [],
    });
    const uploaded = await upload(request.id, 'aadhaar', JPEG);
    expect((await documents())[0]).toMatchObject({
      missing: false,
      attachmentIds: [uploaded.body.attachment.id],
    });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.attachment).toMatchObject({
      documentCode: 'aadhaar',
      mimeType: 'image/jpeg',
      sizeBytes: JPEG.length,
      sha256: createHash('sha256').update(JPEG).digest('hex'),
    });
    // Staff of the ward fetch it with their token; nobody else does.
    const fetched = await fetch(`${t.url}${uploaded.body.attachment.downloadUrl}`, {
      headers: { authorization: `Bearer ${coordinatorToken}` },
    });
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(JPEG)).toBe(true);
    expect((await fetch(`${t.url}${uploaded.body.attachment.downloadUrl}`)).status).toBe(401);
    await step('APPROVE');

    // After approval the coordinator is told the next step and who takes it.
    expect(request.availableActions).toEqual([]);
    expect(request.nextSteps).toEqual([
      {
        step: 'ISSUE_CERTIFICATE',
        operation: 'issueCertificate',
        toStatus: 'READY',
        allowed: false,
        takenBy: ['SIGNATORY'],
        why: 'taken by a SIGNATORY (the certificate type’s signer)',
        deliveryId: null,
      },
    ]);
    const READ = `query ($id: ID!) { request(id: $id) { ${REQUEST} } }`;
    const forSigner = (await signatory(READ, { id: request.id })).data?.request;
    expect(forSigner.nextSteps.map((s: any) => [s.step, s.allowed])).toEqual([
      ['ISSUE_CERTIFICATE', true],
    ]);
    // The coordinator cannot sign a SIGNATORY's type: refused, nothing issued.
    const bySelf = await coordinator(
      `mutation ($input: IssueCertificateInput!) { issueCertificate(input: $input) { certificate { id } ${ERRORS} } }`,
      { input: { requestId: request.id, version: request.version } },
    );
    expect(bySelf.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await count(`SELECT count(*) AS n FROM certificates`)).toBe(0);

    // The signatory signs.
    const signed = (
      await signatory(
        `mutation ($input: IssueCertificateInput!) { issueCertificate(input: $input) { certificate { id number } ${ERRORS} } }`,
        { input: { requestId: request.id, version: request.version } },
      )
    ).data?.issueCertificate;
    expect(signed.errors).toEqual([]);
    request = (await coordinator(READ, { id: request.id })).data?.request;
    expect(request.status).toBe('READY');
    expect(request.nextSteps.map((s: any) => [s.step, s.allowed])).toEqual([
      ['HAND_OVER', true],
      ['SCHEDULE_DELIVERY', true],
    ]);

    // An agent from the ward's people, and a window the resident can be promised.
    const people = (
      await coordinator(
        `query ($wardId: ID!) { wardStaff(wardId: $wardId, roles: [FIELD_AGENT]) { id displayName active deliveriesUnderWay } }`,
        { wardId: ward5 },
      )
    ).data?.wardStaff;
    expect(people).toEqual([
      { id: made.account.id, displayName: 'সুব্রত হালদার', active: true, deliveriesUnderWay: 0 },
    ]);
    const window = nextWindow();
    const SCHEDULE = `mutation ($input: ScheduleDeliveryInput!) { scheduleDelivery(input: $input) { delivery { id status } ${ERRORS} } }`;
    const scheduled = (
      await coordinator(SCHEDULE, {
        input: {
          requestId: request.id,
          version: request.version,
          date: bengali(window.date),
          windowStart: window.windowStart,
          windowEnd: window.windowEnd,
          agentId: people[0].id,
        },
      })
    ).data?.scheduleDelivery;
    expect(scheduled.errors).toEqual([]);
    const deliveryId = scheduled.delivery.id;
    const [, month, day] = window.date.split('-').map(Number);
    const months = [
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
    let texts = await received();
    const planned = texts.at(-1)!;
    expect(planned).toContain(`${bengali(day)} ${months[month - 1]}`);
    // Digits are Bengali, except in the tracking number (an identifier quoted as printed).
    expect(planned.replace(request.trackingNumber, '')).not.toMatch(/[0-9]/);
    expect(planned).not.toContain('রওনা হয়েছে');

    // The agent sets out: only now is the resident told, with the code.
    const mine = (await agent(`{ myDeliveries { id status trackingNumber recipient { name } } }`))
      .data?.myDeliveries;
    expect(mine).toEqual([
      {
        id: deliveryId,
        status: 'SCHEDULED',
        trackingNumber: request.trackingNumber,
        recipient: { name: 'রহিমা খাতুন' },
      },
    ]);
    const started = (
      await agent(
        `mutation ($id: ID!) { startDeliveryTrip(deliveryId: $id) { delivery { status } ${ERRORS} } }`,
        {
          id: deliveryId,
        },
      )
    ).data?.startDeliveryTrip;
    expect(started).toEqual({ delivery: { status: 'ON_THE_WAY' }, errors: [] });
    texts = await received();
    const onTheWay = texts.at(-1)!;
    expect(onTheWay).toContain('সুব্রত হালদার');
    expect(onTheWay).toContain('রওনা হয়েছেন');
    const code = ascii(/([০-৯]{6})$/.exec(onTheWay)![1]);
    // Where the code lives: in the message the resident got; the stored copy is blanked once sent.
    const stored = await t.db.pool.query(
      `SELECT body FROM notifications WHERE template_key = 'delivery_on_the_way'`,
    );
    expect(stored.rows[0].body).toContain('••••••');

    const confirmed = (
      await agent(
        `mutation ($input: ConfirmDeliveryInput!) { confirmDelivery(input: $input) { delivery { status } ${ERRORS} } }`,
        { input: { deliveryId, code } },
      )
    ).data?.confirmDelivery;
    expect(confirmed).toEqual({ delivery: { status: 'DELIVERED' }, errors: [] });

    // Evening: the coordinator sees it all from the request, people by name.
    const seen = (
      await coordinator(
        `query ($id: ID!) { request(id: $id) { status
           certificate { number status request { id } }
           deliveries { id status request { id } } currentDelivery { id }
           timeline(first: 20) { edges { node { action actorName } } } } }`,
        { id: request.id },
      )
    ).data?.request;
    expect(seen).toMatchObject({
      status: 'DELIVERED',
      certificate: {
        number: signed.certificate.number,
        status: 'ISSUED',
        request: { id: request.id },
      },
      deliveries: [{ id: deliveryId, status: 'DELIVERED', request: { id: request.id } }],
      currentDelivery: null,
    });
    const actors = seen.timeline.edges.map((e: any) => e.node.actorName);
    expect(actors).toContain('নাসরিন সুলতানা');
    expect(actors).toContain('deliveries (সুব্রত হালদার)');
    expect(actors.join()).not.toContain('ward5.');
    const byTracking = (
      await coordinator(
        `query ($n: String!) { certificates(filter: { trackingNumber: $n }) { totalCount edges { node { id } } } }`,
        {
          n: bengali(request.trackingNumber.toLowerCase()),
        },
      )
    ).data?.certificates;
    expect(byTracking).toEqual({ totalCount: 1, edges: [{ node: { id: signed.certificate.id } }] });
    const workload = (
      await coordinator(
        `query ($wardId: ID!) { wardWorkload(wardId: $wardId) { open overdue openByStep { status count } deliveriesToday { agentName delivered } } }`,
        { wardId: ward5 },
      )
    ).data?.wardWorkload;
    expect(workload).toMatchObject({ open: 0, overdue: 0, openByStep: [] });
    expect(workload.deliveriesToday).toEqual(
      window.today ? [{ agentName: 'সুব্রত হালদার', delivered: 1 }] : [],
    );
  });

  it('refuses each bad input with a precise error and changes nothing', async () => {
    const resident = (
      await coordinator(
        `mutation ($input: CreateResidentInput!) { createResident(input: $input) { resident { id } } }`,
        {
          input: {
            wardId: ward5,
            fullName: 'মৌসুমী মণ্ডল',
            altName: 'Mousumi Mondal',
            phone: '৯৮৩০০ ১১১২২',
          },
        },
      )
    ).data?.createResident.resident.id;
    const serviceTypeId = (await coordinator(`{ serviceType(code: "INCOME_CERT") { id } }`)).data
      ?.serviceType.id;
    let request = (
      await coordinator(
        `mutation ($input: CreateRequestInput!) { createRequest(input: $input) { request { id version } } }`,
        {
          input: {
            residentId: resident,
            serviceTypeId,
            attributes: { purpose: 'school', annual_income: '৭২০০০' },
          },
        },
      )
    ).data?.createRequest.request;
    const TRANSITION = `mutation ($input: TransitionRequestInput!) { transitionRequest(input: $input) { request { id version status } ${ERRORS} } }`;
    const take = async (client: GraphQL, action: string) =>
      client(TRANSITION, { input: { requestId: request.id, action, version: request.version } });
    request = (await take(coordinator, 'START_REVIEW')).data?.transitionRequest.request;
    const attachments = () =>
      count(`SELECT count(*) AS n FROM request_attachments WHERE request_id = $1`, [request.id]);
    // An oversize file and a disguised one (a web page named .jpg) are refused, nothing kept.
    const big = await upload(request.id, 'aadhaar', Buffer.alloc(MAX_BYTES + 1, 0xff));
    expect(big).toMatchObject({
      status: 413,
      body: { error: { code: 'TOO_LARGE', field: 'file' } },
    });
    const disguised = await upload(
      request.id,
      'aadhaar',
      Buffer.from('<html><script>alert(1)</script></html>'),
    );
    expect(disguised).toMatchObject({
      status: 415,
      body: { error: { code: 'UNSUPPORTED_TYPE', field: 'file' } },
    });
    const unknownDocument = (
      await coordinator(UPLOAD, { input: { requestId: request.id, documentCode: 'passport' } })
    ).data?.createDocumentUpload;
    expect(unknownDocument.errors).toEqual([
      expect.objectContaining({ code: 'INVALID', field: 'documentCode' }),
    ]);
    expect(await attachments()).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM stored_files`)).toBe(1);
    // Approval without the document is refused and changes nothing.
    const refused = await take(coordinator, 'APPROVE');
    expect(refused.data?.transitionRequest.errors.map((e: any) => [e.code, e.field])).toEqual([
      ['REQUIRED', 'documents.aadhaar'],
    ]);
    // The coordinator waives it, with a reason the timeline keeps.
    const WAIVE = `mutation ($input: WaiveRequiredDocumentInput!) { waiveRequiredDocument(input: $input) { waiver { documentCode reason waivedByName } ${ERRORS} } }`;
    const noReason = (
      await coordinator(WAIVE, {
        input: { requestId: request.id, documentCode: 'aadhaar', reason: ' ' },
      })
    ).data?.waiveRequiredDocument;
    expect(noReason.errors).toEqual([
      expect.objectContaining({ code: 'REQUIRED', field: 'reason' }),
    ]);
    const waived = (
      await coordinator(WAIVE, {
        input: {
          requestId: request.id,
          documentCode: 'aadhaar',
          reason: 'আধার হারিয়েছেন; রেশন কার্ড দেখেছি',
        },
      })
    ).data?.waiveRequiredDocument;
    expect(waived).toEqual({
      waiver: {
        documentCode: 'aadhaar',
        reason: 'আধার হারিয়েছেন; রেশন কার্ড দেখেছি',
        waivedByName: 'নাসরিন সুলতানা',
      },
      errors: [],
    });
    const last = (
      await coordinator(
        `query ($id: ID!) { request(id: $id) { lastEvent { kind note actorName } } }`,
        { id: request.id },
      )
    ).data?.request.lastEvent;
    expect(last).toEqual({
      kind: 'DOCUMENT_WAIVED',
      note: 'আধার হারিয়েছেন; রেশন কার্ড দেখেছি',
      actorName: 'নাসরিন সুলতানা',
    });
    request = (await take(coordinator, 'APPROVE')).data?.transitionRequest.request;
    expect(request.status).toBe('APPROVED');
    // Wrong role for a step: a certificate is made ready only by issuing it.
    expect((await take(coordinator, 'MARK_READY')).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await signatory(
      `mutation ($input: IssueCertificateInput!) { issueCertificate(input: $input) { certificate { id } } }`,
      { input: { requestId: request.id, version: request.version } },
    );
    request = (
      await coordinator(`query ($id: ID!) { request(id: $id) { id version status } }`, {
        id: request.id,
      })
    ).data?.request;
    expect(request.status).toBe('READY');

    const agentId = (
      await coordinator(`query ($w: ID!) { wardStaff(wardId: $w, roles: [FIELD_AGENT]) { id } }`, {
        w: ward5,
      })
    ).data?.wardStaff[0].id;
    const foreignAgent = (
      await t.db.pool.query(`SELECT id FROM staff_accounts WHERE username = 'ward6.agent'`)
    ).rows[0].id;
    const SCHEDULE = `mutation ($input: ScheduleDeliveryInput!) { scheduleDelivery(input: $input) { delivery { id } ${ERRORS} } }`;
    const today = INDIA.format(new Date());
    const tomorrow = INDIA.format(new Date(Date.now() + 86_400_000));
    const refusals = async (extra: Record<string, unknown>) =>
      (
        await coordinator(SCHEDULE, {
          input: {
            requestId: request.id,
            version: request.version,
            date: tomorrow,
            windowStart: '10:00',
            windowEnd: '12:00',
            agentId,
            ...extra,
          },
        })
      ).data?.scheduleDelivery.errors.map((e: any) => [e.code, e.field]);
    const messagesBefore = await count(`SELECT count(*) AS n FROM notifications`);
    // A window already over.
    expect(await refusals({ date: today, windowStart: '00:00', windowEnd: '00:30' })).toEqual([
      ['OUT_OF_RANGE', 'windowStart'],
    ]);
    // Another ward's agent.
    expect(await refusals({ agentId: foreignAgent })).toEqual([['NOT_FOUND', 'agentId']]);
    // Outside the ward's service hours.
    await t.db.pool.query(
      `UPDATE wards SET service_hours = '{"days":["MON","TUE","WED","THU","FRI","SAT","SUN"],"opensAt":"10:00","closesAt":"17:00"}' WHERE id = $1`,
      [ward5],
    );
    expect(await refusals({ windowStart: '16:00', windowEnd: '18:00' })).toEqual([
      ['OUT_OF_RANGE', 'windowEnd'],
    ]);
    expect(
      await count(`SELECT count(*) AS n FROM deliveries WHERE request_id = $1`, [request.id]),
    ).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM notifications`)).toBe(messagesBefore);
    const status = (
      await t.db.pool.query(`SELECT status FROM service_requests WHERE id = $1`, [request.id])
    ).rows[0].status;
    expect(status).toBe('READY');
  });
});

import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificatesService } from '../../src/certificates/certificates.service';
import { StaffRole } from '../../src/common/access/staff-role';
import { DEMO_CERTIFICATE_TYPES } from '../../src/demo/demo-certificate-types';
import { createEmptyDatabase } from '../cli/cli-process';
import { settle } from '../support/background';
import { FakeGraphApi } from '../support/fake-graph-api';
import {
  as,
  insertWards,
  seedMunicipality,
  seedStaff,
  signIn,
  staffClient,
} from '../support/fixtures';
import { createRequest, createResident, seedCatalogue, step } from '../support/request-fixtures';
import { startTestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import {
  makeHelpline,
  messagesPayload,
  postWebhook,
  text,
  whatsappEnv,
} from '../support/whatsapp-webhooks';

jest.setTimeout(600_000);

const ISSUE = `mutation ($input: IssueCertificateInput!) { issueCertificate(input: $input) {
  certificate { id number verificationCode keyId } errors { code field message } } }`;
const VERIFY = `query ($n: String!, $c: String!) { verifyCertificate(number: $n, code: $c) {
  status signatureValid keyId } }`;
const ME = `{ me { staffAccount { username } } }`;
const REFRESH = `mutation ($input: RefreshSessionInput!) { refreshSession(input: $input) { accessToken refreshToken } }`;

/** Every table of the schema with its row count. */
async function tableCounts(db: TestDatabase): Promise<Record<string, number>> {
  const { rows } = await db.pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of rows) {
    counts[table_name] = (
      await db.pool.query(`SELECT count(*)::int AS n FROM "${table_name}"`)
    ).rows[0].n;
  }
  return counts;
}

const serial = (number: string) => Number(/(\d+)$/.exec(number)![1]);

/**
 * The restore drill of docs/operations.md, automated: a database with data in its tables is
 * dumped with PostgreSQL's own pg_dump, restored with pg_restore into a new database, and the
 * app started on the copy must carry on where the original stopped.
 */
describe('restore drill (pg_dump, pg_restore, the app on the copy)', () => {
  const key = generateKeyPairSync('ed25519')
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'duare-drill-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('keeps certificates verifying, numbers gapless, pending work done once and sessions valid', async () => {
    // The original deployment. Its WhatsApp provider is down, so messages stay queued.
    const down = await new FakeGraphApi().start();
    down.answerWith(() => ({ status: 503, body: { error: { message: 'down', code: 2 } } }));
    const env = {
      ...whatsappEnv(down),
      CERTIFICATE_SIGNING_KEY: key,
      CERTIFICATE_KEY_ID: 'drill-1',
      VERIFY_RATE_PER_MINUTE: '1000',
      WHATSAPP_TIMEOUT_MS: '1000',
      NOTIFY_CLAIM_SECONDS: '2',
      NOTIFY_RETRY_BASE_MS: '600000',
      NOTIFY_RETRY_MAX_MS: '600000',
    };
    const t1 = await startTestApp(env);
    let number1: string;
    let code1: string;
    let tracking1: string;
    let session: { accessToken: string; refreshToken: string };
    let types: Record<string, string>;
    let ward5: string;
    let ward6: string;
    let resident: string;
    let municipality: string;
    try {
      municipality = await seedMunicipality(t1, 'BSR');
      [, , , , ward5, ward6] = await insertWards(t1, municipality, 6);
      await makeHelpline(t1.db.pool, ward5);
      types = await seedCatalogue(t1, municipality);
      await t1.app.get(CertificatesService).createTypes(municipality, DEMO_CERTIFICATE_TYPES);
      await seedStaff(t1, municipality, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
      session = await signIn(t1, 'bsr.admin');
      const signatory = await staffClient(t1, municipality, 'bsr.signatory', [
        { role: StaffRole.SIGNATORY },
      ]);
      const coordinator = await staffClient(t1, municipality, 'coord.5', [
        { role: StaffRole.WARD_COORDINATOR, wardId: ward5 },
      ]);
      // Rows in the tables a few more steps reach (API clients, webhooks and their failed
      // attempts, councillor history, holidays, opt-outs, moves, throttles, job runs).
      const admin = as(t1, session.accessToken);
      const fill = async (query: string, input: Record<string, unknown>) => {
        const res = await admin(query, { input });
        const errors = res.errors ?? Object.values(res.data ?? {})[0]?.errors;
        if (errors?.length) throw new Error(`${query}: ${JSON.stringify(errors)}`);
      };
      await fill(
        `mutation ($input: CreateApiClientInput!) { createApiClient(input: $input) { apiKey errors { code field message } } }`,
        { name: 'Municipal ERP', scopes: ['WARDS_READ'], wardIds: [ward5] },
      );
      await fill(
        `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { errors { code field message } } }`,
        { url: 'http://127.0.0.1:9/unreachable', eventTypes: ['request.created'] },
      );
      await fill(
        `mutation ($input: SetWardCouncillorStatusInput!) { setWardCouncillorStatus(input: $input) { errors { code field message } } }`,
        { wardId: ward5, status: 'VACANT', since: '2022-03-20' },
      );
      await fill(
        `mutation ($input: SetMunicipalityHolidaysInput!) { setMunicipalityHolidays(input: $input) { date } }`,
        { holidays: [{ date: '2026-12-25', name: 'Christmas' }] },
      );
      const mover = await createResident(coordinator, ward5, 'করিম শেখ', '+91 98765 43299');
      await fill(
        `mutation ($input: SetNotificationPreferenceInput!) { setNotificationPreference(input: $input) { optedOut } }`,
        { residentId: mover, optOut: true },
      );
      await fill(
        `mutation ($input: MoveResidentInput!) { moveResident(input: $input) { errors { code field message } } }`,
        { residentId: mover, toWardId: ward6 },
      );
      await fill(
        `mutation ($input: SaveNotificationTemplateInput!) { saveNotificationTemplate(input: $input) { errors { code field message } } }`,
        {
          templateKey: 'request_received',
          language: 'EN',
          body: 'Dear {{residentName}}, request {{trackingNumber}} is with us.',
          whatsappTemplateName: 'bsr_received_v2',
          whatsappTemplateParams: ['residentName', 'trackingNumber'],
        },
      );
      await t1.gql(
        `mutation { signIn(input: { login: "bsr.admin", password: "not the password" }) { accessToken } }`,
      );
      await t1.db.pool.query(
        `INSERT INTO job_runs (job, run_key) VALUES ('daily-digest', '2026-12-01')`,
      );
      // The helpline's side tables: a status for a message sent by another tool, a media
      // look-up and the file it brought.
      await t1.db.pool.query(
        `INSERT INTO whatsapp_unmatched_statuses (message_id, status, occurred_at)
         VALUES ('wamid.DRILL', 'delivered', now())`,
      );
      await t1.db.pool.query(
        `INSERT INTO whatsapp_media_fetches (media_id, phone_number_id, wamid) VALUES ('m-drill', '1065', 'wamid.DRILL-IN')`,
      );
      await t1.db.pool.query(
        `INSERT INTO stored_files (municipality_id, ward_id, sha256, mime_type, size_bytes, source)
         VALUES ($1, $2, repeat('b', 64), 'image/jpeg', 10, 'WHATSAPP')`,
        [municipality, ward5],
      );
      resident = await createResident(coordinator, ward5, 'রহিম শেখ', '+91 98765 43210', {
        altName: 'Rahim Sheikh',
        addressEn: 'Ward 5, Basirhat',
      });
      let request = await createRequest(coordinator, {
        residentId: resident,
        serviceTypeId: types.RESIDENCE_CERT,
        attributes: { purpose: 'school', years_of_residence: 12 },
        idempotencyKey: 'drill-request-1',
        attachments: [
          {
            kind: 'DOCUMENT',
            source: 'UPLOAD',
            mediaRef: 'uploads/drill/aadhaar.pdf',
            mimeType: 'application/pdf',
            sizeBytes: 1234,
            sha256: 'a'.repeat(64),
          },
        ],
      });
      tracking1 = request.trackingNumber;
      // A document the coordinator waived (the demo catalogue's Aadhaar is not required here).
      await t1.db.pool.query(
        `INSERT INTO request_document_waivers (request_id, ward_id, document_code, reason, waived_by_name)
         VALUES ($1, $2, 'voter_id', 'shown at the office', 'Ward 5 coordinator')`,
        [request.id, ward5],
      );
      // A missed call and one attempt to return it (the acknowledgement already gave the
      // request its tracking link).
      await t1.db.pool.query(
        `INSERT INTO missed_call_numbers (ward_id, municipality_id, number) VALUES ($1, $2, '+918047112345')`,
        [ward5, municipality],
      );
      const callback = await t1.db.pool.query(
        `INSERT INTO callback_tasks (municipality_id, ward_id, caller_phone, resident_id, first_call_at, last_call_at, due_at)
         VALUES ($1, $2, '+919876543210', $3, now(), now(), now() + interval '2 hours') RETURNING id`,
        [municipality, ward5, resident],
      );
      await t1.db.pool.query(
        `INSERT INTO callback_calls (task_id, ward_id, call_sid, called_at, payload)
         VALUES ($1, $2, 'drill-call-sid-1', now(), '{"CallSid":"drill-call-sid-1"}')`,
        [callback.rows[0].id, ward5],
      );
      await t1.db.pool.query(
        `INSERT INTO callback_attempts (task_id, ward_id, outcome, result, actor_name)
         VALUES ($1, $2, 'NO_ANSWER', 'NOTHING', 'Ward 5 coordinator')`,
        [callback.rows[0].id, ward5],
      );
      // A rating asked and given, and a reopening (fixtures: the journeys have their own tests).
      await t1.db.pool.query(
        `INSERT INTO request_feedback (municipality_id, ward_id, request_id, resident_id, closes_at, rating, answered_at)
         VALUES ($1, $2, $3, $4, now() + interval '7 days', 4, now())`,
        [municipality, ward5, request.id, resident],
      );
      await t1.db.pool.query(
        `INSERT INTO request_reopenings (ward_id, request_id, reason, by_resident, actor_name)
         VALUES ($1, $2, 'still not fixed', true, 'resident (SMS)')`,
        [ward5, request.id],
      );
      // An announcement to ward 5 with its settings, one recipient, an opt-out and a reply.
      await fill(
        `mutation ($input: SaveAnnouncementSettingsInput!) { saveAnnouncementSettings(input: $input) { errors { code field message } } }`,
        {
          messagingTier: 'TIER_1K',
          templates: [{ language: 'BN', whatsappTemplateName: 'ward_notice_bn' }],
        },
      );
      const { rows: announced } = await t1.db.pool.query(
        `INSERT INTO announcements (municipality_id, ward_ids, text_bn, text_en, status, created_by_name)
         VALUES ($1, $2::uuid[], 'কাল জল বন্ধ', 'Water off tomorrow', 'SENT', 'Ward 5 coordinator')
         RETURNING id`,
        [municipality, [ward5]],
      );
      await t1.db.pool.query(
        `INSERT INTO announcement_recipients (announcement_id, ward_id, resident_id, channel, language, released_at)
         VALUES ($1, $2, $3, 'SMS', 'bn', now())`,
        [announced[0].id, ward5, resident],
      );
      await t1.db.pool.query(
        `INSERT INTO announcement_opt_outs (resident_id, municipality_id, ward_id, source)
         VALUES ($1, $2, $3, 'WHATSAPP')`,
        [resident, municipality, ward5],
      );
      await t1.db.pool.query(
        `INSERT INTO announcement_replies (wamid, announcement_id, ward_id, resident_id)
         VALUES ('wamid.DRILL-REPLY', $1, $2, $3)`,
        [announced[0].id, ward5, resident],
      );
      // The help desk: a canned reply and an episode of a conversation handed to people.
      await fill(
        `mutation ($input: CreateCannedReplyInput!) { createCannedReply(input: $input) { errors { code field message } } }`,
        {
          wardId: ward5,
          title: 'অফিসের সময়',
          bodyBn: 'অফিস খোলা {{wardHours}}',
          bodyEn: 'Open {{wardHours}}',
        },
      );
      const { rows: talk } = await t1.db.pool.query(
        `INSERT INTO conversations (phone_number_id, wa_id, municipality_id, ward_id, resident_id, language, status)
         VALUES ('drill-helpline', '919876543210', $1, $2, $3, 'bn', 'HUMAN') RETURNING id`,
        [municipality, ward5, resident],
      );
      await t1.db.pool.query(
        `INSERT INTO helpline_episodes (conversation_id, municipality_id, ward_id, opened_at, labels)
         VALUES ($1, $2, $3, now(), '{জল}')`,
        [talk[0].id, municipality, ward5],
      );
      for (const action of ['START_REVIEW', 'APPROVE']) {
        request = (await step(coordinator, request, action)).data?.transitionRequest.request;
      }
      const issued = await signatory(ISSUE, {
        input: { requestId: request.id, version: request.version },
      });
      const certificate = issued.data?.issueCertificate.certificate;
      expect(certificate).toBeTruthy();
      number1 = certificate.number;
      code1 = certificate.verificationCode;
      // The certificate goes to the door: a delivery scheduled with a field agent.
      const agentId = await seedStaff(t1, municipality, 'agent.5', [
        { role: StaffRole.FIELD_AGENT, wardId: ward5 },
      ]);
      await t1.db.pool.query(
        `UPDATE residents SET house_number = '১২', locality = 'মোল্লাপাড়া', pin_code = '743411' WHERE id = $1`,
        [resident],
      );
      const { rows: ready } = await t1.db.pool.query(
        `SELECT version FROM service_requests WHERE id = $1`,
        [request.id],
      );
      const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(
        new Date(Date.now() + 86_400_000),
      );
      const scheduled = await coordinator(
        `mutation ($input: ScheduleDeliveryInput!) { scheduleDelivery(input: $input) { errors { code field message } } }`,
        {
          input: {
            requestId: request.id,
            version: ready[0].version,
            date: tomorrow,
            windowStart: '10:00',
            windowEnd: '12:00',
            agentId,
          },
        },
      );
      expect(scheduled.data?.scheduleDelivery.errors).toEqual([]);
      // A resident writes to the helpline; the bot's answer cannot go out (provider down).
      expect((await postWebhook(t1, messagesPayload([text('919876543210', 'hello')]))).status).toBe(
        200,
      );
      await new Promise((resolve) => setTimeout(resolve, 3000));
    } finally {
      await t1.close({ keepDatabase: true });
      await down.stop();
    }
    const source = t1.db;
    // A webhook that had arrived but was not processed when the backup was taken.
    const lateWamid = 'wamid.drill-late-message';
    await source.pool.query(`INSERT INTO whatsapp_inbox (payload) VALUES ($1)`, [
      messagesPayload([text('919876543211', 'are you there?', lateWamid)]),
    ]);
    const pendingNotifications = (
      await source.pool.query(
        `SELECT id FROM notifications WHERE status IN ('QUEUED', 'SENDING') ORDER BY id`,
      )
    ).rows.map((r) => r.id as string);
    expect(pendingNotifications.length).toBeGreaterThan(0);

    // pg_dump of the original, pg_restore into an empty database.
    const before = await tableCounts(source);
    const dump = join(scratch, 'duare.dump');
    execFileSync('pg_dump', ['--format=custom', `--file=${dump}`, `--dbname=${source.url}`], {
      stdio: 'pipe',
    });
    const restored = await createEmptyDatabase();
    try {
      execFileSync(
        'pg_restore',
        ['--no-owner', '--exit-on-error', `--dbname=${restored.url}`, dump],
        { stdio: 'pipe' },
      );
      await source.drop();
      const after = await tableCounts(restored);
      expect(after).toEqual(before);
      // Every table holds rows, so the dump and the restore are tried on all of them (a new
      // table needs a step above that fills it).
      const empty = Object.entries(after)
        .filter(([, n]) => n === 0)
        .map(([table]) => table);
      expect({ emptyTables: empty }).toEqual({ emptyTables: [] });

      // The app on the copy, with the same keys; the provider is back.
      const up = await new FakeGraphApi().start();
      const t2 = await startTestApp({ ...env, ...whatsappEnv(up) }, restored);
      try {
        // Certificates keep verifying.
        const verified = await t2.gql(VERIFY, { n: number1, c: code1 });
        expect(verified.data?.verifyCertificate).toEqual({
          status: 'VALID',
          signatureValid: true,
          keyId: 'drill-1',
        });

        // Sessions: the access and refresh tokens of before still work; a forged one is refused.
        const me = await as(t2, session.accessToken)(ME);
        expect(me.data?.me.staffAccount.username).toBe('bsr.admin');
        const refreshed = await t2.gql(REFRESH, { input: { refreshToken: session.refreshToken } });
        expect(refreshed.data?.refreshSession.accessToken).toEqual(expect.any(String));
        const forged = await as(t2, `${session.accessToken.slice(0, -4)}AAAA`)(ME);
        expect(forged.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

        // Numbers continue: the next request and certificate follow without gap or duplicate.
        const coordinator = as(t2, (await signIn(t2, 'coord.5')).accessToken);
        const signatory = as(t2, (await signIn(t2, 'bsr.signatory')).accessToken);
        let request = await createRequest(coordinator, {
          residentId: resident,
          serviceTypeId: types.RESIDENCE_CERT,
          attributes: { purpose: 'bank', years_of_residence: 12 },
        });
        expect(serial(request.trackingNumber)).toBe(serial(tracking1) + 1);
        expect(request.trackingNumber.replace(/\d+$/, '')).toBe(tracking1.replace(/\d+$/, ''));
        for (const action of ['START_REVIEW', 'APPROVE']) {
          request = (await step(coordinator, request, action)).data?.transitionRequest.request;
        }
        const reissued = await signatory(ISSUE, {
          input: { requestId: request.id, version: request.version },
        });
        const next = reissued.data?.issueCertificate.certificate;
        if (!next) throw new Error(`no second certificate: ${JSON.stringify(reissued)}`);
        expect(serial(next.number)).toBe(serial(number1) + 1);
        expect(next.number.replace(/\d+$/, '')).toBe(number1.replace(/\d+$/, ''));

        // Pending work is done, once.
        await t2.db.pool.query(
          `UPDATE notifications SET next_attempt_at = now() WHERE status = 'QUEUED'`,
        );
        await settle(t2);
        const { rows: sent } = await t2.db.pool.query(
          `SELECT id, status, attempts FROM notifications WHERE id = ANY($1::uuid[]) ORDER BY id`,
          [pendingNotifications],
        );
        expect(sent.map((r) => r.status)).toEqual(pendingNotifications.map(() => 'SENT'));
        const late = await t2.db.pool.query(
          `SELECT count(*)::int AS n FROM whatsapp_messages WHERE wamid = $1`,
          [lateWamid],
        );
        expect(late.rows[0].n).toBe(1);
        const inbox = await t2.db.pool.query(
          `SELECT status, count(*)::int AS n FROM whatsapp_inbox GROUP BY status`,
        );
        expect(inbox.rows).toEqual([{ status: 'DONE', n: 2 }]);
        // One accepted send per notification: nothing went twice.
        const accepted = up.accepted().length;
        const { rows: total } = await t2.db.pool.query(
          `SELECT count(*)::int AS n FROM notifications WHERE status = 'SENT'`,
        );
        expect(accepted).toBe(total[0].n);
      } finally {
        await t2.close();
        await up.stop();
      }
    } finally {
      await restored.drop();
      await source.drop().catch(() => undefined);
    }
  });
});

import { BOT_TEXTS } from '../../src/whatsapp/conversation/bot-texts';
import { settle } from '../support/background';
import { FakeGraphApi, said } from '../support/fake-graph-api';
import { GraphQL } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import {
  buttonReply,
  helplineWard,
  image,
  messagesPayload,
  postWebhook,
  text,
  whatsappEnv,
} from '../support/whatsapp-webhooks';

/**
 * Issue 17: residents write the way people write on WhatsApp, and the helpline follows — over
 * signed Meta-format webhooks, with the fake Graph API on loopback taking the replies.
 */
describe('the helpline understands residents (e2e)', () => {
  let fake: FakeGraphApi;
  let t: TestApp;
  let ward: string;
  let coordinator: GraphQL;

  const write = async (from: string, body: string | ReturnType<typeof text>) => {
    const before = fake.accepted().length;
    const message = typeof body === 'string' ? text(from, body) : body;
    expect((await postWebhook(t, messagesPayload([message]))).status).toBe(200);
    await settle(t);
    return fake
      .accepted()
      .slice(before)
      .filter((c) => c.body.to === from)
      .map(said);
  };
  const requestsOf = async (wa: string) =>
    (
      await t.db.pool.query(
        `SELECT r.id, r.tracking_number, r.status, r.attributes, r.version,
                (SELECT count(*)::int FROM request_attachments a WHERE a.request_id = r.id) AS files
           FROM service_requests r JOIN residents p ON p.id = r.resident_id
          WHERE p.whatsapp_id = $1 ORDER BY r.created_at`,
        [wa],
      )
    ).rows;

  beforeAll(async () => {
    fake = await new FakeGraphApi().start();
    t = await startTestApp({
      ...whatsappEnv(fake),
      NOTIFY_RETRY_BASE_MS: '20',
      NOTIFY_RETRY_MAX_MS: '80',
    });
    ({ ward, coordinator } = await helplineWard(t));
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('starts the service a first message names, and takes natural answers: four messages to a tracking number', async () => {
    const wa = '919833300001';
    const first = await write(wa, 'আমার একটা বসবাসের সার্টিফিকেট লাগবে');
    expect(first[0]).toMatch(/^নমস্কার! .*দুয়ারে হেল্পলাইনে স্বাগত।$/);
    expect(first[1]).toMatch(/^বাসস্থান শংসাপত্র\n/);
    expect(first[2]).toMatch(/^এটি কী কাজে লাগবে\?/);
    expect(await write(wa, 'ব্যাংকে লাগবে')).toEqual(['কত বছর ধরে এখানে থাকছেন?']);
    const summary = await write(wa, '৩৫ বছর');
    expect(summary[0]).toContain('১. কী কাজে লাগবে: ব্যাংক\n২. কত বছর বসবাস: ৩৫');
    const done = await write(wa, 'হুম');
    const [request] = await requestsOf(wa);
    expect(request.attributes).toEqual({ purpose: 'bank', years_of_residence: 35 });
    expect(done[0]).toContain(request.tracking_number);
  });

  it('reads Banglish, asks the age for "since birth", refuses to skip a required answer, and lets an answer be changed', async () => {
    const wa = '919833300002';
    const first = await write(wa, 'amar residence certificate lagbe');
    expect(first.at(-1)).toMatch(/^এটি কী কাজে লাগবে\?/);
    expect(await write(wa, '1')).toEqual(['কত বছর ধরে এখানে থাকছেন?']);
    const skipped = await write(wa, 'বাদ');
    expect(skipped[0]).toMatch(new RegExp(`^${BOT_TEXTS.cannotSkip.bn}`));
    expect(await write(wa, 'জন্ম থেকে')).toEqual([BOT_TEXTS.askAge.bn]);
    const summary = await write(wa, '৪২');
    expect(summary[0]).toContain('১. কী কাজে লাগবে: স্কুল/কলেজ\n২. কত বছর বসবাস: ৪২');
    // "১" at the summary changes the first answer, then the summary comes again.
    expect((await write(wa, '১'))[0]).toMatch(/^এটি কী কাজে লাগবে\?/);
    const changed = await write(wa, 'চাকরি');
    expect(changed[0]).toContain('১. কী কাজে লাগবে: চাকরি\n২. কত বছর বসবাস: ৪২');
    await write(wa, 'ok');
    expect((await requestsOf(wa))[0].attributes).toEqual({
      purpose: 'job',
      years_of_residence: 42,
    });
  });

  it('offers the likeliest services when a message fits several, and the menu when it fits none', async () => {
    const wa = '919833300003';
    await write(wa, 'নমস্কার');
    const unsure = await write(wa, 'রাস্তায় আবর্জনার স্তূপ');
    expect(unsure[0]).toMatch(/^আপনি কি এগুলোর কোনোটি চাইছেন\?/);
    const offered = fake
      .accepted()
      .filter((c) => c.body.to === wa)
      .at(-1)!;
    const buttons = offered.body.interactive.action.buttons as Array<{
      reply: { id: string; title: string };
    }>;
    // WhatsApp takes at most 20 characters on a button.
    const cut = (name: string) => (name.length > 20 ? `${name.slice(0, 19)}…` : name);
    expect(buttons.map((b) => b.reply.title).sort()).toEqual(
      [cut('আবর্জনা সংগ্রহের অভিযোগ'), cut('রাস্তা মেরামতের অভিযোগ')].sort(),
    );
    const garbage = buttons.find((b) => b.reply.title.startsWith('আবর্জনা'))!;
    const chosen = await write(wa, buttonReply(wa, garbage.reply.id, garbage.reply.title));
    expect(chosen[0]).toBe('আবর্জনা সংগ্রহের অভিযোগ');
    await write(wa, 'মেনু');
    const nothing = await write(wa, 'ঘুড়ি ওড়াব');
    expect(nothing[0]).toBe(BOT_TEXTS.fallback.bn);
  });

  it('answers "what is the state of my application?" and a bare serial, and cancels only after a yes', async () => {
    const wa = '919833300001';
    const [request] = await requestsOf(wa);
    const status = await write(wa, 'আমার আবেদনের কী অবস্থা?');
    expect(status).toEqual([
      `আপনার আবেদন:\n${request.tracking_number} — বাসস্থান শংসাপত্র: জমা হয়েছে`,
    ]);
    const serial = String(Number(request.tracking_number.split('-').pop()));
    expect(await write(wa, `status ${serial}`)).toEqual(status);
    expect(await write(wa, 'আবেদনটা বাতিল করতে চাই')).toEqual([
      `আবেদন ${request.tracking_number} কি সত্যিই বাতিল করবেন?`,
    ]);
    expect(await write(wa, 'না')).toEqual([
      `ঠিক আছে, আবেদন ${request.tracking_number} যেমন ছিল তেমনই থাকল।`,
    ]);
    expect((await requestsOf(wa))[0].status).toBe('SUBMITTED');
  });

  it('takes what the resident sends while a request waits for information, and puts it back in review', async () => {
    const wa = '919833300002';
    const [request] = await requestsOf(wa);
    const asked = await coordinator(
      `mutation($id: ID!, $v: Int!) { transitionRequest(input: { requestId: $id, action: START_REVIEW, version: $v }) { request { version } errors { code } } }`,
      { id: request.id, v: request.version },
    );
    const info = await coordinator(
      `mutation($id: ID!, $v: Int!) { transitionRequest(input: { requestId: $id, action: REQUEST_INFO, version: $v, note: "আধার কার্ডের ছবি পাঠান" }) { request { status } errors { code } } }`,
      { id: request.id, v: asked.data?.transitionRequest.request.version },
    );
    expect(info.data?.transitionRequest.request.status).toBe('NEEDS_INFO');
    await settle(t);
    const reply = await write(wa, image(wa, 'media-needs-info-1', 'আধার'));
    expect(reply).toEqual([BOT_TEXTS.infoReceived.bn(request.tracking_number)]);
    const [after] = await requestsOf(wa);
    expect(after).toMatchObject({ status: 'IN_REVIEW', files: 1 });
    const timeline = await t.db.pool.query(
      `SELECT action, note FROM request_events WHERE request_id = $1 AND action = 'PROVIDE_INFO'`,
      [request.id],
    );
    expect(timeline.rows).toEqual([{ action: 'PROVIDE_INFO', note: 'আধার' }]);
  });

  it('keeps a draft through a two-hour pause and says where it was', async () => {
    const wa = '919833300004';
    await write(wa, 'income certificate chai');
    await t.db.pool.query(
      `UPDATE conversations SET last_activity_at = now() - interval '2 hours' WHERE wa_id = $1`,
      [wa],
    );
    const resumed = await write(wa, 'ব্যাংক');
    expect(resumed[0]).toBe(BOT_TEXTS.resumed.bn('আয়ের শংসাপত্র'));
    expect(resumed[1]).toBe('আপনার পরিবারের বছরে মোট আয় কত টাকা?');
    const summary = await write(wa, '১ লাখ ২০ হাজার');
    expect(summary[0]).toContain('২. পরিবারের বার্ষিক আয় (টাকা): ১,২০,০০০');
  });

  it('tells a resident at night when the coordinator answers, and still answers status during the hand-over', async () => {
    const wa = '919833300005';
    const istDay = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'][
      new Date(Date.now() + 330 * 60_000).getUTCDay()
    ];
    const otherDays = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'].filter((d) => d !== istDay);
    await t.db.pool.query(`UPDATE wards SET service_hours = $2 WHERE id = $1`, [
      ward,
      JSON.stringify({ days: otherDays, opensAt: '09:00', closesAt: '20:00' }),
    ]);
    await write(wa, 'হ্যালো');
    const human = await write(wa, 'কাউন্সিলরের সাথে কথা বলতে চাই');
    expect(human).toEqual([BOT_TEXTS.handedOverClosed.bn('সকাল ৯টা', 'রাত ৮টা')]);
    expect(await write(wa, 'আমার বাড়ির সামনে জল জমে আছে')).toEqual([]);
    expect(await write(wa, 'অবস্থা')).toEqual([BOT_TEXTS.noRequests.bn]);
    await t.db.pool.query(`UPDATE wards SET service_hours = $2 WHERE id = $1`, [
      ward,
      JSON.stringify({
        days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'],
        opensAt: '00:00',
        closesAt: '24:00',
      }),
    ]);
  });
});

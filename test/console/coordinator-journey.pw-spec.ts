import { expect, Page, test } from '@playwright/test';
import { FakeGraphApi } from '../support/fake-graph-api';
import { inbound, messagesPayload, postWebhook, whatsappEnv } from '../support/whatsapp-payloads';
import { AppUnderTest, gql, startAppUnderTest } from './support/app-under-test';
import {
  AGENT,
  COORDINATOR,
  DESKTOP,
  openWardHelpline,
  PHONE,
  shoot,
  signIn as signInAt,
  tokenOf,
} from './support/browser';

/**
 * The "done when", in a real Chromium against the real built app, in Bengali on a
 * 360 px phone: the demo coordinator finds the overdue request, asks the resident for a
 * document, sees it arrive from WhatsApp (a signed webhook from the fake Graph API's world),
 * approves, schedules the delivery with the ward's agent, and the agent, on their own phone,
 * starts the trip and completes it with the code the resident was sent.
 */
const RESIDENT_WA = '919876543210';

let app: AppUnderTest;
let fake: FakeGraphApi;
let tracking: string;
let requestId: string;

const signIn = (page: Page, who: { login: string; password: string }) =>
  signInAt(page, app.url, who);

/** One message from the resident to the ward's helpline, as Meta posts it (signed). */
async function residentSends(type: string, parts: Record<string, unknown>) {
  const response = await postWebhook(
    app,
    messagesPayload([inbound(RESIDENT_WA, type, parts)], { [RESIDENT_WA]: 'Rahima' }),
  );
  expect(response.status).toBe(200);
}

test.beforeAll(async () => {
  fake = await new FakeGraphApi().start();
  app = await startAppUnderTest(whatsappEnv(fake));
  const token = await tokenOf(app, COORDINATOR);
  const wardId = await openWardHelpline(app, token);
  // A resident who phoned three days ago for a copy of a birth certificate, delivered home.
  const { createResident } = await gql(
    app.url,
    `mutation ($input: CreateResidentInput!) { createResident(input: $input) { resident { id } errors { message } } }`,
    {
      input: {
        wardId,
        fullName: 'রহিমা খাতুন',
        phone: '৯৮৭৬৫ ৪৩২১০',
        address: { houseNumber: '১২', locality: 'মোল্লাপাড়া' },
      },
    },
    token,
  );
  const { serviceType } = await gql(
    app.url,
    `{ serviceType(code: "BIRTH_DEATH_COPY") { id } }`,
    {},
    token,
  );
  const { createRequest } = await gql(
    app.url,
    `mutation ($input: CreateRequestInput!) { createRequest(input: $input) { request { id trackingNumber version } errors { message } } }`,
    {
      input: {
        residentId: createResident.resident.id,
        serviceTypeId: serviceType.id,
        attributes: { registration_number: 'BSR/2019/০৪৫১' },
      },
    },
    token,
  );
  requestId = createRequest.request.id;
  tracking = createRequest.request.trackingNumber;
  await gql(
    app.url,
    `mutation ($input: TransitionRequestInput!) { transitionRequest(input: $input) { errors { message } } }`,
    { input: { requestId, action: 'START_REVIEW', version: createRequest.request.version } },
    token,
  );
  // Time has passed: the request is past its due time (the clock runs on the stored due time).
  await app.pool.query(
    `UPDATE service_requests SET created_at = now() - interval '4 days', sla_due_at = now() - interval '1 day' WHERE id = $1`,
    [requestId],
  );
});

test.afterAll(async () => {
  await app?.stop();
  await fake?.stop();
});

test('a coordinator works the overdue request to the door, and the agent completes it on a phone', async ({
  browser,
}) => {
  const coordinatorContext = await browser.newContext({ viewport: PHONE, locale: 'bn-IN' });
  const page = await coordinatorContext.newPage();
  await page.goto(`${app.url}/`);
  await expect(page.getByRole('heading', { name: 'সাইন ইন' })).toBeVisible();
  await shoot(page, 'sign-in');
  await signIn(page, COORDINATOR);

  // The queue: the overdue filter finds the one request past its due time.
  await expect(page.getByRole('heading', { name: 'আবেদনের তালিকা' })).toBeVisible();
  await page.getByLabel('শুধু সময় পেরোনো').check();
  const row = page.getByRole('link', { name: new RegExp(tracking) });
  await expect(row).toBeVisible();
  await expect(page.getByText('মোট ১টি')).toBeVisible();
  await expect(page.locator('.badge.overdue').first()).toHaveText('সময় পেরিয়েছে');
  await shoot(page, 'queue-overdue');
  await row.click();

  // Ask the resident for the document, with the reason the workflow requires.
  await expect(page.getByRole('heading', { name: tracking })).toBeVisible();
  await page.getByRole('button', { name: 'বাসিন্দার কাছে কাগজ/তথ্য চান' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'নিশ্চিত করুন' }).click();
  await expect(dialog.getByText('এটি দিতে হবে।')).toBeVisible();
  await dialog
    .getByLabel('কারণ / বাসিন্দাকে কী বলবেন')
    .fill('জন্ম নিবন্ধনের কাগজের ছবি হোয়াটসঅ্যাপে পাঠান');
  await dialog.getByRole('button', { name: 'নিশ্চিত করুন' }).click();
  await expect(page.getByTestId('status')).toHaveText('তথ্যের অপেক্ষায়');
  await shoot(page, 'request-needs-info');

  // The resident answers on WhatsApp with a photo: the open page shows it without a reload.
  await residentSends('image', {
    image: {
      id: 'media-console-1',
      mime_type: 'image/jpeg',
      sha256: 'x',
      caption: 'জন্ম নিবন্ধনের কাগজ',
    },
  });
  await expect(page.getByTestId('status')).toHaveText('যাচাই চলছে');
  await expect(page.getByTestId('attachments')).toContainText('হোয়াটসঅ্যাপে এসেছে');
  await shoot(page, 'request-info-arrived');

  // Approve, mark ready, schedule the delivery with the ward's agent for tomorrow morning.
  await page.getByRole('button', { name: 'অনুমোদন করুন' }).click();
  await expect(page.getByTestId('status')).toHaveText('অনুমোদিত');
  await page.getByRole('button', { name: 'তৈরি বলে চিহ্নিত করুন' }).click();
  await expect(page.getByTestId('status')).toHaveText('তৈরি');
  await page.getByRole('button', { name: 'ডেলিভারি ঠিক করুন' }).click();
  // The ward's people, by name: the demo agent who signs in below.
  const agentOption = page.getByLabel('ফিল্ড এজেন্ট').locator('option', { hasText: 'সুব্রত হালদার' });
  await page.getByLabel('ফিল্ড এজেন্ট').selectOption((await agentOption.getAttribute('value'))!);
  const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(
    new Date(Date.now() + 86_400_000),
  );
  await page.getByLabel('তারিখ').fill(tomorrow);
  await page.getByLabel('কখন থেকে').fill('10:00');
  await page.getByLabel('কখন পর্যন্ত').fill('12:00');
  await shoot(page, 'schedule-delivery');
  await page.getByRole('button', { name: 'ডেলিভারি ঠিক করুন' }).last().click();
  await expect(page.getByTestId('status')).toHaveText('ডেলিভারিতে');
  await expect(page.getByTestId('delivery')).toContainText('দিন ঠিক হয়েছে');
  await expect(page.getByTestId('delivery')).toContainText('সকাল ১০টা–১২টা');
  await shoot(page, 'request-scheduled');

  // The agent, on their own phone: start the trip, type the resident's code (Bengali digits).
  const agentContext = await browser.newContext({ viewport: PHONE, locale: 'bn-IN' });
  const agentPage = await agentContext.newPage();
  await signIn(agentPage, AGENT);
  const card = agentPage.getByRole('article', { name: tracking });
  await expect(card).toBeVisible();
  await expect(card).toContainText('রহিমা খাতুন');
  await shoot(agentPage, 'agent-deliveries');
  await card.getByRole('button', { name: 'রওনা হলাম' }).click();
  await expect(card.getByTestId('delivery-status')).toHaveText('পথে');
  const onTheWay = () =>
    fake
      .accepted()
      .filter((c) => c.body.to === RESIDENT_WA)
      .map((c) => String(c.body.text?.body ?? ''))
      .find((text) => text.includes('রওনা হয়েছেন')) ?? '';
  await expect.poll(onTheWay).toMatch(/[০-৯]{6}$/);
  const code = /([০-৯]{6})$/.exec(onTheWay())![1];
  await card.getByLabel('বাসিন্দার কোড').fill(`${code.slice(0, 3)} ${code.slice(3)}`);
  await shoot(agentPage, 'agent-code');
  await card.getByRole('button', { name: 'ডেলিভারি সম্পূর্ণ' }).click();
  await expect(card.getByTestId('delivery-status')).toHaveText('পৌঁছে গেছে');
  await shoot(agentPage, 'agent-delivered');

  // The coordinator sees it delivered, and the database agrees.
  await page.reload();
  await expect(page.getByTestId('status')).toHaveText('পৌঁছে গেছে');
  const stored = await app.pool.query(`SELECT status FROM service_requests WHERE id = $1`, [
    requestId,
  ]);
  expect(stored.rows[0].status).toBe('DELIVERED');
  await shoot(page, 'request-delivered');
  await agentContext.close();
  await coordinatorContext.close();
});

test('the console switches to English and lays out on a desktop screen too', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await signIn(page, COORDINATOR);
  await expect(page.getByRole('heading', { name: 'আবেদনের তালিকা' })).toBeVisible();
  await expect(page.locator('li.row').first()).toBeVisible();
  await shoot(page, 'queue');
  await page.getByRole('button', { name: 'ভাষা বদলান' }).click();
  await expect(page.getByRole('heading', { name: 'Requests' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  // A delivered request is out of the open queue: search finds it by its tracking number.
  await page.getByLabel('Search (tracking number, name or phone)').fill(tracking);
  await page.getByRole('link', { name: new RegExp(tracking) }).click();
  await expect(page.getByRole('heading', { name: tracking })).toBeVisible();
  await expect(page.getByTestId('status')).toHaveText('Delivered');
  await shoot(page, 'request-english');
  await context.close();
});

test('a phoned-in resident is registered and a request started with the typed form', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: PHONE, locale: 'bn-IN' });
  const page = await context.newPage();
  await signIn(page, COORDINATOR);
  await page.getByRole('link', { name: 'বাসিন্দা' }).click();
  // Nobody has this number yet (typed in Bengali digits, as the caller said it).
  await page.getByLabel('ফোন নম্বর বা নাম').fill('৯৮৩০০ ৫৫৫৬৬');
  await page.getByRole('button', { name: 'খুঁজুন' }).click();
  await expect(page.getByText('কাউকে পাওয়া গেল না।')).toBeVisible();
  await page.getByRole('button', { name: 'নতুন বাসিন্দার নাম তুলুন' }).click();
  // The API's field errors appear next to their fields: a blank name, a phone that is not one.
  await page.getByLabel('ফোন নম্বর', { exact: true }).fill('১২৩');
  await page.getByRole('button', { name: 'নাম তুলুন' }).click();
  await expect(page.locator('#fullName-error')).toBeVisible();
  await expect(page.locator('#phone-error')).toBeVisible();
  await shoot(page, 'register-errors');
  await page.getByLabel('পুরো নাম').fill('মৌসুমী মণ্ডল');
  await page.getByLabel('নাম ইংরেজিতে').fill('Mousumi Mondal');
  await page.getByLabel('ফোন নম্বর', { exact: true }).fill('৯৮৩০০ ৫৫৫৬৬');
  await page.getByLabel('পাড়া / এলাকা').fill('মোল্লাপাড়া');
  await page.getByRole('button', { name: 'নাম তুলুন' }).click();

  // The catalogue's typed questions: a choice and an amount in Bengali digits.
  await expect(page.getByRole('heading', { name: 'নতুন আবেদন' })).toBeVisible();
  await page.getByLabel('কোন পরিষেবা').selectOption({ label: 'আয়ের শংসাপত্র' });
  await page.getByRole('button', { name: 'আবেদন জমা দিন' }).click();
  await expect(page.locator('#purpose-error')).toBeVisible();
  await page.getByLabel(/কী কাজে লাগবে/).selectOption('scheme');
  await page.getByLabel(/পরিবারের বার্ষিক আয়/).fill('৯৬,০০০');
  await shoot(page, 'new-request');
  await page.getByRole('button', { name: 'আবেদন জমা দিন' }).click();
  await expect(page.getByTestId('status')).toHaveText('জমা পড়েছে');
  const stored = await app.pool.query(
    `SELECT r.attributes, r.channel, p.phone FROM service_requests r JOIN residents p ON p.id = r.resident_id WHERE p.full_name = 'মৌসুমী মণ্ডল'`,
  );
  expect(stored.rows).toEqual([
    {
      attributes: { purpose: 'scheme', annual_income: 96000 },
      channel: 'PHONE_CALL',
      phone: '+919830055566',
    },
  ]);
  await context.close();
});

test('the helpline: a handed-over resident’s voice note plays, the coordinator replies and hands back', async ({
  browser,
}) => {
  await residentSends('text', { text: { body: 'কারো সাথে কথা বলা যাবে?' } });
  await residentSends('audio', {
    audio: { id: 'voice-console-1', mime_type: 'audio/ogg; codecs=opus' },
  });
  const context = await browser.newContext({ viewport: PHONE, locale: 'bn-IN' });
  const page = await context.newPage();
  await signIn(page, COORDINATOR);
  await page.getByRole('link', { name: 'হেল্পলাইন' }).click();
  await page.getByRole('link', { name: /রহিমা খাতুন/ }).click();
  // The voice note, fetched with the coordinator's token, plays from a blob: address.
  await expect
    .poll(async () => {
      await page.reload();
      return page
        .locator('audio')
        .getAttribute('src', { timeout: 2_000 })
        .catch(() => null);
    })
    .toMatch(/^blob:/);
  await shoot(page, 'helpline-thread');
  await page.getByLabel('উত্তর লিখুন (২৪ ঘণ্টার মধ্যে)').fill('আপনার কাগজ পেয়েছি, কাল পৌঁছে যাবে।');
  await page.getByRole('button', { name: 'পাঠান' }).click();
  await expect(page.getByText('আপনার কাগজ পেয়েছি, কাল পৌঁছে যাবে।')).toBeVisible();
  await expect
    .poll(() =>
      fake
        .accepted()
        .some(
          (c) =>
            c.body.to === RESIDENT_WA && c.body.text?.body === 'আপনার কাগজ পেয়েছি, কাল পৌঁছে যাবে।',
        ),
    )
    .toBe(true);
  await page.getByRole('button', { name: 'বটকে ফিরিয়ে দিন' }).click();
  await expect(page.getByRole('button', { name: 'বটকে ফিরিয়ে দিন' })).toBeHidden();
  await context.close();
});

test('the signatory signs a certificate, downloads its PDF and revokes it with a reason', async ({
  browser,
}) => {
  const signatory = { login: 'bsr.signatory', password: 'duare-demo-signing-2026' };
  const { requests } = await gql(
    app.url,
    `{ requests(filter: { statuses: [APPROVED] }, first: 50) { edges { node { id trackingNumber nextSteps { step allowed } } } } }`,
    {},
    await tokenOf(app, signatory),
  );
  const approved = requests.edges
    .map(
      (e: {
        node: {
          id: string;
          trackingNumber: string;
          nextSteps: Array<{ step: string; allowed: boolean }>;
        };
      }) => e.node,
    )
    .find((r: { nextSteps: Array<{ step: string; allowed: boolean }> }) =>
      r.nextSteps.some((s) => s.step === 'ISSUE_CERTIFICATE' && s.allowed),
    );
  expect(approved).toBeDefined();
  const context = await browser.newContext({ viewport: PHONE, locale: 'bn-IN' });
  const page = await context.newPage();
  await signIn(page, signatory);
  await expect(page.getByRole('heading', { name: 'আবেদনের তালিকা' })).toBeVisible();
  await page.goto(`${app.url}/requests/${approved.id}`);
  await page.getByRole('button', { name: 'শংসাপত্রে সই করে দিন' }).click();
  await expect(page.getByTestId('certificate-status')).toHaveText('বৈধ');
  await expect(page.getByTestId('status')).toHaveText('তৈরি');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'PDF নামান' }).click();
  const pdf = await download;
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
  const bytes = await (await import('node:fs/promises')).readFile((await pdf.path())!);
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  await shoot(page, 'certificate');
  await page.getByRole('button', { name: 'বাতিল করুন' }).click();
  await page.getByLabel('কারণ').fill('ঠিকানায় ভুল ছিল');
  await page.getByRole('button', { name: 'বাতিল করুন' }).last().click();
  await expect(page.getByTestId('certificate-status')).toHaveText('বাতিল');
  await expect(page.getByText('ঠিকানায় ভুল ছিল')).toBeVisible();
  await context.close();
});

test('the ward dashboard shows today’s numbers, the overdue list and the weekly charts', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: PHONE, locale: 'bn-IN' });
  const page = await context.newPage();
  await signIn(page, COORDINATOR);
  await page.getByRole('link', { name: 'হিসাব' }).click();
  await expect(page.getByRole('heading', { name: 'ওয়ার্ডের আজকের হিসাব' })).toBeVisible();
  await expect(page.getByRole('img', { name: /সময়ের মধ্যে শেষ হওয়া আবেদন/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /শেষ হতে লাগা সময়/ })).toBeVisible();
  await expect(page.getByRole('table').first()).toBeVisible();
  await shoot(page, 'dashboard');
  await page.setViewportSize(DESKTOP);
  await shoot(page, 'dashboard');
  await context.close();
});

test('GraphiQL is served by the app itself at /graphql and runs a query under its CSP', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  const refused: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy/i.test(message.text()))
      refused.push(message.text());
  });
  const external: string[] = [];
  page.on('request', (request) => {
    if (
      !request.url().startsWith(app.url) &&
      !request.url().startsWith('ws://') &&
      !request.url().startsWith('data:')
    )
      external.push(request.url());
  });
  await page.goto(`${app.url}/graphql`);
  // The editor may still be starting when the button first appears: run until the answer shows.
  await expect(page.locator('.graphiql-query-editor')).toContainText('__typename');
  await expect(async () => {
    await page.getByRole('button', { name: /Execute query/ }).click();
    await expect(page.locator('.graphiql-response')).toContainText('"__typename": "Query"', {
      timeout: 2_000,
    });
  }).toPass();
  await shoot(page, 'graphiql');
  expect(refused).toEqual([]);
  expect(external).toEqual([]);
  await context.close();
});

import { Browser, expect, Page, test } from '@playwright/test';
import { FakeGraphApi } from '../support/fake-graph-api';
import {
  inbound,
  messagesPayload,
  postWebhook,
  statusPayload,
  whatsappEnv,
} from '../support/whatsapp-payloads';
import { AppUnderTest, gql, startAppUnderTest } from './support/app-under-test';
import {
  ADMIN,
  COORDINATOR,
  DESKTOP,
  openWardHelpline,
  PHONE,
  shoot,
  SHOTS,
  signIn,
  tokenOf,
} from './support/browser';

/**
 * Issue 29 in the console, in a real Chromium against the real built app: the coordinator
 * writes a canned reply, works a handed-over WhatsApp conversation like a help-desk ticket
 * (filters, assignee, label, a canned reply filled in by the server, closing), writes a ward
 * announcement with a live audience count and follows its progress to "read"; the
 * administrator, in English on a desktop, sees the helpline's response times, is refused
 * approving their own municipality-wide announcement, and saves the announcement settings
 * through their form (wrong values refused at their fields) in both languages.
 */
const RESIDENT_WA = '919876543210';
const LOCALITY = 'মোল্লাপাড়া';
const AUDIENCE = `query ($input: AnnouncementAudienceInput!) {
  announcementAudience(input: $input) { audience { total } errors { message } }
}`;

let app: AppUnderTest;
let fake: FakeGraphApi;
let coordinatorToken: string;
let wardId: string;

const toBengali = (n: number) =>
  new Intl.NumberFormat('en-IN').format(n).replace(/\d/g, (d) => '০১২৩৪৫৬৭৮৯'[Number(d)]);

async function residentWrites(body: string) {
  const response = await postWebhook(
    app,
    messagesPayload([inbound(RESIDENT_WA, 'text', { text: { body } })], {
      [RESIDENT_WA]: 'Rahima',
    }),
  );
  expect(response.status).toBe(200);
}

/** The administrator signed in on a desktop, switched to English. */
async function adminInEnglish(browser: Browser) {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await signIn(page, app.url, ADMIN);
  await page.getByRole('button', { name: 'ভাষা বদলান' }).click();
  return { context, page };
}

/** The announcement's card in the list, by its (unique) Bengali text. */
const card = (page: Page, text: string) => page.locator('article', { hasText: text });

test.beforeAll(async () => {
  fake = await new FakeGraphApi().start();
  app = await startAppUnderTest({ ...whatsappEnv(fake), ANNOUNCE_POLL_MS: '200' });
  coordinatorToken = await tokenOf(app, COORDINATOR);
  wardId = await openWardHelpline(app, coordinatorToken);
  await gql(
    app.url,
    `mutation ($input: CreateResidentInput!) { createResident(input: $input) { resident { id } } }`,
    {
      input: {
        wardId,
        fullName: 'রহিমা খাতুন',
        phone: '৯৮৭৬৫ ৪৩২১০',
        address: { houseNumber: '১২', locality: LOCALITY },
      },
    },
    coordinatorToken,
  );
  // The municipality's approved announcement templates (an administrator's one-time setup).
  const { saveAnnouncementSettings } = await gql(
    app.url,
    `mutation ($input: SaveAnnouncementSettingsInput!) {
      saveAnnouncementSettings(input: $input) { errors { field message } }
    }`,
    {
      input: {
        messagingTier: 'TIER_1K',
        templates: [
          {
            language: 'BN',
            whatsappTemplateName: 'ward_announcement_bn',
            smsDltTemplateId: '1107170000000000001',
          },
          {
            language: 'EN',
            whatsappTemplateName: 'ward_announcement_en',
            smsDltTemplateId: '1107170000000000002',
          },
        ],
      },
    },
    await tokenOf(app, ADMIN),
  );
  expect(saveAnnouncementSettings.errors).toEqual([]);
});

test.afterAll(async () => {
  await app?.stop();
  await fake?.stop();
});

test('the coordinator works a helpline conversation as a ticket and answers with a canned reply', async ({
  browser,
}) => {
  await residentWrites('কারো সাথে কথা বলা যাবে?');
  await residentWrites('আমার জলের লাইন তিন দিন বন্ধ।');
  const context = await browser.newContext({ viewport: PHONE, locale: 'bn-IN' });
  const page = await context.newPage();
  await signIn(page, app.url, COORDINATOR);

  // A canned reply: a misspelt placeholder is refused under its text, then saved.
  await page.getByRole('link', { name: 'হেল্পলাইন' }).click();
  await page.getByRole('link', { name: 'তৈরি উত্তরগুলো সাজান' }).click();
  await expect(page.getByRole('heading', { name: 'তৈরি উত্তর', exact: true })).toBeVisible();
  await page.getByLabel('নাম (কর্মীরা এই নামে বেছে নেবেন)').fill('অফিসের সময়');
  await page.getByLabel('বাংলা লেখা').fill('{{নাম}}, আপনার বার্তা পেয়েছি।');
  await page.getByLabel('ইংরেজি লেখা').fill('{{residentName}}, we have your message.');
  await page.getByRole('button', { name: 'রাখুন' }).click();
  // The API's INVALID, said in Bengali with the placeholder named.
  await expect(page.locator('#canned-new-bodyBn-error')).toHaveText(
    '{{নাম}} বসানো যায় না। বসানো যায়: {{residentName}}, {{trackingNumber}}, {{wardHours}}',
  );
  await shoot(page, 'canned-reply-error');
  await page
    .getByLabel('বাংলা লেখা')
    .fill('{{residentName}}, আপনার বার্তা পেয়েছি। অফিস খোলা: {{wardHours}}');
  await page
    .getByLabel('ইংরেজি লেখা')
    .fill('{{residentName}}, we have your message. Office hours: {{wardHours}}');
  await page.getByRole('button', { name: 'রাখুন' }).click();
  await expect(page.getByRole('status')).toHaveText('রাখা হয়েছে');
  await expect(page.getByRole('heading', { name: 'অফিসের সময়' })).toBeVisible();
  await shoot(page, 'canned-replies');

  // The help desk: the resident waits, two messages unread; filters narrow the list.
  await page
    .getByRole('link', { name: /হেল্পলাইন/ })
    .first()
    .click();
  const row = page.locator('li.row', { hasText: 'রহিমা খাতুন' });
  await expect(row).toContainText('২টি না-পড়া');
  await expect(row).toContainText('উত্তরের অপেক্ষায়');
  await page.getByLabel('শুধু উত্তরের অপেক্ষায়').check();
  await expect(row).toBeVisible();
  await page.getByLabel('এত মিনিটের বেশি অপেক্ষায়').fill('৬০');
  await expect(page.getByText('কোনো কথোপকথন নেই।')).toBeVisible();
  await page.getByLabel('এত মিনিটের বেশি অপেক্ষায়').fill('');
  await expect(row).toBeVisible();
  await shoot(page, 'help-desk');
  await row.getByRole('link').click();

  // Assign to the ward's field agent and label it.
  await expect(page.getByRole('heading', { name: 'রহিমা খাতুন' })).toBeVisible();
  const assignTo = page.getByLabel('কার দায়িত্বে দেবেন');
  const agent = assignTo.locator('option', { hasText: 'সুব্রত হালদার' });
  await assignTo.selectOption((await agent.getAttribute('value'))!);
  await page.getByRole('button', { name: 'দায়িত্ব দিন' }).click();
  await expect(page.getByText(/সুব্রত হালদার.*-এর দায়িত্বে/)).toBeVisible();
  await page.getByLabel('নতুন লেবেল').fill('জল');
  await page.getByRole('button', { name: 'যোগ করুন' }).click();
  await expect(page.getByRole('button', { name: '“জল” সরান' })).toBeVisible();
  // Opening the thread read it.
  await expect(page.getByText(/না-পড়া/)).toBeHidden();

  // Reply with the canned reply: the server fills the resident's name and the ward's hours.
  await page.getByLabel('তৈরি উত্তর').selectOption({ label: 'অফিসের সময়' });
  await expect(page.getByTestId('canned-preview')).toHaveText(
    '{{residentName}}, আপনার বার্তা পেয়েছি। অফিস খোলা: {{wardHours}}',
  );
  await shoot(page, 'help-desk-thread');
  await page.getByRole('button', { name: 'পাঠান' }).click();
  await expect(page.getByText(/^রহিমা খাতুন, আপনার বার্তা পেয়েছি। অফিস খোলা: প্রতিদিন/)).toBeVisible();
  await expect
    .poll(() =>
      fake
        .accepted()
        .some(
          (c) =>
            c.body.to === RESIDENT_WA &&
            /^রহিমা খাতুন, আপনার বার্তা পেয়েছি। অফিস খোলা: প্রতিদিন/.test(
              String(c.body.text?.body ?? ''),
            ),
        ),
    )
    .toBe(true);
  await expect(page.getByText(/উত্তরের অপেক্ষায়/)).toBeHidden();

  // The label filter finds it; closing takes it off the open list.
  await page.getByRole('button', { name: 'কথোপকথন বন্ধ করুন' }).click();
  await expect(page.getByRole('button', { name: 'কথোপকথন বন্ধ করুন' })).toBeHidden();
  await page.getByRole('link', { name: '← হেল্পলাইন' }).click();
  await page.getByLabel('লেবেল', { exact: true }).fill('জল');
  await expect(page.getByText('কোনো কথোপকথন নেই।')).toBeVisible();
  await page.getByLabel('বন্ধগুলোও দেখান').check();
  await expect(row).toContainText('বন্ধ');
  await expect(row).toContainText('জল');
  const { rows } = await app.pool.query(
    `SELECT labels, closed_at IS NOT NULL AS closed, first_response_at IS NOT NULL AS answered
       FROM helpline_episodes`,
  );
  expect(rows).toEqual([{ labels: ['জল'], closed: true, answered: true }]);
  await context.close();
});

test('the coordinator announces to a locality of the ward, with the audience counted first, and follows it to "read"', async ({
  browser,
}) => {
  const wardCount = (
    await gql(app.url, AUDIENCE, { input: { wardIds: [wardId] } }, coordinatorToken)
  ).announcementAudience.audience.total as number;
  expect(wardCount).toBeGreaterThan(1000);
  const context = await browser.newContext({ viewport: PHONE, locale: 'bn-IN' });
  const page = await context.newPage();
  await signIn(page, app.url, COORDINATOR);
  await page.getByRole('link', { name: 'ঘোষণা' }).click();
  await expect(page.getByRole('heading', { name: 'নতুন ঘোষণা' })).toBeVisible();
  // The whole ward first (the demo's thousands, in Bengali digits), then the one locality.
  await expect(page.getByTestId('audience')).toContainText(`মোট ${toBengali(wardCount)} জন`);
  await page.getByLabel('শুধু এই পাড়া / এলাকা (ঐচ্ছিক)').fill(LOCALITY);
  await expect(page.getByTestId('audience')).toContainText('মোট ১ জন');
  await expect(page.getByTestId('audience')).toContainText('হোয়াটসঅ্যাপে ১ জন');
  // The API's field errors sit under their field: the Bengali text is missing.
  await page.getByLabel('ইংরেজিতে লেখা').fill('Water is off tomorrow from 10 am to 2 pm.');
  await page.getByRole('button', { name: 'এখনই পাঠান' }).click();
  await expect(page.locator('#announce-textBn-error')).toHaveText('এটি দিতে হবে।');
  await page.getByLabel('বাংলায় লেখা').fill('কাল সকাল ১০টা থেকে দুপুর ২টো পর্যন্ত জল বন্ধ থাকবে।');
  await shoot(page, 'announcement-compose');
  await page.getByRole('button', { name: 'এখনই পাঠান' }).click();

  await expect(page.getByRole('status')).toHaveText('ঘোষণা রাখা হয়েছে — নিচের তালিকায় দেখুন।');
  // It goes out (the list reloads itself while it does) and the template reaches the phone.
  const sent = card(page, 'কাল সকাল ১০টা থেকে');
  await expect(sent.getByTestId('announcement-status')).toHaveText('পাঠানো শেষ');
  await expect(sent.getByTestId('progress')).toContainText('প্রাপক১');
  const template = fake
    .accepted()
    .find((c) => c.body.to === RESIDENT_WA && c.body.type === 'template');
  expect(template?.body.template.name).toBe('ward_announcement_bn');
  // WhatsApp reports it read: the progress says so.
  await postWebhook(app, statusPayload([{ id: template!.wamid!, status: 'read' }]));
  await expect(async () => {
    await page.reload();
    await expect(card(page, 'কাল সকাল ১০টা থেকে').getByTestId('progress')).toContainText(
      'পড়েছেন১',
      { timeout: 2_000 },
    );
  }).toPass();
  await shoot(page, 'announcement-sent');

  // One for tomorrow: scheduled, paused, resumed, cancelled.
  const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(
    new Date(Date.now() + 86_400_000),
  );
  await page.getByLabel('বাংলায় লেখা').fill('পরশু টিকাকরণ শিবির, ওয়ার্ড অফিসে।');
  await page
    .getByLabel('ইংরেজিতে লেখা')
    .fill('Vaccination camp the day after, at the ward office.');
  await page.getByLabel('শুধু এই পাড়া / এলাকা (ঐচ্ছিক)').fill(LOCALITY);
  await page.getByLabel('কখন পাঠাবেন (ফাঁকা রাখলে এখনই)').fill(`${tomorrow}T10:00`);
  await page.getByRole('button', { name: 'ঠিক করা সময়ে পাঠান' }).click();
  const later = card(page, 'টিকাকরণ শিবির');
  await expect(later.getByTestId('announcement-status')).toHaveText('সময় ঠিক হয়েছে');
  await expect(later).toContainText('সকাল ১০টা');
  await later.getByRole('button', { name: 'থামান' }).click();
  await expect(later.getByTestId('announcement-status')).toHaveText('থামানো');
  await later.getByRole('button', { name: 'আবার চালু করুন' }).click();
  await expect(later.getByTestId('announcement-status')).toHaveText('সময় ঠিক হয়েছে');
  await later.getByRole('button', { name: 'ঘোষণা বাতিল করুন' }).click();
  await expect(later.getByTestId('announcement-status')).toHaveText('বাতিল');
  await shoot(page, 'announcements');
  // The settings: read to the coordinator, nothing to change (saving is an administrator's).
  await page.getByText('ঘোষণা পাঠানোর সেটিংস').click();
  await expect(page.getByTestId('settings-summary')).toContainText('ward_announcement_bn');
  await expect(page.getByTestId('settings-summary')).toContainText('১১০৭১৭০০০০০০০০০০০০১');
  await expect(page.getByTestId('settings-summary')).toContainText('২৪ ঘণ্টায় ১,০০০ জন পর্যন্ত');
  await expect(page.getByRole('button', { name: 'সেটিংস রাখুন' })).toHaveCount(0);
  const { rows } = await app.pool.query(
    `SELECT status, send_at FROM announcements ORDER BY created_at`,
  );
  expect(rows.map((r) => r.status)).toEqual(['SENT', 'CANCELLED']);
  expect(new Date(rows[1].send_at).toISOString()).toBe(
    new Date(`${tomorrow}T10:00:00+05:30`).toISOString(),
  );
  await context.close();
});

test('the administrator, in English, sees the helpline response times and cannot approve their own announcement', async ({
  browser,
}) => {
  const { context, page } = await adminInEnglish(browser);
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.getByRole('combobox', { name: 'Ward', exact: true }).selectOption({ label: 'Ward 5' });
  const times = page.getByTestId('helpline-times');
  await expect(times).toContainText('1 handed to people');
  await expect(times).toContainText('1 answered');
  await expect(times).toContainText('1 closed');
  await expect(times.getByRole('row', { name: /^First response/ })).toContainText('min');
  await expect(times.getByRole('row', { name: /নাসরিন সুলতানা/ })).toBeVisible();
  await shoot(page, 'dashboard-helpline-times');

  await page.getByRole('link', { name: 'Announcements' }).click();
  await expect(page.getByRole('heading', { name: 'New announcement' })).toBeVisible();
  await page.getByLabel('Text in Bengali').fill('পৌরসভার কর জমার শেষ দিন ৩১ ডিসেম্বর।');
  await page
    .getByLabel('Text in English')
    .fill('The last day to pay municipal tax is 31 December.');
  await page.getByLabel(/The whole municipality/).check();
  await expect(page.getByTestId('audience')).toContainText('residents');
  await page.getByRole('button', { name: 'Submit for approval' }).click();
  const pending = card(page, 'পৌরসভার কর জমার');
  await expect(pending.getByTestId('announcement-status')).toHaveText('Waiting for approval');
  await pending.getByRole('button', { name: 'Approve' }).click();
  await expect(pending.getByRole('alert')).toBeVisible();
  await expect(pending.getByTestId('announcement-status')).toHaveText('Waiting for approval');
  await shoot(page, 'announcements-admin');
  await page.getByRole('link', { name: 'Helpline' }).click();
  await page.getByRole('combobox', { name: 'Ward', exact: true }).selectOption({ label: 'Ward 5' });
  await page.getByLabel('Closed ones too').check();
  await expect(page.locator('li.row', { hasText: 'রহিমা খাতুন' })).toContainText('Closed');
  await shoot(page, 'help-desk-english');
  await page.getByRole('link', { name: 'Manage canned replies' }).click();
  await page.getByRole('combobox', { name: 'Ward', exact: true }).selectOption({ label: 'Ward 5' });
  await expect(page.getByRole('heading', { name: 'অফিসের সময়' })).toBeVisible();
  // The ward has a reply of that title already: said under the title, in English.
  await page.getByLabel('Title (staff pick it by this)').fill('অফিসের সময়');
  await page.getByLabel('Bengali text').fill('আবার');
  await page.getByLabel('English text').fill('Again');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#canned-new-title-error')).toHaveText(
    'This is already taken — choose another.',
  );
  await shoot(page, 'canned-replies-english');
  // Edited with the version read: the list shows the new text.
  await page.getByRole('button', { name: 'Edit: অফিসের সময়' }).click();
  const edit = page.getByRole('form', { name: 'অফিসের সময়' });
  await edit
    .getByLabel('English text')
    .fill('{{residentName}}, the ward office has your message. Hours: {{wardHours}}');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved');
  await expect(
    page.getByText('{{residentName}}, the ward office has your message. Hours: {{wardHours}}'),
  ).toBeVisible();
  await context.close();
});

test('the administrator saves the announcement settings through the screen; a wrong value is refused at its field', async ({
  browser,
}) => {
  const { context, page } = await adminInEnglish(browser);
  await page.getByRole('link', { name: 'Announcements' }).click();
  await page.getByText('Announcement settings').click();
  const settings = page.getByRole('form', { name: 'Announcement settings' });
  // The values saved before are loaded into the form.
  const bnName = settings
    .getByRole('group', { name: 'Bengali' })
    .getByLabel('WhatsApp template name');
  const enName = settings
    .getByRole('group', { name: 'English' })
    .getByLabel('WhatsApp template name');
  const enDlt = settings
    .getByRole('group', { name: 'English' })
    .getByLabel('SMS DLT template id (19 digits)');
  await expect(bnName).toHaveValue('ward_announcement_bn');
  await expect(enDlt).toHaveValue('1107170000000000002');
  await expect(settings.getByLabel('Helpline numbers’ messaging limit')).toHaveValue('TIER_1K');

  // An 18-digit DLT id and a capitalised template name: each refused at its own field.
  await enDlt.fill('110717000000000003');
  await enName.fill('Ward_News_EN');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.locator('#settings-EN-smsDltTemplateId-error')).toHaveText(
    'A DLT template id is 19 digits.',
  );
  await expect(page.locator('#settings-EN-whatsappTemplateName-error')).toHaveText(
    'Lower-case English letters, digits and _ only.',
  );
  await expect(enDlt).toHaveAttribute('aria-invalid', 'true');
  await page.locator('details').screenshot({ path: `${SHOTS}/announcement-settings-error-en.png` });
  const { rows: unchanged } = await app.pool.query(
    `SELECT messaging_tier, templates FROM announcement_settings`,
  );
  expect(unchanged.map((r) => r.messaging_tier)).toEqual(['TIER_1K']);

  await enDlt.fill('1107170000000000003');
  await enName.fill('ward_news_en');
  await bnName.fill('ward_news_bn');
  await settings
    .getByLabel('Helpline numbers’ messaging limit')
    .selectOption({ label: '10,000 residents in 24 hours' });
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(settings.getByRole('status')).toHaveText('Settings saved.');
  await expect(page.locator('#settings-EN-smsDltTemplateId-error')).toBeHidden();
  await page.locator('details').screenshot({ path: `${SHOTS}/announcement-settings-en.png` });
  const { rows } = await app.pool.query(
    `SELECT messaging_tier, templates FROM announcement_settings`,
  );
  expect(rows).toEqual([
    {
      messaging_tier: 'TIER_10K',
      templates: [
        {
          language: 'bn',
          whatsappTemplateName: 'ward_news_bn',
          smsDltTemplateId: '1107170000000000001',
        },
        {
          language: 'en',
          whatsappTemplateName: 'ward_news_en',
          smsDltTemplateId: '1107170000000000003',
        },
      ],
    },
  ]);

  // In Bengali on a phone: the same form, Bengali digits in the tiers, errors in Bengali.
  await page.setViewportSize(PHONE);
  await page.getByRole('button', { name: 'Change language' }).click();
  const form = page.getByRole('form', { name: 'ঘোষণা পাঠানোর সেটিংস' });
  await expect(form.getByLabel('হেল্পলাইন নম্বরের মেসেজিং সীমা')).toContainText('২৪ ঘণ্টায় ১০,০০০ জন');
  const bnDlt = form
    .getByRole('group', { name: 'বাংলা' })
    .getByLabel('এসএমএসের DLT টেমপ্লেট আইডি (১৯ অঙ্ক)');
  await expect(bnDlt).toHaveValue('১১০৭১৭০০০০০০০০০০০০১');
  await bnDlt.fill('১১০৭১৭০০০০০০০০০০');
  await form.getByRole('button', { name: 'সেটিংস রাখুন' }).click();
  await expect(page.locator('#settings-BN-smsDltTemplateId-error')).toHaveText(
    'DLT টেমপ্লেট আইডি ১৯টি অঙ্কের।',
  );
  await page.locator('details').screenshot({ path: `${SHOTS}/announcement-settings-bn.png` });
  // Bengali digits, spaced as on the DLT portal's page, are read as the id.
  await bnDlt.fill('১১০৭ ১৭০০ ০০০০ ০০০০ ০০৯');
  await form.getByRole('button', { name: 'সেটিংস রাখুন' }).click();
  await expect(form.getByRole('status')).toHaveText('সেটিংস রাখা হয়েছে।');
  const { rows: after } = await app.pool.query(
    `SELECT templates->0->>'smsDltTemplateId' AS bn, templates->1->>'smsDltTemplateId' AS en
       FROM announcement_settings`,
  );
  // The English id, shown in Bengali digits, is saved back unchanged.
  expect(after).toEqual([{ bn: '1107170000000000009', en: '1107170000000000003' }]);
  await context.close();
});

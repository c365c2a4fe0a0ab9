import { Page } from '@playwright/test';
import { HELPLINE } from '../../support/whatsapp-payloads';
import { AppUnderTest, gql } from './app-under-test';

/** Where the browser tests leave their screenshots (git-ignored), to be looked at. */
export const SHOTS = `${__dirname}/../../../console/test-results/screens`;
export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 800 };
/** The demo's people (src/demo/demo-data.ts). */
export const COORDINATOR = { login: 'ward5.coordinator', password: 'duare-demo-ward-five' };
export const AGENT = { login: 'ward5.agent', password: 'duare-demo-agent-five' };
export const ADMIN = { login: 'bsr.admin', password: 'duare-demo-office-2026' };

/** Signs in through the console's own form, in Bengali (the first visit's language). */
export async function signIn(page: Page, url: string, who: { login: string; password: string }) {
  await page.goto(`${url}/`);
  await page.getByLabel('ইউজারনেম বা ফোন নম্বর').fill(who.login);
  await page.getByLabel('পাসওয়ার্ড').fill(who.password);
  await page.getByRole('button', { name: 'সাইন ইন করুন' }).click();
}

export async function shoot(page: Page, name: string) {
  await page.screenshot({
    path: `${SHOTS}/${name}-${page.viewportSize()?.width}.png`,
    fullPage: true,
  });
}

/** An access token, through the API as any client gets one. */
export async function tokenOf(
  app: AppUnderTest,
  who: { login: string; password: string },
): Promise<string> {
  const { signIn: session } = await gql(
    app.url,
    `mutation ($input: SignInInput!) { signIn(input: $input) { accessToken } }`,
    { input: who },
  );
  return session.accessToken as string;
}

/**
 * The coordinator's ward with the helpline number the signed webhooks are addressed to and
 * open hours all week — what the API has no operation for. Answers the ward's id.
 */
export async function openWardHelpline(app: AppUnderTest, token: string): Promise<string> {
  const { me } = await gql(app.url, `{ me { wardIds } }`, {}, token);
  const wardId = me.wardIds[0] as string;
  await app.pool.query(
    `UPDATE wards SET whatsapp_phone_number_id = $2, service_hours = $3 WHERE id = $1`,
    [
      wardId,
      HELPLINE,
      JSON.stringify({
        days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'],
        opensAt: '08:00',
        closesAt: '20:00',
      }),
    ],
  );
  return wardId;
}

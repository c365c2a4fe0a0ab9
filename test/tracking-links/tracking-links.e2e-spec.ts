import { StaffRole } from '../../src/common/access/staff-role';
import { NotificationDispatcherService } from '../../src/notifications/notification-dispatcher.service';
import { GraphQL, insertWards, seedMunicipality, staffClient } from '../support/fixtures';
import { createRequest, createResident, seedCatalogue, step } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

const LINK = `trackingLink { url createdAt expiresAt }`;
const READ = `query ($id: ID!) { request(id: $id) { id version status completedAt ${LINK} } }`;
const REVOKE = `mutation ($input: RevokeTrackingLinkInput!) {
  revokeTrackingLink(input: $input) { trackingLink { url expiresAt } errors { code field message } } }`;

describe('tracking links (e2e): a request followed without an account', () => {
  let t: TestApp;
  let ward5: string;
  let coordinator: GraphQL;
  let otherWard: GraphQL;
  let types: Record<string, string>;
  let rahim: string;

  /** The page, fetched like a resident's phone does: no cookie, no token, no header. */
  const open = async (url: string) => {
    const response = await fetch(url.replace(/^https?:\/\/[^/]+/, t.url));
    return { status: response.status, headers: response.headers, html: await response.text() };
  };
  const read = async (client: GraphQL, id: string) => (await client(READ, { id })).data?.request;
  const tokenOf = (url: string) => url.split('/t/')[1];

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_BASE_URL: 'https://duare.example.in' });
    const bsr = await seedMunicipality(t, 'BSR');
    let ward6: string;
    [, , , , ward5, ward6] = await insertWards(t, bsr, 6);
    types = await seedCatalogue(t, bsr);
    coordinator = await staffClient(t, bsr, 'coord.5', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward5 },
    ]);
    otherWard = await staffClient(t, bsr, 'coord.6', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward6 },
    ]);
    rahim = await createResident(coordinator, ward5, 'রহিম শেখ', '+91 98765 43210', {
      address: { houseNumber: '12/3', locality: 'মৈত্রবাগান', pinCode: '743411' },
    });
  });
  afterAll(() => t.close());

  it('sends the link with the acknowledgement, shows the request without personal data, revokes and expires it', async () => {
    const request = await createRequest(coordinator, {
      residentId: rahim,
      serviceTypeId: types.GARBAGE,
      description: 'পাড়ার মোড়ে তিন দিন ধরে ময়লা পড়ে আছে',
    });
    const link = (await read(coordinator, request.id)).trackingLink;
    expect(link.url).toMatch(/^https:\/\/duare\.example\.in\/t\/[A-Za-z0-9_-]{22}$/);
    expect(link.expiresAt).toBeNull();
    // Reading it again gives the same link (it is issued once, not per read).
    expect((await read(coordinator, request.id)).trackingLink.url).toBe(link.url);

    // The acknowledgement carried it (the log channel writes the text outside production),
    // and the stored copy of the message no longer holds it once sent.
    await t.app.get(NotificationDispatcherService).kick();
    const sent = await waitFor('the acknowledgement sent', async () => {
      const { rows } = await t.db.pool.query(
        `SELECT body, status FROM notifications WHERE request_id = $1 AND template_key = 'request_received'`,
        [request.id],
      );
      return rows[0]?.status === 'SENT' ? rows[0] : null;
    });
    expect(t.logs.join('\n')).toContain(`আবেদনের খবর দেখুন: ${link.url}`);
    expect(sent.body).not.toContain(tokenOf(link.url));
    expect(sent.body).toContain('আবেদনের খবর দেখুন: ••••••');

    // The database holds the token only hashed.
    const { rows: stored } = await t.db.pool.query(
      `SELECT to_jsonb(l)::text AS row FROM tracking_links l WHERE request_id = $1`,
      [request.id],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0].row).not.toContain(tokenOf(link.url));

    const page = await open(link.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-robots-tag')).toContain('noindex');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.html).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(page.html).not.toMatch(/<script/i);
    expect(page.html).toContain('<html lang="bn">');
    const [, year, serial] = /^BSR-05-(\d{4})-(\d{5})$/.exec(request.trackingNumber)!;
    const bn = (s: string) => s.replace(/\d/g, (d) => '০১২৩৪৫৬৭৮৯'[Number(d)]);
    expect(page.html).toContain(`BSR-০৫-${bn(year)}-${bn(serial)}`);
    expect(page.html).toContain('আবেদন জমা পড়েছে');
    expect(page.html).toContain('ওয়ার্ডের কোঅর্ডিনেটর আপনার আবেদন দেখবেন।');
    expect(page.html).toContain('র.');
    // No phone (in any digits), no address, no full name, no description.
    for (const absent of [
      '98765',
      '43210',
      '৯৮৭৬৫',
      '৪৩২১০',
      'রহিম',
      'শেখ',
      'মৈত্রবাগান',
      '743411',
      '৭৪৩৪১১',
      'ময়লা পড়ে',
    ]) {
      expect(page.html).not.toContain(absent);
    }

    // Another ward's coordinator can neither read nor revoke it; nothing changes.
    const foreign = await otherWard(REVOKE, { input: { requestId: request.id } });
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await open(link.url)).status).toBe(200);
    const badId = await coordinator(REVOKE, { input: { requestId: 'not-a-uuid' } });
    expect(badId.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    // Revoked: the old link opens a plain page, a new one works.
    const revoked = await coordinator(REVOKE, { input: { requestId: request.id } });
    const fresh = revoked.data?.revokeTrackingLink.trackingLink.url;
    expect(fresh).toMatch(/\/t\/[A-Za-z0-9_-]{22}$/);
    expect(fresh).not.toBe(link.url);
    const gone = await open(link.url);
    expect(gone.status).toBe(404);
    expect(gone.html).toContain('এই লিঙ্কটি আর চালু নেই');
    expect(gone.html).toContain('This link no longer works');
    expect(gone.html).not.toContain('BSR-');
    expect((await read(coordinator, request.id)).trackingLink.url).toBe(fresh);

    // Resolved: the page says so; the link lasts 30 days after the outcome, then is gone.
    const reviewed = (await step(coordinator, request, 'START_REVIEW')).data?.transitionRequest
      .request;
    const resolved = await step(coordinator, reviewed, 'RESOLVE', 'ময়লা তুলে নেওয়া হয়েছে');
    expect(resolved.data?.transitionRequest.errors).toEqual([]);
    const after = await read(coordinator, request.id);
    expect(new Date(after.trackingLink.expiresAt).getTime()).toBe(
      new Date(after.completedAt).getTime() + 30 * 24 * 60 * 60 * 1000,
    );
    const done = await open(fresh);
    expect(done.status).toBe(200);
    expect(done.html).toContain('সমাধান হয়েছে');
    await t.db.pool.query(
      `UPDATE service_requests SET completed_at = now() - interval '31 days' WHERE id = $1`,
      [request.id],
    );
    const expired = await open(fresh);
    expect(expired.status).toBe(404);
    expect(expired.html).toContain('এই লিঙ্কটি আর চালু নেই');
  });

  it('shows an English-speaking resident the page in English', async () => {
    const mary = await createResident(coordinator, ward5, 'Mary Das', '9830012345');
    await t.db.pool.query(`UPDATE residents SET preferred_language = 'EN' WHERE id = $1`, [mary]);
    const request = await createRequest(coordinator, {
      residentId: mary,
      serviceTypeId: types.GARBAGE,
    });
    const page = await open((await read(coordinator, request.id)).trackingLink.url);
    expect(page.html).toContain('<html lang="en">');
    expect(page.html).toContain(request.trackingNumber);
    expect(page.html).toContain('Received');
    expect(page.html).toContain('M.');
    expect(page.html).not.toContain('Mary');
    expect(page.html).not.toContain('Das');
    expect(page.html).not.toContain('9830012345');
  });

  it('answers unknown, malformed, huge and Bengali tokens with the plain page, then rate-limits', async () => {
    for (const token of [
      'A'.repeat(22),
      'short',
      'x'.repeat(5000),
      encodeURIComponent('টোকেন'),
      encodeURIComponent("'; DROP TABLE tracking_links; --"),
    ]) {
      const page = await open(`${t.url}/t/${token}`);
      expect([404, 414]).toContain(page.status);
      if (page.status === 404) {
        expect(page.html).toContain('এই লিঙ্কটি আর চালু নেই');
        expect(page.html).not.toMatch(/stack|Error:|at \w+ \(/);
      }
    }
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM tracking_links`);
    expect(rows[0].n).toBeGreaterThan(0);
    // A scanner trying tokens from one address is stopped within the minute's budget.
    const statuses: number[] = [];
    for (let i = 0; i < 40 && !statuses.includes(429); i += 1) {
      statuses.push((await open(`${t.url}/t/${'B'.repeat(22)}`)).status);
    }
    expect(statuses).toContain(429);
    const busy = await open(`${t.url}/t/${'C'.repeat(22)}`);
    expect(busy.status).toBe(429);
    expect(busy.html).toContain('Too many tries');
  });
});

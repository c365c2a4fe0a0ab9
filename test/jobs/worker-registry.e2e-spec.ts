import { WorkerRegistry } from '../../src/jobs/worker-registry';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Every background job of a running app is a worker of the one registry, and its figures
 * (what a /metrics endpoint exports) come from the real tables.
 */
describe('background workers (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ WHATSAPP_MEDIA_POLL_MS: '60000' });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('registers every job once, each with its own settings', async () => {
    const snapshot = await t.app.get(WorkerRegistry).snapshot();
    expect(snapshot.map((w) => w.name)).toEqual([
      'announcements',
      'callback-escalation',
      'daily-digest',
      'hand-over-watch',
      'helpline-escalation',
      'housekeeping',
      'notifications',
      'sla-sweep',
      'webhooks',
      'whatsapp-inbox',
      'whatsapp-late-statuses',
      'whatsapp-media',
    ]);
    const byName = Object.fromEntries(snapshot.map((w) => [w.name, w]));
    // The test app turns the timers of the sweep, housekeeping and hand-over watch off.
    expect(byName['sla-sweep'].enabled).toBe(false);
    expect(byName.housekeeping.enabled).toBe(false);
    expect(byName['hand-over-watch'].enabled).toBe(false);
    expect(byName.notifications).toMatchObject({ enabled: true, due: 0, failed: 0 });
    expect(byName.notifications.settings).toMatchObject({ batch: 50, concurrency: 50 });
    expect(byName.webhooks.settings).toMatchObject({ leaseSeconds: 120, concurrency: 16 });
  });

  it('counts due and parked items, and the age of the oldest due one, from the table', async () => {
    await t.db.pool.query(
      `INSERT INTO whatsapp_media_fetches (media_id, phone_number_id, wamid, status, next_attempt_at)
       VALUES ('m-due-1', '1000', 'wamid.1', 'PENDING', now() - interval '90 seconds'),
              ('m-due-2', '1000', 'wamid.2', 'PENDING', now() - interval '5 seconds'),
              ('m-later', '1000', 'wamid.3', 'PENDING', now() + interval '1 hour'),
              ('m-failed', '1000', 'wamid.4', 'FAILED', now() - interval '1 day')`,
    );
    const media = (await t.app.get(WorkerRegistry).snapshot()).find(
      (w) => w.name === 'whatsapp-media',
    );
    expect(media).toMatchObject({ due: 2, failed: 1, running: 0, failedRuns: 0 });
    expect(media?.oldestDueSeconds).toBeGreaterThanOrEqual(90);
  });
});

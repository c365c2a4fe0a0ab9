import { CLAIM_SQL } from '../../src/notifications/notification-dispatcher.service';
import { seedMunicipality } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The dispatcher's claim at the size a municipality keeps (issue 25): tens of thousands of
 * sent notifications within the retention period, a few due. Its walk in `seq` order must be
 * over the pending rows alone, not from the oldest kept row.
 */
describe('the notification claim beside a long history (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('walks the pending rows by their own index, never the kept history', async () => {
    const municipality = await seedMunicipality(t);
    await t.db.pool.query(
      `INSERT INTO notifications (municipality_id, template_key, recipient_type, recipient_id,
         channel, address, language, body, status, sent_at, next_attempt_at)
       SELECT $1, 'request_submitted', 'RESIDENT', gen_random_uuid(), 'WHATSAPP',
              '9198' || lpad(n::text, 8, '0'), 'bn', 'পাঠানো হয়েছে',
              CASE WHEN n > 60000 THEN 'QUEUED' ELSE 'SENT' END::notification_status,
              CASE WHEN n > 60000 THEN NULL ELSE now() END,
              -- Due tomorrow: for the planner, not for this instance's dispatcher to send.
              now() + interval '1 day'
         FROM generate_series(1, 60040) AS n`,
      [municipality],
    );
    await t.db.pool.query('ANALYZE notifications');
    const { rows } = await t.db.pool.query(`EXPLAIN (FORMAT JSON) ${CLAIM_SQL}`, [32, 60, 5]);
    const scans = scansOf(rows[0]['QUERY PLAN'][0].Plan).filter(
      (node) => node['Relation Name'] === 'notifications',
    );
    // The pending rows by their own index; never a walk of every kept row's seq, nor a scan.
    expect(scans.map((node) => node['Index Name'])).toContain('ix_notifications_pending_seq');
    expect(scans.filter((node) => node['Index Name'] === 'uq_notifications_seq')).toEqual([]);
    expect(scans.filter((node) => node['Node Type'] === 'Seq Scan')).toEqual([]);
  });
});

type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };

/** Every node of an EXPLAIN (FORMAT JSON) plan. */
function scansOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(scansOf)];
}

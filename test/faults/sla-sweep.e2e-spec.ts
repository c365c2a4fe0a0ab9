/**
 * Fault injection, the SLA sweep (issue 30 item 7): a backlog of breaches is recorded in
 * bounded, committed chunks (one array parameter, never one parameter per request); a
 * request whose breach cannot be recorded is rolled back alone and reported while every
 * other is recorded; a coordinator working on a request meanwhile is not held up; the daily
 * digest does not depend on the sweep.
 */
import { StaffRole } from '../../src/common/access/staff-role';
import { RequestSlaService, SLA_ALERTS_PER_WARD } from '../../src/requests/sla/request-sla.service';
import {
  GraphQL,
  insertWards,
  seedMunicipality,
  seedStaff,
  staffClient,
} from '../support/fixtures';
import { createRequest, createResident, seedCatalogue } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

const BACKLOG = 600;

describe('faults: the SLA sweep', () => {
  let t: TestApp;
  let coordinator: GraphQL;
  let template: Record<string, any>;

  beforeAll(async () => {
    t = await startTestApp();
    const bsr = await seedMunicipality(t, 'BSR');
    const [ward] = await insertWards(t, bsr, 1);
    const types = await seedCatalogue(t, bsr);
    coordinator = await staffClient(t, bsr, 'coord', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward },
    ]);
    await seedStaff(t, bsr, 'admin.phone', [{ role: StaffRole.MUNICIPAL_ADMIN }], {
      phone: '+91 70000 00101',
    });
    const resident = await createResident(coordinator, ward, 'Rahim Sheikh');
    template = await createRequest(coordinator, {
      residentId: resident,
      serviceTypeId: types.GARBAGE,
    });
    // A backlog made at once (as after an outage): copies of one request, all overdue.
    await t.db.pool.query(
      `INSERT INTO service_requests (municipality_id, ward_id, tracking_number, resident_id,
              service_type_id, definition_version, category, channel, attributes, sla_due_at)
       SELECT municipality_id, ward_id, tracking_number || '-' || n, resident_id, service_type_id,
              definition_version, category, channel, attributes, sla_due_at
         FROM service_requests, generate_series(1, $2) AS n WHERE id = $1`,
      [template.id, BACKLOG - 1],
    );
  });
  afterAll(() => t?.close());

  it('item 7: records a backlog in committed chunks, isolates a failing request, never holds a coordinator up', async () => {
    const sla = t.app.get(RequestSlaService);
    const at = new Date(Date.parse(template.sla.dueAt) + 3_600_000);
    const { rows: picked } = await t.db.pool.query(
      `SELECT id FROM service_requests ORDER BY id LIMIT 1 OFFSET 350`,
    );
    const poisoned = picked[0].id as string;
    // The fault: this one request's timeline entry cannot be written.
    await t.db.pool.query(`
      CREATE FUNCTION fault_timeline() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.request_id = '${poisoned}' THEN RAISE EXCEPTION 'injected: cannot store this entry'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER fault_timeline BEFORE INSERT ON request_events
        FOR EACH ROW EXECUTE FUNCTION fault_timeline();`);
    // A coordinator holds one request (a transaction in progress) the whole time.
    const held = await t.db.pool.connect();
    await held.query('BEGIN');
    await held.query(`SELECT 1 FROM service_requests WHERE id = $1 FOR UPDATE`, [template.id]);
    let recorded: number;
    const started = Date.now();
    try {
      recorded = await sla.sweep(at, 100);
    } finally {
      await held.query('ROLLBACK');
      held.release();
      await t.db.pool.query(
        `DROP TRIGGER fault_timeline ON request_events; DROP FUNCTION fault_timeline()`,
      );
    }
    const seconds = (Date.now() - started) / 1000;
    // Everything but the poisoned request and the one the coordinator held.
    expect(recorded).toBe(BACKLOG - 2);
    const { rows } = await t.db.pool.query(
      `SELECT count(*) FILTER (WHERE sla_breached_at IS NOT NULL)::int AS breached,
              bool_or(sla_breached_at IS NOT NULL) FILTER (WHERE id = $1) AS poisoned,
              bool_or(sla_breached_at IS NOT NULL) FILTER (WHERE id = $2) AS held
         FROM service_requests`,
      [poisoned, template.id],
    );
    expect(rows[0]).toEqual({ breached: BACKLOG - 2, poisoned: false, held: false });
    const events = await t.db.pool.query(
      `SELECT count(*)::int AS n FROM domain_events WHERE type = 'request.sla_breached'`,
    );
    expect(events.rows[0].n).toBe(BACKLOG - 2);
    // Three alerts one by one, the rest in one summary, across all the chunks.
    const staff = await t.db.pool.query(
      `SELECT template_key, count(*)::int AS n FROM notifications WHERE recipient_type = 'STAFF'
        GROUP BY template_key ORDER BY template_key`,
    );
    expect(staff.rows).toEqual([
      { template_key: 'staff_sla_breached', n: SLA_ALERTS_PER_WARD },
      { template_key: 'staff_sla_breaches_summary', n: 1 },
    ]);
    expect(t.logs.join('')).toContain('SLA breach could not be recorded');
    // The next tick records the two left over, once each.
    expect(await sla.sweep(at, 100)).toBe(2);
    expect(await sla.sweep(at, 100)).toBe(0);
    console.log(`SLA sweep of ${BACKLOG} breaches in chunks of 100: ${seconds.toFixed(1)} s`);
  }, 60_000);

  it('item 7: the digest runs on its own schedule while every sweep fails', async () => {
    // An instance with both timers running, the digest due at any hour.
    const other = await startTestApp({ SLA_SWEEP_SECONDS: '1', DIGEST_HOUR: '0' }, t.db);
    // The fault: the sweep's column is gone, every sweep fails outright.
    await t.db.pool.query(
      `ALTER TABLE service_requests RENAME COLUMN sla_breached_at TO sla_breached_at_gone`,
    );
    try {
      await waitFor('the daily digest', async () => {
        const { rows } = await t.db.pool.query(`SELECT 1 FROM job_runs WHERE job = 'daily-digest'`);
        return rows.length > 0;
      });
      await waitFor('a failed sweep in the log', () =>
        other.logs.some((line) => line.includes('SLA sweep failed')),
      );
    } finally {
      await t.db.pool.query(
        `ALTER TABLE service_requests RENAME COLUMN sla_breached_at_gone TO sla_breached_at`,
      );
      await other.close();
    }
    const digests = await t.db.pool.query(
      `SELECT count(*)::int AS n FROM domain_events WHERE type = 'ward.daily_digest'`,
    );
    expect(digests.rows[0].n).toBe(1);
  });
});

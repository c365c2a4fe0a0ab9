import type { Pool } from 'pg';
import { StaffRole } from '../../src/common/access/staff-role';
import { insertWards, seedMunicipality, staffClient } from './fixtures';
import { seedCatalogue } from './request-fixtures';
import { TestApp } from './test-app';
import { HELPLINE, makeHelpline, messagesPayload, text } from './whatsapp-payloads';

export * from './whatsapp-payloads';

/** A municipality with one ward whose WhatsApp number is the helpline, its catalogue and coordinator. */
export async function helplineWard(t: TestApp) {
  const municipality = await seedMunicipality(t, 'BSR');
  const [ward] = await insertWards(t, municipality, 1);
  await makeHelpline(t.db.pool, ward);
  const types = await seedCatalogue(t, municipality);
  const coordinator = await staffClient(t, municipality, 'coord.1', [
    { role: StaffRole.WARD_COORDINATOR, wardId: ward },
  ]);
  return { municipality, ward, types, coordinator };
}

/**
 * A database fault inside the inbox's processing: storing any message whose wamid starts
 * `wamid.POISON` raises. Returns the function that takes the fault away again.
 */
export async function poisonMessages(pool: Pool): Promise<() => Promise<void>> {
  await pool.query(`
    CREATE OR REPLACE FUNCTION test_poison() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.wamid LIKE 'wamid.POISON%' THEN
        RAISE EXCEPTION 'poisoned for the test: %', NEW.wamid;
      END IF;
      RETURN NEW;
    END $$`);
  await pool.query(
    `CREATE TRIGGER test_poison BEFORE INSERT ON whatsapp_messages
       FOR EACH ROW EXECUTE FUNCTION test_poison()`,
  );
  return async () => {
    await pool.query(`DROP TRIGGER test_poison ON whatsapp_messages`);
  };
}

/**
 * A message's payload stored as if WhatsApp had delivered it while the inbox was busy (due
 * now, written at the message's own timestamp); resolves with the inbox row's id.
 */
export async function storePending(pool: Pool, message: ReturnType<typeof text>): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO whatsapp_inbox (payload, sender, helpline, order_at, next_attempt_at)
     VALUES ($1, $2, $3, to_timestamp($4), now()) RETURNING id`,
    [JSON.stringify(messagesPayload([message])), message.from, HELPLINE, Number(message.timestamp)],
  );
  return rows[0].id;
}

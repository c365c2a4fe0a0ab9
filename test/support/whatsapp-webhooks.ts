import { StaffRole } from '../../src/common/access/staff-role';
import { insertWards, seedMunicipality, staffClient } from './fixtures';
import { seedCatalogue } from './request-fixtures';
import { TestApp } from './test-app';
import { makeHelpline } from './whatsapp-payloads';

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

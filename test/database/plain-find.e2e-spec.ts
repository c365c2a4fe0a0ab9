import { randomUUID } from 'node:crypto';
import { DataSource, EntityTarget, In, ObjectLiteral } from 'typeorm';
import { Certificate } from '../../src/certificates/entities/certificate.entity';
import { StaffRole } from '../../src/common/access/staff-role';
import { findManyPlain, findOnePlain, insertNew } from '../../src/database/plain-find';
import { ServiceRequest } from '../../src/requests/entities/service-request.entity';
import { ServiceTypeRow } from '../../src/requests/entities/service-type.entity';
import { Resident } from '../../src/residents/entities/resident.entity';
import { Municipality } from '../../src/wards/entities/municipality.entity';
import { Ward } from '../../src/wards/entities/ward.entity';
import { insertWards, seedMunicipality, staffClient } from '../support/fixtures';
import { createRequest, createResident, seedCatalogue } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * `findOnePlain` replaces TypeORM's `findOneBy` on hot read paths: it must give the very same
 * entity — every column, each value of the same type (dates as Date, `date` columns as text,
 * enums, JSON, nulls) — and nothing for a row that does not match.
 */
describe('findOnePlain (e2e)', () => {
  let t: TestApp;
  let bsr: string;
  let ward5: string;
  let residentId: string;
  let requestId: string;
  let serviceTypeId: string;

  beforeAll(async () => {
    t = await startTestApp();
    bsr = await seedMunicipality(t, 'BSR');
    [, , , , ward5] = await insertWards(t, bsr, 5);
    const types = await seedCatalogue(t, bsr);
    serviceTypeId = types.INCOME_CERT;
    const coordinator = await staffClient(t, bsr, 'coord.5', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward5 },
    ]);
    residentId = await createResident(coordinator, ward5, 'রহিম শেখ', '+91 98765 43210', {
      altName: 'Rahim Sheikh',
    });
    // Every kind of column filled: dates, timestamps, enums, text, JSON.
    await t.db.pool.query(
      `UPDATE residents SET date_of_birth = '1980-02-29', guardian_name = 'করিম শেখ',
         guardian_relation = 'FATHER', pin_code = '743411', verified_at = now() WHERE id = $1`,
      [residentId],
    );
    await t.db.pool.query(
      `UPDATE wards SET councillor_status_since = '2025-04-01', deactivated_at = NULL WHERE id = $1`,
      [ward5],
    );
    requestId = (
      await createRequest(coordinator, {
        residentId,
        serviceTypeId,
        attributes: { purpose: 'school', annual_income: '১,২০,০০০' },
      })
    ).id;
  });
  afterAll(() => t.close());
  const dataSource = () => t.app.get(DataSource);

  const same = async <T extends ObjectLiteral>(
    target: EntityTarget<T>,
    where: Partial<Record<keyof T & string, string | number>>,
  ) => {
    const plain = await findOnePlain(dataSource().manager, target, where);
    const orm = await dataSource().manager.findOneBy(target, where as never);
    expect(orm).not.toBeNull();
    expect(plain).toEqual(orm);
    // Same class and the same property types, not only equal-looking values.
    expect(Object.getPrototypeOf(plain)).toBe(Object.getPrototypeOf(orm));
    for (const [key, value] of Object.entries(orm as object)) {
      const mine = (plain as Record<string, unknown>)[key];
      expect([key, Object.prototype.toString.call(mine)]).toEqual([
        key,
        Object.prototype.toString.call(value),
      ]);
    }
    return plain as T;
  };

  it('reads the same entity as findOneBy, column for column', async () => {
    const resident = await same(Resident, { id: residentId, municipalityId: bsr });
    expect(resident.dateOfBirth).toBe('1980-02-29');
    expect(resident.verifiedAt).toBeInstanceOf(Date);
    await same(Resident, { municipalityId: bsr, phone: '+919876543210' });
    const ward = await same(Ward, { id: ward5, municipalityId: bsr });
    expect(ward.number).toBe(5);
    await same(Municipality, { id: bsr });
    await same(ServiceTypeRow, { id: serviceTypeId, municipalityId: bsr });
    const request = await same(ServiceRequest, { id: requestId });
    expect(request.attributes).toMatchObject({ purpose: 'school' });
  });

  it('reads a batch like findBy(In(…)), and nothing for no ids', async () => {
    const manager = dataSource().manager;
    const ids = (await manager.find(Ward)).map((ward) => ward.id);
    const byId = (rows: Ward[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
    const plain = await findManyPlain(manager, Ward, 'id', ids.slice(1, 4));
    expect(plain).toHaveLength(3);
    expect(byId(plain)).toEqual(byId(await manager.findBy(Ward, { id: In(ids.slice(1, 4)) })));
    expect(await findManyPlain(manager, Ward, 'id', [])).toEqual([]);
  });

  it('answers null for no match and reads in the given manager’s transaction', async () => {
    expect(
      await findOnePlain(dataSource().manager, Resident, {
        id: residentId,
        municipalityId: ward5,
      }),
    ).toBeNull();
    await dataSource().transaction(async (manager) => {
      await manager.query(`UPDATE wards SET number = 55 WHERE id = $1`, [ward5]);
      expect((await findOnePlain(manager, Ward, { id: ward5 }))?.number).toBe(55);
      expect((await findOnePlain(dataSource().manager, Ward, { id: ward5 }))?.number).toBe(5);
      await manager.query(`UPDATE wards SET number = 5 WHERE id = $1`, [ward5]);
    });
  });

  it('inserts a new entity like save: defaults returned, unset nullable columns null', async () => {
    const manager = dataSource().manager;
    const model = (await manager.findOneBy(ServiceRequest, { id: requestId }))!;
    const id = randomUUID();
    const now = new Date();
    const made = await insertNew(
      manager,
      ServiceRequest,
      manager.create(ServiceRequest, {
        id,
        municipalityId: bsr,
        wardId: ward5,
        trackingNumber: `${model.trackingNumber}-X`,
        residentId,
        serviceTypeId,
        definitionVersion: model.definitionVersion,
        category: model.category,
        channel: model.channel,
        attributes: { purpose: 'school' },
        description: null,
        priority: model.priority,
        slaDueAt: now,
        statusChangedAt: now,
        createdAt: now,
        updatedAt: now,
      }),
    );
    expect(made.slaPausedAt).toBeNull();
    expect(made.status).toBe(model.status);
    expect(made.version).toBe(1);
    expect(made).toEqual(await manager.findOneBy(ServiceRequest, { id }));
  });

  it('reads certificates like findOneBy (the public verification path)', async () => {
    // No certificate is issued here: the query must still be valid and answer null.
    expect(await findOnePlain(dataSource().manager, Certificate, { number: 'X/1' })).toBeNull();
  });
});

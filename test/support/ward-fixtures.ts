import { TestApp } from './test-app';

export const WARD_FIELDS = `
  id number nameBn nameEn councillorStatus councillorStatusSince councillorStatusNote
  population helplineWhatsappNumber whatsappPhoneNumberId active deactivatedAt version
  serviceHours { days opensAt closesAt }
`;

export const CREATE_MUNICIPALITY = `
  mutation ($input: CreateMunicipalityInput!) {
    createMunicipality(input: $input) { municipality { id code } errors { code field message } }
  }`;

export const CREATE_WARD = `
  mutation ($input: CreateWardInput!) {
    createWard(input: $input) { ward { ${WARD_FIELDS} } errors { code field message } }
  }`;

export async function createMunicipality(
  t: TestApp,
  code = 'BSR',
  names = { nameBn: 'বসিরহাট পৌরসভা', nameEn: 'Basirhat Municipality' },
): Promise<string> {
  const res = await t.gql(CREATE_MUNICIPALITY, {
    input: { code, ...names, district: 'North 24 Parganas', state: 'West Bengal' },
  });
  const id = res.data?.createMunicipality.municipality?.id;
  if (!id) throw new Error(`createMunicipality failed: ${JSON.stringify(res)}`);
  return id;
}

/** Inserts wards 1..count straight into the database: fixtures, not the behaviour under test. */
export async function insertWards(
  t: TestApp,
  municipalityId: string,
  count: number,
): Promise<void> {
  await t.db.pool.query(
    `INSERT INTO wards (municipality_id, number, name_bn, name_en, service_hours)
     SELECT $1, n, 'ওয়ার্ড ' || n, 'Ward ' || n,
            '{"days":["MON","TUE","WED","THU","FRI","SAT","SUN"],"opensAt":"00:00","closesAt":"24:00"}'
     FROM generate_series(1, $2) AS n`,
    [municipalityId, count],
  );
}

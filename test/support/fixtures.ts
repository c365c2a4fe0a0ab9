import { systemActor } from '../../src/audit/audit-actor';
import { StaffAccountsService } from '../../src/auth/staff-accounts.service';
import { StaffRole } from '../../src/common/access/staff-role';
import { MunicipalitiesService } from '../../src/wards/municipalities.service';
import { GraphQLResponse, TestApp } from './test-app';

/** Fixtures go through the modules' trusted service paths or SQL, never around the rules under test. */
const BY = systemActor('test-fixture', 'test');
export const PASSWORD = 'correct horse battery staple';

export type GraphQL = (
  query: string,
  variables?: Record<string, unknown>,
) => Promise<GraphQLResponse>;

export async function seedMunicipality(
  t: TestApp,
  code = 'BSR',
  names = { nameBn: 'বসিরহাট পৌরসভা', nameEn: 'Basirhat Municipality' },
): Promise<string> {
  const { municipality, errors } = await t.app
    .get(MunicipalitiesService)
    .create({ code, ...names, district: 'North 24 Parganas', state: 'West Bengal' }, BY);
  if (!municipality) throw new Error(`municipality refused: ${JSON.stringify(errors)}`);
  return municipality.id;
}

/** Inserts wards 1..count straight into the database: fixtures, not the behaviour under test. */
export async function insertWards(
  t: TestApp,
  municipalityId: string,
  count: number,
  from = 1,
): Promise<string[]> {
  const { rows } = await t.db.pool.query(
    `INSERT INTO wards (municipality_id, number, name_bn, name_en, service_hours)
     SELECT $1, n, 'ওয়ার্ড ' || n, 'Ward ' || n,
            '{"days":["MON","TUE","WED","THU","FRI","SAT","SUN"],"opensAt":"00:00","closesAt":"24:00"}'
     FROM generate_series($3::int, $3::int + $2::int - 1) AS n
     RETURNING id`,
    [municipalityId, count, from],
  );
  return rows.map((row) => row.id);
}

export async function seedStaff(
  t: TestApp,
  municipalityId: string,
  username: string,
  roles: Array<{ role: StaffRole; wardId?: string }>,
  extra: { phone?: string; password?: string } = {},
): Promise<string> {
  const { account, errors } = await t.app.get(StaffAccountsService).createInMunicipality(
    municipalityId,
    {
      username,
      displayName: username,
      phone: extra.phone ?? null,
      password: extra.password ?? PASSWORD,
      roles: roles.map((r) => ({ role: r.role, wardId: r.wardId ?? null })),
    },
    BY,
  );
  if (!account) throw new Error(`staff refused: ${JSON.stringify(errors)}`);
  return account.id;
}

export const SIGN_IN = `
  mutation ($input: SignInInput!) {
    signIn(input: $input) {
      accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt
      account { id username } errors { code field message }
    }
  }`;

export async function signIn(
  t: Pick<TestApp, 'gql'>,
  login: string,
  password = PASSWORD,
): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await t.gql(SIGN_IN, { input: { login, password } });
  const session = res.data?.signIn;
  if (!session?.accessToken) throw new Error(`sign-in failed: ${JSON.stringify(res)}`);
  return session;
}

/** A GraphQL client that sends a bearer token (a staff access token or an API key). */
export function as(t: Pick<TestApp, 'gql'>, token: string | null): GraphQL {
  return (query, variables) =>
    t.gql(query, variables, token ? { authorization: `Bearer ${token}` } : {});
}

/** Seeds a staff member with the roles and returns a client signed in as them. */
export async function staffClient(
  t: TestApp,
  municipalityId: string,
  username: string,
  roles: Array<{ role: StaffRole; wardId?: string }>,
): Promise<GraphQL> {
  await seedStaff(t, municipalityId, username, roles);
  return as(t, (await signIn(t, username)).accessToken);
}

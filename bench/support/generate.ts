/**
 * The data generator of the scale benchmark: fills an empty, migrated database at a named
 * scale with SQL (`INSERT … SELECT … FROM generate_series`, values hashed from the row
 * number, so two runs load the same data relative to the time of loading), not the API.
 *
 * What needs the application's own rules goes through its services (municipalities, the
 * demo catalogue, certificate types, staff accounts) or its GraphQL API (the certificates
 * the verification scenario checks: created, reviewed, approved and issued, so signed by
 * the real signing code); everything else is bulk SQL consistent with the schema and its
 * constraints (see bench/README.md).
 */
import { performance } from 'node:perf_hooks';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { systemActor } from '../../src/audit/audit-actor';
import { StaffAccountsService } from '../../src/auth/staff-accounts.service';
import { CertificatesService } from '../../src/certificates/certificates.service';
import { StaffRole } from '../../src/common/access/staff-role';
import { nameKey } from '../../src/common/text/name-key';
import { DEMO_CATALOGUE } from '../../src/demo/demo-catalogue';
import { DEMO_CERTIFICATE_TYPES } from '../../src/demo/demo-certificate-types';
import { ServiceCatalogueService } from '../../src/requests/catalogue/service-catalogue.service';
import { MunicipalitiesService } from '../../src/wards/municipalities.service';
import { BENCH_PASSWORD } from './app-env';
import { GraphQLClient, signIn } from './graphql';

export interface Scale {
  municipalities: number;
  wardsPerMunicipality: number;
  residents: number;
  requests: number;
}

export const SCALES: Record<string, Scale> = {
  ward: { municipalities: 1, wardsPerMunicipality: 1, residents: 7_000, requests: 20_000 },
  municipality: {
    municipalities: 1,
    wardsPerMunicipality: 25,
    residents: 200_000,
    requests: 600_000,
  },
  // 125 × 24 = 3,000 wards.
  state: {
    municipalities: 125,
    wardsPerMunicipality: 24,
    residents: 3_000_000,
    requests: 10_000_000,
  },
};

/** The WhatsApp phone number id of the helpline of the measured ward. */
export const BENCH_HELPLINE = '106540352242922';
export const COORDINATOR = 'bench.coordinator';
export const ADMIN = 'bench.admin';

/** What the scenarios need to know about the generated data (kept in the database). */
export interface Generated {
  scale: string;
  counts: Scale & { wards: number; requestEvents: number; certificates: number };
  /** The measured municipality and ward (the first of each). */
  municipalityId: string;
  wardId: string;
  serviceTypes: Record<string, string>;
  /** A few residents of the measured ward: ids, names and phones for the scenarios. */
  residents: Array<{ id: string; fullName: string; phone: string }>;
  certificates: Array<{ number: string; code: string }>;
  generatedAt: string;
  loadingSeconds: Record<string, number>;
}

/** A uniform number in [0, 1) from a row number and a salt, as SQL (pg_temp, per session). */
export const UNIFORM_FUNCTION = `
  CREATE OR REPLACE FUNCTION pg_temp.u(n bigint, salt int) RETURNS float8 LANGUAGE sql IMMUTABLE AS
  $$ SELECT (hashint8(n * 64 + salt)::float8 + 2147483648) / 4294967296 $$`;

/** Deterministic ids: row n of a kind is `…-<kind>-<n in hex>` (valid version-4 UUIDs). */
const idOf = (kind: string, n: string) =>
  `('00000000-0000-4000-${kind}-' || lpad(to_hex(${n}), 12, '0'))::uuid`;

/** Common given names and surnames of the region; full names are drawn from their pairs. */
const GIVEN = [
  'রহিম',
  'করিম',
  'সুনীতা',
  'মালতী',
  'গোপাল',
  'অনিতা',
  'দীপা',
  'চন্দন',
  'বিনা',
  'অরূপ',
  'সুব্রত',
  'মিনতি',
  'আব্দুল',
  'ফাতিমা',
  'রাজেশ',
  'পূর্ণিমা',
  'সঞ্জয়',
  'শাহনাজ',
  'তপন',
  'রীতা',
  'বিশ্বজিৎ',
  'নাসরিন',
  'প্রদীপ',
  'কাকলি',
  'হাবিবুর',
  'সুমিত্রা',
  'অমিত',
  'জাহানারা',
  'দেবাশিস',
  'লক্ষ্মী',
];
const SURNAMES = [
  'শেখ',
  'দাস',
  'পাল',
  'মণ্ডল',
  'রায়',
  'ঘোষ',
  'সেন',
  'বিশ্বাস',
  'সরকার',
  'মোল্লা',
  'বন্দ্যোপাধ্যায়',
  'চক্রবর্তী',
  'হালদার',
  'গাজী',
  'প্রামাণিক',
  'দত্ত',
  'মিস্ত্রি',
  'বিবি',
  'নস্কর',
  'সাহা',
];

/** The pool of full names with their search keys, computed by the application's own function. */
export function namePool(): Array<{ fullName: string; nameKey: string }> {
  return GIVEN.flatMap((given) =>
    SURNAMES.map((surname) => {
      const fullName = `${given} ${surname}`;
      return { fullName, nameKey: nameKey(fullName) };
    }),
  );
}

/** The i-th municipality's code: BSR, then MAA, MAB, … (2 to 8 capital letters). */
const municipalityCode = (i: number) =>
  i === 0
    ? 'BSR'
    : `M${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`;

/** Phone of resident n (unique in the state): +9198 and eight digits. */
const PHONE_SQL = `'+9198' || lpad(n::text, 8, '0')`;

const RESIDENTS_SQL = `
  INSERT INTO residents (id, municipality_id, ward_id, full_name, phone, preferred_language,
    created_channel, name_key, house_number, locality, pin_code, created_at, updated_at)
  SELECT ${idOf('8000', 'n')}, w.municipality_id, w.id, nm.full_name, ${PHONE_SQL},
         (CASE WHEN n % 5 = 0 THEN 'EN' ELSE 'BN' END)::resident_language, 'IMPORT',
         nm.name_key, (1 + n / $1::int % 400)::text, 'পাড়া ' || (1 + n % 37), '743411',
         $3::timestamptz - interval '730 days' * pg_temp.u(n, 20),
         $3::timestamptz - interval '730 days' * pg_temp.u(n, 20)
  FROM generate_series($4::int, $5::int) AS n
  JOIN bench_wards w ON w.g = n % $1::int
  JOIN bench_names nm ON nm.k = floor(pg_temp.u(n, 21) * $2::int)::int`;

/** The demo catalogue (14 service types) in a municipality, through the catalogue's service. */
export async function seedDemoCatalogue(
  app: NestFastifyApplication,
  municipalityId: string,
): Promise<void> {
  for (const input of DEMO_CATALOGUE) {
    const created = await app
      .get(ServiceCatalogueService)
      .createInMunicipality(municipalityId, input, systemActor('bench', 'bench'));
    if (!created.serviceType) {
      throw new Error(`service type refused: ${JSON.stringify(created.errors)}`);
    }
  }
}

/**
 * The small benchmarks' municipality (BSR, Basirhat) through its service, and `wards` wards
 * numbered 1..wards, open round the clock, by SQL; gives their ids (wards in number order).
 */
export async function seedMunicipality(
  app: NestFastifyApplication,
  db: Client,
  wards: number,
): Promise<{ municipalityId: string; wardIds: string[] }> {
  const { municipality, errors } = await app.get(MunicipalitiesService).create(
    {
      code: 'BSR',
      nameBn: 'বসিরহাট পৌরসভা',
      nameEn: 'Basirhat Municipality',
      district: 'North 24 Parganas',
      state: 'West Bengal',
    },
    systemActor('bench', 'bench'),
  );
  if (!municipality) throw new Error(`municipality refused: ${JSON.stringify(errors)}`);
  const wardIds: string[] = (
    await db.query(
      `INSERT INTO wards (municipality_id, number, name_bn, name_en, service_hours)
       SELECT $1, n, 'ওয়ার্ড ' || n, 'Ward ' || n,
              '{"days":["MON","TUE","WED","THU","FRI","SAT","SUN"],"opensAt":"00:00","closesAt":"24:00"}'
       FROM generate_series(1, $2::int) AS n ORDER BY n RETURNING id`,
      [municipality.id, wards],
    )
  ).rows.map((row) => row.id);
  return { municipalityId: municipality.id, wardIds };
}

/**
 * The columns of a generated request from `sla_due_at` on, given the outcome lateral `v`
 * and the type `st`: SLA 7 days for certificates and 48 h otherwise, NEEDS_INFO ones
 * paused, status changed at the outcome (or an hour after making).
 */
export const REQUEST_TIMES_SQL = `v.made + CASE WHEN st.category = 'CERTIFICATE' THEN interval '7 days'
                       ELSE interval '48 hours' END,
         CASE WHEN v.status = 'NEEDS_INFO' THEN v.made + interval '5 hours' END,
         v.completed,
         coalesce(v.completed, v.made + interval '1 hour'),
         v.made,
         coalesce(v.completed, v.made + interval '1 hour')`;

/** The hashed uniforms of generated request `row` (a lateral `u`), and `extra` ones. */
export const requestUniformsSql = (row: string, extra = '') => `
  CROSS JOIN LATERAL (
    SELECT pg_temp.u(${row}, 1) AS u_made, pg_temp.u(${row}, 2) AS u_type, pg_temp.u(${row}, 3) AS u_done,
           pg_temp.u(${row}, 4) AS u_turn, pg_temp.u(${row}, 5) AS u_status, pg_temp.u(${row}, 6) AS u_channel,
           pg_temp.u(${row}, 7) AS u_priority, pg_temp.u(${row}, 8) AS u_resident${extra}
  ) u`;

/**
 * How a generated request turned out, from its hashed uniforms (`u.u_done`, `u_turn`,
 * `u_status`, `u_channel`, `u_priority`) and its type (`st.category`): 70 % with an outcome
 * 1 h to 10 days after making (DELIVERED, RESOLVED, CLOSED, REJECTED, CANCELLED by
 * category), the rest open; channel and priority mixed as on a live ward. A lateral join
 * giving `v.made`, `v.completed`, `v.status`, `v.channel`, `v.priority` (and `extra`).
 */
export function outcomeLateral(madeSql: string, extra = ''): string {
  return `
  CROSS JOIN LATERAL (
    SELECT made,${extra}
           CASE WHEN u.u_done < 0.7 THEN made + interval '1 hour' * (1 + 239 * power(u.u_turn, 2)) END
             AS completed,
           CASE
             WHEN u.u_done < 0.7 AND st.category = 'CERTIFICATE' THEN
               (ARRAY['DELIVERED','DELIVERED','DELIVERED','DELIVERED','CLOSED','CLOSED','CLOSED',
                      'REJECTED','REJECTED','CANCELLED'])[1 + floor(u.u_status * 10)::int]
             WHEN u.u_done < 0.7 THEN
               (ARRAY['RESOLVED','RESOLVED','RESOLVED','RESOLVED','RESOLVED','RESOLVED','RESOLVED',
                      'CLOSED','CLOSED','REJECTED','REJECTED','CANCELLED'])[1 + floor(u.u_status * 12)::int]
             WHEN st.category = 'CERTIFICATE' THEN
               (ARRAY['SUBMITTED','IN_REVIEW','NEEDS_INFO','APPROVED','READY','OUT_FOR_DELIVERY'])
                 [1 + floor(u.u_status * 6)::int]
             ELSE (ARRAY['SUBMITTED','IN_REVIEW','NEEDS_INFO','APPROVED'])[1 + floor(u.u_status * 4)::int]
           END::request_status AS status,
           (CASE WHEN u.u_channel < 0.45 THEN 'WHATSAPP' WHEN u.u_channel < 0.70 THEN 'PHONE_CALL'
                 WHEN u.u_channel < 0.90 THEN 'WALK_IN' ELSE 'API' END)::request_channel AS channel,
           (CASE WHEN u.u_priority < 0.05 THEN 'URGENT' WHEN u.u_priority < 0.15 THEN 'HIGH'
                 WHEN u.u_priority < 0.90 THEN 'NORMAL' ELSE 'LOW' END)::request_priority AS priority
    FROM (SELECT ${madeSql} AS made) m
  ) v`;
}

/**
 * Requests i = lo..hi (1-based), made one after the other over the 365 days before `now`
 * (the table is in the order of making, as a live one is); request i in ward (i−1) mod W,
 * as that ward's serial (i−1) div W + 1 (tracking numbers valid and unique); by one of the
 * ward's residents; service types skewed towards the first ones (certificates, ~60 %);
 * 70 % with an outcome 1 h to 10 days after making, the rest open (NEEDS_INFO ones
 * paused); SLA 7 days for certificates, 48 h for the others.
 */
const REQUESTS_SQL = `
  INSERT INTO service_requests (id, municipality_id, ward_id, tracking_number, resident_id,
    service_type_id, definition_version, category, channel, attributes, priority, status,
    sla_due_at, sla_paused_at, completed_at, status_changed_at, created_at, updated_at)
  SELECT ${idOf('9000', 'i')}, w.municipality_id, w.id,
         w.code || '-' || lpad(w.number::text, 2, '0') || '-'
           || to_char(v.local - interval '3 months', 'YY') || to_char(v.local + interval '9 months', 'YY')
           || '-' || lpad(((i - 1) / $1::int + 1)::text, 5, '0'),
         ${idOf('8000', '(floor(u.u_resident * $2::int)::bigint * $1::int + (i - 1) % $1::int)')},
         st.id, 1, st.category, v.channel, '{}', v.priority, v.status,
         ${REQUEST_TIMES_SQL}
  FROM generate_series($4::int, $5::int) AS i${requestUniformsSql('i')}
  JOIN bench_wards w ON w.g = (i - 1) % $1::int
  JOIN bench_types st ON st.m = w.m AND st.k = floor(power(u.u_type, 1.3) * $6::int)::int
  ${outcomeLateral(
    `$3::timestamptz - interval '365 days' * (1 - (i - 1 + u.u_made) / $7::int)`,
    ` made AT TIME ZONE 'Asia/Kolkata' AS local,`,
  )}`;

/** The timeline's first entry of requests lo..hi: CREATED, as the application writes it. */
const CREATED_EVENTS_SQL = `
  INSERT INTO request_events (request_id, ward_id, kind, from_status, to_status, actor_type,
    actor_name, occurred_at)
  SELECT r.id, r.ward_id, 'CREATED', NULL, 'SUBMITTED', 'STAFF', 'bench.intake', r.created_at
  FROM service_requests r
  WHERE r.id BETWEEN ${idOf('9000', '$1::int')} AND ${idOf('9000', '$2::int')}`;

/**
 * The delivery steps of the timeline: for 60 % of DELIVERED requests a doorstep delivery
 * (DISPATCH, then HAND_OVER from OUT_FOR_DELIVERY; one in ten after a failed first attempt:
 * DISPATCH, RETURN_UNDELIVERED, DISPATCH, HAND_OVER), for the other 40 % a hand-over at the
 * office (HAND_OVER from READY); a DISPATCH for every request OUT_FOR_DELIVERY.
 * `$1`/`$2` bound the requests' ids when the table is loaded in chunks.
 */
export const DELIVERY_EVENTS_SQL = `
  INSERT INTO request_events (request_id, ward_id, kind, action, from_status, to_status,
    actor_type, actor_name, occurred_at)
  SELECT r.id, r.ward_id, 'STATUS_CHANGED', s.action, s.from_status::request_status,
         s.to_status::request_status, 'STAFF', 'bench.coordinator', s.at
  FROM service_requests r
  CROSS JOIN LATERAL (SELECT pg_temp.u(hashtext(r.id::text), 9) AS u) h
  CROSS JOIN LATERAL (
    VALUES
      ('DISPATCH', 'READY', 'OUT_FOR_DELIVERY',
       coalesce(r.completed_at, r.created_at + interval '3 days') - interval '3 hours',
       (r.status = 'DELIVERED' AND h.u < 0.6) OR r.status = 'OUT_FOR_DELIVERY'),
      ('HAND_OVER', 'OUT_FOR_DELIVERY', 'DELIVERED', r.completed_at,
       r.status = 'DELIVERED' AND h.u < 0.6),
      ('DISPATCH', 'READY', 'OUT_FOR_DELIVERY', r.completed_at - interval '27 hours',
       r.status = 'DELIVERED' AND h.u < 0.06),
      ('RETURN_UNDELIVERED', 'OUT_FOR_DELIVERY', 'READY', r.completed_at - interval '24 hours',
       r.status = 'DELIVERED' AND h.u < 0.06),
      ('HAND_OVER', 'READY', 'DELIVERED', r.completed_at,
       r.status = 'DELIVERED' AND h.u >= 0.6)
  ) AS s(action, from_status, to_status, at, keep)
  WHERE r.status IN ('DELIVERED', 'OUT_FOR_DELIVERY') AND s.keep
    AND ($1::uuid IS NULL OR r.id BETWEEN $1::uuid AND $2::uuid)`;

/** Rows per INSERT statement while loading. */
const CHUNK = 500_000;

/** The plain indexes of a table, to drop before a bulk load and build again after it. */
async function plainIndexes(
  db: Client,
  table: string,
): Promise<Array<{ name: string; definition: string }>> {
  return (
    await db.query(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
       WHERE schemaname = 'public' AND tablename = $1 AND indexname LIKE 'ix\\_%'
       ORDER BY indexname`,
      [table],
    )
  ).rows;
}

/**
 * Generates the data of `scaleName` into the (migrated, empty) database of `db`, using the
 * in-process application `app` (listening at `url`) for what must go through its rules.
 */
export async function generate(
  scaleName: string,
  app: NestFastifyApplication,
  url: string,
  db: Client,
  log: (message: string) => void,
): Promise<Generated> {
  const scale = SCALES[scaleName];
  if (!scale) throw new Error(`unknown scale ${scaleName}`);
  const wards = scale.municipalities * scale.wardsPerMunicipality;
  const loadingSeconds: Record<string, number> = {};
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    loadingSeconds[name] = (performance.now() - started) / 1000;
    log(`generate ${scaleName}: ${name} in ${(loadingSeconds[name] ?? 0).toFixed(1)} s`);
    return result;
  };
  const by = systemActor('bench', 'bench');
  const now = new Date();

  // Municipalities and their catalogues, through the services.
  const municipalityIds = await step('municipalities and catalogues', async () => {
    const ids: string[] = [];
    for (let m = 0; m < scale.municipalities; m += 1) {
      const { municipality, errors } = await app.get(MunicipalitiesService).create(
        {
          code: municipalityCode(m),
          nameBn: m === 0 ? 'বসিরহাট পৌরসভা' : `পৌরসভা ${m + 1}`,
          nameEn: m === 0 ? 'Basirhat Municipality' : `Municipality ${m + 1}`,
          district: 'North 24 Parganas',
          state: 'West Bengal',
        },
        by,
      );
      if (!municipality) throw new Error(`municipality refused: ${JSON.stringify(errors)}`);
      ids.push(municipality.id);
      await seedDemoCatalogue(app, municipality.id);
    }
    await app.get(CertificatesService).createTypes(ids[0], DEMO_CERTIFICATE_TYPES);
    return ids;
  });
  const municipalityId = municipalityIds[0];

  await step('wards', () =>
    db.query(
      `INSERT INTO wards (id, municipality_id, number, name_bn, name_en, service_hours)
       SELECT ${idOf('a000', 'g')}, m.id, 1 + g % $2::int, 'ওয়ার্ড ' || (1 + g % $2::int),
              'Ward ' || (1 + g % $2::int),
              '{"days":["MON","TUE","WED","THU","FRI","SAT","SUN"],"opensAt":"00:00","closesAt":"24:00"}'
       FROM generate_series(0, $3::int - 1) AS g
       JOIN unnest($1::uuid[]) WITH ORDINALITY AS m(id, k) ON m.k = 1 + g / $2::int`,
      [municipalityIds, scale.wardsPerMunicipality, wards],
    ),
  );
  const wardId: string = (
    await db.query(
      `UPDATE wards SET whatsapp_phone_number_id = $2, helpline_whatsapp_number = '+917000000005'
       WHERE municipality_id = $1 AND number = 1 RETURNING id`,
      [municipalityId, BENCH_HELPLINE],
    )
  ).rows[0].id;

  // Lookup tables of this session: wards by global index, service types by municipality.
  await db.query(UNIFORM_FUNCTION);
  await db.query(
    `
    CREATE TEMP TABLE bench_wards AS
      SELECT (row_number() OVER (ORDER BY mm.k, w.number) - 1)::int AS g,
             (mm.k - 1)::int AS m, w.id, w.municipality_id, w.number, mu.code
      FROM wards w JOIN municipalities mu ON mu.id = w.municipality_id
      JOIN unnest($1::uuid[]) WITH ORDINALITY AS mm(id, k) ON mm.id = w.municipality_id`,
    [municipalityIds],
  );
  await db.query(`
    CREATE TEMP TABLE bench_types AS
      SELECT bw.m, (row_number() OVER (PARTITION BY st.municipality_id ORDER BY st.created_at, st.code) - 1)::int AS k,
             st.id, st.category
      FROM service_types st JOIN (SELECT DISTINCT m, municipality_id FROM bench_wards) bw
        ON bw.municipality_id = st.municipality_id`);
  const pool = namePool();
  await db.query(
    `CREATE TEMP TABLE bench_names (k int PRIMARY KEY, full_name text, name_key text)`,
  );
  await db.query(
    `INSERT INTO bench_names SELECT k - 1, f, n FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(f, n, k)`,
    [pool.map((p) => p.fullName), pool.map((p) => p.nameKey)],
  );
  await db.query('ANALYZE bench_wards, bench_types, bench_names');

  // Bulk load: foreign-key triggers off for this session (every reference is made from an
  // existing row), plain indexes dropped and built again afterwards, as pg_restore does.
  await db.query('SET session_replication_role = replica');
  await db.query('SET synchronous_commit = off');
  const dropped: Array<{ name: string; definition: string }> = [];
  for (const table of ['residents', 'service_requests', 'request_events']) {
    for (const index of await plainIndexes(db, table)) {
      await db.query(`DROP INDEX ${index.name}`);
      dropped.push(index);
    }
  }
  await step('residents', async () => {
    for (let lo = 0; lo < scale.residents; lo += CHUNK) {
      const hi = Math.min(scale.residents, lo + CHUNK) - 1;
      await db.query(RESIDENTS_SQL, [wards, pool.length, now, lo, hi]);
      log(`generate ${scaleName}: ${hi + 1} of ${scale.residents} residents`);
    }
  });
  const residentsPerWard = Math.floor(scale.residents / wards);
  await step('requests', async () => {
    for (let lo = 1; lo <= scale.requests; lo += CHUNK) {
      const hi = Math.min(scale.requests, lo + CHUNK - 1);
      await db.query(REQUESTS_SQL, [
        wards,
        residentsPerWard,
        now,
        lo,
        hi,
        DEMO_CATALOGUE.length,
        scale.requests,
      ]);
      log(`generate ${scaleName}: ${hi} of ${scale.requests} requests`);
    }
  });
  await step('timelines', async () => {
    for (let lo = 1; lo <= scale.requests; lo += CHUNK) {
      const hi = Math.min(scale.requests, lo + CHUNK - 1);
      await db.query(CREATED_EVENTS_SQL, [lo, hi]);
      const bounds = (
        await db.query(
          `SELECT ${idOf('9000', '$1::int')} AS lo, ${idOf('9000', '$2::int')} AS hi`,
          [lo, hi],
        )
      ).rows[0];
      await db.query(DELIVERY_EVENTS_SQL, [bounds.lo, bounds.hi]);
    }
  });
  // The next serial of each ward in this financial year follows the generated ones.
  await db.query(
    `INSERT INTO request_counters (ward_id, financial_year, last_number)
     SELECT w.id, $2, ($1::int + w.g) / (SELECT count(*) FROM bench_wards)::int + 1
     FROM bench_wards w
     ON CONFLICT (ward_id, financial_year) DO UPDATE SET last_number = EXCLUDED.last_number`,
    [scale.requests, financialYearSql(now)],
  );
  await step('indexes', async () => {
    for (const { definition } of dropped) await db.query(definition);
  });
  await db.query('SET session_replication_role = DEFAULT');

  // Staff of the measured municipality, through the service.
  for (const [username, roles] of [
    [COORDINATOR, [{ role: StaffRole.WARD_COORDINATOR, wardId }]],
    [ADMIN, [{ role: StaffRole.MUNICIPAL_ADMIN, wardId: null }]],
  ] as const) {
    const created = await app.get(StaffAccountsService).createInMunicipality(
      municipalityId,
      {
        username,
        displayName: username,
        phone: null,
        password: BENCH_PASSWORD,
        roles: [...roles],
      },
      by,
    );
    if (!created.account) throw new Error(`staff refused: ${JSON.stringify(created.errors)}`);
  }
  const serviceTypes: Record<string, string> = Object.fromEntries(
    (
      await db.query(`SELECT code, id FROM service_types WHERE municipality_id = $1`, [
        municipalityId,
      ])
    ).rows.map((row) => [row.code, row.id]),
  );
  const residents = (
    await db.query(
      `SELECT id, full_name AS "fullName", phone FROM residents WHERE ward_id = $1
       ORDER BY phone LIMIT 500`,
      [wardId],
    )
  ).rows;

  // The English text of a certificate names the holder in Latin letters.
  await db.query(
    `UPDATE residents SET alt_name = 'Bench Resident ' || right(phone, 5) WHERE id = ANY($1::uuid[])`,
    [residents.slice(0, CERTIFICATES).map((r: { id: string }) => r.id)],
  );
  const certificates = await step('certificates', () =>
    issueCertificates(url, serviceTypes.CHARACTER_CERT, residents.slice(0, CERTIFICATES)),
  );

  await step('vacuum', () => db.query('VACUUM (ANALYZE)'));
  await step('checkpoint', () => db.query('CHECKPOINT'));
  const requestEvents: number = (await db.query('SELECT count(*)::int AS n FROM request_events'))
    .rows[0].n;
  return {
    scale: scaleName,
    counts: { ...scale, wards, requestEvents, certificates: certificates.length },
    municipalityId,
    wardId,
    serviceTypes,
    residents,
    certificates,
    generatedAt: now.toISOString(),
    loadingSeconds,
  };
}

/** Certificates issued for the verification scenario. */
const CERTIFICATES = 200;

/** `2627` for the Indian financial year 2026-27 of an instant. */
function financialYearSql(at: Date): string {
  const local = new Date(at.getTime() + 330 * 60_000);
  const year = local.getUTCFullYear();
  const start = local.getUTCMonth() >= 3 ? year : year - 1;
  const two = (n: number) => String(n % 100).padStart(2, '0');
  return `${two(start)}${two(start + 1)}`;
}

const REQUEST_FIELDS = `request { id version status } errors { code message }`;

/**
 * Character certificates (signed by the ward coordinator) for `residents`, the way a ward
 * works: request made, reviewed, approved, certificate issued, all over GraphQL.
 */
async function issueCertificates(
  url: string,
  serviceTypeId: string,
  residents: Array<{ id: string }>,
): Promise<Array<{ number: string; code: string }>> {
  const gql: GraphQLClient = await signIn(url, COORDINATOR, BENCH_PASSWORD);
  const issued: Array<{ number: string; code: string }> = [];
  for (const resident of residents) {
    let request = (
      await gql(
        `mutation ($input: CreateRequestInput!) { createRequest(input: $input) { ${REQUEST_FIELDS} } }`,
        { input: { residentId: resident.id, serviceTypeId, attributes: { purpose: 'job' } } },
      )
    ).createRequest.request;
    // A character certificate needs the holder's Aadhaar card; the bench has no files to upload.
    const waived = (
      await gql(
        `mutation ($input: WaiveRequiredDocumentInput!) { waiveRequiredDocument(input: $input) {
           waiver { documentCode } errors { code message } } }`,
        { input: { requestId: request.id, documentCode: 'aadhaar', reason: 'bench data' } },
      )
    ).waiveRequiredDocument;
    if (waived.errors.length) throw new Error(`waiver refused: ${JSON.stringify(waived.errors)}`);
    for (const action of ['START_REVIEW', 'APPROVE']) {
      request = (
        await gql(
          `mutation ($input: TransitionRequestInput!) { transitionRequest(input: $input) { ${REQUEST_FIELDS} } }`,
          { input: { requestId: request.id, version: request.version, action } },
        )
      ).transitionRequest.request;
    }
    const certificate = (
      await gql(
        `mutation ($input: IssueCertificateInput!) { issueCertificate(input: $input) {
           certificate { number verificationCode } errors { code message } } }`,
        { input: { requestId: request.id, version: request.version } },
      )
    ).issueCertificate.certificate;
    if (!certificate) throw new Error('a certificate was not issued');
    issued.push({ number: certificate.number, code: certificate.verificationCode });
  }
  return issued;
}

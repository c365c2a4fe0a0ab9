import { spawnSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qrToken } from '../../src/certificates/certificate-pdf.service';
import { CertificateSigningService } from '../../src/certificates/certificate-signing.service';
import { verifyOffline } from '../../src/certificates/offline-verification';
import { systemActor } from '../../src/audit/audit-actor';
import { CertificatesService } from '../../src/certificates/certificates.service';
import { Certificate } from '../../src/certificates/entities/certificate.entity';
import { findOnePlain } from '../../src/database/plain-find';
import { printedFinancialYear } from '../../src/certificates/certificate-content';
import { StaffRole } from '../../src/common/access/staff-role';
import { DEMO_CERTIFICATE_TYPES } from '../../src/demo/demo-certificate-types';
import { DataSource } from 'typeorm';
import { as, GraphQL, insertWards, seedMunicipality, staffClient } from '../support/fixtures';
import { createRequest, createResident, seedCatalogue, step } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

const ISSUE = `mutation ($input: IssueCertificateInput!) { issueCertificate(input: $input) {
  certificate { id number status verificationCode typeCode signerName signerRole keyId signature holder content validUntil issuedAt }
  errors { code field message } } }`;
const VERIFY = `query ($n: String!, $c: String!) { verifyCertificate(number: $n, code: $c) {
  status number typeCode typeNameBn typeNameEn issuedAt validUntil municipalityNameBn municipalityNameEn
  wardNumber holderNameMasked signatureValid keyId supersededByNumber revokedAt } }`;
const CHANGE = (
  name: string,
) => `mutation ($input: CertificateChangeInput!) { ${name}(input: $input) {
  certificate { id number status supersedesId holder } errors { code field message } } }`;

const keyPem = () =>
  generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

async function setUp(env: Record<string, string> = {}, existing?: TestDatabase) {
  const t = await startTestApp({ VERIFY_RATE_PER_MINUTE: '1000', ...env }, existing);
  return t;
}

describe('certificates (e2e)', () => {
  let t: TestApp;
  let ward5: string;
  let types: Record<string, string>;
  let admin: GraphQL;
  let signatory: GraphQL;
  let coordinator: GraphQL;
  let otherWard: GraphQL;
  let rahim: string;
  const fy = printedFinancialYear(new Date());

  const approved = async (
    code: string,
    attributes: Record<string, unknown>,
    residentId = rahim,
  ) => {
    let request = await createRequest(coordinator, {
      residentId,
      serviceTypeId: types[code],
      attributes,
    });
    for (const action of ['START_REVIEW', 'APPROVE']) {
      request = (await step(coordinator, request, action)).data?.transitionRequest.request;
    }
    return request;
  };
  const residence = () => approved('RESIDENCE_CERT', { purpose: 'school', years_of_residence: 12 });
  const issue = async (client: GraphQL, request: any) =>
    client(ISSUE, { input: { requestId: request.id, version: request.version } });
  const issued = async (client: GraphQL, request: any) => {
    const res = await issue(client, request);
    const certificate = res.data?.issueCertificate.certificate;
    if (!certificate) throw new Error(JSON.stringify(res));
    return certificate;
  };
  const publicKeys = async () =>
    (
      (await (await fetch(`${t.url}/.well-known/duare-keys.json`)).json()) as {
        keys: Array<{ keyId: string; publicKey: string; algorithm: string }>;
      }
    ).keys;

  beforeAll(async () => {
    t = await setUp();
    const bsr = await seedMunicipality(t, 'BSR');
    let ward6: string;
    [, , , , ward5, ward6] = await insertWards(t, bsr, 6);
    types = await seedCatalogue(t, bsr);
    await t.app.get(CertificatesService).createTypes(bsr, DEMO_CERTIFICATE_TYPES);
    admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    signatory = await staffClient(t, bsr, 'bsr.signatory', [{ role: StaffRole.SIGNATORY }]);
    coordinator = await staffClient(t, bsr, 'coord.5', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward5 },
    ]);
    otherWard = await staffClient(t, bsr, 'coord.6', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward6 },
    ]);
    rahim = await createResident(coordinator, ward5, 'রহিম শেখ', '+91 98765 43210', {
      altName: 'Rahim Sheikh',
    });
    await t.db.pool.query(
      `UPDATE residents SET guardian_name = 'করিম শেখ', guardian_relation = 'FATHER', house_number = '১২',
         locality = 'মোল্লাপাড়া', pin_code = '743411', guardian_name_en = 'Karim Sheikh',
         address_en = '12 Mollapara, 743411' WHERE id = $1`,
      [rahim],
    );
    await t.db.pool.query(
      `UPDATE staff_accounts SET display_name = 'Demo Executive Officer' WHERE username = 'bsr.signatory'`,
    );
  });
  afterAll(() => t.close());
  beforeEach(() => t.db.pool.query('DELETE FROM rate_limit_windows'));

  it('issues a signed, numbered residence certificate and moves the request to READY', async () => {
    const request = await residence();
    const certificate = await issued(signatory, request);
    expect(certificate).toMatchObject({
      number: `BSR/RES/${fy}/000001`,
      status: 'ISSUED',
      typeCode: 'RES',
      signerName: 'Demo Executive Officer',
      signerRole: 'SIGNATORY',
      keyId: 'duare-demo',
      validUntil: null,
      verificationCode: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{8}$/),
      holder: {
        name: 'রহিম শেখ',
        guardianName: 'করিম শেখ',
        guardianRelation: 'FATHER',
        wardNumber: 5,
      },
    });
    expect(certificate.content.textBn).toContain(
      'রহিম শেখ (পিতা: করিম শেখ), ঠিকানা: ১২, মোল্লাপাড়া, ৭৪৩৪১১, ওয়ার্ড ৫',
    );
    expect(certificate.content.textBn).toContain('১২ বছর');
    expect(certificate.content.textBn).not.toMatch(/[0-9]/);
    expect(certificate.content.textEn).toContain(
      'This is to certify that Rahim Sheikh (father: Karim Sheikh), of 12 Mollapara, 743411, Ward 5',
    );
    expect(certificate.content.textEn).not.toMatch(/[\u0980-\u09FF]/);
    expect(certificate.content).toMatchObject({
      signerDesignationBn: 'নির্বাহী আধিকারিক, বসিরহাট পৌরসভা',
      signerDesignationEn: 'Executive Officer, Basirhat Municipality',
    });
    expect(certificate.content.textBn).toContain('স্কুল/কলেজ');
    expect(certificate.content.textEn).toContain(
      'has lived here for 12 years. Issued for: School or college.',
    );
    const after = (
      await coordinator(
        `query ($id: ID!) { request(id: $id) { status lastEvent { action actorName } } }`,
        { id: request.id },
      )
    ).data?.request;
    expect(after).toEqual({
      status: 'READY',
      lastEvent: { action: 'MARK_READY', actorName: 'certificates (Demo Executive Officer)' },
    });
    const events = await t.db.pool.query(`SELECT type FROM domain_events WHERE aggregate_id = $1`, [
      certificate.id,
    ]);
    expect(events.rows).toEqual([{ type: 'certificate.issued' }]);

    // The signature checks out against the published key, with nothing but node:crypto.
    const [key] = (await publicKeys()).filter((k) => k.keyId === certificate.keyId);
    expect(key.algorithm).toBe('Ed25519');
    const stored = await t.app
      .get(DataSource)
      .getRepository(Certificate)
      .findOneByOrFail({ id: certificate.id });
    const payload = await t.app.get(CertificatesService).payloadOf(stored);
    const publicKey = createPublicKey({
      key: Buffer.from(key.publicKey, 'base64'),
      format: 'der',
      type: 'spki',
    });
    expect(
      verify(
        null,
        Buffer.from(payload),
        publicKey,
        Buffer.from(certificate.signature, 'base64url'),
      ),
    ).toBe(true);
    // Any changed byte of the content breaks it.
    const tampered = payload.replace('রহিম', 'রহীম');
    expect(
      verify(
        null,
        Buffer.from(tampered),
        publicKey,
        Buffer.from(certificate.signature, 'base64url'),
      ),
    ).toBe(false);
  });

  it('keeps the holder as they were when issued', async () => {
    const certificate = await issued(signatory, await residence());
    await t.db.pool.query(`UPDATE residents SET full_name = 'রহিম উদ্দিন শেখ' WHERE id = $1`, [
      rahim,
    ]);
    const read = (
      await admin(`query ($id: ID!) { certificate(id: $id) { holder } }`, { id: certificate.id })
    ).data?.certificate;
    expect(read.holder.name).toBe('রহিম শেখ');
    await t.db.pool.query(`UPDATE residents SET full_name = 'রহিম শেখ' WHERE id = $1`, [rahim]);
  });

  it('lets only the type’s signer role issue, only for an APPROVED certificate request of their wards', async () => {
    const request = await residence();
    expect((await issue(coordinator, request)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await issue(otherWard, request)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(
      (await issue(signatory, { ...request, version: request.version - 1 })).errors?.[0].extensions,
    ).toMatchObject({
      code: 'CONFLICT',
      currentStatus: 'APPROVED',
    });
    const key = (
      await admin(
        `mutation { createApiClient(input: { name: "x", scopes: [CERTIFICATES_ISSUE, REQUESTS_READ] }) { apiKey } }`,
      )
    ).data?.createApiClient.apiKey;
    expect((await issue(as(t, key), request)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // The ward's coordinator signs character certificates (that type's signer role).
    const character = await approved('CHARACTER_CERT', { purpose: 'job' });
    expect((await issued(coordinator, character)).validUntil).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    let inReview = await createRequest(coordinator, {
      residentId: rahim,
      serviceTypeId: types.CHARACTER_CERT,
      attributes: { purpose: 'job' },
    });
    inReview = (await step(coordinator, inReview, 'START_REVIEW')).data?.transitionRequest.request;
    expect((await issue(coordinator, inReview)).data?.issueCertificate.errors).toEqual([
      expect.objectContaining({ code: 'INVALID_TRANSITION', field: 'requestId' }),
    ]);
    const complaint = await approved('TRADE_LICENCE_HELP', { business_name: 'x' });
    expect((await issue(coordinator, complaint)).data?.issueCertificate.errors).toEqual([
      expect.objectContaining({ code: 'INVALID', field: 'requestId' }),
    ]);
    // A refused issuance changed nothing.
    const still = (
      await coordinator(`query ($id: ID!) { request(id: $id) { status version } }`, {
        id: request.id,
      })
    ).data?.request;
    expect(still).toEqual({ status: 'APPROVED', version: request.version });
  });

  it('numbers 20 concurrent issuances without gaps or duplicates', async () => {
    const requests = [];
    for (let i = 0; i < 20; i += 1)
      requests.push(await approved('INCOME_CERT', { purpose: 'bank', annual_income: 50000 + i }));
    const certificates = await Promise.all(requests.map((r) => issued(signatory, r)));
    const serials = certificates.map((c) => Number(c.number.split('/')[3])).sort((a, b) => a - b);
    expect(serials).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(certificates.every((c) => c.number.startsWith(`BSR/INC/${fy}/`))).toBe(true);
    // Staff page through them newest first, without skipping or repeating (keyset cursors).
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page += 1) {
      const res: any = await signatory(
        `query ($after: String) { certificates(filter: { typeCodes: ["INC"] }, first: 7, after: $after) {
          totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
        { after },
      );
      seen.push(...res.data.certificates.edges.map((e: any) => e.node.id));
      if (!res.data.certificates.pageInfo.hasNextPage) break;
      after = res.data.certificates.pageInfo.endCursor;
    }
    const expected = await t.db.pool.query(
      `SELECT id FROM certificates WHERE type_code = 'INC' ORDER BY issued_at DESC, id DESC`,
    );
    expect(seen).toEqual(expected.rows.map((r) => r.id));
  });

  it('verifies publicly, masks the holder, and answers a wrong code exactly like an unknown number', async () => {
    const certificate = await issued(signatory, await residence());
    const ok = (
      await t.gql(VERIFY, {
        n: certificate.number.toLowerCase(),
        c: certificate.verificationCode.toLowerCase(),
      })
    ).data?.verifyCertificate;
    expect(ok).toMatchObject({
      status: 'VALID',
      number: certificate.number,
      typeNameBn: 'বাসস্থান শংসাপত্র',
      municipalityNameEn: 'Basirhat Municipality',
      wardNumber: 5,
      holderNameMasked: 'র*** শ**',
      signatureValid: true,
    });
    const wrongCode = await t.gql(VERIFY, { n: certificate.number, c: 'ZZZZZZZZ' });
    const unknown = await t.gql(VERIFY, {
      n: 'BSR/RES/2026-27/999999',
      c: certificate.verificationCode,
    });
    expect(wrongCode).toEqual(unknown);
    expect(wrongCode.data?.verifyCertificate).toEqual(
      expect.objectContaining({ status: 'UNKNOWN', number: null, holderNameMasked: null }),
    );
    // Tampering with the stored content is caught by the signature check.
    await t.db.pool.query(
      `UPDATE certificates SET content = jsonb_set(content, '{textEn}', '"forged"') WHERE id = $1`,
      [certificate.id],
    );
    const forged = (await t.gql(VERIFY, { n: certificate.number, c: certificate.verificationCode }))
      .data?.verifyCertificate;
    expect(forged.signatureValid).toBe(false);
  });

  it('verifies in four statements, the signing key read once per process', async () => {
    const certificate = await issued(signatory, await residence());
    // The plain read of the hot path gives what TypeORM's would.
    const dataSource = t.app.get(DataSource);
    expect(
      await findOnePlain(dataSource.manager, Certificate, { number: certificate.number }),
    ).toEqual(
      await dataSource.getRepository(Certificate).findOneBy({ number: certificate.number }),
    );
    const statementsOf = async (check: () => Promise<void>) => {
      t.queries.reset();
      await check();
      return t.queries.statements;
    };
    const viaGraphQL = async () => {
      const res = await t.gql(VERIFY, { n: certificate.number, c: certificate.verificationCode });
      expect(res.data?.verifyCertificate).toMatchObject({
        status: 'VALID',
        municipalityNameEn: 'Basirhat Municipality',
        wardNumber: 5,
        signatureValid: true,
      });
    };
    const viaPage = async () => {
      const page = await fetch(
        `${t.url}/verify/${encodeURIComponent(certificate.number)}?c=${certificate.verificationCode}`,
      );
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('data-status="VALID"');
    };
    await viaGraphQL();
    // The rate-limit hit, the certificate, its municipality (once: its code is also what the
    // signed payload needs), its ward; the key row was read by an earlier verification.
    expect(await statementsOf(viaGraphQL)).toBe(4);
    expect(await statementsOf(viaPage)).toBe(4);
    // A wrong code: the rate-limit hit and the certificate, nothing more.
    expect(
      await statementsOf(async () => {
        const res = await t.gql(VERIFY, { n: certificate.number, c: 'ZZZZZZZZ' });
        expect(res.data?.verifyCertificate.status).toBe('UNKNOWN');
      }),
    ).toBe(2);
  });

  it('shows revocation and correction on both verification paths', async () => {
    const first = await issued(signatory, await residence());
    const bare = await signatory(CHANGE('revokeCertificate'), {
      input: { certificateId: first.id, reason: ' ' },
    });
    expect(bare.data?.revokeCertificate.errors).toEqual([
      expect.objectContaining({ code: 'REQUIRED', field: 'reason' }),
    ]);
    const revoked = await signatory(CHANGE('revokeCertificate'), {
      input: { certificateId: first.id, reason: 'ভুল তথ্য দেওয়া হয়েছিল' },
    });
    expect(revoked.data?.revokeCertificate.certificate.status).toBe('REVOKED');
    expect(
      (await t.gql(VERIFY, { n: first.number, c: first.verificationCode })).data?.verifyCertificate,
    ).toMatchObject({ status: 'REVOKED' });
    const page = await fetch(
      `${t.url}/verify/${encodeURIComponent(first.number)}?c=${first.verificationCode}`,
    );
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('data-status="REVOKED"');
    expect(html).toContain('বাতিল করা হয়েছে');
    expect(html).not.toContain('<script');
    const again = await signatory(CHANGE('revokeCertificate'), {
      input: { certificateId: first.id, reason: 'x' },
    });
    expect(again.data?.revokeCertificate.errors[0]).toMatchObject({ code: 'INVALID_TRANSITION' });

    const original = await issued(signatory, await residence());
    await t.db.pool.query(`UPDATE residents SET guardian_name = 'আব্দুল করিম শেখ' WHERE id = $1`, [
      rahim,
    ]);
    const corrected = (
      await signatory(CHANGE('reissueCertificate'), {
        input: { certificateId: original.id, reason: 'পিতার নাম সংশোধন' },
      })
    ).data?.reissueCertificate.certificate;
    expect(corrected).toMatchObject({
      status: 'ISSUED',
      supersedesId: original.id,
      holder: { guardianName: 'আব্দুল করিম শেখ' },
    });
    const old = (await t.gql(VERIFY, { n: original.number, c: original.verificationCode })).data
      ?.verifyCertificate;
    expect(old).toMatchObject({ status: 'SUPERSEDED', supersededByNumber: corrected.number });
    const oldPage = await (
      await fetch(
        `${t.url}/verify/${encodeURIComponent(original.number)}?c=${original.verificationCode}`,
      )
    ).text();
    expect(oldPage).toContain('data-status="SUPERSEDED"');
    expect(oldPage).toContain(corrected.number);
    const list = await coordinator(
      `{ certificates(filter: { statuses: [SUPERSEDED, REVOKED] }) { totalCount } }`,
    );
    expect(list.data?.certificates.totalCount).toBe(2);
    expect((await otherWard(`{ certificates { totalCount } }`)).data?.certificates.totalCount).toBe(
      0,
    );
  });

  it('refuses a certificate whose English text would lack the holder’s Latin-letter forms', async () => {
    const nameOnly = await createResident(coordinator, ward5, 'সালমা খাতুন');
    const request = await approved(
      'RESIDENCE_CERT',
      { purpose: 'bank', years_of_residence: 3 },
      nameOnly,
    );
    const res = await issue(signatory, request);
    expect(res.data?.issueCertificate).toMatchObject({
      certificate: null,
      errors: [
        expect.objectContaining({
          code: 'INVALID',
          field: 'requestId',
          message: expect.stringContaining('Latin letters'),
        }),
      ],
    });
    // Bengali letters are refused where Latin letters are asked for.
    const bengaliInLatin = await coordinator(
      `mutation ($input: UpdateResidentInput!) { updateResident(input: $input) { errors { field message } } }`,
      { input: { id: nameOnly, version: 1, altName: 'Salma Khatun', addressEn: 'বসিরহাট' } },
    );
    expect(bengaliInLatin.data?.updateResident.errors).toEqual([
      { field: 'addressEn', message: 'must be written in Latin letters' },
    ]);
    await coordinator(
      `mutation ($input: UpdateResidentInput!) { updateResident(input: $input) { errors { field } } }`,
      { input: { id: nameOnly, version: 1, altName: 'Salma Khatun' } },
    );
    const fresh = (
      await coordinator(`query ($id: ID!) { request(id: $id) { id version } }`, {
        id: request.id,
      })
    ).data?.request;
    const certificate = await issued(signatory, fresh);
    expect(certificate.content.textEn).toContain('This is to certify that Salma Khatun');
    expect(certificate.content.textBn).toContain('৩ বছর');
  });

  it('prints dates in each language’s own form', async () => {
    const request = await approved('LEGAL_HEIR_REC', {
      deceased_name: 'Abdul Karim Sheikh',
      date_of_death: '2026-12-02',
      heirs: 'Rahim Sheikh (son)',
    });
    const certificate = await issued(coordinator, request);
    expect(certificate.content.textBn).toContain('২ ডিসেম্বর ২০২৬');
    expect(certificate.content.textEn).toContain('2 December 2026');
  });

  it('answers short links, plain slashes, the code form and malformed links cleanly', async () => {
    const certificate = await issued(signatory, await residence());
    const [municipality, type, year, serial] = certificate.number.split('/');
    const reference = `${municipality}-${type}-${year.replace('-', '').slice(2)}-${serial}-${certificate.verificationCode}`;
    const get = (path: string) => fetch(`${t.url}${path}`, { redirect: 'manual' });
    for (const path of [
      `/v/${reference}`,
      `/V/${reference}`,
      `/v/${reference.toLowerCase()}`,
      `/verify/${certificate.number}?c=${certificate.verificationCode}`,
      `/verify/${encodeURIComponent(certificate.number)}?c=${certificate.verificationCode.toLowerCase()}`,
      `/verify?n=${encodeURIComponent(certificate.number.replace(/[0-9]/g, (d: string) => '০১২৩৪৫৬৭৮৯'[Number(d)]))}&c=${certificate.verificationCode}`,
      `/verify?n=${reference}`,
      `/verify?n=${encodeURIComponent(certificate.number)}&c=${encodeURIComponent(certificate.verificationCode.replace(/[0-9]/g, (d: string) => '০১২৩৪৫৬৭৮৯'[Number(d)]))}`,
    ]) {
      const page = await get(path);
      const html = await page.text();
      expect({ path, status: page.status, valid: html.includes('data-status="VALID"') }).toEqual({
        path,
        status: 200,
        valid: true,
      });
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(page.headers.get('content-security-policy')).toContain("font-src 'self'");
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(html).toContain('/verify-assets/noto-sans-bengali-400.woff2');
      expect(html).toContain('@media print');
    }
    // Without a code: the form, the number filled in.
    const form = await get(`/verify/${certificate.number}`);
    expect(form.status).toBe(200);
    const formHtml = await form.text();
    expect(formHtml).toContain('<form method="get" action="/verify"');
    expect(formHtml).toContain(`value="${certificate.number}"`);
    expect((await get('/verify')).status).toBe(200);
    // The fonts come from the app.
    const font = await get('/verify-assets/noto-sans-bengali-400.woff2');
    expect(font.status).toBe(200);
    expect(font.headers.get('content-type')).toBe('font/woff2');
    expect((await font.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    expect((await get('/verify-assets/..%2Fpackage.json')).status).toBe(404);
    // A wrong code: not found, with the form to try again.
    const wrong = await get(`/v/${reference.slice(0, -8)}AAAAAAAA`);
    expect(wrong.status).toBe(404);
    expect(await wrong.text()).toContain('data-status="UNKNOWN"');
    // Malformed paths and queries answer 400 or 404 in the page's shape, never 500.
    for (const [path, status] of [
      ['/verify/%00', 400],
      ['/verify/%00?c=AAAAAAAA', 400],
      [`/verify/${encodeURIComponent(certificate.number)}?c=X&c=X`, 400],
      [`/verify?n=${encodeURIComponent(certificate.number)}&n=x&c=AAAAAAAA`, 400],
      ['/verify?n=%3Cscript%3E&c=AAAAAAAA', 400],
      [`/verify/${'9'.repeat(500)}?c=AAAAAAAA`, 400],
      ['/v/%00', 404],
      ['/v/not-a-reference', 404],
      [`/v/${reference}?c=X&c=Y`, 400],
      [`/v/${reference}/signed?x=1&x=2`, 404],
      ['/v/%00/signed', 404],
    ] as const) {
      const page = await get(path);
      const body = await page.text();
      expect({ path, status: page.status }).toEqual({ path, status });
      expect(body).not.toContain('<script');
      if (page.headers.get('content-type')?.includes('text/html'))
        expect(page.headers.get('x-frame-options')).toBe('DENY');
    }
    // A NUL is refused at the API's edge, like any other text that cannot be stored.
    const nul = await t.gql(VERIFY, { n: '\u0000', c: 'AAAAAAAA' });
    expect(nul.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('hands out the full signed content for an offline check, to whoever has the code', async () => {
    const certificate = await issued(signatory, await residence());
    const [municipality, type, year, serial] = certificate.number.split('/');
    const reference = `${municipality}-${type}-${year.replace('-', '').slice(2)}-${serial}-${certificate.verificationCode}`;
    const signed = await fetch(`${t.url}/v/${reference}/signed`);
    expect(signed.status).toBe(200);
    const body = Buffer.from(await signed.arrayBuffer());
    const result = verifyOffline(body, await publicKeys());
    expect(result).toMatchObject({ valid: true, kind: 'JSON' });
    expect(result.valid && result.facts.number).toBe(certificate.number);
    expect((await fetch(`${t.url}/v/${reference.slice(0, -8)}AAAAAAAA/signed`)).status).toBe(404);
    const viaApi = (
      await t.gql(
        `query ($n: String!, $c: String!) { verifyCertificate(number: $n, code: $c) { signedPayload signature keyId } }`,
        { n: certificate.number, c: certificate.verificationCode },
      )
    ).data?.verifyCertificate;
    expect(verifyOffline(Buffer.from(JSON.stringify(viaApi)), await publicKeys())).toMatchObject({
      valid: true,
    });
  });

  it('serves the PDF to staff of the ward only, the same bytes every time', async () => {
    const certificate = await issued(signatory, await residence());
    const token = (
      await t.gql(
        `mutation { signIn(input: { login: "coord.5", password: "correct horse battery staple" }) { accessToken } }`,
      )
    ).data?.signIn.accessToken;
    const get = (auth?: string) =>
      fetch(`${t.url}/certificates/${certificate.id}.pdf`, {
        headers: auth ? { authorization: `Bearer ${auth}` } : {},
      });
    const first = await get(token);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await first.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(20_000);
    const second = Buffer.from(await (await get(token)).arrayBuffer());
    expect(second.equals(bytes)).toBe(true);
    expect((await get()).status).toBe(401);
    const otherToken = (
      await t.gql(
        `mutation { signIn(input: { login: "coord.6", password: "correct horse battery staple" }) { accessToken } }`,
      )
    ).data?.signIn.accessToken;
    expect((await get(otherToken)).status).toBe(404);
  });

  it('can be checked offline, from the PDF or the QR token, with the published keys', async () => {
    const certificate = await issued(signatory, await residence());
    const token = (
      await t.gql(
        `mutation { signIn(input: { login: "coord.5", password: "correct horse battery staple" }) { accessToken } }`,
      )
    ).data?.signIn.accessToken;
    const pdf = Buffer.from(
      await (
        await fetch(`${t.url}/certificates/${certificate.id}.pdf`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).arrayBuffer(),
    );
    const dir = mkdtempSync(join(tmpdir(), 'duare-verify-'));
    try {
      writeFileSync(join(dir, 'keys.json'), JSON.stringify({ keys: await publicKeys() }));
      writeFileSync(join(dir, 'good.pdf'), pdf);
      // One byte of the signed payload changed (a letter of its base64).
      const at = pdf.indexOf('duare-payload:') + 'duare-payload:'.length + 40;
      const bad = Buffer.from(pdf);
      bad[at] = bad[at] === 0x41 ? 0x42 : 0x41;
      writeFileSync(join(dir, 'bad.pdf'), bad);
      const run = (file: string) =>
        spawnSync(
          process.execPath,
          ['dist/scripts/verify-certificate.js', join(dir, file), '--keys', join(dir, 'keys.json')],
          { encoding: 'utf8' },
        );
      const good = run('good.pdf');
      expect(good.status).toBe(0);
      expect(good.stdout).toContain(
        `VALID PDF signature (key duare-demo): ${certificate.number} RES`,
      );
      const forged = run('bad.pdf');
      expect(forged.status).toBe(1);
      expect(forged.stdout).toMatch(/^NOT VALID/);

      const stored = await t.app
        .get(DataSource)
        .getRepository(Certificate)
        .findOneByOrFail({ id: certificate.id });
      const payload = await t.app.get(CertificatesService).payloadOf(stored);
      const qr = `http://localhost/verify/x?c=y#${qrToken(stored, payload, t.app.get(CertificateSigningService).signer().sign)}`;
      const keys = await publicKeys();
      const fromQr = verifyOffline(Buffer.from(qr), keys);
      expect(fromQr).toMatchObject({
        valid: true,
        kind: 'QR',
        facts: { number: certificate.number, holder: 'র*** শ**' },
      });
      const [body, signature, keyId] = qr.split('#')[1].split('.');
      const changed = Buffer.from(
        Buffer.from(body, 'base64url').toString().replace('RES', 'INC'),
      ).toString('base64url');
      expect(verifyOffline(Buffer.from(`${changed}.${signature}.${keyId}`), keys)).toEqual({
        valid: false,
        reason: 'the signature does not match the content',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('limits public verification per client address', async () => {
    const limited = await setUp({ VERIFY_RATE_PER_MINUTE: '5' });
    try {
      const codes: unknown[] = [];
      for (let i = 0; i < 7; i += 1) {
        const res = await limited.gql(VERIFY, { n: 'BSR/RES/2026-27/000001', c: 'AAAAAAAA' });
        codes.push(res.errors?.[0].extensions?.code ?? res.data?.verifyCertificate.status);
      }
      expect(codes).toEqual([
        'UNKNOWN',
        'UNKNOWN',
        'UNKNOWN',
        'UNKNOWN',
        'UNKNOWN',
        'RATE_LIMITED',
        'RATE_LIMITED',
      ]);
      expect((await fetch(`${limited.url}/verify/x?c=y`)).status).toBe(429);
    } finally {
      await limited.close();
    }
  });
});

describe('certificate signing keys (e2e)', () => {
  it('signs with the configured key, and certificates keep verifying after a rotation', async () => {
    const first = await setUp({
      NODE_ENV: 'production',
      CERTIFICATE_SIGNING_KEY: keyPem(),
      CERTIFICATE_KEY_ID: 'bsr-2026-1',
    });
    const bsr = await seedMunicipality(first, 'BSR');
    const [ward] = await insertWards(first, bsr, 1);
    const types = await seedCatalogue(first, bsr);
    await first.app.get(CertificatesService).createTypes(bsr, DEMO_CERTIFICATE_TYPES);
    const signer = await staffClient(first, bsr, 'bsr.eo', [
      { role: StaffRole.SIGNATORY },
      { role: StaffRole.WARD_COORDINATOR, wardId: ward },
    ]);
    const resident = await createResident(signer, ward, 'Mary Das');
    const make = async (client: GraphQL) => {
      let request = await createRequest(client, {
        residentId: resident,
        serviceTypeId: types.IDENTITY_CERT,
        attributes: { purpose: 'bank' },
      });
      for (const action of ['START_REVIEW', 'APPROVE'])
        request = (await step(client, request, action)).data?.transitionRequest.request;
      return (await client(ISSUE, { input: { requestId: request.id, version: request.version } }))
        .data?.issueCertificate.certificate;
    };
    const old = await make(signer);
    expect(old.keyId).toBe('bsr-2026-1');
    await first.close({ keepDatabase: true });

    const rotated = await setUp(
      {
        NODE_ENV: 'production',
        CERTIFICATE_SIGNING_KEY: keyPem(),
        CERTIFICATE_KEY_ID: 'bsr-2026-2',
      },
      first.db,
    );
    try {
      const signer2 = as(
        rotated,
        (
          await rotated.gql(
            `mutation { signIn(input: { login: "bsr.eo", password: "correct horse battery staple" }) { accessToken } }`,
          )
        ).data?.signIn.accessToken,
      );
      const fresh = await make(signer2);
      expect(fresh.keyId).toBe('bsr-2026-2');
      for (const certificate of [old, fresh]) {
        const res = await rotated.gql(VERIFY, {
          n: certificate.number,
          c: certificate.verificationCode,
        });
        expect(res.data?.verifyCertificate).toMatchObject({
          status: 'VALID',
          signatureValid: true,
          keyId: certificate.keyId,
        });
      }
      const keys = (await rotated.gql(`{ certificateSigningKeys { keyId algorithm } }`)).data
        ?.certificateSigningKeys;
      expect(keys).toEqual([
        { keyId: 'bsr-2026-1', algorithm: 'Ed25519' },
        { keyId: 'bsr-2026-2', algorithm: 'Ed25519' },
      ]);
      // The same id for a different key is refused at start.
      await expect(
        setUp(
          {
            NODE_ENV: 'production',
            CERTIFICATE_SIGNING_KEY: keyPem(),
            CERTIFICATE_KEY_ID: 'bsr-2026-1',
          },
          first.db,
        ),
      ).rejects.toThrow(/already the id of another key/);
    } finally {
      await rotated.close();
      await first.db.drop();
    }
  });

  it('issues nothing in production without a key, and says so', async () => {
    const t = await setUp({ NODE_ENV: 'production' });
    try {
      const bsr = await seedMunicipality(t, 'BSR');
      const [ward] = await insertWards(t, bsr, 1);
      const types = await seedCatalogue(t, bsr);
      await t.app.get(CertificatesService).createTypes(bsr, DEMO_CERTIFICATE_TYPES);
      const signer = await staffClient(t, bsr, 'bsr.eo', [
        { role: StaffRole.SIGNATORY },
        { role: StaffRole.WARD_COORDINATOR, wardId: ward },
      ]);
      const resident = await createResident(signer, ward, 'Mary Das');
      let request = await createRequest(signer, {
        residentId: resident,
        serviceTypeId: types.INCOME_CERT,
        attributes: { purpose: 'bank', annual_income: 1 },
      });
      for (const action of ['START_REVIEW', 'APPROVE'])
        request = (await step(signer, request, action)).data?.transitionRequest.request;
      const res = await signer(ISSUE, {
        input: { requestId: request.id, version: request.version },
      });
      expect(res.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
      expect(t.logs.join('')).toContain('CERTIFICATE_SIGNING_KEY is not set');
      expect(systemActor('x').type).toBe('SYSTEM');
    } finally {
      await t.close();
    }
  });
});

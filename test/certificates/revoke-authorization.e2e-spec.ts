import { CertificatesService } from '../../src/certificates/certificates.service';
import { StaffRole } from '../../src/common/access/staff-role';
import { DEMO_CERTIFICATE_TYPES } from '../../src/demo/demo-certificate-types';
import { as, GraphQL, insertWards, seedMunicipality, staffClient } from '../support/fixtures';
import { createRequest, createResident, seedCatalogue, step } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const ISSUE = `mutation ($input: IssueCertificateInput!) { issueCertificate(input: $input) {
  certificate { id status signerRole } errors { code field message } } }`;
const REVOKE = `mutation ($input: CertificateChangeInput!) { revokeCertificate(input: $input) {
  certificate { id status } errors { code field message } } }`;

/** Issue 21: revoking undoes a signature, so it needs the role that signed, like issuing. */
describe('revoking a certificate needs the signer’s role (e2e)', () => {
  let t: TestApp;
  let types: Record<string, string>;
  let admin: GraphQL;
  let signatory: GraphQL;
  let coordinator: GraphQL;
  let rahim: string;

  /** A residence certificate (signed by the SIGNATORY) of ward 5. */
  const residenceCertificate = async () => {
    let request = await createRequest(coordinator, {
      residentId: rahim,
      serviceTypeId: types.RESIDENCE_CERT,
      attributes: { purpose: 'school', years_of_residence: 12 },
    });
    for (const action of ['START_REVIEW', 'APPROVE']) {
      request = (await step(coordinator, request, action)).data?.transitionRequest.request;
    }
    const res = await signatory(ISSUE, {
      input: { requestId: request.id, version: request.version },
    });
    const certificate = res.data?.issueCertificate.certificate;
    if (!certificate) throw new Error(JSON.stringify(res));
    expect(certificate.signerRole).toBe('SIGNATORY');
    return certificate as { id: string };
  };
  const revoke = (client: GraphQL, certificateId: string) =>
    client(REVOKE, { input: { certificateId, reason: 'issued in error' } });
  const statusOf = async (id: string) =>
    (await t.db.pool.query(`SELECT status FROM certificates WHERE id = $1`, [id])).rows[0].status;

  beforeAll(async () => {
    t = await startTestApp();
    const bsr = await seedMunicipality(t, 'BSR');
    const [, , , , ward5] = await insertWards(t, bsr, 5);
    types = await seedCatalogue(t, bsr);
    await t.app.get(CertificatesService).createTypes(bsr, DEMO_CERTIFICATE_TYPES);
    admin = await staffClient(t, bsr, 'bsr.admin', [{ role: StaffRole.MUNICIPAL_ADMIN }]);
    signatory = await staffClient(t, bsr, 'bsr.signatory', [{ role: StaffRole.SIGNATORY }]);
    coordinator = await staffClient(t, bsr, 'coord.5', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward5 },
    ]);
    rahim = await createResident(coordinator, ward5, 'রহিম শেখ', '+91 98765 43210', {
      altName: 'Rahim Sheikh',
    });
  });
  afterAll(() => t.close());

  it('refuses an API client with certificates:issue, and the ward’s coordinator', async () => {
    const certificate = await residenceCertificate();
    const key = (
      await admin(
        `mutation { createApiClient(input: { name: "revoker", scopes: [CERTIFICATES_READ, CERTIFICATES_ISSUE, REQUESTS_READ] }) { apiKey } }`,
      )
    ).data?.createApiClient.apiKey as string;
    for (const client of [as(t, key), coordinator]) {
      const res = await revoke(client, certificate.id);
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(res.errors?.[0].message).toMatch(/signed by a SIGNATORY/);
    }
    expect(await statusOf(certificate.id)).toBe('ISSUED');
  });

  it('lets the signer’s role revoke', async () => {
    const certificate = await residenceCertificate();
    const res = await revoke(signatory, certificate.id);
    expect(res.errors).toBeUndefined();
    expect(res.data?.revokeCertificate.certificate.status).toBe('REVOKED');
    expect(await statusOf(certificate.id)).toBe('REVOKED');
  });
});

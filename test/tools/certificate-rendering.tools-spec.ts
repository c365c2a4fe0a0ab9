import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificatesService } from '../../src/certificates/certificates.service';
import { StaffRole } from '../../src/common/access/staff-role';
import { DEMO_CERTIFICATE_TYPES } from '../../src/demo/demo-certificate-types';
import { insertWards, seedMunicipality, signIn, staffClient } from '../support/fixtures';
import { createRequest, createResident, seedCatalogue, step } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Headless Chromium as the machine's probe runs it: no network chatter, a fresh profile.
 * Asynchronous: the page is served by this very process.
 */
async function chromiumDom(url: string, profile: string): Promise<string> {
  const { stdout } = await promisify(execFile)(
    '/usr/bin/chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--dump-dom',
      url,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  return stdout;
}

/** Share of pixels darker than light grey in a binary PGM image. */
function inkShare(pgm: Buffer): number {
  const header = pgm.toString('latin1', 0, 50).split(/\s+/);
  const [width, height] = [Number(header[1]), Number(header[2])];
  const pixels = pgm.subarray(pgm.length - width * height);
  let dark = 0;
  for (const value of pixels) if (value < 200) dark += 1;
  return dark / pixels.length;
}

describe('a certificate as people see it (poppler-utils, chromium)', () => {
  let t: TestApp;
  let dir: string;
  let certificate: { id: string; number: string; verificationCode: string };
  let pdf: Buffer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duare-tools-'));
    t = await startTestApp();
    const bsr = await seedMunicipality(t, 'BSR');
    const [ward] = await insertWards(t, bsr, 1);
    const types = await seedCatalogue(t, bsr);
    await t.app.get(CertificatesService).createTypes(bsr, DEMO_CERTIFICATE_TYPES);
    const eo = await staffClient(t, bsr, 'bsr.eo', [
      { role: StaffRole.SIGNATORY },
      { role: StaffRole.WARD_COORDINATOR, wardId: ward },
    ]);
    const resident = await createResident(eo, ward, 'রহিম শেখ', '+91 98765 43210');
    let request: any = await createRequest(eo, {
      residentId: resident,
      serviceTypeId: types.RESIDENCE_CERT,
      attributes: { purpose: 'school', years_of_residence: 12 },
    });
    for (const action of ['START_REVIEW', 'APPROVE']) {
      request = (await step(eo, request, action)).data?.transitionRequest.request;
    }
    certificate = (
      await eo(
        `mutation ($input: IssueCertificateInput!) { issueCertificate(input: $input) { certificate { id number verificationCode } } }`,
        { input: { requestId: request.id, version: request.version } },
      )
    ).data?.issueCertificate.certificate;
    const { accessToken } = await signIn(t, 'bsr.eo');
    pdf = Buffer.from(
      await (
        await fetch(`${t.url}/certificates/${certificate.id}.pdf`, {
          headers: { authorization: `Bearer ${accessToken}` },
        })
      ).arrayBuffer(),
    );
    writeFileSync(join(dir, 'certificate.pdf'), pdf);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has the Bengali and English text in the PDF', () => {
    // -raw: content order, where every Bengali run carries its logical text (ActualText).
    const text = execFileSync('pdftotext', ['-raw', join(dir, 'certificate.pdf'), '-'], {
      encoding: 'utf8',
    });
    for (const expected of [
      'বসিরহাট পৌরসভা',
      'Basirhat Municipality',
      'বাসস্থান শংসাপত্র',
      'Residence certificate',
      'রহিম শেখ',
      certificate.number,
      certificate.verificationCode,
    ]) {
      expect({ expected, found: text.includes(expected) }).toEqual({ expected, found: true });
    }
  });

  it('renders to an image that is not blank', () => {
    execFileSync('pdftoppm', [
      '-gray',
      '-r',
      '40',
      '-singlefile',
      join(dir, 'certificate.pdf'),
      join(dir, 'page'),
    ]);
    const share = inkShare(readFileSync(join(dir, 'page.pgm')));
    // Text and a QR code: a few per cent of the page is ink; a blank page has none.
    expect(share).toBeGreaterThan(0.01);
    expect(share).toBeLessThan(0.5);
  });

  it('shows the verification page in a real browser, in both languages, without scripts', async () => {
    const url = `${t.url}/verify/${encodeURIComponent(certificate.number)}?c=${certificate.verificationCode}`;
    const dom = await chromiumDom(url, join(dir, 'profile'));
    expect(dom).toContain('data-status="VALID"');
    expect(dom).toContain('বৈধ শংসাপত্র');
    expect(dom).toContain('Valid certificate');
    expect(dom).toContain('র*** শ**');
    const wrong = await chromiumDom(
      `${t.url}/verify/${encodeURIComponent(certificate.number)}?c=WRONG123`,
      join(dir, 'profile2'),
    );
    expect(wrong).toContain('data-status="UNKNOWN"');
  });
});

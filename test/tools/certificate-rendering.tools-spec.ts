import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { formatDateBn, formatDateEn, maskName } from '../../src/certificates/certificate-content';
import { CertificatesService } from '../../src/certificates/certificates.service';
import { StaffRole } from '../../src/common/access/staff-role';
import { DEMO_CERTIFICATE_TYPES } from '../../src/demo/demo-certificate-types';
import { GraphQL, insertWards, seedMunicipality, signIn, staffClient } from '../support/fixtures';
import { createRequest, createResident, seedCatalogue, step } from '../support/request-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Headless Chromium as the machine's probe runs it: no network chatter, a fresh profile.
 * Asynchronous: the page is served by this very process.
 */
async function chromium(args: string[], url: string, profile: string): Promise<string> {
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
      '--hide-scrollbars',
      // Waits for the page's own fonts before a screenshot is taken.
      '--virtual-time-budget=10000',
      `--user-data-dir=${profile}`,
      ...args,
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

const decoded = new Map<string, string | null>();

/** What a phone's decoder reads from a whole rendered page (jsQR, as in many web scanners). */
function decodeQr(file: string): string | null {
  if (!decoded.has(file)) {
    const image = PNG.sync.read(readFileSync(file));
    const found = jsQR(new Uint8ClampedArray(image.data), image.width, image.height, {
      inversionAttempts: 'dontInvert',
    });
    decoded.set(file, found?.data ?? null);
  }
  return decoded.get(file)!;
}

/** The QR code's text as `zbarimg` (Debian's zbar-tools) reads it, or null. */
function scanWithZbar(file: string): string | null {
  try {
    const text = execFileSync('zbarimg', ['--quiet', '--raw', file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return text.trim() || null;
  } catch {
    return null; // zbarimg exits with 4 when it finds no code
  }
}

/** The longest holder a ward realistically has: long names, a long address, both scripts. */
const LONG_HOLDER = {
  fullName: 'মোহাম্মদ আব্দুর রহমান শেখ চৌধুরী',
  altName: 'Mohammad Abdur Rahman Sheikh Chowdhury',
  guardianName: 'মরহুম হাজী আব্দুল করিম শেখ চৌধুরী',
  guardianNameEn: 'Late Haji Abdul Karim Sheikh Chowdhury',
  guardianRelation: 'FATHER',
  address: {
    houseNumber: '১২/৩এ',
    street: 'নেতাজি সুভাষচন্দ্র বসু রোড',
    locality: 'দক্ষিণ নৈহাটি পাড়া, ইটিন্ডা রোডের পাশে',
    postOffice: 'বসিরহাট',
    pinCode: '৭৪৩৪১১',
  },
  addressEn:
    '12/3A, Netaji Subhas Chandra Bose Road, South Naihati Para, beside Itinda Road, Basirhat, 743411',
};

/** Each demo certificate type with the longest realistic values of its request. */
const CASES: Array<{ service: string; type: string; attributes: Record<string, unknown> }> = [
  {
    service: 'RESIDENCE_CERT',
    type: 'RES',
    attributes: { purpose: 'scheme', years_of_residence: 35 },
  },
  { service: 'INCOME_CERT', type: 'INC', attributes: { purpose: 'bank', annual_income: 125000 } },
  { service: 'CHARACTER_CERT', type: 'CHR', attributes: { purpose: 'job' } },
  { service: 'IDENTITY_CERT', type: 'IDN', attributes: { purpose: 'school' } },
  {
    service: 'LEGAL_HEIR_REC',
    type: 'LHR',
    attributes: {
      deceased_name: 'Haji Abdul Karim Sheikh Chowdhury',
      date_of_death: '2026-11-02',
      heirs:
        'Mohammad Abdur Rahman Sheikh Chowdhury (son), Fatima Khatun Bibi (wife), Nasrin Sultana Khatun (daughter), Mohammad Imran Sheikh Chowdhury (son), Rabeya Begum (daughter)',
    },
  },
  {
    service: 'HOME_BIRTH_DEATH_REC',
    type: 'BDR',
    attributes: {
      event: 'birth',
      event_date: '2026-10-15',
      person_name: 'Ayesha Sheikh Chowdhury',
    },
  },
  {
    service: 'NO_OBJECTION',
    type: 'NOC',
    attributes: {
      purpose_details:
        'Construction of a second floor on the existing residential building at holding 12/3A, Netaji Subhas Chandra Bose Road, as per the plan submitted to the municipality, and a new water supply connection for the same holding',
    },
  },
];

const DESIGNATION = {
  SIGNATORY: ['নির্বাহী আধিকারিক', 'Executive Officer, Basirhat Municipality'],
  WARD_COORDINATOR: ['ওয়ার্ড সমন্বয়কারী', 'Ward Coordinator, Basirhat Municipality'],
} as Record<string, [string, string]>;

const SIGNER = {
  SIGNATORY: 'Demo Executive Officer',
  WARD_COORDINATOR: 'Demo Coordinator',
} as Record<string, string>;

interface Issued {
  id: string;
  number: string;
  verificationCode: string;
  typeCode: string;
  signerRole: string;
}

describe('a certificate as people see it (poppler-utils, chromium)', () => {
  let t: TestApp;
  let dir: string;
  /** Screenshots and renders stay here when TOOLS_OUTPUT_DIR is set (to look at them). */
  let out: string;
  let eo: GraphQL;
  const issued: Record<string, Issued> = {};
  const file = (type: string, ext: string) => join(out, `certificate-${type}.${ext}`);
  /** The app listens on a port of its own; what the QR code leads to is asked of it. */
  const local = (url: string) => `${t.url}${new URL(url).pathname}${new URL(url).search}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duare-tools-'));
    out = process.env.TOOLS_OUTPUT_DIR ?? dir;
    mkdirSync(out, { recursive: true });
    t = await startTestApp({
      VERIFY_RATE_PER_MINUTE: '1000',
      CERTIFICATE_IMAGES_DIR: join(dir, 'images'),
    });
    const bsr = await seedMunicipality(t, 'BSR');
    const [ward] = await insertWards(t, bsr, 1);
    const types = await seedCatalogue(t, bsr);
    await t.app.get(CertificatesService).createTypes(bsr, DEMO_CERTIFICATE_TYPES);
    eo = await staffClient(t, bsr, 'bsr.eo', [
      { role: StaffRole.SIGNATORY },
      { role: StaffRole.WARD_COORDINATOR, wardId: ward },
    ]);
    const coordinator = await staffClient(t, bsr, 'coord.1', [
      { role: StaffRole.WARD_COORDINATOR, wardId: ward },
    ]);
    await t.db.pool.query(
      `UPDATE staff_accounts SET display_name = CASE username WHEN 'bsr.eo' THEN $1 ELSE $2 END`,
      [SIGNER.SIGNATORY, SIGNER.WARD_COORDINATOR],
    );
    const { fullName, ...more } = LONG_HOLDER;
    const resident = await createResident(eo, ward, fullName, '+91 98765 43210', more);
    for (const c of CASES) {
      let request: any = await createRequest(eo, {
        residentId: resident,
        serviceTypeId: types[c.service],
        attributes: c.attributes,
      });
      for (const action of ['START_REVIEW', 'APPROVE']) {
        request = (await step(eo, request, action)).data?.transitionRequest.request;
      }
      const type = DEMO_CERTIFICATE_TYPES.find((d) => d.code === c.type)!;
      const res = await (type.signerRole === 'SIGNATORY' ? eo : coordinator)(
        `mutation ($input: IssueCertificateInput!) { issueCertificate(input: $input) { certificate { id number verificationCode typeCode signerRole } errors { message } } }`,
        { input: { requestId: request.id, version: request.version } },
      );
      const certificate = res.data?.issueCertificate.certificate;
      if (!certificate) throw new Error(JSON.stringify(res));
      issued[c.type] = certificate;
    }
    const { accessToken } = await signIn(t, 'bsr.eo');
    for (const certificate of Object.values(issued)) {
      const pdf = await fetch(`${t.url}/certificates/${certificate.id}.pdf`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      writeFileSync(file(certificate.typeCode, 'pdf'), Buffer.from(await pdf.arrayBuffer()));
      for (const dpi of [80, 150]) {
        execFileSync('pdftoppm', [
          '-r',
          String(dpi),
          '-png',
          '-singlefile',
          file(certificate.typeCode, 'pdf'),
          join(out, `certificate-${certificate.typeCode}-${dpi}`),
        ]);
      }
    }
  }, 240_000);
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe.each(CASES.map((c) => c.type))('the %s certificate', (type) => {
    it('is one A4 page with both scripts, the right digits and dates, the signer and designation', () => {
      const certificate = issued[type];
      const info = execFileSync('pdfinfo', [file(type, 'pdf')], { encoding: 'utf8' });
      expect(info).toMatch(/Pages:\s+1\n/);
      expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
      expect(info).toContain('Author:          Basirhat Municipality');
      expect(info).toMatch(/Title:\s+.*\/ .* — BSR\//);
      // -raw: content order, where every Bengali run carries its logical text (ActualText).
      // Lines break differently from the source; compared without white space.
      const squash = (value: string) => value.replace(/\s+/g, '');
      const text = squash(
        execFileSync('pdftotext', ['-raw', file(type, 'pdf'), '-'], { encoding: 'utf8' }),
      );
      const today = new Date();
      const [bnTitle, enTitle] = [
        DEMO_CERTIFICATE_TYPES.find((d) => d.code === type)!.nameBn,
        DEMO_CERTIFICATE_TYPES.find((d) => d.code === type)!.nameEn,
      ];
      for (const expected of [
        'বসিরহাট পৌরসভা',
        'Basirhat Municipality',
        bnTitle,
        enTitle,
        'মোহাম্মদ আব্দুর রহমান শেখ চৌধুরী',
        'Mohammad Abdur Rahman Sheikh Chowdhury',
        certificate.number,
        certificate.verificationCode,
        `তারিখ: ${formatDateBn(today)}`,
        `Date: ${formatDateEn(today)}`,
        SIGNER[certificate.signerRole],
        ...DESIGNATION[certificate.signerRole],
      ]) {
        expect({ expected, found: text.includes(squash(expected)) }).toEqual({
          expected,
          found: true,
        });
      }
      // The Bengali number line writes Bengali digits; the English one Latin digits.
      expect(text).toContain(
        `নং${certificate.number.replace(/[0-9]/g, (d) => '০১২৩৪৫৬৭৮৯'[Number(d)])}`,
      );
      if (type === 'LHR') {
        expect(text).toContain('২নভেম্বর২০২৬');
        expect(text).toContain('2November2026');
      }
      if (type === 'INC') {
        expect(text).toContain('₹১,২৫,০০০');
        expect(text).toContain('₹1,25,000');
      }
    });

    it('keeps every word inside the border', () => {
      const html = execFileSync('pdftotext', ['-bbox', file(type, 'pdf'), '-'], {
        encoding: 'utf8',
      });
      const page = /<page width="([\d.]+)" height="([\d.]+)">/.exec(html)!;
      const [width, height] = [Number(page[1]), Number(page[2])];
      const words = [
        ...html.matchAll(
          /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</g,
        ),
      ];
      expect(words.length).toBeGreaterThan(100);
      const outside = words
        .filter(
          ([, x0, y0, x1, y1]) => +x0 < 28 || +y0 < 28 || +x1 > width - 28 || +y1 > height - 28,
        )
        .map((w) => w[5]);
      expect(outside).toEqual([]);
    });

    it('has a QR code that decodes from a 150 and an 80 dpi render and opens a page that says valid', async () => {
      const certificate = issued[type];
      const from150 = decodeQr(join(out, `certificate-${type}-150.png`));
      const from80 = decodeQr(join(out, `certificate-${type}-80.png`));
      expect(from150).toMatch(/^HTTP:\/\/[A-Z0-9.:]+\/V\/BSR-[A-Z]{3}-\d{4}-\d{6}-[0-9A-Z]{8}$/);
      expect(from80).toBe(from150);
      expect(from150!.length).toBeLessThan(70);
      expect(from150).toContain(certificate.verificationCode);
      const page = await fetch(local(from150!));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('data-status="VALID"');
    });
  });

  it('has a QR code that still decodes from a photo of a worn photocopy (grey, speckled, blurred)', () => {
    execFileSync('pdftoppm', [
      '-r',
      '100',
      '-png',
      '-singlefile',
      file('RES', 'pdf'),
      join(dir, 'copy'),
    ]);
    const image = PNG.sync.read(readFileSync(join(dir, 'copy.png')));
    const { width, height, data } = image;
    // Toner that is grey, not black, on paper that is grey, not white; speckles of ±35 levels
    // (a seeded mulberry32, the same every run); then the camera's 3×3 blur.
    let seed = 42;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
    const grey = new Float32Array(width * height);
    for (let i = 0; i < width * height; i += 1)
      grey[i] = 70 + (data[i * 4] * 120) / 255 + (random() - 0.5) * 70;
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        let sum = 0;
        let count = 0;
        for (let dy = -1; dy <= 1; dy += 1)
          for (let dx = -1; dx <= 1; dx += 1) {
            const [nx, ny] = [x + dx, y + dy];
            if (nx >= 0 && ny >= 0 && nx < width && ny < height) {
              sum += grey[ny * width + nx];
              count += 1;
            }
          }
        const at = (y * width + x) * 4;
        data[at] = data[at + 1] = data[at + 2] = Math.max(0, Math.min(255, sum / count));
      }
    }
    // A phone is pointed at the code: the lower half of the sheet is in the picture.
    const photo = new PNG({ width, height: height - Math.floor(height / 2) });
    PNG.bitblt(image, photo, 0, Math.floor(height / 2), width, photo.height, 0, 0);
    writeFileSync(join(out, 'certificate-RES-photocopy.png'), PNG.sync.write(photo));
    // Read as a phone's scanner would (ZBar, like ZXing, binarises in small windows). jsQR's
    // thresholds gave up on about four in ten of these copies — depending on the code's
    // pattern, which changes with every issued code — although ZBar read 100 of 100.
    expect(scanWithZbar(join(out, 'certificate-RES-photocopy.png'))).toBe(
      decodeQr(join(out, 'certificate-RES-150.png')),
    );
  });

  it('renders to images that are not blank', () => {
    execFileSync('pdftoppm', [
      '-gray',
      '-r',
      '40',
      '-singlefile',
      file('RES', 'pdf'),
      join(dir, 'page'),
    ]);
    const share = inkShare(readFileSync(join(dir, 'page.pgm')));
    expect(share).toBeGreaterThan(0.01);
    expect(share).toBeLessThan(0.5);
  });

  it('leads from a revoked certificate’s QR code to a page that says revoked', async () => {
    const certificate = issued.CHR;
    const qr = decodeQr(join(out, 'certificate-CHR-150.png'))!;
    const res = await eo(
      `mutation ($input: CertificateChangeInput!) { revokeCertificate(input: $input) { certificate { status } } }`,
      { input: { certificateId: certificate.id, reason: 'issued in error' } },
    );
    expect(res.data?.revokeCertificate.certificate.status).toBe('REVOKED');
    const html = await (await fetch(local(qr))).text();
    expect(html).toContain('data-status="REVOKED"');
    expect(html).toContain('গ্রহণ করবেন না');
    await chromium(
      ['--screenshot=' + join(out, 'verify-revoked-360.png'), '--window-size=360,740'],
      local(qr),
      join(dir, 'profile-revoked'),
    );
  });

  it('shows the verification page in a real browser, at phone and desktop widths', async () => {
    const certificate = issued.RES;
    const qr = decodeQr(join(out, 'certificate-RES-150.png'))!;
    const dom = await chromium(['--dump-dom'], local(qr), join(dir, 'profile'));
    expect(dom).toContain('data-status="VALID"');
    expect(dom).toContain('বৈধ শংসাপত্র');
    expect(dom).toContain('Valid certificate');
    expect(dom).toContain(maskName(LONG_HOLDER.fullName));
    expect(dom).not.toContain('<script');
    for (const [name, size] of [
      ['verify-valid-360.png', '360,740'],
      ['verify-valid-1280.png', '1280,800'],
    ]) {
      await chromium(
        [`--screenshot=${join(out, name)}`, `--window-size=${size}`],
        local(qr),
        join(dir, `profile-${name}`),
      );
      const png = PNG.sync.read(readFileSync(join(out, name)));
      expect(png.width).toBe(Number(size.split(',')[0]));
    }
    const wrong = await chromium(
      ['--dump-dom'],
      `${t.url}/verify/${certificate.number}?c=WRONG123`,
      join(dir, 'profile2'),
    );
    expect(wrong).toContain('data-status="UNKNOWN"');
  });

  it('offers a form for the number and code, which leads to the verdict', async () => {
    const certificate = issued.RES;
    const formDom = await chromium(
      ['--dump-dom'],
      `${t.url}/verify/${certificate.number}`,
      join(dir, 'profile-form'),
    );
    expect(formDom).toContain('<form method="get" action="/verify"');
    expect(formDom).toContain(`value="${certificate.number}"`);
    await chromium(
      [`--screenshot=${join(out, 'verify-form-360.png')}`, '--window-size=360,740'],
      `${t.url}/verify`,
      join(dir, 'profile-form-shot'),
    );
    // What the form sends when a person types the number with Bengali digits and the code.
    const typed = certificate.number.replace(/[0-9]/g, (d) => '০১২৩৪৫৬৭৮৯'[Number(d)]);
    const dom = await chromium(
      ['--dump-dom'],
      `${t.url}/verify?n=${encodeURIComponent(typed)}&c=${certificate.verificationCode.toLowerCase()}`,
      join(dir, 'profile-form-sent'),
    );
    expect(dom).toContain('data-status="VALID"');
  });

  it('prints the configured emblem, facsimile signature and seal instead of the drawn ones', async () => {
    const images = join(dir, 'images');
    mkdirSync(images, { recursive: true });
    const solid = (rgb: [number, number, number], width: number, height: number) => {
      const png = new PNG({ width, height });
      for (let i = 0; i < width * height; i += 1) png.data.set([...rgb, 255], i * 4);
      return PNG.sync.write(png);
    };
    const { rows } = await t.db.pool.query<{ id: string }>(
      `SELECT id FROM staff_accounts WHERE username = 'bsr.eo'`,
    );
    writeFileSync(join(images, 'emblem-BSR.png'), solid([220, 0, 0], 64, 64));
    writeFileSync(join(images, `signature-${rows[0].id}.png`), solid([0, 0, 220], 180, 34));
    writeFileSync(join(images, `seal-${rows[0].id}.png`), solid([0, 160, 0], 80, 80));
    try {
      const { accessToken } = await signIn(t, 'bsr.eo');
      const pdf = await fetch(`${t.url}/certificates/${issued.RES.id}.pdf`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      writeFileSync(join(out, 'certificate-RES-images.pdf'), Buffer.from(await pdf.arrayBuffer()));
      execFileSync('pdftoppm', [
        '-r',
        '72',
        '-png',
        '-singlefile',
        join(out, 'certificate-RES-images.pdf'),
        join(out, 'certificate-RES-images'),
      ]);
      const page = PNG.sync.read(readFileSync(join(out, 'certificate-RES-images.png')));
      const colour = (x: number, y: number) => {
        const at = (Math.round(y) * page.width + Math.round(x)) * 4;
        return [...page.data.subarray(at, at + 3)];
      };
      // At 72 dpi a pixel is a point: the emblem's centre, the signature's, the seal's.
      const signatureTop = 841.89 - 22 - 12 - 124 - 100;
      expect(colour(297.6, 76)).toEqual([220, 0, 0]);
      expect(colour(58 + 479.28 - 90, signatureTop + 15)).toEqual([0, 0, 220]);
      expect(colour(58 + 46, signatureTop + 52)).toEqual([0, 160, 0]);
      const text = execFileSync('pdftotext', [join(out, 'certificate-RES-images.pdf'), '-'], {
        encoding: 'utf8',
      });
      expect(text).toContain('Demo Executive Officer');
    } finally {
      rmSync(images, { recursive: true, force: true });
    }
  });
});

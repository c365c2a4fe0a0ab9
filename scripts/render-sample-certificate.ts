/**
 * Renders a sample certificate (the longest realistic holder) to PDF and PNG for the docs:
 *   npm run docs:certificate-sample [-- <out-dir>]   (needs `pdftoppm` from poppler-utils)
 * No database: a residence certificate is made up in memory and signed with a throwaway key.
 */
import { toBengaliDigits } from '../src/common/text/digits';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalPayload, fillTemplate } from '../src/certificates/certificate-content';
import { CertificatePdfService } from '../src/certificates/certificate-pdf.service';
import type { CertificateSigningService } from '../src/certificates/certificate-signing.service';
import { Certificate } from '../src/certificates/entities/certificate.entity';
import type { AppConfig } from '../src/config/app-config';
import { DEMO_CERTIFICATE_TYPES } from '../src/demo/demo-certificate-types';

export function sampleCertificate(): { certificate: Certificate; payload: string } {
  const type = DEMO_CERTIFICATE_TYPES.find((t) => t.code === 'RES')!;
  const holder = {
    name: 'মোহাম্মদ আব্দুর রহমান শেখ চৌধুরী',
    nameEn: 'Mohammad Abdur Rahman Sheikh Chowdhury',
    guardianName: 'মরহুম আব্দুল করিম শেখ চৌধুরী',
    guardianNameEn: 'Late Abdul Karim Sheikh Chowdhury',
    guardianRelation: 'FATHER',
    address: {
      houseNumber: '১২/৩এ',
      street: 'নেতাজি সুভাষ রোড',
      locality: 'ইটিন্ডা রোড, দক্ষিণ নৈহাটি পাড়া',
      postOffice: 'বসিরহাট',
      pinCode: '743411',
    },
    addressEn: '12/3A, Netaji Subhas Road, Itinda Road, South Naihati Para, Basirhat, 743411',
    wardNumber: 5,
    wardNameBn: 'ওয়ার্ড ৫',
    wardNameEn: 'Ward 5',
    municipalityNameBn: 'বসিরহাট পৌরসভা',
    municipalityNameEn: 'Basirhat Municipality',
    municipalityDistrict: 'North 24 Parganas',
    municipalityState: 'West Bengal',
  };
  const values = (bn: boolean) => ({
    holderName: bn ? holder.name : holder.nameEn,
    guardianRelation: bn ? 'পিতা' : 'father',
    guardianName: bn ? holder.guardianName : holder.guardianNameEn,
    address: bn ? toBengaliDigits(Object.values(holder.address).join(', ')) : holder.addressEn,
    wardName: bn ? holder.wardNameBn : holder.wardNameEn,
    municipalityName: bn ? holder.municipalityNameBn : holder.municipalityNameEn,
    years_of_residence: bn ? '৩৫' : '35',
    purpose: bn ? 'সরকারি প্রকল্প' : 'Government scheme',
  });
  const certificate = Object.assign(new Certificate(), {
    id: '00000000-0000-4000-8000-000000000001',
    number: 'BSR/RES/2026-27/000001',
    typeCode: 'RES',
    verificationCode: 'XY18TGNY',
    holder,
    content: {
      typeNameBn: type.nameBn,
      typeNameEn: type.nameEn,
      textBn: toBengaliDigits(fillTemplate(type.templateBn, values(true))),
      textEn: fillTemplate(type.templateEn, values(false)),
      signerDesignationBn: 'নির্বাহী আধিকারিক, বসিরহাট পৌরসভা',
      signerDesignationEn: 'Executive Officer, Basirhat Municipality',
    },
    issuedAt: new Date('2026-12-02T05:30:00Z'),
    validUntil: null,
    signerName: 'Demo Executive Officer',
    signerRole: 'SIGNATORY',
    keyId: 'duare-sample',
    supersedesId: null,
  });
  const payload = canonicalPayload({
    ...certificate,
    municipalityCode: 'BSR',
    supersedesNumber: null,
  });
  const { privateKey } = generateKeyPairSync('ed25519');
  certificate.signature = sign(null, Buffer.from(payload), privateKey).toString('base64url');
  return { certificate, payload };
}

async function main(outDir: string) {
  const { certificate, payload } = sampleCertificate();
  const pdf = new CertificatePdfService(
    { certificates: { publicBaseUrl: 'https://duare.basirhat.example' } } as AppConfig,
    {} as CertificateSigningService,
  );
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'certificate-sample.pdf');
  writeFileSync(file, await pdf.render(certificate, payload));
  execFileSync('pdftoppm', [
    '-r',
    '80',
    '-png',
    '-singlefile',
    file,
    join(outDir, 'certificate-sample'),
  ]);
  process.stdout.write(`${file}\n${join(outDir, 'certificate-sample.png')}\n`);
}

if (require.main === module) {
  main(process.argv[2] ?? join(__dirname, '..', '..', 'docs', 'images')).catch((error) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}

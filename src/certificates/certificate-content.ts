import stableStringify from 'fast-json-stable-stringify';
import { randomInt } from 'node:crypto';
import { Certificate } from './entities/certificate.entity';

/** India's financial year as printed on certificates: `2026-27`. */
export function printedFinancialYear(instant: Date): string {
  const local = new Date(instant.getTime() + (5 * 60 + 30) * 60_000);
  const start = local.getUTCMonth() >= 3 ? local.getUTCFullYear() : local.getUTCFullYear() - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

/** `BSR/RES/2026-27/000123`. */
export function certificateNumber(
  municipality: string,
  type: string,
  year: string,
  serial: number,
): string {
  return `${municipality}/${type}/${year}/${String(serial).padStart(6, '0')}`;
}

/** As people type it: case, spaces, Bengali digits. */
export function normalizeCertificateNumber(written: string): string {
  return written
    .replace(/[০-৯]/g, (d) => String('০১২৩৪৫৬৭৮৯'.indexOf(d)))
    .trim()
    .toUpperCase()
    .replace(/\s+/g, '');
}

// Crockford's base32 without I, L, O, U: easy to read aloud and to type.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newVerificationCode(): string {
  return Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

export function normalizeVerificationCode(written: string): string {
  return written
    .trim()
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

/** What is signed: every fact the certificate states, in one canonical serialisation. */
export function canonicalPayload(
  certificate: Pick<
    Certificate,
    | 'number'
    | 'typeCode'
    | 'holder'
    | 'content'
    | 'issuedAt'
    | 'validUntil'
    | 'signerName'
    | 'signerRole'
    | 'keyId'
    | 'verificationCode'
  > & { municipalityCode: string; supersedesNumber: string | null },
): string {
  return stableStringify({
    v: 1,
    number: certificate.number,
    type: certificate.typeCode,
    municipality: certificate.municipalityCode,
    holder: certificate.holder,
    content: certificate.content,
    issuedAt: certificate.issuedAt.toISOString(),
    validUntil: certificate.validUntil,
    signer: { name: certificate.signerName, role: certificate.signerRole },
    key: certificate.keyId,
    code: certificate.verificationCode,
    supersedes: certificate.supersedesNumber,
  });
}

/** "রহিম শেখ" → "র** শ**", "Mary Das" → "M*** D**": enough to recognise, not to read off. */
export function maskName(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => {
      const letters = [...word];
      return letters[0] + '*'.repeat(Math.max(2, letters.length - 1));
    })
    .join(' ');
}

/** Fills `{{variables}}`; a value the certificate lacks prints as a dash. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(
    /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g,
    (_m, name: string) => values[name] ?? '—',
  );
}

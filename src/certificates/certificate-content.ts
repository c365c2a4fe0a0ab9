import stableStringify from 'fast-json-stable-stringify';
import { formatDate } from '../common/text/bengali-dates';
import { toAsciiDigits, toBengaliDigits } from '../common/text/digits';
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
  return toAsciiDigits(written).trim().toUpperCase().replace(/\s+/g, '');
}

// Crockford's base32 without I, L, O, U: easy to read aloud and to type.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newVerificationCode(): string {
  return Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

export function normalizeVerificationCode(written: string): string {
  return toAsciiDigits(written)
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

/** Bengali letters and signs (digits and dandas excluded): text that needs Latin letters in English. */
export function hasBengaliLetters(text: string | null | undefined): boolean {
  return /[\u0981-\u09E3\u09F0-\u09FE]/.test(text ?? '');
}

/** The calendar day in India of an instant, or a `YYYY-MM-DD` as it is. */
function dayParts(value: Date | string): [number, number, number] | null {
  const iso =
    value instanceof Date
      ? new Date(value.getTime() + (5 * 60 + 30) * 60_000).toISOString().slice(0, 10)
      : value;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return [year, month, day];
}

/** `2026-12-02` (or an instant, taken in India) → `২ ডিসেম্বর ২০২৬`. */
export function formatDateBn(value: Date | string): string {
  const parts = dayParts(value);
  if (!parts) return toBengaliDigits(String(value));
  return formatDate(parts.join('-'), 'bn');
}

/** `2026-12-02` (or an instant, taken in India) → `2 December 2026`. */
export function formatDateEn(value: Date | string): string {
  const parts = dayParts(value);
  if (!parts) return String(value);
  return formatDate(parts.join('-'), 'en');
}

/**
 * The short reference printed on a certificate and carried by its QR code:
 * `BSR/RES/2026-27/000001` + code `XY18TGNY` → `BSR-RES-2627-000001-XY18TGNY`. Letters, digits
 * and dashes only, so a URL made of it fits the QR code's dense alphanumeric mode.
 */
export function shortReference(number: string, code: string): string {
  const match = /^([A-Z0-9]+)\/([A-Z0-9]+)\/\d{2}(\d{2})-(\d{2})\/(\d+)$/.exec(number);
  if (!match) return `${number.replace(/\//g, '-')}-${code}`;
  const [, municipality, type, from, to, serial] = match;
  return `${municipality}-${type}-${from}${to}-${serial}-${code}`;
}

/**
 * Reads a short reference back (case, Bengali digits and spaces as people type them);
 * null when it is not one. The century is that of the 2000s.
 */
export function parseShortReference(written: string): { number: string; code: string } | null {
  const text = normalizeCertificateNumber(written);
  const match =
    /^([A-Z0-9]{1,16})-([A-Z0-9]{1,10})-(\d{2})(\d{2})-(\d{1,10})-([0-9A-Z]{6,12})$/.exec(text);
  if (!match) return null;
  const [, municipality, type, from, to, serial, code] = match;
  return { number: `${municipality}/${type}/20${from}-${to}/${serial}`, code };
}

/**
 * `BSR-05-2627-00042`: municipality, ward, financial year, the ward's serial in that
 * year. Short enough to read over the phone, and it says where to look.
 */
export function formatTrackingNumber(
  municipalityCode: string,
  wardNumber: number,
  financialYear: string,
  serial: number,
): string {
  return [
    municipalityCode.toUpperCase(),
    String(wardNumber).padStart(2, '0'),
    financialYear,
    String(serial).padStart(5, '0'),
  ].join('-');
}

/** A tracking number as people write it: Bengali digits, lower case, spaces or slashes. */
export function normalizeTrackingNumber(written: string): string {
  return toAsciiDigits(written)
    .normalize('NFKC')
    .trim()
    .toUpperCase()
    .replace(/[\s/_.–—]+/g, '-')
    .replace(/[^A-Z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

export const TRACKING_NUMBER_PATTERN = /^[A-Z]{2,10}-\d{2,3}-\d{4}-\d{5,}$/;
import { toAsciiDigits } from '../../common/text/digits';

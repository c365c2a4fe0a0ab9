const BENGALI_ZERO = 0x09e6;
const BENGALI_DIGITS = /[\u09E6-\u09EF]/g;

/** Bengali digits (০–৯) become ASCII digits; everything else is kept. */
export function toAsciiDigits(text: string): string {
  return text.replace(BENGALI_DIGITS, (digit) => String(digit.charCodeAt(0) - BENGALI_ZERO));
}

// C0/C1 control characters other than whitespace: never meant, and PostgreSQL refuses NUL.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Stored text: Unicode NFC, control characters dropped, trimmed, whitespace runs collapsed. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(CONTROL, '').trim().replace(/\s+/g, ' ');
}

const BENGALI_ZERO = 0x09e6;
const BENGALI_DIGITS = /[\u09E6-\u09EF]/g;

/** Bengali digits (০–৯) become ASCII digits; everything else is kept. */
export function toAsciiDigits(text: string): string {
  return text.replace(BENGALI_DIGITS, (digit) => String(digit.charCodeAt(0) - BENGALI_ZERO));
}

/** Stored text: Unicode NFC, trimmed, inner whitespace runs collapsed. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/g, ' ');
}

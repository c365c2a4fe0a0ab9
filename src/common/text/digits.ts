/*
 * Bengali and Latin digits, both ways. Residents and clerks write either; Bengali texts print
 * Bengali digits, English texts, codes and stored numbers use Latin ones.
 */
const BENGALI_DIGITS = '০১২৩৪৫৬৭৮৯';

/** Latin digits become Bengali digits (০–৯); everything else is kept. */
export function toBengaliDigits(text: string | number): string {
  return String(text).replace(/[0-9]/g, (d) => BENGALI_DIGITS[Number(d)]);
}

/** Bengali digits (০–৯) become Latin (ASCII) digits; everything else is kept. */
export function toAsciiDigits(text: string): string {
  return text.replace(/[০-৯]/g, (d) => String(BENGALI_DIGITS.indexOf(d)));
}

/**
 * How many SMS parts a text costs. Operators bill and deliver per part: a text that fits the
 * GSM 03.38 alphabet goes as 7-bit (160 characters alone, 153 per part when split), anything
 * else — Bengali always — as UCS-2 (70 alone, 67 per part: the rest of each part carries the
 * concatenation header).
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Characters of the extension table: an escape plus the character, two septets each. */
const GSM_EXTENSION = '^{}\\[~]|€\f';

const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

export type SmsEncoding = 'GSM7' | 'UCS2';

export interface SmsLength {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

export function smsLength(text: string): SmsLength {
  let septets = 0;
  for (const char of text) {
    if (BASIC.has(char)) septets += 1;
    else if (EXTENSION.has(char)) septets += 2;
    else return ucs2(text);
  }
  return { encoding: 'GSM7', units: septets, segments: parts(septets, 160, 153) };
}

function ucs2(text: string): SmsLength {
  // UCS-2 parts count UTF-16 code units: a character outside the BMP (an emoji) takes two.
  return { encoding: 'UCS2', units: text.length, segments: parts(text.length, 70, 67) };
}

function parts(units: number, single: number, perPart: number): number {
  if (units === 0) return 1;
  return units <= single ? 1 : Math.ceil(units / perPart);
}

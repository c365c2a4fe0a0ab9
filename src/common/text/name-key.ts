// Bengali → Latin, the way names are commonly romanised. Consonants carry an inherent
// vowel ("a") unless a vowel sign, the virama or the end of the word follows.
const CONSONANTS: Record<string, string> = {
  ক: 'k',
  খ: 'kh',
  গ: 'g',
  ঘ: 'gh',
  ঙ: 'ng',
  চ: 'ch',
  ছ: 'chh',
  জ: 'j',
  ঝ: 'jh',
  ঞ: 'n',
  ট: 't',
  ঠ: 'th',
  ড: 'd',
  ঢ: 'dh',
  ণ: 'n',
  ত: 't',
  থ: 'th',
  দ: 'd',
  ধ: 'dh',
  ন: 'n',
  প: 'p',
  ফ: 'ph',
  ব: 'b',
  ভ: 'bh',
  ম: 'm',
  য: 'j',
  র: 'r',
  ল: 'l',
  শ: 'sh',
  ষ: 'sh',
  স: 's',
  হ: 'h',
  ৎ: 't',
  // Letters with a nukta: NFC keeps them as base letter + U+09BC.
  '\u09A1\u09BC': 'r',
  '\u09A2\u09BC': 'rh',
  '\u09AF\u09BC': 'y',
};
const VOWELS: Record<string, string> = {
  অ: 'a',
  আ: 'a',
  ই: 'i',
  ঈ: 'i',
  উ: 'u',
  ঊ: 'u',
  ঋ: 'ri',
  এ: 'e',
  ঐ: 'oi',
  ও: 'o',
  ঔ: 'ou',
};
const VOWEL_SIGNS: Record<string, string> = {
  'া': 'a',
  'ি': 'i',
  'ী': 'i',
  'ু': 'u',
  'ূ': 'u',
  'ৃ': 'ri',
  'ে': 'e',
  'ৈ': 'oi',
  'ো': 'o',
  'ৌ': 'ou',
};
const MARKS: Record<string, string> = { 'ং': 'ng', 'ঃ': 'h', 'ঁ': '' };
const VIRAMA = '্';

/** A Latin rendering of Bengali text; other characters pass through. */
export function transliterateBengali(text: string): string {
  // One token per letter, a nukta staying with its base letter.
  const chars = text.normalize('NFC').match(/.\u09BC|./gsu) ?? [];
  let out = '';
  chars.forEach((char, i) => {
    const next = chars[i + 1];
    if (CONSONANTS[char] !== undefined) {
      out += CONSONANTS[char];
      const endsSyllable = next === undefined || !/[\u0980-\u09FF]/.test(next) || next === VIRAMA;
      const takesVowelSign = next !== undefined && VOWEL_SIGNS[next] !== undefined;
      const wordEnd = next === undefined || !/[\u0980-\u09FF]/.test(next);
      if (!endsSyllable && !takesVowelSign && !wordEnd && MARKS[next] === undefined) out += 'a';
    } else if (VOWELS[char] !== undefined) out += VOWELS[char];
    else if (VOWEL_SIGNS[char] !== undefined) out += VOWEL_SIGNS[char];
    else if (MARKS[char] !== undefined) out += MARKS[char];
    else if (char !== VIRAMA && char !== '\u200C' && char !== '\u200D') out += char;
  });
  return out;
}

/**
 * A spelling-tolerant key for a name in either script: transliterated, lower case, without
 * diacritics, with the letters people swap when romanising Bengali names folded together
 * (sh/s, v/w/b, o/a, aspirates, doubled letters). Search compares keys with trigrams.
 */
export function nameKey(text: string | null | undefined): string {
  if (!text) return '';
  return toAsciiDigits(transliterateBengali(text))
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/([bcdgjkpst])h/g, '$1')
    .replace(/[vw]/g, 'b')
    .replace(/z/g, 'j')
    .replace(/q/g, 'k')
    .replace(/x/g, 'ks')
    .replace(/o/g, 'a')
    .replace(/y/g, 'i')
    .replace(/ee/g, 'i')
    .replace(/([a-z])\1+/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}
import { toAsciiDigits } from './digits';

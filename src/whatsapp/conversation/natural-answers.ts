import { toAsciiDigits } from '../../common/text/digits';
import { formatDate, formatIndianNumber } from '../../common/text/bengali-dates';
import { fold, phraseMatch, words } from './understanding';

/**
 * Answers as residents give them: amounts with lakh and hazar, years with "বছর", dates with
 * month names, yes and no in many forms. Pure functions; each returns null when the text is
 * not such an answer.
 */

const MULTIPLIERS: Array<[RegExp, number]> = [
  [/^(কোটি|crore|cr|koti)$/, 10_000_000],
  [/^(লাখ|লক্ষ|lakh|lac|lakhs|lacs|lakh\w*|l)$/, 100_000],
  [/^(হাজার|hajar|hazar|thousand|k)$/, 1000],
  [/^(শত|শো|so|hundred)$/, 100],
];

/** Words that may follow a number without changing it ("৩৫ বছর", "১২০০০০ টাকা"). */
const UNITS = new Set([
  'বছর',
  'year',
  'years',
  'yrs',
  'yr',
  'bochor',
  'bachar',
  'bochhor',
  'টাকা',
  'taka',
  'rs',
  'rupees',
  'inr',
  'প্রায়',
  'pray',
  'about',
  'approx',
  'মতো',
  'moto',
  'ধরে',
  'dhore',
  'থেকে',
  'theke',
  'আছি',
  'achi',
]);

/**
 * A number as residents write it: `১,২০,০০০`, `120000`, `1.2 lakh`, `১ লাখ ২০ হাজার`,
 * `৩৫ বছর`, `Rs. 50,000`. Null when anything else is in the text.
 */
export function naturalNumber(text: string): number | null {
  const tokens = toAsciiDigits(text.normalize('NFC'))
    .toLowerCase()
    .replace(/(\d),(?=\d)/g, '$1')
    .replace(/₹|\brs\b\.?/g, ' ')
    .replace(/(\d)([a-z\u0980-\u09ff]+)/g, '$1 $2')
    .split(/[\s]+/)
    .map((t) => t.replace(/^[^\p{L}\p{M}\p{N}.]+|[^\p{L}\p{M}\p{N}]+$/gu, ''))
    .filter(Boolean);
  let total = 0;
  let pending: number | null = null;
  let any = false;
  for (const token of tokens) {
    if (/^\d+(\.\d+)?$/.test(token)) {
      if (pending !== null) total += pending;
      pending = Number(token);
      any = true;
      continue;
    }
    const multiplier = MULTIPLIERS.find(([pattern]) => pattern.test(token))?.[1];
    if (multiplier && pending !== null) {
      total += pending * multiplier;
      pending = null;
      continue;
    }
    if (UNITS.has(token)) continue;
    return null;
  }
  if (!any) return null;
  const value = total + (pending ?? 0);
  return Number.isFinite(value) ? Math.round(value * 100) / 100 : null;
}

const SINCE_BIRTH = [
  'জন্ম থেকে',
  'জন্মের পর থেকে',
  'জন্মসূত্রে',
  'ছোটবেলা থেকে',
  'jonmo theke',
  'jonmo thekei',
  'since birth',
  'from birth',
  'birth theke',
  'all my life',
  'সারাজীবন',
];

/** "Since birth" (for how long one has lived here): the age is the answer then. */
export function meansSinceBirth(text: string): boolean {
  return SINCE_BIRTH.some((p) => phraseMatch(text, p) >= 0.8);
}

const MONTHS: Array<readonly string[]> = [
  ['jan', 'january', 'জানুয়ারি', 'জানুয়ারী', 'januari'],
  ['feb', 'february', 'ফেব্রুয়ারি', 'ফেব্রুয়ারী'],
  ['mar', 'march', 'মার্চ'],
  ['apr', 'april', 'এপ্রিল'],
  ['may', 'মে'],
  ['jun', 'june', 'জুন'],
  ['jul', 'july', 'জুলাই'],
  ['aug', 'august', 'আগস্ট', 'অগাস্ট'],
  ['sep', 'sept', 'september', 'সেপ্টেম্বর'],
  ['oct', 'october', 'অক্টোবর'],
  ['nov', 'november', 'নভেম্বর'],
  ['dec', 'december', 'ডিসেম্বর'],
];

function monthOf(word: string): number | null {
  const w = word.toLowerCase();
  const index = MONTHS.findIndex((names) => names.some((n) => n === w));
  return index >= 0 ? index + 1 : null;
}

/** A two-digit year as people mean it: this century unless that would be in the future. */
function fullYear(year: number, today: Date): number {
  if (year >= 100) return year;
  const century = Math.floor(today.getUTCFullYear() / 100) * 100;
  return century + year > today.getUTCFullYear() ? century - 100 + year : century + year;
}

function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  const real =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? date.toISOString().slice(0, 10) : null;
}

/**
 * A date as residents write it — `12/03/1990`, `12-3-90`, `১২.০৩.১৯৯০`, `12 March 2026`,
 * `১২ মার্চ ২০২৬`, `March 12, 2026`, ISO — as ISO; null when it is not a real date.
 */
export function naturalDate(text: string, today = new Date()): string | null {
  const t = toAsciiDigits(text.normalize('NFC')).trim().toLowerCase().replace(/,/g, ' ');
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (iso) return isoDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const dmy = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2}|\d{4})$/.exec(t);
  if (dmy) return isoDate(fullYear(Number(dmy[3]), today), Number(dmy[2]), Number(dmy[1]));
  const parts = t
    .replace(/(\d)(st|nd|rd|th|শে|ই|লা|রা)(?=\s|$)/g, '$1')
    .split(/[\s/.-]+/)
    .filter(Boolean);
  if (parts.length !== 3) return null;
  const numbers = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : null));
  const monthAt = parts.findIndex((p) => monthOf(p) !== null);
  if (monthAt < 0) return null;
  const month = monthOf(parts[monthAt]) as number;
  const [dayPart, yearPart] =
    monthAt === 1
      ? [numbers[0], numbers[2]]
      : monthAt === 0
        ? [numbers[1], numbers[2]]
        : [null, null];
  if (dayPart === null || yearPart === null) return null;
  return isoDate(fullYear(yearPart, today), month, dayPart);
}

const YES = [
  'yes',
  'y',
  'ya',
  'yeah',
  'yep',
  'ha',
  'haa',
  'haan',
  'han',
  'hya',
  'hyan',
  'হ্যাঁ',
  'হ্যা',
  'হাঁ',
  'হা',
  'হুম',
  'হুঁ',
  'hmm',
  'hum',
  'ঠিক আছে',
  'thik ache',
  'thik ase',
  'ok',
  'okay',
  'okk',
  'ওকে',
  'confirm',
  'জমা দিন',
  'jama din',
  'joma din',
  'submit',
  'দিন',
  'din',
  'জি',
  'জী',
  'ji',
  'sure',
  'অবশ্যই',
  'correct',
  'সঠিক',
  'ঠিক',
  'thik',
];
const NO = ['no', 'n', 'na', 'naa', 'nah', 'nope', 'না', 'নাহ', 'না থাক', 'থাক', 'ভুল', 'wrong'];

/** Yes or no, in the many ways residents say it (and 👍 / 👎); null when it is neither. */
export function naturalYesNo(text: string): boolean | null {
  const trimmed = text.trim();
  if (/^\u{1F44D}[\u{1F3FB}-\u{1F3FF}]?$/u.test(trimmed) || trimmed === '✅') return true;
  if (/^\u{1F44E}[\u{1F3FB}-\u{1F3FF}]?$/u.test(trimmed) || trimmed === '❌') return false;
  const folded = fold(trimmed);
  if (folded === '1') return true;
  if (folded === '2') return false;
  if (YES.some((w) => fold(w) === folded)) return true;
  if (NO.some((w) => fold(w) === folded)) return false;
  const first = words(trimmed)[0] ?? '';
  if (words(trimmed).length <= 4) {
    if (NO.some((w) => fold(w) === first)) return false;
    if (YES.some((w) => fold(w) === first)) return true;
  }
  return null;
}

/** The choice a resident's words name ("ব্যাংকে লাগবে" → `bank`), or null when none or several. */
export function choiceByWords(
  text: string,
  choices: ReadonlyArray<{ code: string; labelBn: string; labelEn: string }>,
): string | null {
  const scored = choices
    .map((c) => ({
      code: c.code,
      score: Math.max(
        phraseMatch(text, c.labelBn),
        phraseMatch(text, c.labelEn),
        phraseMatch(text, c.code.replace(/_/g, ' ')),
      ),
    }))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score);
  if (scored.length === 0) return null;
  if (scored.length > 1 && scored[1].score === scored[0].score) return null;
  return scored[0].code;
}

/** An ISO date as the resident reads it: "১২ মার্চ ২০২৬" or "12 March 2026". */
export function displayDate(lang: 'bn' | 'en', iso: string): string {
  return formatDate(iso, lang);
}

/** A number in Indian grouping ("১,২০,০০০" or "1,20,000"). */
export function displayNumber(lang: 'bn' | 'en', value: number): string {
  return formatIndianNumber(value, lang);
}

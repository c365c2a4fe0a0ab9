/** Bengali script (letters, signs, digits, dandas): the resident writes Bengali. */
const BENGALI = /[\u0980-\u09FF]/;

/**
 * Everyday Bengali words as people spell them in Latin letters ("amar certificate lagbe"):
 * such a writer reads Bengali, whatever the keyboard.
 */
const BANGLISH = new Set([
  'amar',
  'amake',
  'amader',
  'ami',
  'apni',
  'apnar',
  'lagbe',
  'chai',
  'chaai',
  'korte',
  'korbo',
  'kivabe',
  'kibhabe',
  'ki',
  'kobe',
  'pabo',
  'hobe',
  'ache',
  'ase',
  'nei',
  'na',
  'kharap',
  'dada',
  'didi',
  'bhai',
  'ekta',
  'ekhon',
  'theke',
  'jonno',
  'er',
  'kotha',
  'bolte',
  'hoye',
  'geche',
  'hocche',
  'asche',
  'korun',
  'din',
  'dorkar',
  'darkar',
  'amra',
  'tumi',
  'kothay',
]);

export function writesBengali(text: string): boolean {
  if (BENGALI.test(text)) return true;
  const words = text
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter(Boolean);
  const banglish = words.filter((w) => BANGLISH.has(w)).length;
  return words.length <= 3 ? banglish >= 1 : banglish >= 2;
}

export type Command = 'MENU' | 'STATUS' | 'CANCEL' | 'HELP' | 'ENGLISH' | 'BENGALI' | 'SKIP';

const COMMAND_WORDS: Record<Command, readonly string[]> = {
  MENU: ['menu', 'মেনু', 'hi', 'hello', 'হ্যালো', 'নমস্কার', 'start', 'শুরু'],
  STATUS: ['status', 'অবস্থা', 'স্ট্যাটাস'],
  CANCEL: ['cancel', 'বাতিল', 'stop'],
  HELP: ['help', 'সাহায্য', 'agent', 'human'],
  ENGLISH: ['english', 'ইংরেজি'],
  BENGALI: ['বাংলা', 'bangla', 'bengali'],
  SKIP: ['skip', 'বাদ', 'না থাক', '-'],
};

/** A command word at the start of the text (with an optional argument after it). */
export function commandOf(text: string): { command: Command; argument: string } | null {
  const trimmed = text.trim().normalize('NFC');
  const lower = trimmed.toLowerCase();
  for (const [command, words] of Object.entries(COMMAND_WORDS) as Array<
    [Command, readonly string[]]
  >) {
    for (const word of words) {
      if (lower === word || lower.startsWith(`${word} `)) {
        return { command, argument: trimmed.slice(word.length).trim() };
      }
    }
  }
  return null;
}

/** A number the resident typed as a choice (`২` = `2`), or null. */
export function choiceNumber(text: string): number | null {
  const digits = toAsciiDigits(text)
    .trim()
    .replace(/[.)।]$/, '');
  return /^\d{1,3}$/.test(digits) ? Number(digits) : null;
}

/** Several choice numbers (`1, 3` or `১ ৩`), or null if anything else is in the text. */
export function choiceNumbers(text: string): number[] | null {
  const parts = toAsciiDigits(text)
    .split(/[\s,;/]+|এবং|and/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0 || parts.some((p) => !/^\d{1,3}$/.test(p))) return null;
  return parts.map(Number);
}

/**
 * A date as Indians write it — `12/03/1990`, `12-3-1990`, `12.03.1990`, Bengali digits —
 * or ISO `1990-03-12`, as ISO; null when it is not a real date.
 */
export function indianDate(text: string): string | null {
  const t = toAsciiDigits(text).trim();
  let day: number, month: number, year: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (dmy) [day, month, year] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
  else return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return null;
  }
  return date.toISOString().slice(0, 10);
}

/** Yes or no, in either language (or the button ids). */
export function yesNo(text: string): boolean | null {
  const t = toAsciiDigits(text).trim().toLowerCase();
  if (['yes', 'y', 'ha', 'haan', 'হ্যাঁ', 'হ্যা', 'হাঁ', 'ঠিক আছে', 'ok', 'confirm', '1'].includes(t))
    return true;
  if (['no', 'n', 'na', 'না', '2'].includes(t)) return false;
  return null;
}
import { toAsciiDigits } from '../../common/text/digits';

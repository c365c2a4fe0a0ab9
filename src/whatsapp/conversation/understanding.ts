import { toAsciiDigits } from '../../common/text/digits';
import { transliterateBengali } from '../../common/text/name-key';

/**
 * Reading what residents write on WhatsApp — Bengali script, Bengali in Latin letters
 * ("Banglish"), English, typos, either digits — without a database: pure functions the bot
 * calls and unit tables test.
 *
 * Matching across scripts works on a consonant skeleton: Bengali is transliterated to rough
 * Latin, both sides lose their vowels and doubled letters, and the look-alike sounds
 * (sh/s, ph/f, v/b, z/j, c/k/s) fold together. "বসবাস", "basobas" and "bosobash" all become
 * `bsbs`; "সার্টিফিকেট", "certificate" and "sertifiket" become `srtfkt`. Two skeletons match
 * when they are equal, or one edit apart for long words.
 */

/** Lower case, NFC, ASCII digits, punctuation and emoji gone, single spaces. */
export function fold(text: string): string {
  return toAsciiDigits(text.normalize('NFC'))
    .toLowerCase()
    .replace(/[\u200c\u200d]/g, '')
    .replace(/[^\p{L}\p{M}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Bengali letters as rough Latin; Latin text is left as it is. */
export function romanize(text: string): string {
  // The ya-phala (ক্যা) colours the vowel; it is no 'y' or 'j' to match on.
  return transliterateBengali(text.normalize('NFC').replace(/\u09cd\u09af/g, ''));
}

/** Case and plural endings residents add to a word ("বসবাসের", "জলের", "certificate-ta"). */
const ENDINGS = /(গুলো|গুলি|দের|কে|টা|টি|তে|য়|এর|ের|র|ে)$/u;
const LATIN_ENDINGS = /(gulo|der|er|ke|ta|ti|te|ra)$/;

/** A word without the endings Bengali adds to it (only when enough of the word is left). */
export function stem(word: string): string {
  return remembered(stems, word, () => stemOf(word));
}

function stemOf(word: string): string {
  const bengali = word.replace(ENDINGS, '');
  if (bengali !== word && [...bengali].length >= 2) return bengali;
  const latin = word.replace(LATIN_ENDINGS, '');
  return latin !== word && latin.length >= 5 ? latin : word;
}

/** The consonant skeleton of one word (see above). */
export function skeleton(word: string): string {
  return remembered(skeletons, word, () => consonantsOf(looseLatin(word)));
}

/** Per-word results are remembered: the same few hundred words come back all day. */
const skeletons = new Map<string, string>();
const loose = new Map<string, string>();
const stems = new Map<string, string>();

function remembered(cache: Map<string, string>, word: string, compute: () => string): string {
  const known = cache.get(word);
  if (known !== undefined) return known;
  if (cache.size > 20_000) cache.clear();
  const value = compute();
  cache.set(word, value);
  return value;
}

/** A word as rough Latin with the look-alike spellings folded together, vowels kept. */
function looseLatin(word: string): string {
  return remembered(loose, word, () => looseLatinOf(word));
}

function looseLatinOf(word: string): string {
  return romanize(word)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .replace(/igh/g, 'i')
    .replace(/c(?=[eiy])/g, 's')
    .replace(/ph/g, 'f')
    .replace(/([kgcjtdpb])h/g, '$1')
    .replace(/sh/g, 's')
    .replace(/q/g, 'k')
    .replace(/x/g, 'ks')
    .replace(/z/g, 'j')
    .replace(/v|w/g, 'b')
    .replace(/c/g, 'k')
    .replace(/(.)\1+/g, '$1');
}

function consonantsOf(latin: string): string {
  return latin.replace(/[aeiouyh]/g, '').replace(/(.)\1+/g, '$1');
}

/**
 * Whether a word a resident wrote is the word wanted: the same word; for long words (a
 * skeleton of five or more consonants) one edit apart after the same first letter, or the
 * wanted one with an ending;
 * for short ones the same skeleton and nearly the same spelling, vowels included — short
 * skeletons collide too easily ("পড়ছে" and "porichoy" are both `prk`).
 */
export function wordMatches(written: string, wanted: string): boolean {
  const key = `${written}\u0000${wanted}`;
  const known = matched.get(key);
  if (known !== undefined) return known;
  if (matched.size > 50_000) matched.clear();
  const forms = (w: string) => [...new Set([w, stem(w)])];
  const result = forms(written).some((a) => forms(wanted).some((b) => sameWord(a, b)));
  matched.set(key, result);
  return result;
}

const matched = new Map<string, boolean>();

function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const [sa, sb] = [skeleton(a), skeleton(b)];
  if (sb.length >= 5)
    return (
      // A typo seldom changes the first letter ("working" is not "tracking").
      (sa.length >= 5 && sa[0] === sb[0] && editDistance(sa, sb, 1) <= 1) ||
      (sa.startsWith(sb) && sa.length - sb.length <= 2)
    );
  const [la, lb] = [looseLatin(a), looseLatin(b)];
  if (sb.length >= 2) return sa === sb && editDistance(la, lb, 2) <= 2;
  return la.length >= 2 && la === lb;
}

/** Edits (insert, delete, substitute) between two short strings, stopping early past `limit`. */
export function editDistance(a: string, b: string, limit = 2): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      best = Math.min(best, current[j]);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}

/** Words of a folded text. */
export function words(text: string): string[] {
  return fold(text).split(' ').filter(Boolean);
}

/**
 * How well a phrase (one or more words) appears in a message: 1 for an exact match of its
 * folded form, 0.8 when every word of it matches a word of the message by skeleton (one
 * edit allowed for skeletons of four or more letters), 0 otherwise. Short words (skeletons
 * under two letters) must appear as they are.
 */
export function phraseMatch(message: string, phrase: string): number {
  const text = ` ${fold(message)} `;
  const wanted = fold(phrase);
  if (!wanted) return 0;
  if (text.includes(` ${wanted} `)) return 1;
  const messageWords = words(message);
  const matches = words(phrase).every((word) => messageWords.some((w) => wordMatches(w, word)));
  return matches ? 0.8 : 0;
}

/** What a message asks for, beyond answering the question in hand. */
export type Intent =
  | 'GREETING'
  | 'THANKS'
  | 'MENU'
  | 'STATUS'
  | 'CANCEL'
  | 'HUMAN'
  | 'RESTART'
  | 'ENGLISH'
  | 'BENGALI'
  | 'SKIP';

/**
 * The phrases of each intent, as people write them. A whole-message match is certain; a
 * phrase inside a longer message counts for status, cancel, a person, restart and language.
 */
const INTENT_PHRASES: Record<Intent, readonly string[]> = {
  GREETING: [
    'hi',
    'hello',
    'helo',
    'hey',
    'hlw',
    'হ্যালো',
    'হেলো',
    'হাই',
    'নমস্কার',
    'নমস্কার দাদা',
    'namaskar',
    'nomoskar',
    'আদাব',
    'adab',
    'সালাম',
    'আসসালামু আলাইকুম',
    'assalamualaikum',
    'salam',
    'good morning',
    'শুভ সকাল',
    'suprobhat',
    'সুপ্রভাত',
  ],
  THANKS: [
    'thanks',
    'thank you',
    'thank u',
    'thanku',
    'thx',
    'ty',
    'ধন্যবাদ',
    'অনেক ধন্যবাদ',
    'dhonnobad',
    'dhonyobad',
    'dhanyavad',
    'shukriya',
    'শুকরিয়া',
  ],
  MENU: ['menu', 'মেনু', 'তালিকা', 'list', 'options', 'সব পরিষেবা', 'services', 'start', 'শুরু'],
  STATUS: [
    'status',
    'অবস্থা',
    'স্ট্যাটাস',
    'কী অবস্থা',
    'কি অবস্থা',
    'আবেদনের অবস্থা',
    'কতদূর',
    'কত দূর',
    'কোথায় আছে',
    'ki obostha',
    'obostha',
    'kothay ache',
    'kotodur',
    'track',
    'tracking',
    'where is my',
    'update',
    'আপডেট',
    'খবর কী',
    'khobor ki',
  ],
  CANCEL: ['cancel', 'বাতিল', 'batil', 'bátil', 'withdraw', 'চাই না আর', 'লাগবে না'],
  HUMAN: [
    'help',
    'সাহায্য',
    'agent',
    'human',
    'person',
    'কারো সাথে কথা',
    'কারও সঙ্গে কথা',
    'কথা বলতে চাই',
    'কথা বলব',
    'kotha bolte chai',
    'kotha bolbo',
    'কাউন্সিলর',
    'councillor',
    'councilor',
    'কমিশনার',
    'commissioner',
    'call me',
    'ফোন করুন',
    'ফোন করবেন',
    'phone korun',
    'amake phone',
    'সমন্বয়কারী',
    'coordinator',
    'অফিসে কথা',
  ],
  RESTART: [
    'restart',
    'নতুন করে',
    'আবার শুরু',
    'abar shuru',
    'notun kore',
    'start again',
    'start over',
  ],
  ENGLISH: ['english', 'ইংরেজি', 'ইংরেজিতে', 'in english'],
  BENGALI: ['বাংলা', 'বাংলায়', 'bangla', 'bengali', 'banglay'],
  SKIP: ['skip', 'বাদ', 'বাদ দিন', 'না থাক', 'nei', 'নেই', 'jani na', 'জানি না', '-'],
};

/** Intents recognised inside a longer message, not only as the whole of it. */
const INSIDE_INTENTS: readonly Intent[] = ['HUMAN', 'CANCEL', 'STATUS', 'RESTART'];
/** Intents recognised inside a short message (three words at most): "ইংরেজিতে বলুন". */
const SHORT_MESSAGE_INTENTS: readonly Intent[] = ['ENGLISH', 'BENGALI'];

/** The intent of a message, if it has one clearly (whole message first, then a phrase in it). */
export function intentOf(message: string): Intent | null {
  const text = fold(message);
  if (!text) return message.trim() === '-' ? 'SKIP' : null;
  for (const [intent, phrases] of Object.entries(INTENT_PHRASES) as Array<[Intent, string[]]>) {
    if (phrases.some((p) => fold(p) === text)) return intent;
  }
  const count = words(message).length;
  if (count > 8) return null;
  const candidates = count <= 3 ? [...INSIDE_INTENTS, ...SHORT_MESSAGE_INTENTS] : INSIDE_INTENTS;
  // The best-matched phrase wins: "please cancel" names cancel exactly and a councillor only
  // by a stretch.
  let best: { intent: Intent; score: number } | null = null;
  for (const intent of candidates) {
    for (const phrase of INTENT_PHRASES[intent]) {
      if (fold(phrase).length < 3) continue;
      const score = phraseMatch(message, phrase);
      if (score >= 0.8 && (!best || score > best.score)) best = { intent, score };
    }
  }
  return best?.intent ?? null;
}

/** A service as the matcher knows it: its names and the words people use for it. */
export interface ServiceWords {
  id: string;
  nameBn: string;
  nameEn: string;
  keywords: readonly string[];
}

/** Words that say "a certificate" or "a complaint" but not which: they only break ties. */
const GENERIC_WORDS = [
  'সার্টিফিকেট',
  'সাটিফিকেট',
  'শংসাপত্র',
  'certificate',
  'sertifiket',
  'অভিযোগ',
  'complaint',
  'পত্র',
  'letter',
  'সুপারিশ',
  'recommendation',
  'help',
  'সহায়তা',
  'for',
  'of',
  'a',
  'the',
  'and',
  'copy',
  'কপি',
  'লাগবে',
  'চাই',
  'দরকার',
  'lagbe',
  'chai',
  'need',
  'want',
  'er',
  'এর',
  'problem',
  'সমস্যা',
  'না',
  'na',
  'নেই',
  'nei',
  'kharap',
  'খারাপ',
];

const generic = new Map<string, string>();

function isGeneric(word: string): boolean {
  return (
    remembered(generic, word, () =>
      GENERIC_WORDS.some((g) => wordMatches(word, g)) ? 'yes' : 'no',
    ) === 'yes'
  );
}

/** How strongly a message names each service, strongest first (only those it names at all). */
export function rankServices(
  message: string,
  services: readonly ServiceWords[],
): Array<{ id: string; score: number }> {
  return services
    .map((service) => ({ id: service.id, score: serviceScore(message, service) }))
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score);
}

/**
 * The best phrase of the service found in the message, by how specific it is, plus a little
 * for every other phrase found ("কলের জল" names the tap and the water).
 */
function serviceScore(message: string, service: ServiceWords): number {
  const found: number[] = [];
  for (const phrase of [service.nameBn, service.nameEn, ...service.keywords]) {
    const specific = words(phrase).filter((w) => !isGeneric(w));
    if (specific.length === 0) continue;
    const whole = phraseMatch(message, phrase);
    // A phrase counts by its specific words: "বসবাসের সার্টিফিকেট" is named by "বসবাস" alone.
    const partial = phraseMatch(message, specific.join(' ')) * 0.9;
    const match = Math.max(whole, partial);
    if (match > 0) found.push(match * (0.8 + 0.05 * Math.min(specific.length, 3)));
  }
  if (found.length === 0) return 0;
  found.sort((a, b) => b - a);
  const score = found[0] + 0.1 * Math.min(found.length - 1, 3);
  return Math.round(score * 100) / 100;
}

/**
 * The service a message names: `certain` when one stands out, otherwise up to three likely
 * ones to offer, or nothing.
 */
export function understandService(
  message: string,
  services: readonly ServiceWords[],
): { certain: string | null; likely: string[] } {
  const ranked = rankServices(message, services);
  const [first, second] = ranked;
  if (!first) return { certain: null, likely: [] };
  const standsOut = first.score >= 0.6 && (!second || first.score >= second.score * 1.1);
  return standsOut
    ? { certain: first.id, likely: [first.id] }
    : { certain: null, likely: ranked.slice(0, 3).map((r) => r.id) };
}

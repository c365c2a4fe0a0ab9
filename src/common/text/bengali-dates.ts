import { toAsciiDigits, toBengaliDigits } from './digits';

const MONTHS_BN = [
  'জানুয়ারি',
  'ফেব্রুয়ারি',
  'মার্চ',
  'এপ্রিল',
  'মে',
  'জুন',
  'জুলাই',
  'আগস্ট',
  'সেপ্টেম্বর',
  'অক্টোবর',
  'নভেম্বর',
  'ডিসেম্বর',
];
const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export type TextLanguage = 'bn' | 'en';

/** A calendar day as a resident says it: "৪ ডিসেম্বর" / "4 December" (from YYYY-MM-DD). */
export function formatDay(isoDate: string, language: TextLanguage): string {
  const [, month, day] = toAsciiDigits(isoDate).split('-').map(Number);
  return language === 'bn'
    ? `${toBengaliDigits(day)} ${MONTHS_BN[month - 1]}`
    : `${day} ${MONTHS_EN[month - 1]}`;
}

/** A calendar day with its year: "২ ডিসেম্বর ২০২৬" / "2 December 2026" (from YYYY-MM-DD). */
export function formatDate(isoDate: string, language: TextLanguage): string {
  const year = Number(toAsciiDigits(isoDate).split('-')[0]);
  const day = formatDay(isoDate, language);
  return `${day} ${language === 'bn' ? toBengaliDigits(year) : year}`;
}

/** A number in Indian grouping: "১,২০,০০০" / "1,20,000". */
export function formatIndianNumber(value: number, language: TextLanguage): string {
  const grouped = value.toLocaleString('en-IN', { maximumFractionDigits: 2 });
  return language === 'bn' ? toBengaliDigits(grouped) : grouped;
}

/** A time of day from HH:MM as a person says it: "সকাল ৯টা", "রাত ৮টা ৩০ মিনিট", "8:30 pm". */
export function formatClock(hhmm: string, language: TextLanguage): string {
  const [hour, minute] = hhmm.split(':').map(Number);
  const h = hour % 24;
  return language === 'en' ? clockEn(h, minute) : `${partOfDayBn(h)} ${clockBn(h, minute)}`;
}

/** The part of the day an hour (0–23) falls in, as Bengali speakers name it. */
function partOfDayBn(hour: number): string {
  if (hour < 4) return 'রাত';
  if (hour < 6) return 'ভোর';
  if (hour < 12) return 'সকাল';
  if (hour < 16) return 'দুপুর';
  if (hour < 18) return 'বিকেল';
  if (hour < 20) return 'সন্ধ্যা';
  return 'রাত';
}

function clockBn(hour: number, minute: number): string {
  const h = hour % 12 === 0 ? 12 : hour % 12;
  return minute === 0
    ? `${toBengaliDigits(h)}টা`
    : `${toBengaliDigits(h)}টা ${toBengaliDigits(minute)} মিনিট`;
}

function clockEn(hour: number, minute: number): string {
  const h = hour % 12 === 0 ? 12 : hour % 12;
  const suffix = hour < 12 ? 'am' : 'pm';
  return minute === 0 ? `${h} ${suffix}` : `${h}:${String(minute).padStart(2, '0')} ${suffix}`;
}

/**
 * A time window as a resident says it, from HH:MM to HH:MM: "সকাল ১০টা–১২টা",
 * "সকাল ১১টা–দুপুর ১টা"; in English "10 am–12 pm". The part of the day is named again
 * only when the end falls in another one.
 */
export function formatWindow(start: string, end: string, language: TextLanguage): string {
  const [sh, sm] = start.split(':').map(Number);
  const [eh, em] = end.split(':').map(Number);
  if (language === 'en') return `${clockEn(sh, sm)}–${clockEn(eh, em)}`;
  const startPart = partOfDayBn(sh);
  // A window ending on the hour belongs to the part of the day it ends (12:00 ends the morning).
  const endPart = partOfDayBn(em === 0 ? eh - 1 : eh);
  const endText = endPart === startPart ? clockBn(eh, em) : `${partOfDayBn(eh)} ${clockBn(eh, em)}`;
  return `${startPart} ${clockBn(sh, sm)}–${endText}`;
}

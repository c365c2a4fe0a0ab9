/**
 * Digits, dates and times as the console shows them: Bengali digits and month names in
 * Bengali, Latin ones in English, always on the Indian calendar day (Asia/Kolkata).
 *
 * The rules themselves are the API's (`src/common/text/bengali-dates.ts`, `digits.ts`): those
 * modules are pure (no Node, no Nest), so the console's build compiles the same file into its bundle
 * instead of keeping a second copy that could drift from what residents are sent.
 */
import {
  formatClock,
  formatDate,
  formatIndianNumber,
  formatWindow,
} from '../../../src/common/text/bengali-dates';
import { toAsciiDigits, toBengaliDigits } from '../../../src/common/text/digits';

export type Language = 'bn' | 'en';
export { formatClock, formatDate, formatWindow, toAsciiDigits, toBengaliDigits };

const INDIA_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' });
const INDIA_CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Kolkata',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The Indian calendar day (YYYY-MM-DD) of an instant. */
export function indianDay(instant: string | Date): string {
  return INDIA_DAY.format(new Date(instant));
}

/** An instant as "৩ ডিসেম্বর ২০২৬, দুপুর ২টা ৫ মিনিট" / "3 December 2026, 2:05 pm". */
export function formatDateTime(instant: string | Date, language: Language): string {
  const clock = INDIA_CLOCK.format(new Date(instant));
  return `${formatDate(indianDay(instant), language)}, ${formatClock(clock, language)}`;
}

/** A count or amount with the language's digits and Indian grouping. */
export function formatNumber(value: number, language: Language): string {
  return formatIndianNumber(value, language);
}

/** Digits in the language's script, for identifiers shown inside text (ward numbers). */
export function digits(value: string | number, language: Language): string {
  return language === 'bn' ? toBengaliDigits(value) : String(value);
}

/**
 * How long until (or since) a due time, in whole hours or days: "২ দিন বাকি",
 * "৫ ঘণ্টা পেরিয়ে গেছে", "2 days left", "5 hours overdue".
 */
export function formatDue(dueAt: string, now: Date, language: Language): string {
  const minutes = Math.round((new Date(dueAt).getTime() - now.getTime()) / 60_000);
  const late = minutes < 0;
  const abs = Math.abs(minutes);
  const [amount, unitBn, unitEn] =
    abs >= 48 * 60
      ? [Math.floor(abs / 1440), 'দিন', 'day']
      : abs >= 60
        ? [Math.floor(abs / 60), 'ঘণ্টা', 'hour']
        : [Math.max(abs, 1), 'মিনিট', 'minute'];
  if (language === 'bn') {
    return `${toBengaliDigits(amount)} ${unitBn} ${late ? 'পেরিয়ে গেছে' : 'বাকি'}`;
  }
  const unit = amount === 1 ? unitEn : `${unitEn}s`;
  return `${amount} ${unit} ${late ? 'overdue' : 'left'}`;
}

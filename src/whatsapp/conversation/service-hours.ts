import { ServiceHours, Weekday } from '../../wards/entities/service-hours.type';
import { Lang, toBengaliDigits } from './bot-texts';

const IST_OFFSET_MINUTES = 330;
const WEEKDAYS: Weekday[] = [
  Weekday.SUN,
  Weekday.MON,
  Weekday.TUE,
  Weekday.WED,
  Weekday.THU,
  Weekday.FRI,
  Weekday.SAT,
];

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/** Whether the ward's helpline is staffed at `now` (its hours are Indian Standard Time). */
export function staffedAt(hours: ServiceHours, now: Date): boolean {
  const ist = new Date(now.getTime() + IST_OFFSET_MINUTES * 60_000);
  if (!hours.days.includes(WEEKDAYS[ist.getUTCDay()])) return false;
  const minute = ist.getUTCHours() * 60 + ist.getUTCMinutes();
  return minute >= minutesOf(hours.opensAt) && minute < minutesOf(hours.closesAt);
}

/** A time of day as people say it: "সকাল ৯টা", "রাত ৮টা ৩০ মিনিটে"… or "9 am", "8:30 pm". */
export function sayTime(lang: Lang, hhmm: string): string {
  const total = minutesOf(hhmm) % (24 * 60);
  const [hour, minute] = [Math.floor(total / 60), total % 60];
  const twelve = hour % 12 === 0 ? 12 : hour % 12;
  if (lang === 'en') {
    const suffix = hour < 12 ? 'am' : 'pm';
    return minute
      ? `${twelve}:${String(minute).padStart(2, '0')} ${suffix}`
      : `${twelve} ${suffix}`;
  }
  const part =
    hour < 4
      ? 'রাত'
      : hour < 6
        ? 'ভোর'
        : hour < 12
          ? 'সকাল'
          : hour < 16
            ? 'দুপুর'
            : hour < 18
              ? 'বিকেল'
              : hour < 20
                ? 'সন্ধ্যা'
                : 'রাত';
  const clock = minute ? `${twelve}টা ${minute} মিনিট` : `${twelve}টা`;
  return `${part} ${toBengaliDigits(clock)}`;
}

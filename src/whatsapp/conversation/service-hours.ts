import { ServiceHours, Weekday } from '../../wards/entities/service-hours.type';
import { formatClock } from '../../common/text/bengali-dates';
import { Lang } from './bot-texts';

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

/** A time of day as people say it: "সকাল ৯টা", "বিকেল ৫টা ৩০ মিনিট"… or "9 am", "8:30 pm". */
export function sayTime(lang: Lang, hhmm: string): string {
  return formatClock(hhmm, lang);
}

/**
 * When staff can first answer something that arrived at `at`: at once when the helpline is
 * staffed, else when it next opens (within a week; a ward open on no day answers at once).
 */
export function firstStaffedMoment(hours: ServiceHours, at: Date): Date {
  if (staffedAt(hours, at)) return at;
  const istMidnight = (d: Date) => {
    const ist = new Date(d.getTime() + IST_OFFSET_MINUTES * 60_000);
    return (
      Date.UTC(ist.getUTCFullYear(), ist.getUTCMonth(), ist.getUTCDate()) -
      IST_OFFSET_MINUTES * 60_000
    );
  };
  for (let day = 0; day <= 7; day += 1) {
    const opening = new Date(
      istMidnight(at) + day * 86_400_000 + minutesOf(hours.opensAt) * 60_000,
    );
    if (opening > at && staffedAt(hours, opening)) return opening;
  }
  return at;
}

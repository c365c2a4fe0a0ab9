/**
 * "Two working hours" for a call back: counted only while the ward is staffed (its service
 * hours, India time) on working days (not a municipal holiday). India has one time zone
 * without daylight saving, so an Indian day is the instant shifted by +05:30.
 */
const IST_OFFSET_MS = (5 * 60 + 30) * 60 * 1000;
const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

export interface StaffedHours {
  days: readonly string[];
  /** HH:MM, India time. */
  opensAt: string;
  /** HH:MM, India time; `24:00` is midnight. */
  closesAt: string;
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/** The instant `hours` staffed hours after `start`; a year without a staffed minute throws. */
export function workingHoursLater(
  start: Date,
  hours: number,
  staffed: StaffedHours,
  holidays: ReadonlySet<string> = new Set(),
): Date {
  let left = hours * 60 * MINUTE_MS;
  const opens = minutesOf(staffed.opensAt) * MINUTE_MS;
  const closes = minutesOf(staffed.closesAt) * MINUTE_MS;
  // Midnight (India) of the start's Indian day, as a shifted instant.
  const local = start.getTime() + IST_OFFSET_MS;
  let dayStart = local - (local % DAY_MS);
  for (let day = 0; day < 366; day += 1, dayStart += DAY_MS) {
    const date = new Date(dayStart);
    const working =
      staffed.days.includes(WEEKDAYS[date.getUTCDay()]) &&
      !holidays.has(date.toISOString().slice(0, 10));
    if (!working) continue;
    const from = Math.max(dayStart + opens, local);
    const until = dayStart + closes;
    if (until <= from) continue;
    if (until - from >= left) return new Date(from + left - IST_OFFSET_MS);
    left -= until - from;
  }
  throw new Error('the ward is never staffed within a year');
}

/**
 * The promised time of a request. India has one time zone (UTC+05:30, no daylight
 * saving), so working days are counted on the Indian calendar by shifting the instant.
 */
const IST_OFFSET_MS = (5 * 60 + 30) * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export interface SlaPromise {
  slaHours: number | null;
  slaWorkingDays: number | null;
}

/** Whether an Indian calendar date (YYYY-MM-DD) is a working day: not Sunday, not a holiday. */
function isWorkingDay(indianDate: Date, holidays: ReadonlySet<string>): boolean {
  return indianDate.getUTCDay() !== 0 && !holidays.has(indianDate.toISOString().slice(0, 10));
}

/**
 * When a request made at `start` is due: `slaHours` later, or the same time of day
 * `slaWorkingDays` working days later (Sundays and the given holidays do not count).
 */
export function slaDueAt(
  start: Date,
  promise: SlaPromise,
  holidays: ReadonlySet<string> = new Set(),
): Date {
  if (promise.slaHours != null) return new Date(start.getTime() + promise.slaHours * HOUR_MS);
  const days = promise.slaWorkingDays ?? 0;
  let local = new Date(start.getTime() + IST_OFFSET_MS);
  for (let counted = 0; counted < days;) {
    local = new Date(local.getTime() + DAY_MS);
    if (isWorkingDay(local, holidays)) counted += 1;
  }
  return new Date(local.getTime() - IST_OFFSET_MS);
}

/**
 * The due time after a pause: the time left when the clock stopped is given again from
 * the moment it restarts, so the wait for the resident is not counted against the ward.
 */
export function resumedDueAt(dueAt: Date, pausedAt: Date, resumedAt: Date): Date {
  const paused = Math.max(0, resumedAt.getTime() - pausedAt.getTime());
  return new Date(dueAt.getTime() + paused);
}

/** Indian financial year (April–March) of an instant, as `2627` for 2026-27. */
export function financialYearOf(instant: Date): string {
  const local = new Date(instant.getTime() + IST_OFFSET_MS);
  const year = local.getUTCFullYear();
  const startYear = local.getUTCMonth() >= 3 ? year : year - 1;
  const two = (n: number) => String(n % 100).padStart(2, '0');
  return `${two(startYear)}${two(startYear + 1)}`;
}

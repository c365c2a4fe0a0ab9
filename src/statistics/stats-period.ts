import { BadUserInputError } from '../common/errors/app.error';
import { isoDate } from '../common/validation/fields';

/**
 * India has one time zone, UTC+05:30, with no daylight saving: an Indian calendar day is
 * the same fixed span of instants every time, so the bounds are computed here rather than
 * relying on the database's time zone data.
 */
const IST_OFFSET_MS = (5 * 60 + 30) * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The longest period a statistics query may cover, in days (a leap year). */
export const MAX_PERIOD_DAYS = 366;

/** Indian calendar days `from`..`to` (both inclusive) as the instants [start, end). */
export interface StatsPeriod {
  from: string;
  to: string;
  /** `from` at 00:00 in India. */
  start: Date;
  /** The day after `to` at 00:00 in India (exclusive). */
  end: Date;
}

/** Midnight at the start of an Indian calendar date (already checked as YYYY-MM-DD). */
function indianMidnight(date: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day) - IST_OFFSET_MS);
}

function checkedDate(value: string, field: 'from' | 'to'): string {
  const parsed = isoDate.safeParse(value);
  if (!parsed.success) {
    throw new BadUserInputError(`\`${field}\` must be a date as YYYY-MM-DD`, field);
  }
  return parsed.data;
}

/**
 * Checks a period given as two Indian calendar dates (`to` inclusive) and turns it into
 * the instants it covers. Bad dates, `from` after `to` and periods longer than
 * {@link MAX_PERIOD_DAYS} days are BAD_USER_INPUT naming the argument.
 */
export function statsPeriod(from: string, to: string): StatsPeriod {
  const start = indianMidnight(checkedDate(from, 'from'));
  const lastDay = indianMidnight(checkedDate(to, 'to'));
  if (lastDay < start) throw new BadUserInputError('`from` must not be after `to`', 'from');
  const end = new Date(lastDay.getTime() + DAY_MS);
  const days = Math.round((end.getTime() - start.getTime()) / DAY_MS);
  if (days > MAX_PERIOD_DAYS) {
    throw new BadUserInputError(
      `The period from \`from\` to \`to\` may cover at most ${MAX_PERIOD_DAYS} days (this one covers ${days})`,
      'to',
    );
  }
  return { from, to, start, end };
}

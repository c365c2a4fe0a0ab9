import { UserError, UserErrorCode, userError } from '../common/errors/user-error.type';
import { ServiceHours, Weekday } from '../wards/entities/service-hours.type';

const WEEKDAYS: Weekday[] = [
  Weekday.SUN,
  Weekday.MON,
  Weekday.TUE,
  Weekday.WED,
  Weekday.THU,
  Weekday.FRI,
  Weekday.SAT,
];

/** The instant a wall-clock time of an Indian day is (India has no daylight saving: +05:30). */
export function indiaInstant(date: string, time: string): Date {
  return new Date(`${date}T${time}:00+05:30`);
}

/**
 * Why a delivery window cannot be promised to a resident: it must start in the future and
 * lie within the ward's service hours, on a day the ward works (all in India time). The
 * values were already checked to be a date and two ordered HH:MM times.
 */
export function windowProblems(
  window: { date: string; windowStart: string; windowEnd: string },
  hours: ServiceHours | null,
  now: Date,
): UserError[] {
  const problems: UserError[] = [];
  if (indiaInstant(window.date, window.windowStart) <= now) {
    problems.push(
      userError(UserErrorCode.OUT_OF_RANGE, 'windowStart', 'must be in the future (India time)'),
    );
  }
  if (!hours) return problems;
  const weekday = WEEKDAYS[new Date(`${window.date}T12:00:00Z`).getUTCDay()];
  if (!hours.days.includes(weekday)) {
    problems.push(
      userError(
        UserErrorCode.OUT_OF_RANGE,
        'date',
        `the ward does not work on ${weekday} (its days: ${hours.days.join(', ')})`,
      ),
    );
  }
  const within = `within the ward’s service hours, ${hours.opensAt}–${hours.closesAt}`;
  if (window.windowStart < hours.opensAt) {
    problems.push(userError(UserErrorCode.OUT_OF_RANGE, 'windowStart', `must be ${within}`));
  }
  if (window.windowEnd > hours.closesAt) {
    problems.push(userError(UserErrorCode.OUT_OF_RANGE, 'windowEnd', `must be ${within}`));
  }
  return problems;
}

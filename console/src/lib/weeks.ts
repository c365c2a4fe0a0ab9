import { indianDay } from './bengali';

/**
 * The last `count` weeks ending today (India), oldest first, as `wardStats` periods:
 * seven Indian calendar days each, `to` included.
 */
export function lastWeeks(now: Date, count: number): Array<{ from: string; to: string }> {
  const DAY = 86_400_000;
  const weeks = [];
  for (let i = count - 1; i >= 0; i -= 1) {
    const end = new Date(now.getTime() - i * 7 * DAY);
    weeks.push({ from: indianDay(new Date(end.getTime() - 6 * DAY)), to: indianDay(end) });
  }
  return weeks;
}

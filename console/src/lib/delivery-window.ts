import { indianDay, toAsciiDigits } from './bengali';

/**
 * The window a delivery form offers first: later today (from the next full hour, two hours
 * long) while there is time left, else tomorrow morning. Times are India's.
 */
export function suggestedWindow(now: Date): {
  date: string;
  windowStart: string;
  windowEnd: string;
} {
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Kolkata',
      hour: '2-digit',
      hourCycle: 'h23',
    }).format(now),
  );
  const pad = (h: number) => `${String(h).padStart(2, '0')}:00`;
  if (hour <= 20)
    return { date: indianDay(now), windowStart: pad(hour + 1), windowEnd: pad(hour + 3) };
  return {
    date: indianDay(new Date(now.getTime() + 86_400_000)),
    windowStart: '10:00',
    windowEnd: '12:00',
  };
}

/**
 * A code as the agent types it — possibly with Bengali digits, spaces or dashes from the
 * resident's message — as the six ASCII digits the API compares.
 */
export function normaliseCode(typed: string): string {
  return toAsciiDigits(typed).replace(/[^0-9]/g, '');
}

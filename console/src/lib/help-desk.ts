import { toAsciiDigits, toBengaliDigits, type Language } from './bengali';

/**
 * A span of minutes as a clerk says it: "৪৫ মিনিট", "২ ঘণ্টা ৫ মিনিট", "৩ দিন ২ ঘণ্টা";
 * "45 min", "2 h 5 min", "3 d 2 h". Null (nothing measured yet) is a dash.
 */
export function formatMinutes(minutes: number | null | undefined, language: Language): string {
  if (minutes === null || minutes === undefined) return '–';
  const total = Math.max(0, Math.round(minutes));
  const units: Array<[number, string, string]> =
    total >= 1440
      ? [
          [Math.floor(total / 1440), 'দিন', 'd'],
          [Math.floor((total % 1440) / 60), 'ঘণ্টা', 'h'],
        ]
      : total >= 60
        ? [
            [Math.floor(total / 60), 'ঘণ্টা', 'h'],
            [total % 60, 'মিনিট', 'min'],
          ]
        : [[total, 'মিনিট', 'min']];
  return units
    .filter(([amount], i) => i === 0 || amount > 0)
    .map(([amount, bn, en]) =>
      language === 'bn' ? `${toBengaliDigits(amount)} ${bn}` : `${amount} ${en}`,
    )
    .join(' ');
}

/** Minutes since an instant (a resident waiting), never negative. */
export function minutesSince(instant: string, now: Date): number {
  return Math.max(0, (now.getTime() - new Date(instant).getTime()) / 60_000);
}

/**
 * A whole number typed in either script ("৩০", " 30 "); undefined when blank or not a
 * positive whole number, so a half-typed filter never narrows the list to nothing.
 */
export function parseWholeNumber(text: string): number | undefined {
  const ascii = toAsciiDigits(text).trim();
  if (!/^\d{1,6}$/.test(ascii)) return undefined;
  const value = Number(ascii);
  return value > 0 ? value : undefined;
}

/**
 * The labels after adding one: trimmed, and not twice in another case ("Water" and "water"
 * are one label to a clerk). The API checks the count and length and says which is wrong.
 */
export function withLabel(labels: readonly string[], label: string): string[] {
  const added = label.trim().replace(/\s+/g, ' ');
  if (!added || labels.some((l) => l.toLocaleLowerCase() === added.toLocaleLowerCase())) {
    return [...labels];
  }
  return [...labels, added];
}

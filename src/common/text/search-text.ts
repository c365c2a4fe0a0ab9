import { BadUserInputError } from '../errors/app.error';
import { normalizeText } from './normalize';

/**
 * Longest free-text search or filter, in characters (code points, after normalising). A
 * name, a phone number or a tracking number fits with room to spare; longer text only makes
 * the trigram match slower — 2,000 Bengali characters took 15 s and, ten at a time,
 * exhausted the pool (issue 21).
 */
export const SEARCH_MAX_LENGTH = 100;

/**
 * The search text, normalised, or `''` when there is none; BAD_USER_INPUT naming `field`
 * when it is longer than `maxLength`. Checked before any SQL is built.
 */
export function searchText(
  value: string | null | undefined,
  field: string,
  maxLength = SEARCH_MAX_LENGTH,
): string {
  if (!value) return '';
  // A cheap bound first: normalising cannot shorten text by more than its whitespace and
  // control characters, so a megabyte is refused without being normalised.
  const text = value.length > maxLength * 16 ? value.slice(0, maxLength * 16) : value;
  const normalized = normalizeText(text);
  if (text !== value || [...normalized].length > maxLength) {
    throw new BadUserInputError(
      `\`${field}\` may be at most ${maxLength} characters (a name, a phone or a number)`,
      field,
    );
  }
  return normalized;
}

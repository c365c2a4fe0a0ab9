/** What a resident's short reply means. */
export type FeedbackReply =
  | { kind: 'RATING'; rating: number; comment: string | null }
  | { kind: 'BAD_RATING'; digit: number }
  | { kind: 'NOT_FIXED'; reason: string }
  | { kind: 'OTHER' };

/** Ways residents say the problem is still there (Bengali, Banglish, English). */
const NOT_FIXED = [
  /এখনও\s*ঠিক\s*হয়নি/,
  /এখনো\s*ঠিক\s*হয়নি/,
  /ঠিক\s*হয়নি/,
  /\bekhono\s+thik\s+hoyni\b/i,
  /\bstill\s+not\s+(fixed|working|done|solved)\b/i,
  /\bnot\s+fixed\b/i,
];

/**
 * Reads a reply to the rating question: a leading digit (Bengali or Latin) is a rating,
 * 1–5, with whatever follows as the comment; "এখনও ঠিক হয়নি" / "still not fixed" asks to
 * reopen (the whole text is the reason).
 */
export function readFeedbackReply(text: string): FeedbackReply {
  const trimmed = text.normalize('NFC').trim();
  if (NOT_FIXED.some((pattern) => pattern.test(trimmed))) {
    return { kind: 'NOT_FIXED', reason: trimmed.slice(0, 1000) };
  }
  const match = /^([0-9০-৯])(?![0-9০-৯])[\s.,:;।-]*(.*)$/su.exec(trimmed);
  if (!match) return { kind: 'OTHER' };
  const digit = Number(toAsciiDigits(match[1]));
  if (digit < 1 || digit > 5) return { kind: 'BAD_RATING', digit };
  const comment = match[2].trim().slice(0, 1000);
  return { kind: 'RATING', rating: digit, comment: comment || null };
}
import { toAsciiDigits } from '../common/text/digits';

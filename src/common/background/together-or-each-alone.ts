import type { Outcome } from './each-at-most';

/**
 * Does `together` for all the items at once (one statement, one transaction); when that
 * fails, `alone` for each in turn, so that one item's failure is its own and the others still
 * go through. A single item goes straight to `alone`.
 */
export async function togetherOrEachAlone<T>(
  items: readonly T[],
  together: (items: readonly T[]) => Promise<void>,
  alone: (item: T) => Promise<void>,
): Promise<Outcome[]> {
  if (items.length > 1) {
    try {
      await together(items);
      return items.map(() => ({ ok: true }));
    } catch {
      // Undone as a whole: which item failed is found out below, one at a time.
    }
  }
  const outcomes: Outcome[] = [];
  for (const item of items) {
    try {
      await alone(item);
      outcomes.push({ ok: true });
    } catch (error) {
      outcomes.push({ ok: false, error });
    }
  }
  return outcomes;
}

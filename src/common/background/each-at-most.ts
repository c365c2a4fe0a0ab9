/**
 * Runs `work` on every item with at most `limit` running at once, and settles each on its
 * own: one item's failure neither stops nor hides another's outcome.
 */
export async function eachAtMost<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<Array<{ ok: true } | { ok: false; error: unknown }>> {
  const outcomes: Array<{ ok: true } | { ok: false; error: unknown }> = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      try {
        await work(items[index]);
        outcomes[index] = { ok: true };
      } catch (error) {
        outcomes[index] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return outcomes;
}

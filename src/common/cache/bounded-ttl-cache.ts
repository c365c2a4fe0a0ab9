/**
 * A small in-process cache of values that change rarely and are read on a hot path: at most
 * `maxEntries` (the oldest written goes first), each trusted for `ttlMs` after it was read
 * from the database. A change made elsewhere (another instance, an administrator) is seen
 * within `ttlMs`; callers choose a time for which a stale value is harmless.
 */
export class BoundedTtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; until: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * The cached value, or `load()`'s. Nothing found (null) is not kept: a row made a moment
   * later is seen at once.
   */
  async get(key: K, load: () => Promise<V | null>): Promise<V | null> {
    const hit = this.entries.get(key);
    if (hit && hit.until > this.now()) return hit.value;
    const value = await load();
    if (value !== null && this.ttlMs > 0) {
      this.entries.delete(key);
      if (this.entries.size >= this.maxEntries) {
        this.entries.delete(this.entries.keys().next().value as K);
      }
      this.entries.set(key, { value, until: this.now() + this.ttlMs });
    }
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

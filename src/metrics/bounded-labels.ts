/**
 * Keeps a label's values few: Prometheus keeps one series per distinct value, so a label
 * taken from the caller (an operation name, an error code) must not grow without bound.
 * The first `max` distinct well-formed values are kept as they are; any later one, and any
 * value that is not a plain name, is counted under `other`.
 */
export class BoundedLabels {
  private readonly seen = new Set<string>();

  constructor(
    private readonly max: number,
    private readonly other = '_other',
    private readonly shape = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
  ) {}

  label(value: string): string {
    if (this.seen.has(value)) return value;
    if (!this.shape.test(value) || this.seen.size >= this.max) return this.other;
    this.seen.add(value);
    return value;
  }
}

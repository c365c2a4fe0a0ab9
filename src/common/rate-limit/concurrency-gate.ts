/**
 * Bounds how many expensive operations (imports, exports) run at once in this instance, in
 * all and per caller. `enter` answers a release function, or null when the caller must wait
 * and retry (answered 429): nothing queues, so a burst never piles up connections.
 */
export class ConcurrencyGate {
  private total = 0;
  private readonly byCaller = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly perCaller: number,
  ) {}

  enter(caller: string): (() => void) | null {
    const mine = this.byCaller.get(caller) ?? 0;
    if (this.total >= this.limit || mine >= this.perCaller) return null;
    this.total += 1;
    this.byCaller.set(caller, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.byCaller.get(caller) ?? 1) - 1;
      if (left <= 0) this.byCaller.delete(caller);
      else this.byCaller.set(caller, left);
    };
  }
}

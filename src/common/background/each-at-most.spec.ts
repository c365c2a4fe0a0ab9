import { eachAtMost } from './each-at-most';

describe('eachAtMost', () => {
  it('never runs more than the limit at once, and runs every item', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await eachAtMost([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(item);
      running -= 1;
    });
    expect(most).toBe(3);
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('keeps each outcome with its item: a failure stops nothing else', async () => {
    const outcomes = await eachAtMost(['a', 'b', 'c'], 2, async (item) => {
      if (item === 'b') throw new Error('b failed');
    });
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    const failed = outcomes[1];
    expect(!failed.ok && (failed.error as Error).message).toBe('b failed');
  });
});

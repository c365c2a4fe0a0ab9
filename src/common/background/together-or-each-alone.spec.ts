import { togetherOrEachAlone } from './together-or-each-alone';

describe('togetherOrEachAlone', () => {
  it('does the items together when that works, never one by one', async () => {
    const alone: number[] = [];
    const outcomes = await togetherOrEachAlone(
      [1, 2, 3],
      async () => undefined,
      async (item) => void alone.push(item),
    );
    expect(outcomes).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(alone).toEqual([]);
  });

  it('when together fails, tries each alone, so only the failing item fails', async () => {
    const bad = new Error('refused');
    const outcomes = await togetherOrEachAlone(
      ['a', 'b', 'c'],
      async () => {
        throw bad;
      },
      async (item) => {
        if (item === 'b') throw bad;
      },
    );
    expect(outcomes).toEqual([{ ok: true }, { ok: false, error: bad }, { ok: true }]);
  });

  it('sends a single item straight to alone', async () => {
    let together = 0;
    const outcomes = await togetherOrEachAlone(
      ['x'],
      async () => void (together += 1),
      async () => {
        throw new Error('alone');
      },
    );
    expect(together).toBe(0);
    expect(outcomes).toEqual([{ ok: false, error: new Error('alone') }]);
  });
});

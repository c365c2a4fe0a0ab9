import { BoundedTtlCache } from './bounded-ttl-cache';

describe('BoundedTtlCache', () => {
  let now = 0;
  const clock = () => now;

  it('answers from the cache until the time runs out, then loads again', async () => {
    const cache = new BoundedTtlCache<string, number>(10, 1000, clock);
    let loads = 0;
    const load = async () => (loads += 1);
    now = 0;
    expect(await cache.get('a', load)).toBe(1);
    now = 999;
    expect(await cache.get('a', load)).toBe(1);
    now = 1000;
    expect(await cache.get('a', load)).toBe(2);
  });

  it('does not keep what was not found', async () => {
    const cache = new BoundedTtlCache<string, number>(10, 1000, clock);
    expect(await cache.get('a', async () => null)).toBeNull();
    expect(await cache.get('a', async () => 7)).toBe(7);
    expect(cache.size).toBe(1);
  });

  it('holds at most its bound, dropping the oldest written', async () => {
    const cache = new BoundedTtlCache<string, string>(2, 1000, clock);
    now = 0;
    for (const key of ['a', 'b', 'c']) await cache.get(key, async () => key);
    expect(cache.size).toBe(2);
    expect(await cache.get('a', async () => 'reloaded')).toBe('reloaded');
    expect(await cache.get('c', async () => 'reloaded')).toBe('c');
  });
});

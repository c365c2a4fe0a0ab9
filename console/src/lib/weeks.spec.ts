import { describe, expect, it } from 'vitest';
import { lastWeeks } from './weeks';

describe('lastWeeks', () => {
  it('gives seven-day periods on the Indian calendar, oldest first, ending today', () => {
    // 20:00 UTC on 2 December is already 3 December in India.
    expect(lastWeeks(new Date('2026-12-02T20:00:00Z'), 2)).toEqual([
      { from: '2026-11-20', to: '2026-11-26' },
      { from: '2026-11-27', to: '2026-12-03' },
    ]);
  });
});

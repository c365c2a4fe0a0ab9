import { describe, expect, it } from 'vitest';
import { normaliseCode, suggestedWindow } from './delivery-window';

describe('delivery form helpers', () => {
  it('offers a window later today while there is time, else tomorrow morning (India time)', () => {
    // 04:30 UTC is 10:00 in India.
    expect(suggestedWindow(new Date('2026-12-03T04:30:00Z'))).toEqual({
      date: '2026-12-03',
      windowStart: '11:00',
      windowEnd: '13:00',
    });
    // 16:30 UTC is 22:00 in India.
    expect(suggestedWindow(new Date('2026-12-03T16:30:00Z'))).toEqual({
      date: '2026-12-04',
      windowStart: '10:00',
      windowEnd: '12:00',
    });
  });

  it('reads a code typed with Bengali digits, spaces or dashes', () => {
    expect(normaliseCode('৪৮২ ০১৭')).toBe('482017');
    expect(normaliseCode('48-20-17')).toBe('482017');
    expect(normaliseCode('')).toBe('');
  });
});

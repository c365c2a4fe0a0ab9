import { describe, expect, it } from 'vitest';
import { digits, formatDateTime, formatDue, formatNumber, indianDay } from './bengali';

describe('console formatters', () => {
  it('shows an instant on the Indian calendar day, Bengali digits and months in Bengali', () => {
    // 20:00 UTC on 2 December is 01:30 on 3 December in India.
    expect(indianDay('2026-12-02T20:00:00Z')).toBe('2026-12-03');
    expect(formatDateTime('2026-12-02T20:00:00Z', 'bn')).toBe('৩ ডিসেম্বর ২০২৬, রাত ১টা ৩০ মিনিট');
    expect(formatDateTime('2026-12-02T20:00:00Z', 'en')).toBe('3 December 2026, 1:30 am');
  });

  it('groups numbers the Indian way in either script', () => {
    expect(formatNumber(120000, 'bn')).toBe('১,২০,০০০');
    expect(formatNumber(120000, 'en')).toBe('1,20,000');
    expect(digits(5, 'bn')).toBe('৫');
    expect(digits(5, 'en')).toBe('5');
  });

  it('says how long is left or how late a request is', () => {
    const now = new Date('2026-12-03T10:00:00Z');
    expect(formatDue('2026-12-06T10:00:00Z', now, 'bn')).toBe('৩ দিন বাকি');
    expect(formatDue('2026-12-03T05:00:00Z', now, 'bn')).toBe('৫ ঘণ্টা পেরিয়ে গেছে');
    expect(formatDue('2026-12-03T05:00:00Z', now, 'en')).toBe('5 hours overdue');
    expect(formatDue('2026-12-03T10:00:30Z', now, 'en')).toBe('1 minute left');
  });
});

import { describe, expect, it } from 'vitest';
import { formatMinutes, minutesSince, parseWholeNumber, withLabel } from './help-desk';

describe('formatMinutes', () => {
  it('says minutes, hours and minutes, or days and hours, in Bengali digits', () => {
    expect(formatMinutes(45, 'bn')).toBe('৪৫ মিনিট');
    expect(formatMinutes(125, 'bn')).toBe('২ ঘণ্টা ৫ মিনিট');
    expect(formatMinutes(120, 'bn')).toBe('২ ঘণ্টা');
    expect(formatMinutes(3 * 1440 + 130, 'bn')).toBe('৩ দিন ২ ঘণ্টা');
  });
  it('says them short in English, rounds, and dashes what was not measured', () => {
    expect(formatMinutes(4.6, 'en')).toBe('5 min');
    expect(formatMinutes(61, 'en')).toBe('1 h 1 min');
    expect(formatMinutes(1440, 'en')).toBe('1 d');
    expect(formatMinutes(null, 'en')).toBe('–');
    expect(formatMinutes(0, 'en')).toBe('0 min');
  });
});

describe('minutesSince', () => {
  it('counts the minutes from an instant and never goes below zero', () => {
    const now = new Date('2026-12-03T10:30:00Z');
    expect(minutesSince('2026-12-03T10:00:00Z', now)).toBe(30);
    expect(minutesSince('2026-12-03T11:00:00Z', now)).toBe(0);
  });
});

describe('parseWholeNumber', () => {
  it('reads Bengali and Latin digits with spaces around them', () => {
    expect(parseWholeNumber('৩০')).toBe(30);
    expect(parseWholeNumber(' 45 ')).toBe(45);
  });
  it('is undefined for blanks, zero, fractions and words', () => {
    expect(parseWholeNumber('')).toBeUndefined();
    expect(parseWholeNumber('0')).toBeUndefined();
    expect(parseWholeNumber('1.5')).toBeUndefined();
    expect(parseWholeNumber('ten')).toBeUndefined();
  });
});

describe('withLabel', () => {
  it('adds a trimmed label once, whatever its case', () => {
    expect(withLabel(['জল'], '  নর্দমা  ')).toEqual(['জল', 'নর্দমা']);
    expect(withLabel(['Water'], 'water')).toEqual(['Water']);
    expect(withLabel(['জল'], '   ')).toEqual(['জল']);
  });
});

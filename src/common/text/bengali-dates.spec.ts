import { toBengaliDigits } from './digits';
import { formatDay, formatWindow } from './bengali-dates';

describe('dates and windows as residents say them', () => {
  it('writes the day with Bengali digits and month names', () => {
    expect(formatDay('2026-12-04', 'bn')).toBe('৪ ডিসেম্বর');
    expect(formatDay('2027-01-15', 'bn')).toBe('১৫ জানুয়ারি');
    expect(formatDay('2026-12-04', 'en')).toBe('4 December');
  });

  it('names the part of the day once when the window stays in it', () => {
    expect(formatWindow('10:00', '12:00', 'bn')).toBe('সকাল ১০টা–১২টা');
    expect(formatWindow('11:00', '13:00', 'bn')).toBe('সকাল ১১টা–দুপুর ১টা');
    expect(formatWindow('15:30', '17:00', 'bn')).toBe('দুপুর ৩টা ৩০ মিনিট–বিকেল ৫টা');
    expect(formatWindow('10:00', '12:00', 'en')).toBe('10 am–12 pm');
    expect(formatWindow('09:30', '11:00', 'en')).toBe('9:30 am–11 am');
  });

  it('turns any digits Bengali', () => {
    expect(toBengaliDigits('042917')).toBe('০৪২৯১৭');
  });
});

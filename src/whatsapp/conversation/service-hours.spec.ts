import { Weekday } from '../../wards/entities/service-hours.type';
import { sayTime, staffedAt } from './service-hours';

const weekdays = {
  days: [Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI, Weekday.SAT],
  opensAt: '09:00',
  closesAt: '20:00',
};

describe('ward service hours', () => {
  it.each([
    ['2026-12-03T04:00:00Z', true], // Thursday 09:30 IST
    ['2026-12-03T20:30:00Z', false], // Friday 02:00 IST
    ['2026-12-03T14:29:00Z', true], // Thursday 19:59 IST
    ['2026-12-03T14:30:00Z', false], // Thursday 20:00 IST
    ['2026-12-06T05:00:00Z', false], // Sunday 10:30 IST
  ])('at %s staffed is %s', (at, staffed) =>
    expect(staffedAt(weekdays, new Date(at))).toBe(staffed),
  );

  it('says the time as a person would', () => {
    expect(sayTime('bn', '09:00')).toBe('সকাল ৯টা');
    expect(sayTime('bn', '20:00')).toBe('রাত ৮টা');
    expect(sayTime('bn', '17:30')).toBe('বিকেল ৫টা ৩০ মিনিট');
    expect(sayTime('en', '09:00')).toBe('9 am');
    expect(sayTime('en', '20:30')).toBe('8:30 pm');
    expect(sayTime('en', '24:00')).toBe('12 am');
  });
});

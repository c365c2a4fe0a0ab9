import { workingHoursLater } from './working-hours';

const OFFICE = {
  days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
  opensAt: '10:00',
  closesAt: '17:00',
};
const ist = (text: string) => new Date(`${text}+05:30`);

describe('workingHoursLater', () => {
  it('adds hours within one staffed day', () => {
    expect(workingHoursLater(ist('2026-12-03T11:15:00'), 2, OFFICE)).toEqual(
      ist('2026-12-03T13:15:00'),
    );
  });

  it('carries what is left of the day over to the next opening', () => {
    expect(workingHoursLater(ist('2026-12-03T16:30:00'), 2, OFFICE)).toEqual(
      ist('2026-12-04T11:30:00'),
    );
  });

  it('starts at the opening for a call before it, and skips Sunday and holidays', () => {
    // Saturday 5 December evening → Sunday closed → Monday 7th is a holiday → Tuesday 8th.
    expect(
      workingHoursLater(ist('2026-12-05T20:00:00'), 2, OFFICE, new Set(['2026-12-07'])),
    ).toEqual(ist('2026-12-08T12:00:00'));
    expect(workingHoursLater(ist('2026-12-03T06:00:00'), 2, OFFICE)).toEqual(
      ist('2026-12-03T12:00:00'),
    );
  });

  it('counts every hour for a ward staffed round the clock', () => {
    const always = {
      days: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
      opensAt: '00:00',
      closesAt: '24:00',
    };
    expect(workingHoursLater(ist('2026-12-03T23:30:00'), 2, always)).toEqual(
      ist('2026-12-04T01:30:00'),
    );
  });

  it('refuses hours that never come', () => {
    expect(() => workingHoursLater(new Date(), 2, { ...OFFICE, days: [] })).toThrow(
      'never staffed',
    );
  });
});

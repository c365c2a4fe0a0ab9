import { Weekday } from '../../wards/entities/service-hours.type';
import {
  fillPlaceholders,
  formatServiceHours,
  placeholderProblems,
  placeholdersIn,
} from './canned-reply-text';

describe('canned reply placeholders', () => {
  it('accepts the known ones, with or without spaces', () => {
    expect(
      placeholderProblems('নমস্কার {{residentName}}, {{ trackingNumber }} — {{wardHours}}'),
    ).toEqual([]);
    expect([...placeholdersIn('{{residentName}} {{ wardHours }}')]).toEqual([
      'residentName',
      'wardHours',
    ]);
  });

  it('names unknown and unclosed ones', () => {
    expect(placeholderProblems('{{name}}')).toEqual([
      'unknown placeholder {{name}}: use {{residentName}}, {{trackingNumber}}, {{wardHours}}',
    ]);
    expect(placeholderProblems('{{residentName} আসুন')).toEqual([
      'a placeholder is not closed: write it as {{residentName}}',
    ]);
    expect(placeholderProblems('{{}}')).toHaveLength(1);
  });

  it('fills them', () => {
    expect(
      fillPlaceholders('{{residentName}}: {{ trackingNumber }}', {
        residentName: 'রহিম',
        trackingNumber: 'BSR-05-1',
      }),
    ).toBe('রহিম: BSR-05-1');
  });
});

describe('ward hours in words', () => {
  const weekdays = [Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI, Weekday.SAT];
  it('writes a run of days and the window, Bengali digits in Bengali', () => {
    expect(formatServiceHours({ days: weekdays, opensAt: '10:00', closesAt: '17:00' }, 'bn')).toBe(
      'সোম–শনি, সকাল ১০টা–বিকেল ৫টা',
    );
    expect(formatServiceHours({ days: weekdays, opensAt: '10:00', closesAt: '17:00' }, 'en')).toBe(
      'Mon–Sat, 10 am–5 pm',
    );
  });
  it('lists scattered days and says every day', () => {
    expect(
      formatServiceHours(
        { days: [Weekday.MON, Weekday.THU], opensAt: '09:30', closesAt: '12:00' },
        'en',
      ),
    ).toBe('Mon, Thu, 9:30 am–12 pm');
    expect(
      formatServiceHours(
        { days: [...weekdays, Weekday.SUN], opensAt: '10:00', closesAt: '14:00' },
        'bn',
      ),
    ).toMatch(/^প্রতিদিন, সকাল ১০টা–/);
  });
});

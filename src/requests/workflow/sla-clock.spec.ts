import { financialYearOf, resumedDueAt, slaDueAt } from './sla-clock';

/** An instant given as Indian wall-clock time. */
const ist = (local: string) => new Date(`${local}+05:30`);
const days = (n: number) => ({ slaHours: null, slaWorkingDays: n });
const HOUR_MS = 60 * 60 * 1000;

// January 2026: Fri 23, Sat 24, Sun 25, Mon 26 (Republic Day), ... Sat 31.
describe('slaDueAt with working days', () => {
  it('skips the Sunday: 7 working days from a Friday 15:00 is the next Saturday 15:00', () => {
    expect(slaDueAt(ist('2026-01-23T15:00:00'), days(7))).toEqual(ist('2026-01-31T15:00:00'));
  });

  it('counts a Saturday as a working day', () => {
    expect(slaDueAt(ist('2026-01-23T15:00:00'), days(1))).toEqual(ist('2026-01-24T15:00:00'));
  });

  it('from a Saturday, the first working day is Monday', () => {
    expect(slaDueAt(ist('2026-01-24T10:00:00'), days(1))).toEqual(ist('2026-01-26T10:00:00'));
  });

  it('from a Sunday, counts from Monday', () => {
    expect(slaDueAt(ist('2026-01-25T11:15:00'), days(1))).toEqual(ist('2026-01-26T11:15:00'));
    expect(slaDueAt(ist('2026-01-25T11:15:00'), days(6))).toEqual(ist('2026-01-31T11:15:00'));
  });

  it('skips a holiday (an Indian calendar date)', () => {
    const holidays = new Set(['2026-01-26']);
    expect(slaDueAt(ist('2026-01-23T15:00:00'), days(2), holidays)).toEqual(
      ist('2026-01-27T15:00:00'),
    );
    expect(slaDueAt(ist('2026-01-23T15:00:00'), days(7), holidays)).toEqual(
      ist('2026-02-02T15:00:00'),
    );
  });

  it('does not skip twice for a holiday on a Sunday', () => {
    expect(slaDueAt(ist('2026-01-24T09:00:00'), days(1), new Set(['2026-01-25']))).toEqual(
      ist('2026-01-26T09:00:00'),
    );
  });

  it('keeps the time of day in India, late in the evening', () => {
    // 23:00 IST on Saturday (17:30 UTC): Sunday is skipped, Monday 23:00 IST.
    const start = ist('2026-01-24T23:00:00');
    expect(start.toISOString()).toBe('2026-01-24T17:30:00.000Z');
    expect(slaDueAt(start, days(1))).toEqual(ist('2026-01-26T23:00:00'));
    expect(slaDueAt(start, days(1)).toISOString()).toBe('2026-01-26T17:30:00.000Z');
  });

  it('uses the Indian date, not the UTC one, in the early morning (UTC is still the day before)', () => {
    // Monday 02:00 IST is Sunday 20:30 UTC: one working day later is Tuesday 02:00 IST.
    const monday = ist('2026-01-26T02:00:00');
    expect(monday.toISOString()).toBe('2026-01-25T20:30:00.000Z');
    expect(slaDueAt(monday, days(1))).toEqual(ist('2026-01-27T02:00:00'));

    // Sunday 03:00 IST is Saturday 21:30 UTC: the first working day is Monday, not Sunday.
    const sunday = ist('2026-01-25T03:00:00');
    expect(sunday.getUTCDay()).toBe(6);
    expect(slaDueAt(sunday, days(1))).toEqual(ist('2026-01-26T03:00:00'));

    // Saturday 01:00 IST is Friday 19:30 UTC: one working day later is Monday (Sunday skipped).
    expect(slaDueAt(ist('2026-01-24T01:00:00'), days(1))).toEqual(ist('2026-01-26T01:00:00'));
  });

  it('matches holidays on the Indian date in the early morning', () => {
    // Sunday 03:00 IST (Saturday UTC), Monday 26th a holiday: due Tuesday 03:00 IST.
    expect(slaDueAt(ist('2026-01-25T03:00:00'), days(1), new Set(['2026-01-26']))).toEqual(
      ist('2026-01-27T03:00:00'),
    );
    // A holiday on the UTC date of the due time but not on its Indian date is not skipped:
    // Tuesday 02:00 IST is Monday 20:30 UTC.
    expect(slaDueAt(ist('2026-01-26T02:00:00'), days(1), new Set(['2026-01-26']))).toEqual(
      ist('2026-01-27T02:00:00'),
    );
  });

  it('crosses month and year ends', () => {
    // Wed 31 Dec 2025 → Thu 1, Fri 2, Sat 3, (Sun 4), Mon 5 Jan 2026.
    expect(slaDueAt(ist('2025-12-31T16:45:00'), days(4))).toEqual(ist('2026-01-05T16:45:00'));
  });

  it('zero working days is the start itself', () => {
    const start = ist('2026-01-23T15:00:00');
    expect(slaDueAt(start, days(0))).toEqual(start);
  });

  it('does not change the start it is given', () => {
    const start = ist('2026-01-23T15:00:00');
    slaDueAt(start, days(3));
    expect(start).toEqual(ist('2026-01-23T15:00:00'));
  });
});

describe('slaDueAt with hours', () => {
  it('adds clock hours, Sundays and holidays included', () => {
    const start = ist('2026-01-24T10:00:00');
    expect(
      slaDueAt(start, { slaHours: 48, slaWorkingDays: null }, new Set(['2026-01-26'])),
    ).toEqual(ist('2026-01-26T10:00:00'));
    expect(slaDueAt(start, { slaHours: 1, slaWorkingDays: null })).toEqual(
      new Date(start.getTime() + HOUR_MS),
    );
  });

  it('slaHours wins over slaWorkingDays', () => {
    const start = ist('2026-01-23T15:00:00');
    expect(slaDueAt(start, { slaHours: 2, slaWorkingDays: 5 })).toEqual(ist('2026-01-23T17:00:00'));
  });
});

describe('resumedDueAt', () => {
  const due = ist('2026-01-30T15:00:00');

  it('moves the due time later by exactly the paused time', () => {
    const pausedAt = ist('2026-01-24T10:00:00');
    const resumedAt = ist('2026-01-27T12:34:56.789');
    const paused = resumedAt.getTime() - pausedAt.getTime();
    expect(resumedDueAt(due, pausedAt, resumedAt).getTime()).toBe(due.getTime() + paused);
  });

  it('counts a paused Sunday like any other time (the wait was the resident’s)', () => {
    expect(resumedDueAt(due, ist('2026-01-24T15:00:00'), ist('2026-01-26T15:00:00'))).toEqual(
      ist('2026-02-01T15:00:00'),
    );
  });

  it('resuming after the old due time still gives the whole paused time', () => {
    const later = resumedDueAt(due, ist('2026-01-29T15:00:00'), ist('2026-02-05T15:00:00'));
    expect(later).toEqual(ist('2026-02-06T15:00:00'));
  });

  it('never moves the due time earlier', () => {
    const pausedAt = ist('2026-01-27T12:00:00');
    expect(resumedDueAt(due, pausedAt, pausedAt)).toEqual(due);
    expect(resumedDueAt(due, pausedAt, ist('2026-01-26T12:00:00'))).toEqual(due);
  });

  it('returns a new date and leaves the old due time alone', () => {
    const result = resumedDueAt(due, ist('2026-01-24T10:00:00'), ist('2026-01-24T11:00:00'));
    expect(result).not.toBe(due);
    expect(due).toEqual(ist('2026-01-30T15:00:00'));
  });
});

describe('financialYearOf', () => {
  it('31 March 23:59 IST is still the old year', () => {
    expect(financialYearOf(ist('2026-03-31T23:59:59.999'))).toBe('2526');
  });

  it('1 April 00:00 IST (31 March 18:30 UTC) is the new year', () => {
    const start = ist('2026-04-01T00:00:00');
    expect(start.toISOString()).toBe('2026-03-31T18:30:00.000Z');
    expect(financialYearOf(start)).toBe('2627');
    expect(financialYearOf(new Date('2026-03-31T18:29:59.999Z'))).toBe('2526');
  });

  it('January belongs to the year that began the April before', () => {
    expect(financialYearOf(ist('2027-01-15T12:00:00'))).toBe('2627');
    // 1 January 00:30 IST is still 31 December in UTC.
    expect(financialYearOf(ist('2027-01-01T00:30:00'))).toBe('2627');
    expect(financialYearOf(ist('2026-12-31T23:59:00'))).toBe('2627');
  });

  it('March belongs to the year that began the April before', () => {
    expect(financialYearOf(ist('2027-03-01T09:00:00'))).toBe('2627');
  });

  it('writes both years with two digits across a century', () => {
    expect(financialYearOf(ist('2099-06-01T12:00:00'))).toBe('9900');
    expect(financialYearOf(ist('2100-02-01T12:00:00'))).toBe('9900');
    expect(financialYearOf(ist('2105-06-01T12:00:00'))).toBe('0506');
  });
});

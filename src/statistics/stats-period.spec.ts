import { statsPeriod } from './stats-period';

const codeAndField = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    const { code, field } = (error as { extensions: Record<string, unknown> }).extensions;
    return { code, field };
  }
  throw new Error('expected a refusal');
};

describe('statsPeriod', () => {
  it('covers Indian calendar days: from 00:00 IST to midnight after `to` (exclusive)', () => {
    const period = statsPeriod('2026-11-20', '2026-11-20');
    // 2026-11-20 00:00 IST = 2026-11-19 18:30 UTC; one day later is the exclusive end.
    expect(period.start.toISOString()).toBe('2026-11-19T18:30:00.000Z');
    expect(period.end.toISOString()).toBe('2026-11-20T18:30:00.000Z');
  });

  it('crosses months and leap days', () => {
    const period = statsPeriod('2028-02-28', '2028-02-29');
    expect(period.start.toISOString()).toBe('2028-02-27T18:30:00.000Z');
    expect(period.end.toISOString()).toBe('2028-02-29T18:30:00.000Z');
  });

  it('allows up to 366 days and refuses one more', () => {
    expect(() => statsPeriod('2028-01-01', '2028-12-31')).not.toThrow(); // 366 days
    expect(codeAndField(() => statsPeriod('2027-01-01', '2028-01-02'))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'to',
    });
  });

  it('refuses bad dates naming the argument, and from after to', () => {
    for (const [from, to, field] of [
      ['2026-13-01', '2026-12-01', 'from'],
      ['2026-11-01', '2026-02-30', 'to'],
      ['20-11-2026', '2026-12-01', 'from'],
      ['2026-11-01', '2026-11-01T00:00', 'to'],
      ['2026-11-02', '2026-11-01', 'from'],
    ]) {
      expect(codeAndField(() => statsPeriod(from, to))).toEqual({ code: 'BAD_USER_INPUT', field });
    }
  });
});

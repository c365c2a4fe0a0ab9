import { exotelAuthorized, exotelTime, parsePassthru } from './exotel-passthru';

const NOW = new Date('2026-12-03T06:00:00Z');
const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

describe('Exotel Passthru', () => {
  it('reads a documented missed call: numbers with a leading 0, India time', () => {
    const parsed = parsePassthru(
      {
        CallSid: 'b6cfaf0e1c2a4d8e9f0a1b2c3d4e5f60',
        CallFrom: '09876543210',
        CallTo: '08047112345',
        Direction: 'incoming',
        StartTime: '2026-12-03 11:15:00',
        CallType: 'call-attempt',
      },
      NOW,
    );
    expect(parsed).toEqual({
      ok: true,
      call: expect.objectContaining({
        callSid: 'b6cfaf0e1c2a4d8e9f0a1b2c3d4e5f60',
        from: '+919876543210',
        to: '+918047112345',
        calledAt: new Date('2026-12-03T05:45:00Z'),
      }),
    });
  });

  it('refuses what is not a call from a phone', () => {
    const base = { CallSid: 'abcdefgh12', CallFrom: '09876543210', CallTo: '08047112345' };
    expect(parsePassthru({ ...base, CallSid: '' }, NOW)).toEqual({
      ok: false,
      problem: 'MISSING_CALL_SID',
    });
    expect(parsePassthru({ ...base, CallSid: ['a', 'b'] }, NOW)).toEqual({
      ok: false,
      problem: 'MISSING_CALL_SID',
    });
    expect(parsePassthru({ ...base, CallFrom: 'anonymous' }, NOW)).toEqual({
      ok: false,
      problem: 'BAD_CALLER',
    });
    expect(parsePassthru({ ...base, CallTo: '' }, NOW)).toEqual({
      ok: false,
      problem: 'BAD_NUMBER',
    });
    expect(parsePassthru({ ...base, Direction: 'outbound-dial' }, NOW)).toEqual({
      ok: false,
      problem: 'NOT_INCOMING',
    });
  });

  it('reads Bengali digits in the caller and distrusts a start time in the future', () => {
    const parsed = parsePassthru(
      {
        CallSid: 'abcdefgh12',
        From: '০৯৮৭৬৫৪৩২১০',
        To: '08047112345',
        StartTime: '2027-01-01 10:00:00',
      },
      NOW,
    );
    expect(parsed.ok && parsed.call.from).toBe('+919876543210');
    expect(parsed.ok && parsed.call.calledAt).toEqual(NOW);
    expect(exotelTime('2026-13-45 99:00:00')).toBeNull();
  });

  it('accepts only the configured Basic credentials', () => {
    const secret = 'a-long-enough-secret';
    expect(exotelAuthorized(basic(`exotel:${secret}`), secret)).toBe(true);
    expect(exotelAuthorized(basic(`exotel:${secret}x`), secret)).toBe(false);
    expect(exotelAuthorized(basic(`other:${secret}`), secret)).toBe(false);
    expect(exotelAuthorized(`Bearer ${secret}`, secret)).toBe(false);
    expect(exotelAuthorized(undefined, secret)).toBe(false);
    expect(exotelAuthorized(basic('exotel:'), null)).toBe(false);
  });
});

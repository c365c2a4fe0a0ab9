import { gupshupOutcome } from './gupshup-sms.provider';

describe('gupshupOutcome', () => {
  it('takes the message id from a success line', () => {
    expect(gupshupOutcome(200, 'success | 919876543210 | 3562707498794989059-3287361\n')).toEqual({
      ok: true,
      messageId: '3562707498794989059-3287361',
    });
  });

  it('fails for good on an error the request or account caused, with or without the number', () => {
    expect(gupshupOutcome(200, 'error | 919876543210 | 105 | Invalid template')).toEqual({
      ok: false,
      kind: 'PERMANENT',
      code: 'GUPSHUP_105',
      message: 'Invalid template',
    });
    expect(gupshupOutcome(200, 'error | 175 | service disabled')).toMatchObject({
      kind: 'PERMANENT',
      code: 'GUPSHUP_175',
    });
  });

  it("retries the gateway's own trouble: its unknown exception, 5xx and 429", () => {
    expect(gupshupOutcome(200, 'error | 100 | Unknown exception')).toMatchObject({
      kind: 'RETRY',
    });
    expect(gupshupOutcome(503, '')).toMatchObject({ kind: 'RETRY', code: 'HTTP_503' });
    expect(gupshupOutcome(429, 'slow down')).toMatchObject({ kind: 'RETRY', code: 'HTTP_429' });
  });

  it('calls an unreadable 200 ambiguous (it may have gone out), and a 4xx permanent', () => {
    expect(gupshupOutcome(200, '<html>')).toMatchObject({ kind: 'RETRY', ambiguous: true });
    expect(gupshupOutcome(404, 'Not Found')).toMatchObject({ kind: 'PERMANENT', code: 'HTTP_404' });
  });
});

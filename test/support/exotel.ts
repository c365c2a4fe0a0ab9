import { randomBytes } from 'node:crypto';

/** The Basic-auth password the tests configure for Exotel's Passthru calls. */
export const EXOTEL_SECRET = 'test-exotel-passthru-secret';
/** Ward 5's missed-call ExoPhone, as Exotel writes it (leading 0). */
export const EXOPHONE = '08047112345';

/**
 * Exotel's Passthru applet calling Duare: a GET with the call as URL-encoded query
 * parameters (docs.exotel.com, "Working with Passthru Applet"), credentials in the URL's
 * user info sent as HTTP Basic. `credentials: null` is a forged call without them.
 */
export async function passthru(
  appUrl: string,
  call: {
    from: string;
    to?: string;
    sid?: string;
    startTime?: string;
    extra?: Record<string, string>;
  },
  credentials: string | null = `exotel:${EXOTEL_SECRET}`,
): Promise<{ status: number; body: string; sid: string }> {
  const sid = call.sid ?? randomBytes(16).toString('hex');
  const params = new URLSearchParams({
    CallSid: sid,
    CallFrom: call.from,
    CallTo: call.to ?? EXOPHONE,
    From: call.from,
    To: call.to ?? EXOPHONE,
    Direction: 'incoming',
    CallType: 'call-attempt',
    DialCallDuration: '0',
    CurrentTime: call.startTime ?? '',
    ...(call.startTime ? { StartTime: call.startTime } : {}),
    flow_id: '224466',
    tenant_id: '13579',
    ...call.extra,
  });
  const response = await fetch(`${appUrl}/webhooks/exotel/missed-call?${params}`, {
    headers: credentials
      ? { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` }
      : {},
  });
  return { status: response.status, body: await response.text(), sid };
}

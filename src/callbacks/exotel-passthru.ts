import { timingSafeEqual } from 'node:crypto';
import { toE164 } from '../common/text/phone-number';

/**
 * Exotel (https://docs.exotel.com/voice-apis/working-with-passthru-applet): a missed-call
 * number is an ExoPhone whose flow is a Passthru applet (async) and a hang-up. Passthru makes
 * a GET to our URL with the call as URL-encoded query parameters: `CallSid`, `CallFrom`
 * (also `From`), `CallTo` (also `To`, the ExoPhone), `Direction` (`incoming`),
 * `StartTime`/`CurrentTime` (`YYYY-MM-DD HH:mm:ss`, India time), `CallType`, … Exotel does not
 * sign these calls: the URL configured in the flow carries HTTP Basic credentials
 * (`https://exotel:<EXOTEL_WEBHOOK_SECRET>@…`), which its client sends as `Authorization`.
 */
export interface MissedCall {
  callSid: string;
  /** The caller, E.164. */
  from: string;
  /** The ward's missed-call number, E.164. */
  to: string;
  /** When the call came (Exotel's start time; our clock when absent or unreadable). */
  calledAt: Date;
  /** Every query value as received (for the stored copy). */
  raw: Record<string, string>;
}

export type PassthruProblem = 'MISSING_CALL_SID' | 'BAD_CALLER' | 'BAD_NUMBER' | 'NOT_INCOMING';

const EXOTEL_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Exotel's `2026-12-03 11:15:00` (India time) as an instant, or null. */
export function exotelTime(text: string | undefined): Date | null {
  const match = EXOTEL_TIME.exec(text ?? '');
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}+05:30`);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** The missed call a Passthru query describes, or what is wrong with it. */
export function parsePassthru(
  query: Record<string, unknown>,
  now: Date,
): { ok: true; call: MissedCall } | { ok: false; problem: PassthruProblem } {
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    // A repeated parameter or an absurd value is not Exotel's: keep only short strings.
    if (typeof value === 'string' && key.length <= 40 && value.length <= 500) raw[key] = value;
  }
  const callSid = raw.CallSid ?? '';
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(callSid)) return { ok: false, problem: 'MISSING_CALL_SID' };
  if (raw.Direction && raw.Direction !== 'incoming') return { ok: false, problem: 'NOT_INCOMING' };
  const from = toE164(raw.CallFrom ?? raw.From ?? '');
  if (!from) return { ok: false, problem: 'BAD_CALLER' };
  const to = toE164(raw.CallTo ?? raw.To ?? '');
  if (!to) return { ok: false, problem: 'BAD_NUMBER' };
  const started = exotelTime(raw.StartTime) ?? exotelTime(raw.CurrentTime);
  // A start time from the future (a wrong clock) is not trusted.
  const calledAt = started && started <= now ? started : now;
  return { ok: true, call: { callSid, from, to, calledAt, raw } };
}

/** Whether the `Authorization` header carries Exotel's credentials (compared in constant time). */
export function exotelAuthorized(header: string | undefined, secret: string | null): boolean {
  if (!secret || !header?.startsWith('Basic ')) return false;
  const given = Buffer.from(header.slice(6).trim(), 'base64');
  const expected = Buffer.from(`exotel:${secret}`, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

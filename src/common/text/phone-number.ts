import { toAsciiDigits } from './digits';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * E.164 form of a phone number written any local way (`+91`, leading `0`, spaces, dashes,
 * Bengali digits), or null when it is not a valid number. Region defaults to India.
 */
export function toE164(input: string, defaultRegion: 'IN' = 'IN'): string | null {
  const parsed = parsePhoneNumberFromString(toAsciiDigits(input).trim(), defaultRegion);
  return parsed && parsed.isValid() ? parsed.number : null;
}

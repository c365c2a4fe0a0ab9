import { z } from 'zod';
import { UserErrorCode } from '../errors/user-error.type';
import { toAsciiDigits } from '../text/digits';
import { normalizeText } from '../text/normalize';
import { toE164 } from '../text/phone-number';
import { withCode } from './validate-input';

/** Required text, stored NFC and trimmed; blank counts as missing. */
export function requiredText(max: number) {
  return z
    .string()
    .transform(normalizeText)
    .pipe(z.string().min(1, 'must not be blank').max(max, `must be at most ${max} characters`));
}

/** Optional text; blank becomes null. */
export function optionalText(max: number) {
  return z
    .string()
    .transform(normalizeText)
    .pipe(z.string().max(max, `must be at most ${max} characters`))
    .transform((text) => (text === '' ? null : text))
    .nullish();
}

/** A phone number written any local way, stored as E.164. */
export const phoneNumber = z.string().transform((written, ctx) => {
  const e164 = toE164(written);
  if (!e164) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be a valid phone number (e.g. +91 98765 43210)',
      ...withCode(UserErrorCode.INVALID_FORMAT),
    });
    return z.NEVER;
  }
  return e164;
});

/** A calendar date as YYYY-MM-DD, Bengali digits too ("১৯৭৮-০৪-১৫"); the value has ASCII digits. */
export const isoDate = z.preprocess(
  (value) => (typeof value === 'string' ? toAsciiDigits(value.trim()) : value),
  z.iso.date({ error: 'must be a date as YYYY-MM-DD' }),
);

/** Today's date in India (YYYY-MM-DD): "not in the future" is judged in local time. */
// Built once: constructing an Intl formatter costs far more than formatting with it
// (it was 90 % of the validation time of an imported row).
const INDIA_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' });

export function todayInIndia(): string {
  return INDIA_DATE.format(new Date());
}

/** A date between `earliest` and today (India). */
export function pastDate(earliest = '0001-01-01') {
  const message =
    earliest === '0001-01-01'
      ? 'must not be in the future'
      : `must be between ${earliest} and today`;
  // A value that is not a date already has its INVALID_FORMAT error; only dates are compared.
  const notADate = (date: string) => !/^\d{4}-\d{2}-\d{2}$/.test(date);
  return isoDate.refine((date) => notADate(date) || (date >= earliest && date <= todayInIndia()), {
    message,
    ...withCode(UserErrorCode.OUT_OF_RANGE),
  });
}

/** For updates: omitted keeps the current value, but a required field cannot be nulled. */
export function keptUnlessGiven<S extends z.ZodType>(schema: S) {
  return z
    .custom<unknown>((value) => value !== null, {
      message: 'cannot be cleared; omit it to keep the current value',
      ...withCode(UserErrorCode.REQUIRED),
    })
    .pipe(schema)
    .optional();
}

import { toAsciiDigits } from '../../common/text/digits';
import { UserError, UserErrorCode, userError } from '../../common/errors/user-error.type';
import { normalizeText } from '../../common/text/normalize';
import { isoDate } from '../../common/validation/fields';
import { AttributeDatatype, ServiceAttribute } from '../entities/service-definition';

const DEFAULT_MAX_LENGTH: Partial<Record<AttributeDatatype, number>> = {
  [AttributeDatatype.STRING]: 500,
  [AttributeDatatype.TEXT]: 5000,
};

type Checked = { ok: true; value: unknown } | { ok: false; error: UserError };

function fail(code: UserErrorCode, field: string, message: string): Checked {
  return { ok: false, error: userError(code, field, message) };
}

/**
 * A place: `{ latitude, longitude, name?, address? }` from a shared location, or a
 * description in words (`"behind the Kali temple, Taki Road"`, or `{ description }`).
 */
function checkPlace(raw: unknown, field: string): Checked {
  if (typeof raw === 'string') raw = { description: raw };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return fail(UserErrorCode.INVALID, field, 'must be a location or a description of the place');
  const place = raw as Record<string, unknown>;
  if (typeof place.description === 'string') {
    const description = normalizeText(place.description);
    if (!description) return fail(UserErrorCode.REQUIRED, field, 'must not be blank');
    if (description.length > 500)
      return fail(UserErrorCode.TOO_LONG, field, 'must be at most 500 characters');
    return { ok: true, value: { description } };
  }
  const latitude = Number(place.latitude);
  const longitude = Number(place.longitude);
  if (
    typeof place.latitude !== 'number' ||
    typeof place.longitude !== 'number' ||
    Math.abs(latitude) > 90 ||
    Math.abs(longitude) > 180
  )
    return fail(
      UserErrorCode.INVALID,
      field,
      'must have a latitude (−90…90) and longitude (−180…180)',
    );
  const text = (value: unknown) =>
    typeof value === 'string' && normalizeText(value) ? normalizeText(value).slice(0, 300) : null;
  return {
    ok: true,
    value: { latitude, longitude, name: text(place.name), address: text(place.address) },
  };
}

function checkOne(attribute: ServiceAttribute, raw: unknown, field: string): Checked {
  const choiceCodes = new Set((attribute.choices ?? []).map((c) => c.code));
  switch (attribute.datatype) {
    case AttributeDatatype.STRING:
    case AttributeDatatype.TEXT: {
      if (typeof raw !== 'string') return fail(UserErrorCode.INVALID, field, 'must be text');
      const text = normalizeText(raw);
      if (!text) return fail(UserErrorCode.REQUIRED, field, 'must not be blank');
      const max = attribute.maxLength ?? DEFAULT_MAX_LENGTH[attribute.datatype] ?? 500;
      if (text.length > max)
        return fail(UserErrorCode.TOO_LONG, field, `must be at most ${max} characters`);
      return { ok: true, value: text };
    }
    case AttributeDatatype.NUMBER: {
      // Residents write numbers with Bengali digits and thousands separators.
      const number =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string'
            ? Number(toAsciiDigits(raw).replace(/[,\s]/g, ''))
            : NaN;
      if (typeof raw === 'string' && raw.trim() === '')
        return fail(UserErrorCode.REQUIRED, field, 'must not be blank');
      if (!Number.isFinite(number)) return fail(UserErrorCode.INVALID, field, 'must be a number');
      if (
        (attribute.min != null && number < attribute.min) ||
        (attribute.max != null && number > attribute.max)
      ) {
        return fail(
          UserErrorCode.OUT_OF_RANGE,
          field,
          `must be between ${attribute.min ?? '−∞'} and ${attribute.max ?? '∞'}`,
        );
      }
      return { ok: true, value: number };
    }
    case AttributeDatatype.DATE: {
      const date = typeof raw === 'string' ? toAsciiDigits(raw).trim() : '';
      if (!isoDate.safeParse(date).success)
        return fail(UserErrorCode.INVALID_FORMAT, field, 'must be a date as YYYY-MM-DD');
      return { ok: true, value: date };
    }
    case AttributeDatatype.SINGLE_CHOICE:
      if (typeof raw !== 'string' || !choiceCodes.has(raw)) {
        return fail(UserErrorCode.INVALID, field, `must be one of ${[...choiceCodes].join(', ')}`);
      }
      return { ok: true, value: raw };
    case AttributeDatatype.MULTI_CHOICE: {
      if (
        !Array.isArray(raw) ||
        raw.some((item) => typeof item !== 'string' || !choiceCodes.has(item))
      ) {
        return fail(
          UserErrorCode.INVALID,
          field,
          `must be a list of ${[...choiceCodes].join(', ')}`,
        );
      }
      if (new Set(raw).size !== raw.length)
        return fail(UserErrorCode.DUPLICATE, field, 'must not repeat a choice');
      return { ok: true, value: raw };
    }
    case AttributeDatatype.LOCATION:
      return checkPlace(raw, field);
  }
}

/**
 * Checks a request's attribute values against the definition it is made under: missing
 * required values, wrong types, unknown choices and unknown attributes each become a field
 * error (`attributes.<code>`); accepted values come back normalised.
 */
export function checkAttributeValues(
  attributes: ServiceAttribute[],
  values: Record<string, unknown>,
): { values: Record<string, unknown>; errors: UserError[] } {
  const errors: UserError[] = [];
  const accepted: Record<string, unknown> = {};
  const known = new Set(attributes.map((a) => a.code));
  for (const key of Object.keys(values)) {
    if (!known.has(key))
      errors.push(
        userError(UserErrorCode.INVALID, `attributes.${key}`, 'is not asked by this service'),
      );
  }
  for (const attribute of attributes) {
    const field = `attributes.${attribute.code}`;
    const raw = values[attribute.code];
    const empty = raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0);
    if (empty) {
      if (attribute.required) errors.push(userError(UserErrorCode.REQUIRED, field, 'is required'));
      continue;
    }
    const checked = checkOne(attribute, raw, field);
    if (checked.ok) accepted[attribute.code] = checked.value;
    else errors.push(checked.error);
  }
  return { values: accepted, errors };
}

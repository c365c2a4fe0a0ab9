import { toAsciiDigits } from './bengali';

/** A service's attribute as the form needs it (a subset of the API's `ServiceAttribute`). */
export interface AttributeField {
  code: string;
  datatype: string;
  required: boolean;
  choices?: ReadonlyArray<{ code: string }> | null;
}

/** What the form holds: text inputs as typed, multi-choice as the ticked codes. */
export type FormValues = Record<string, string | string[] | undefined>;

/**
 * The form's values as `createRequest`'s `attributes`: blanks left out (the API reports a
 * missing required one as `attributes.<code>`), numbers read from either script, dates as
 * the date input gives them (YYYY-MM-DD). A number that does not read as one is sent as
 * typed, so the API's own message says what is wrong with it.
 */
export function toAttributeValues(
  fields: readonly AttributeField[],
  values: FormValues,
): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.code];
    if (Array.isArray(value)) {
      if (value.length > 0) attributes[field.code] = value;
      continue;
    }
    const text = value?.trim();
    if (!text) continue;
    if (field.datatype === 'NUMBER') {
      const ascii = toAsciiDigits(text).replace(/,/g, '');
      attributes[field.code] = /^-?\d+(\.\d+)?$/.test(ascii) ? Number(ascii) : text;
    } else {
      attributes[field.code] = text;
    }
  }
  return attributes;
}

/** The API's field path for an attribute (`attributes.<code>`), as in its `errors`. */
export const attributePath = (code: string) => `attributes.${code}`;

/**
 * Whether a search box holds a phone number rather than a name: ten or more digits in either
 * script, with the usual +, spaces and dashes (`৯৮৭৬৫ ৪৩২১০`, `+91 98765-43210`).
 */
export function looksLikePhone(text: string): boolean {
  const ascii = toAsciiDigits(text.trim());
  return /^\+?[\d\s-]+$/.test(ascii) && ascii.replace(/\D/g, '').length >= 10;
}

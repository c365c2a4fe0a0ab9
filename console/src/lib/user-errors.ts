import { formatNumber, type Language } from './bengali';

/**
 * The API reports what a person can fix as `errors: [{ code, field, message }]` on the
 * mutation's payload (docs/api.md). Forms show each one next to its field; errors without a
 * field (or for a field the form does not show) go to the form's top.
 */
export interface UserErrorLike {
  code: string;
  field?: string | null;
  message: string;
}

export interface FieldErrors {
  byField: Record<string, string>;
  general: string[];
}

/**
 * Sorts errors onto the form's fields. `fields` maps an API field path (`phone`,
 * `attributes.years_of_residence`) to the form's own name for it; the first error of a field
 * wins, as the person fixes one thing at a time.
 */
export function mapUserErrors(
  errors: readonly UserErrorLike[],
  fields: readonly string[],
  describe: (error: UserErrorLike) => string = (error) => error.message,
): FieldErrors {
  const result: FieldErrors = { byField: {}, general: [] };
  for (const error of errors) {
    const field = error.field ?? '';
    if (fields.includes(field)) result.byField[field] ??= describe(error);
    else result.general.push(describe(error));
  }
  return result;
}

/** The GraphQL error code of a failed operation (`CONFLICT`, `FORBIDDEN`, …), if any. */
export function errorCode(
  error: { graphQLErrors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> } | undefined,
): string | undefined {
  const code = error?.graphQLErrors?.[0]?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Errors on a list's items (`wardIds.0`, `labels.1`) shown at the list's one field: a form
 * with a single picker for the list has nowhere else to put them.
 */
export function atListField<T extends UserErrorLike>(
  errors: readonly T[],
  lists: readonly string[],
): T[] {
  return errors.map((error) => {
    const head = error.field?.split('.')[0];
    return head && lists.includes(head) ? { ...error, field: head } : error;
  });
}

/** Codes whose meaning needs no detail from the API: said in the console's own words. */
const SELF_EXPLAINING = ['REQUIRED', 'DUPLICATE'];

/**
 * The API's wording of a length limit (`requiredText`/`optionalText` in
 * src/common/validation/fields.ts): TOO_LONG says what the limit is only in its message.
 */
const LIMIT = /^must be at most (\d+) characters$/;
/**
 * The API's wording of placeholder mistakes (src/whatsapp/helpline-desk/canned-reply-text.ts).
 * They come back as INVALID, a code used for many other refusals, so the message is what
 * tells them apart; a message that no longer matches falls back to the API's English.
 */
const UNKNOWN_PLACEHOLDER = /^unknown placeholder (\{\{.*?\}\}): use (.+)$/;
const UNCLOSED_PLACEHOLDER = /^a placeholder is not closed: write it as (.+)$/;

type Translate = (key: string, values?: Record<string, string>) => string;

/**
 * A field error in the console's language where the console can say it: `REQUIRED`,
 * `DUPLICATE`, a length limit (with the limit in the language's digits), an unknown or
 * unclosed placeholder (naming it). Other errors keep the API's message.
 */
export function inLanguage(
  translate: Translate,
  language: Language,
): (error: UserErrorLike) => string {
  return (error) => {
    if (SELF_EXPLAINING.includes(error.code)) return translate(`errors.${error.code}`);
    const limit = error.code === 'TOO_LONG' ? LIMIT.exec(error.message) : null;
    if (limit) {
      return translate('errors.TOO_LONG', { max: formatNumber(Number(limit[1]), language) });
    }
    if (error.code !== 'INVALID') return error.message;
    const unknown = UNKNOWN_PLACEHOLDER.exec(error.message);
    if (unknown)
      return translate('errors.unknownPlaceholder', { name: unknown[1], known: unknown[2] });
    const unclosed = UNCLOSED_PLACEHOLDER.exec(error.message);
    if (unclosed) return translate('errors.unclosedPlaceholder', { example: unclosed[1] });
    return error.message;
  };
}

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
 * A field error in the console's language where the code says it all (`REQUIRED`,
 * `DUPLICATE`); other errors keep the API's message, which names what is wrong (a
 * placeholder, a limit).
 */
export function inLanguage(translate: (key: string) => string): (error: UserErrorLike) => string {
  return (error) =>
    SELF_EXPLAINING.includes(error.code) ? translate(`errors.${error.code}`) : error.message;
}

import { z } from 'zod';
import { UserError, UserErrorCode, userError } from '../errors/user-error.type';

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: UserError[] };

/** Attach to a zod refinement to choose the UserErrorCode it reports. */
export function withCode(code: UserErrorCode): { params: { code: UserErrorCode } } {
  return { params: { code } };
}

function codeOf(issue: z.core.$ZodIssue): UserErrorCode {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string' && issue.minimum === 1) return UserErrorCode.REQUIRED;
      return issue.origin === 'string' || issue.origin === 'array'
        ? UserErrorCode.TOO_SHORT
        : UserErrorCode.OUT_OF_RANGE;
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array'
        ? UserErrorCode.TOO_LONG
        : UserErrorCode.OUT_OF_RANGE;
    case 'invalid_format':
      return UserErrorCode.INVALID_FORMAT;
    case 'custom':
      return (issue.params?.code as UserErrorCode | undefined) ?? UserErrorCode.INVALID;
    default:
      return UserErrorCode.INVALID;
  }
}

/**
 * Checks a mutation input against its schema; each problem becomes a UserError naming
 * the field, so the payload can tell the caller exactly what to fix.
 */
export function validateInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
): Validated<z.output<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) =>
      userError(codeOf(issue), issue.path.length ? issue.path.join('.') : null, issue.message),
    ),
  };
}

import { UserError } from './user-error.type';

/**
 * Thrown inside a transaction to roll it back and answer with payload errors: nothing of a
 * refused change is kept (not even its idempotency key).
 */
export class Refusal extends Error {
  constructor(readonly errors: UserError[]) {
    super('refused');
  }
}

/** A mutation payload: the changed record under its own field, or the errors that refused it. */
export type RefusablePayload<K extends string, T> = { [P in K]: T | null } & {
  errors: UserError[];
};

/** The payload of a change refused before it started. */
export function refused<K extends string>(
  field: K,
  errors: UserError[],
): RefusablePayload<K, never> {
  return { [field]: null, errors } as RefusablePayload<K, never>;
}

/**
 * Runs a change (usually a whole transaction, so a Refusal rolls it back) and answers with
 * its result under `field`; a Refusal thrown inside becomes the payload's errors, and so
 * does any error `known` recognises (a unique violation, say). Anything else stays an
 * exception.
 */
export async function refusable<K extends string, T>(
  field: K,
  work: () => Promise<T>,
  known?: (error: unknown) => UserError[] | null,
): Promise<RefusablePayload<K, T>> {
  try {
    return { [field]: await work(), errors: [] } as RefusablePayload<K, T>;
  } catch (error) {
    if (error instanceof Refusal) return refused(field, error.errors);
    const errors = known?.(error);
    if (errors) return refused(field, errors);
    throw error;
  }
}

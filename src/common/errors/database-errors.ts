import { QueryFailedError } from 'typeorm';

/** The constraint a failed INSERT/UPDATE violated, when it was a unique violation. */
export function violatedUniqueConstraint(error: unknown): string | null {
  if (!(error instanceof QueryFailedError)) return null;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' ? (driverError.constraint ?? null) : null;
}

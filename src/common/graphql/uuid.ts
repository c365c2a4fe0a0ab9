import { BadUserInputError } from '../errors/app.error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** IDs are UUIDs; anything else is the caller's mistake, not a database error. */
export function assertUuid(value: string, field: string): string {
  if (!isUuid(value)) throw new BadUserInputError(`\`${field}\` must be an ID (UUID)`, field);
  return value.toLowerCase();
}

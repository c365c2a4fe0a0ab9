import { z } from 'zod';
import { BadUserInputError } from '../errors/app.error';

/** Opaque keyset cursors: base64url JSON of the sort key of the last item seen. */
export function encodeCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor<S extends z.ZodType>(
  cursor: string,
  shape: S,
  field = 'after',
): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadUserInputError(`\`${field}\` is not a cursor returned by this list`, field);
  }
  const parsed = shape.safeParse(raw);
  if (!parsed.success) {
    throw new BadUserInputError(`\`${field}\` is not a cursor returned by this list`, field);
  }
  return parsed.data;
}

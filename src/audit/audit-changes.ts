function normalised(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : (value ?? null);
}

function differs<T extends object>(before: T, after: T, field: keyof T): boolean {
  return JSON.stringify(normalised(before[field])) !== JSON.stringify(normalised(after[field]));
}

/**
 * `{ field: { from, to } }` for the listed fields that differ. Only listed fields are
 * compared, so secrets (password hashes) never reach the audit trail by accident.
 */
export function changedFields<T extends object>(
  before: T,
  after: T,
  fields: readonly (keyof T & string)[],
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of fields) {
    if (differs(before, after, field)) {
      changes[field] = { from: normalised(before[field]), to: normalised(after[field]) };
    }
  }
  return changes;
}

/**
 * The names of the listed fields that differ, without their values: for personal data,
 * which an erasure must be able to remove while the append-only trail stays.
 */
export function changedFieldNames<T extends object>(
  before: T,
  after: T,
  fields: readonly (keyof T & string)[],
): { changed: string[] } {
  return { changed: fields.filter((field) => differs(before, after, field)) };
}

/** The listed fields of a newly created record. */
export function createdFields<T extends object>(
  created: T,
  fields: readonly (keyof T & string)[],
): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field, normalised(created[field])]));
}

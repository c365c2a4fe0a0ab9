function normalised(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : (value ?? null);
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
    const [from, to] = [normalised(before[field]), normalised(after[field])];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  return changes;
}

/** The listed fields of a newly created record. */
export function createdFields<T extends object>(
  created: T,
  fields: readonly (keyof T & string)[],
): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field, normalised(created[field])]));
}

import { buildSchema, findBreakingChanges } from 'graphql';

/** What a client of the old schema would find broken in the new one (graphql-js's own check). */
export function breakingChanges(oldSdl: string, newSdl: string): string[] {
  return findBreakingChanges(buildSchema(oldSdl), buildSchema(newSdl)).map(
    (change) => `${change.type}: ${change.description}`,
  );
}

/** A commit may declare its breaking schema changes as intended. */
export const BREAKING_MARK = '[breaking-schema]';

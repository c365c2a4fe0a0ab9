import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';

const HEADER =
  '# Generated from the code by `npm run schema:generate`; do not edit by hand.\n' +
  '# CI fails when this file differs from what the code generates.\n\n';

/** The committed `schema.gql` text for a schema: sorted, so diffs show real changes only. */
export function renderSchemaFile(schema: GraphQLSchema): string {
  return `${HEADER}${printSchema(lexicographicSortSchema(schema))}\n`;
}

import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { renderSchemaFile } from '../src/common/graphql/print-schema';
import { withApp, withDatabase } from './script-runtime';

/** Writes schema.gql from the code-first schema of the running application. */
async function main(): Promise<void> {
  const text = await withDatabase(true, (context) =>
    withApp(context, async (app) => renderSchemaFile(app.get(GraphQLSchemaHost).schema)),
  );
  const target = resolve(__dirname, '../../schema.gql');
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

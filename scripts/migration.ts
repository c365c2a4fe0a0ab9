import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { revertLastMigration, runMigrations } from '../src/database/migration-runner';
import { schemaDrift } from '../src/database/schema-drift';
import { withApp, withDatabase } from './script-runtime';

const USAGE =
  'usage: npm run migration:run | migration:revert | migration:generate -- <PascalName>';

async function generate(name: string): Promise<void> {
  if (!/^[A-Z][A-Za-z0-9]+$/.test(name)) throw new Error(USAGE);
  // A throwaway database at the latest migration, compared with the entities.
  const drift = await withDatabase(true, (context) =>
    withApp(context, (app) => schemaDrift(app.get(DataSource))),
  );
  if (drift.up.length === 0) {
    process.stdout.write('The entities match the migrations: nothing to generate.\n');
    return;
  }
  const timestamp = Date.now();
  const kebab = name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  const file = resolve(__dirname, `../../src/database/migrations/${timestamp}-${kebab}.ts`);
  const lines = (queries: string[]) =>
    queries.map((query) => `    await q.query(${JSON.stringify(query)});`).join('\n');
  writeFileSync(
    file,
    `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${timestamp} implements MigrationInterface {
  name = '${name}${timestamp}';

  async up(q: QueryRunner): Promise<void> {
${lines(drift.up)}
  }

  async down(q: QueryRunner): Promise<void> {
${lines([...drift.down].reverse())}
  }
}
`,
  );
  process.stdout.write(
    `wrote ${file}\nAdd ${name}${timestamp} to src/database/migrations/index.ts.\n`,
  );
}

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  if (command === 'generate') return generate(name ?? '');
  if (command === 'run') {
    const applied = await withDatabase(false, ({ database }) => runMigrations(database.url));
    process.stdout.write(`applied: ${applied.map((m) => m.name).join(', ') || 'nothing'}\n`);
    return;
  }
  if (command === 'revert') {
    await withDatabase(false, ({ database }) => revertLastMigration(database.url));
    process.stdout.write('reverted the last migration\n');
    return;
  }
  throw new Error(USAGE);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

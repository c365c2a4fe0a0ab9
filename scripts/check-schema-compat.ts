/**
 * Fails when schema.gql breaks clients of the schema at a base commit (default HEAD~1,
 * or SCHEMA_BASE), unless the last commit message says `[breaking-schema]`.
 *   npm run schema:check-compat
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BREAKING_MARK, breakingChanges } from '../src/common/graphql/schema-compat';

function git(...args: string[]): string | null {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

const base = process.env.SCHEMA_BASE ?? 'HEAD~1';
const before = git('show', `${base}:schema.gql`);
if (before === null) {
  process.stdout.write(`No schema.gql at ${base}: nothing to compare.\n`);
  process.exit(0);
}
const changes = breakingChanges(before, readFileSync('schema.gql', 'utf8'));
if (changes.length === 0) {
  process.stdout.write(`schema.gql keeps every client of ${base} working.\n`);
  process.exit(0);
}
const intended = (git('log', '-1', '--format=%B') ?? '').includes(BREAKING_MARK);
process.stdout.write(
  `Breaking changes against ${base}:\n${changes.map((c) => `  - ${c}`).join('\n')}\n`,
);
if (intended) {
  process.stdout.write(`Marked ${BREAKING_MARK} in the commit message: allowed.\n`);
  process.exit(0);
}
process.stderr.write(`Deprecate instead of removing, or mark the commit ${BREAKING_MARK}.\n`);
process.exit(1);

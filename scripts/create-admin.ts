/**
 * Kept for old instructions: `node dist/scripts/create-admin.js ...` is
 * `node dist/cli.js create-admin ...` (see `node dist/cli.js create-admin --help`).
 */
import 'reflect-metadata';
import { processIo, runCli } from '../src/cli/cli';

void runCli(['create-admin', ...process.argv.slice(2)], processIo()).then((code) => {
  process.exitCode = code;
});

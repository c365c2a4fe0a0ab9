#!/usr/bin/env node
/**
 * The operator's command line: `node dist/cli.js <command>` in the production build (and
 * the Docker image), `npm run cli -- <command>` in development. The commands live in
 * src/cli/; `node dist/cli.js --help` lists them.
 */
import 'reflect-metadata';
import { processIo, runCli } from './src/cli/cli';

void runCli(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});

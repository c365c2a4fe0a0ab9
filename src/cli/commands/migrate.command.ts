import { CliCommand } from '../cli-command';

const HELP = `usage: node dist/cli.js migrate

Applies the pending migrations of this build to the configured database, under the same
PostgreSQL advisory lock the app takes at start (several instances, or this command and a
starting instance, migrate once). The app does this itself at every start; run it on its
own to migrate before switching traffic to a new version (docs/operations.md, upgrades).
Exit codes: 0 done (or nothing to do); 3 configuration or database unusable.`;

/** Metadata only: the command's code (and the whole app) loads when it runs. */
export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'apply pending migrations (as the app does at start)',
  help: HELP,
  options: {},
  run: async (args, io) => (await import('./migrate.run')).run(args, io),
};

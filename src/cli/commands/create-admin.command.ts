import { CliCommand } from '../cli-command';

const HELP = `usage: node dist/cli.js create-admin --municipality CODE --username NAME
         --display-name NAME [--phone PHONE]

Adds an administrator (MUNICIPAL_ADMIN) to an existing municipality: a second administrator,
or a way back in when every administrator has lost their password. To create the
municipality itself, use bootstrap.

The password is never an argument: type it at the prompt, pipe it on standard input or set
DUARE_ADMIN_PASSWORD.
Exit codes: 0 created; 1 refused (no such municipality, the login exists); 2 wrong use or
invalid input; 3 configuration or database unusable.`;

/** Metadata only: the command's code (and the whole app) loads when it runs. */
export const createAdminCommand: CliCommand = {
  name: 'create-admin',
  summary: 'add an administrator to an existing municipality',
  help: HELP,
  options: {
    municipality: { type: 'string' },
    username: { type: 'string' },
    'display-name': { type: 'string' },
    phone: { type: 'string' },
  },
  run: async (args, io) => (await import('./create-admin.run')).run(args, io),
};

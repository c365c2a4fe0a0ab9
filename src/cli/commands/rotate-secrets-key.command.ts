import { CliCommand } from '../cli-command';

const HELP = `usage: NEW_SECRETS_ENCRYPTION_KEY=$(openssl rand -base64 32) node dist/cli.js rotate-secrets-key

Re-seals every stored webhook signing secret with a new SECRETS_ENCRYPTION_KEY, in one
transaction: each is opened with the current SECRETS_ENCRYPTION_KEY (or taken as it is when
it was stored before any key was set) and sealed with NEW_SECRETS_ENCRYPTION_KEY.

Stop every instance first (an instance still running with the old key cannot open the
re-sealed secrets: its webhook deliveries fail and are retried), then set
SECRETS_ENCRYPTION_KEY to the new key everywhere and start them again. Keep the old key
until the new one is in place and the backups taken with it have aged out: a restored old
backup needs the key it was sealed with.

Exit codes: 0 done; 1 the current key does not open a stored secret (nothing changed);
2 NEW_SECRETS_ENCRYPTION_KEY missing or malformed; 3 configuration or database unusable.`;

/** Metadata only: the command's code (and the whole app) loads when it runs. */
export const rotateSecretsKeyCommand: CliCommand = {
  name: 'rotate-secrets-key',
  summary: 're-seal the stored webhook secrets with a new SECRETS_ENCRYPTION_KEY',
  help: HELP,
  options: {},
  run: async (args, io) => (await import('./rotate-secrets-key.run')).run(args, io),
};

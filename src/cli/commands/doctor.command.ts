import { CliCommand } from '../cli-command';

const HELP = `usage: node dist/cli.js doctor

Checks this deployment against what production needs, with the environment the app runs
with, and prints one line per check (ok, warn, FAIL) and what to do about each FAIL:

  configuration   every variable valid (as at start), NODE_ENV=production, JWT_SECRET,
                  PUBLIC_BASE_URL (https), DATABASE_URL (the embedded server is for development)
  database        reachable, PostgreSQL 14 or newer, every migration of this build applied
                  and none unknown to it
  municipalities  at least one, each with an active administrator (else: bootstrap)
  signing key     CERTIFICATE_SIGNING_KEY is an Ed25519 private key, and its key id is not
                  published for another key
  encryption key  SECRETS_ENCRYPTION_KEY is set and opens the sealed webhook secrets
  WhatsApp        access token, app secret (webhook signatures) and verify token are set;
                  wards have a helpline phone_number_id
  SMS             SMS_PROVIDER: the log (SMS messages go to the log) is a warning

It changes nothing (no migration either). Exit codes: 0 nothing missing for production;
1 something is (the FAIL lines).`;

/** Metadata only: the command's code (and the whole app) loads when it runs. */
export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'check configuration, database, migrations, keys and providers for production',
  help: HELP,
  options: {},
  run: async (args, io) => (await import('./doctor.run')).run(args, io),
};

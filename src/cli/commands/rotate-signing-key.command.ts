import { CliCommand } from '../cli-command';

const HELP = `usage: node dist/cli.js rotate-signing-key --out FILE [--key-id ID]

Starts a certificate signing key rotation: makes a new Ed25519 key, writes its private key
(PKCS#8 PEM) to FILE (created with mode 600; it must not exist; "-" writes it to standard
output for a secret store), and publishes its public key under a new key id at once, so
offline verifiers who refresh /.well-known/duare-keys.json know it before the first
certificate signed with it.

Then set on every instance, and restart them:
  CERTIFICATE_SIGNING_KEY=<the contents of FILE>
  CERTIFICATE_KEY_ID=<the new key id>
Certificates signed with earlier keys keep verifying: every public key ever used stays
published. Keep FILE in the same safe place as the database backups' keys.

  --key-id ID   the new key's id (1–64 letters, digits, . _ -); default: the current
                CERTIFICATE_KEY_ID with its number raised by one (duare-1 -> duare-2)

Exit codes: 0 done; 1 the key id is taken or FILE exists; 2 wrong use; 3 configuration or
database unusable.`;

/** Metadata only: the command's code (and the whole app) loads when it runs. */
export const rotateSigningKeyCommand: CliCommand = {
  name: 'rotate-signing-key',
  summary: 'make a new certificate signing key and publish it (old certificates keep verifying)',
  help: HELP,
  options: { out: { type: 'string' }, 'key-id': { type: 'string' } },
  run: async (args, io) => (await import('./rotate-signing-key.run')).run(args, io),
};

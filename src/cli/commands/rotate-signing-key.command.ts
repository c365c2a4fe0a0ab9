import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { publicKeyBase64 } from '../../certificates/certificate-signing.service';
import {
  CliCommand,
  CliError,
  ExitCode,
  optionalText,
  requiredText,
  UsageError,
} from '../cli-command';
import { loadCliConfig, withMigratedDatabase } from '../cli-runtime';
import { withClient } from '../database-client';

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

/** duare-1 -> duare-2, duare -> duare-2, duare-demo -> duare-demo-2. */
export function nextKeyId(current: string, taken: Set<string>): string {
  const match = /^(.*?)(\d+)$/.exec(current);
  const stem = match ? match[1] : `${current}-`;
  let n = match ? Number(match[2]) + 1 : 2;
  while (taken.has(`${stem}${n}`)) n += 1;
  return `${stem}${n}`;
}

export const rotateSigningKeyCommand: CliCommand = {
  name: 'rotate-signing-key',
  summary: 'make a new certificate signing key and publish it (old certificates keep verifying)',
  help: HELP,
  options: { out: { type: 'string' }, 'key-id': { type: 'string' } },
  async run(args, io) {
    const out = requiredText(args, 'out');
    const wanted = optionalText(args, 'key-id');
    if (wanted !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(wanted)) {
      throw new UsageError('--key-id must be 1–64 letters, digits, . _ -');
    }
    const config = loadCliConfig(io);
    return withMigratedDatabase(config, (database) =>
      withClient(database.url, async (client) => {
        const { rows } = await client.query<{ key_id: string }>(
          `SELECT key_id FROM certificate_signing_keys ORDER BY created_at`,
        );
        const taken = new Set(rows.map((row) => row.key_id));
        taken.add(config.certificates.keyId);
        const keyId = wanted ?? nextKeyId(config.certificates.keyId, taken);
        if (taken.has(keyId)) {
          throw new CliError(
            `Key id ${keyId} is already used (published: ${[...taken].join(', ')}); choose another with --key-id`,
          );
        }
        const { privateKey } = generateKeyPairSync('ed25519');
        const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
        if (out !== '-') {
          try {
            writeFileSync(out, pem, { mode: 0o600, flag: 'wx' });
          } catch (error) {
            throw new CliError(
              `Cannot write ${out}: ${(error as Error).message}; nothing was changed`,
            );
          }
        }
        await client.query(
          `INSERT INTO certificate_signing_keys (key_id, public_key) VALUES ($1, $2)`,
          [keyId, publicKeyBase64(privateKey)],
        );
        if (out === '-') io.out(pem);
        io.err(
          `Published the new key ${keyId}${out === '-' ? '' : `; its private key is in ${out}`}.\n` +
            `Now set on every instance, then restart them one by one:\n` +
            `  CERTIFICATE_KEY_ID=${keyId}\n` +
            `  CERTIFICATE_SIGNING_KEY=<the PEM${out === '-' ? '' : ` in ${out}`}>\n` +
            `Certificates signed with ${rows.map((r) => r.key_id).join(', ') || 'earlier keys'} keep verifying.\n`,
        );
        return ExitCode.OK;
      }),
    );
  },
};

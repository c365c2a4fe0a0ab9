import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { publicKeyBase64 } from '../../certificates/certificate-signing.service';
import {
  CliError,
  CliIo,
  ExitCode,
  ParsedArgs,
  UsageError,
  optionalText,
  requiredText,
} from '../cli-command';
import { loadCliConfig, withMigratedDatabase } from '../cli-runtime';
import { withClient } from '../database-client';

/** duare-1 -> duare-2, duare -> duare-2, duare-demo -> duare-demo-2. */
export function nextKeyId(current: string, taken: Set<string>): string {
  const match = /^(.*?)(\d+)$/.exec(current);
  const stem = match ? match[1] : `${current}-`;
  let n = match ? Number(match[2]) + 1 : 2;
  while (taken.has(`${stem}${n}`)) n += 1;
  return `${stem}${n}`;
}

/** `rotate-signing-key`: what the command does once its arguments are parsed. */
export async function run(args: ParsedArgs, io: CliIo): Promise<ExitCode> {
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
}

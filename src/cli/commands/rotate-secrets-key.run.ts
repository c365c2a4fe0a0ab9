import { SecretBox } from '../../common/crypto/secret-box';
import { CliError, CliIo, ExitCode, ParsedArgs, UsageError } from '../cli-command';
import { loadCliConfig, withMigratedDatabase } from '../cli-runtime';
import { withClient } from '../database-client';

const NEW_KEY_VARIABLE = 'NEW_SECRETS_ENCRYPTION_KEY';
const CONTEXT = 'webhook_endpoints.secret';

/** `rotate-secrets-key`: what the command does once its arguments are parsed. */
export async function run(_args: ParsedArgs, io: CliIo): Promise<ExitCode> {
  const newText = io.env[NEW_KEY_VARIABLE];
  if (!newText) throw new UsageError(`${NEW_KEY_VARIABLE} is not set (openssl rand -base64 32)`);
  const newKey = Buffer.from(newText, 'base64');
  if (newKey.length !== 32) {
    throw new UsageError(
      `${NEW_KEY_VARIABLE} must be 32 random bytes in base64 (openssl rand -base64 32)`,
    );
  }
  const config = loadCliConfig(io);
  const oldKey = config.webhooks.secretsKey;
  if (oldKey && oldKey.equals(newKey))
    throw new UsageError(`${NEW_KEY_VARIABLE} is the current key`);
  const oldBox = oldKey ? new SecretBox(oldKey) : null;
  const newBox = new SecretBox(newKey);
  return withMigratedDatabase(config, (database) =>
    withClient(database.url, async (client) => {
      await client.query('BEGIN');
      try {
        const { rows } = await client.query<{ id: string; secret: string }>(
          `SELECT id, secret FROM webhook_endpoints ORDER BY id FOR UPDATE`,
        );
        for (const row of rows) {
          let plain = row.secret;
          if (SecretBox.isSealed(row.secret)) {
            if (!oldBox) {
              throw new CliError(
                'Stored secrets are sealed but SECRETS_ENCRYPTION_KEY (the current key) is not set; nothing was changed',
              );
            }
            try {
              plain = oldBox.open(row.secret, CONTEXT);
            } catch {
              throw new CliError(
                'SECRETS_ENCRYPTION_KEY does not open the stored secrets (is it the current key?); nothing was changed',
              );
            }
          }
          await client.query(`UPDATE webhook_endpoints SET secret = $2 WHERE id = $1`, [
            row.id,
            newBox.seal(plain, CONTEXT),
          ]);
        }
        await client.query('COMMIT');
        io.out(
          `Re-sealed ${rows.length} webhook secret(s). Now set SECRETS_ENCRYPTION_KEY to the new key on every instance before starting them.\n`,
        );
        return ExitCode.OK;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }),
  );
}

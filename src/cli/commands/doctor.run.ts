import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { Client } from 'pg';
import { SecretBox } from '../../common/crypto/secret-box';
import { AppConfig, ConfigurationError, loadConfig } from '../../config/app-config';
import { MIGRATIONS } from '../../database/migrations';
import { CliIo, ExitCode, ParsedArgs } from '../cli-command';
import { withClient } from '../database-client';

type Level = 'ok' | 'warn' | 'FAIL';

class Report {
  readonly lines: Array<{ level: Level; text: string }> = [];
  add(level: Level, text: string): void {
    this.lines.push({ level, text });
  }
  get failures(): number {
    return this.lines.filter((line) => line.level === 'FAIL').length;
  }
}

/**
 * The configuration as the app would load it. Invalid variables are reported, then left
 * out so that the other checks still run.
 */
function configWithProblems(env: NodeJS.ProcessEnv, report: Report): AppConfig {
  const tried: NodeJS.ProcessEnv = { ...env, LOG_LEVEL: 'silent' };
  for (let attempt = 0; attempt < 20; attempt += 1) {
    try {
      const config = loadConfig(tried);
      if (attempt === 0) report.add('ok', 'configuration: every variable is valid');
      return config;
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      for (const problem of error.problems) report.add('FAIL', `configuration: ${problem}`);
      const names = error.problems.map((problem) => problem.split(':')[0]);
      // JWT_SECRET missing in production: check the rest as development would.
      if (names.includes('JWT_SECRET') && !tried.JWT_SECRET) tried.NODE_ENV = 'development';
      for (const name of names) delete tried[name];
    }
  }
  return loadConfig({ LOG_LEVEL: 'silent' });
}

function checkConfiguration(env: NodeJS.ProcessEnv, config: AppConfig, report: Report): void {
  if (env.NODE_ENV === 'production') report.add('ok', 'NODE_ENV=production');
  else
    report.add(
      'FAIL',
      `NODE_ENV is ${env.NODE_ENV ? `"${env.NODE_ENV}"` : 'unset'}: set NODE_ENV=production`,
    );
  if (env.JWT_SECRET && !config.auth.jwtSecretGenerated) report.add('ok', 'JWT_SECRET is set');
  else if (!env.JWT_SECRET) {
    report.add(
      'FAIL',
      'JWT_SECRET is not set: openssl rand -base64 48 (the same on every instance)',
    );
  }
  if (!env.PUBLIC_BASE_URL) {
    report.add('FAIL', 'PUBLIC_BASE_URL is not set: certificate QR codes would point to localhost');
  } else if (!env.PUBLIC_BASE_URL.startsWith('https://')) {
    report.add('warn', `PUBLIC_BASE_URL is not https: ${env.PUBLIC_BASE_URL}`);
  } else {
    report.add('ok', `PUBLIC_BASE_URL: ${env.PUBLIC_BASE_URL}`);
  }
  if (!config.database.url) {
    report.add(
      'FAIL',
      'DATABASE_URL is not set: the embedded PostgreSQL is for development; name your PostgreSQL 14+ server',
    );
  }
}

/** As the signing service publishes it (SPKI DER, base64); not imported, to keep doctor light. */
const publicKeyBase64 = (key: KeyObject) =>
  (createPublicKey(key).export({ format: 'der', type: 'spki' }) as Buffer).toString('base64');

function readSigningKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----BEGIN')
    ? createPrivateKey(trimmed)
    : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`an ${key.asymmetricKeyType} key, not Ed25519`);
  return key;
}

function checkWhatsApp(config: AppConfig, report: Report): void {
  const w = config.whatsapp;
  if (w.accessToken) report.add('ok', 'WhatsApp: WHATSAPP_ACCESS_TOKEN is set');
  else
    report.add(
      'FAIL',
      'WhatsApp: WHATSAPP_ACCESS_TOKEN is not set: messages to residents are only logged',
    );
  if (w.appSecret)
    report.add('ok', 'WhatsApp: WHATSAPP_APP_SECRET is set (webhook signatures are checked)');
  else
    report.add('FAIL', 'WhatsApp: WHATSAPP_APP_SECRET is not set: every webhook POST is refused');
  if (w.verifyToken) report.add('ok', 'WhatsApp: WHATSAPP_VERIFY_TOKEN is set');
  else
    report.add(
      'FAIL',
      'WhatsApp: WHATSAPP_VERIFY_TOKEN is not set: the webhook subscription cannot be verified',
    );
  if (config.sms.provider === 'log')
    report.add(
      'warn',
      'SMS: no SMS provider (SMS_PROVIDER=log); SMS messages are written to the log',
    );
  else report.add('ok', `SMS: ${config.sms.provider} (sender ${config.sms.senderId})`);
}

async function checkDatabase(client: Client, config: AppConfig, report: Report): Promise<void> {
  const { rows: version } = await client.query<{
    server_version_num: string;
    server_version: string;
  }>(
    `SELECT current_setting('server_version_num') AS server_version_num, current_setting('server_version') AS server_version`,
  );
  const major = Math.floor(Number(version[0].server_version_num) / 10000);
  report.add(
    major >= 14 ? 'ok' : 'FAIL',
    `database: PostgreSQL ${version[0].server_version}${major >= 14 ? '' : ' (14 or newer needed)'}`,
  );

  const { rows: table } = await client.query(`SELECT to_regclass('public.migrations') AS t`);
  const applied = table[0].t
    ? (await client.query<{ name: string }>(`SELECT name FROM migrations`)).rows.map((r) => r.name)
    : [];
  const known = MIGRATIONS.map((m) => m.name);
  const pending = known.filter((name) => !applied.includes(name));
  const unknown = applied.filter((name) => !known.includes(name));
  if (pending.length) {
    report.add(
      'FAIL',
      `migrations: ${pending.length} of ${known.length} not applied (${pending.join(', ')}): start the app or run node dist/cli.js migrate`,
    );
  } else {
    report.add('ok', `migrations: all ${known.length} applied`);
  }
  if (unknown.length) {
    report.add(
      'FAIL',
      `migrations: the database has ${unknown.join(', ')}, unknown to this build (an older build on a newer database)`,
    );
  }
  if (!table[0].t || pending.length) {
    report.add('warn', 'municipalities, keys and secrets not checked: the schema is not current');
    return;
  }

  const { rows: municipalities } = await client.query<{ code: string; admins: number }>(
    `SELECT m.code, count(a.id)::int AS admins
       FROM municipalities m
       LEFT JOIN staff_role_grants g ON g.municipality_id = m.id AND g.role = 'MUNICIPAL_ADMIN'
       LEFT JOIN staff_accounts a ON a.id = g.account_id AND a.active
      GROUP BY m.code ORDER BY m.code`,
  );
  if (!municipalities.length) {
    report.add('FAIL', 'municipalities: none: create one with node dist/cli.js bootstrap');
  }
  for (const m of municipalities) {
    if (m.admins > 0)
      report.add('ok', `municipality ${m.code}: ${m.admins} active administrator(s)`);
    else
      report.add(
        'FAIL',
        `municipality ${m.code}: no active administrator: node dist/cli.js create-admin --municipality ${m.code} ...`,
      );
  }

  const { rows: keys } = await client.query<{ key_id: string; public_key: string }>(
    `SELECT key_id, public_key FROM certificate_signing_keys ORDER BY created_at`,
  );
  const { signingKey, keyId } = config.certificates;
  if (signingKey) {
    try {
      const publicKey = publicKeyBase64(readSigningKey(signingKey));
      const stored = keys.find((k) => k.key_id === keyId);
      if (stored && stored.public_key !== publicKey) {
        report.add(
          'FAIL',
          `signing key: key id ${keyId} is published for another key: rotate to a new id (rotate-signing-key)`,
        );
      } else {
        report.add(
          'ok',
          `signing key: ${keyId} (Ed25519)${stored ? '' : ', published at the next start'}; ${keys.length} key(s) published`,
        );
      }
    } catch (error) {
      report.add(
        'FAIL',
        `signing key: CERTIFICATE_SIGNING_KEY is not a usable Ed25519 private key (${(error as Error).message})`,
      );
    }
  } else {
    report.add(
      'FAIL',
      'signing key: CERTIFICATE_SIGNING_KEY is not set: no certificate can be issued (rotate-signing-key --out FILE makes one)',
    );
  }

  const { rows: secrets } = await client.query<{ secret: string }>(
    `SELECT secret FROM webhook_endpoints`,
  );
  const sealed = secrets.filter((s) => SecretBox.isSealed(s.secret));
  const box = config.webhooks.secretsKey ? new SecretBox(config.webhooks.secretsKey) : null;
  if (!box) {
    report.add(
      'FAIL',
      sealed.length
        ? `encryption key: SECRETS_ENCRYPTION_KEY is not set but ${sealed.length} webhook secrets are sealed: the app will not start without the key they were sealed with`
        : 'encryption key: SECRETS_ENCRYPTION_KEY is not set: webhook secrets would be stored readable (openssl rand -base64 32)',
    );
  } else {
    const unopened = sealed.filter((s) => {
      try {
        box.open(s.secret, 'webhook_endpoints.secret');
        return false;
      } catch {
        return true;
      }
    });
    if (unopened.length) {
      report.add(
        'FAIL',
        `encryption key: SECRETS_ENCRYPTION_KEY does not open ${unopened.length} of ${sealed.length} sealed webhook secrets (another key?)`,
      );
    } else {
      report.add('ok', `encryption key: set; opens the ${sealed.length} sealed webhook secret(s)`);
    }
  }

  const { rows: helplines } = await client.query<{ n: number; total: number }>(
    `SELECT count(*) FILTER (WHERE whatsapp_phone_number_id IS NOT NULL)::int AS n, count(*)::int AS total FROM wards WHERE active`,
  );
  if (helplines[0].total > 0 && helplines[0].n === 0) {
    report.add(
      'warn',
      'WhatsApp: no ward has a helpline phone_number_id yet (updateWard whatsappPhoneNumberId)',
    );
  } else if (helplines[0].total > 0) {
    report.add(
      'ok',
      `WhatsApp: ${helplines[0].n} of ${helplines[0].total} wards have a helpline number`,
    );
  }
}

export async function runDoctor(io: CliIo): Promise<ExitCode> {
  const report = new Report();
  const config = configWithProblems(io.env, report);
  checkConfiguration(io.env, config, report);
  checkWhatsApp(config, report);
  if (config.database.url) {
    try {
      await withClient(config.database.url, async (client) => {
        report.add('ok', `database: reachable at ${new URL(config.database.url!).host}`);
        await checkDatabase(client, config, report);
      });
    } catch (error) {
      report.add('FAIL', `database: ${(error as Error).message}`);
    }
  }
  for (const line of report.lines) io.out(`${line.level.padEnd(4)}  ${line.text}\n`);
  const failures = report.failures;
  io.out(
    failures
      ? `\n${failures} thing(s) missing or wrong for production (the FAIL lines).\n`
      : '\nNothing missing for production.\n',
  );
  return failures ? ExitCode.REFUSED : ExitCode.OK;
}

/** `doctor`: what the command does. */
export function run(_args: ParsedArgs, io: CliIo): Promise<ExitCode> {
  return runDoctor(io);
}

import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { systemActor } from '../src/audit/audit-actor';
import { StaffAccountsService } from '../src/auth/staff-accounts.service';
import { StaffRole } from '../src/common/access/staff-role';
import { MunicipalitiesService } from '../src/wards/municipalities.service';
import { withApp, withDatabase } from './script-runtime';

const USAGE = `usage: npm run account:create-admin -- --municipality BSR --username NAME --display-name "Full Name" [--phone +91...]
The password is read from standard input (or DUARE_ADMIN_PASSWORD).`;

async function readPassword(): Promise<string> {
  if (process.env.DUARE_ADMIN_PASSWORD) return process.env.DUARE_ADMIN_PASSWORD;
  if (process.stdin.isTTY) process.stdout.write('Password: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Creates a municipality administrator: how a production deployment gets its first account. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      municipality: { type: 'string' },
      username: { type: 'string' },
      'display-name': { type: 'string' },
      phone: { type: 'string' },
    },
  });
  if (!values.municipality || !values.username || !values['display-name']) throw new Error(USAGE);
  const password = await readPassword();
  const result = await withDatabase(false, (context) =>
    withApp(context, async (app) => {
      const municipality = await app
        .get(MunicipalitiesService)
        .findByCode(values.municipality ?? '');
      if (!municipality) throw new Error(`No municipality with code ${values.municipality}`);
      return app.get(StaffAccountsService).createInMunicipality(
        municipality.id,
        {
          username: values.username ?? '',
          displayName: values['display-name'] ?? '',
          phone: values.phone ?? null,
          password,
          roles: [{ role: StaffRole.MUNICIPAL_ADMIN, wardId: null }],
        },
        systemActor('create-admin-script', 'create-admin script'),
      );
    }),
  );
  if (!result.account) {
    throw new Error(result.errors.map((e) => `${e.field}: ${e.message}`).join('\n'));
  }
  process.stdout.write(`created administrator ${result.account.username}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

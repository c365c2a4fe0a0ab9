import { DataSource } from 'typeorm';
import { systemActor } from '../../audit/audit-actor';
import { StaffAccountsService } from '../../auth/staff-accounts.service';
import { StaffRole } from '../../common/access/staff-role';
import { adminFromArgs, checkPassword, refuseTakenLogin } from '../admin-account';
import {
  CliError,
  CliIo,
  ExitCode,
  ParsedArgs,
  describeErrors,
  requiredText,
} from '../cli-command';
import { loadCliConfig, withCliApp } from '../cli-runtime';
import { readNewPassword } from '../password-input';

/** The municipality with this code; otherwise the error names the ones that exist. */
export async function findMunicipality(
  dataSource: DataSource,
  code: string,
): Promise<{ id: string; code: string }> {
  const rows = (await dataSource.query(
    `SELECT id, code FROM municipalities ORDER BY code`,
  )) as Array<{
    id: string;
    code: string;
  }>;
  const found = rows.find((row) => row.code === code);
  if (found) return found;
  throw new CliError(
    `No municipality with code ${code}` +
      (rows.length
        ? ` (this database has: ${rows.map((r) => r.code).join(', ')})`
        : ' (this database has none yet: create it with node dist/cli.js bootstrap)'),
  );
}

/** `create-admin`: what the command does once its arguments are parsed. */
export async function run(args: ParsedArgs, io: CliIo): Promise<ExitCode> {
  const code = requiredText(args, 'municipality').toUpperCase();
  const admin = adminFromArgs(args, '');
  const config = loadCliConfig(io);
  const password = await readNewPassword(io);
  checkPassword(password, admin);
  return withCliApp(config, async (app) => {
    const dataSource = app.get(DataSource);
    const municipality = await findMunicipality(dataSource, code);
    await refuseTakenLogin(dataSource, admin);
    const result = await app
      .get(StaffAccountsService)
      .createInMunicipality(
        municipality.id,
        { ...admin, password, roles: [{ role: StaffRole.MUNICIPAL_ADMIN, wardId: null }] },
        systemActor('cli-create-admin', 'create-admin command'),
      );
    if (!result.account) {
      throw new CliError(`The administrator is refused:\n${describeErrors(result.errors)}`);
    }
    io.out(`created administrator ${result.account.username} in ${code}\n`);
    return ExitCode.OK;
  });
}

import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { systemActor } from '../../audit/audit-actor';
import { StaffAccountsService } from '../../auth/staff-accounts.service';
import { StaffRole } from '../../common/access/staff-role';
import { validateInput } from '../../common/validation/validate-input';
import { createMunicipalitySchema } from '../../wards/dto/ward-input.schemas';
import { CreateWardInput } from '../../wards/dto/create-ward.input';
import { MunicipalitiesService } from '../../wards/municipalities.service';
import { WardsService } from '../../wards/wards.service';
import { adminFromArgs, checkPassword, refuseTakenLogin } from '../admin-account';
import {
  CliError,
  CliIo,
  ExitCode,
  ParsedArgs,
  UsageError,
  describeErrors,
  optionalText,
  requiredText,
  wholeNumber,
} from '../cli-command';
import { loadCliConfig, withCliApp } from '../cli-runtime';
import { readNewPassword } from '../password-input';
import { numberedWards, parseWardsFile } from '../wards-file';

const BY = systemActor('cli-bootstrap', 'bootstrap command');

function wardsFromArgs(args: ParsedArgs): CreateWardInput[] {
  const count = args.values.wards;
  const file = args.values['wards-file'];
  if (count !== undefined && file !== undefined) {
    throw new UsageError('give either --wards COUNT or --wards-file FILE, not both');
  }
  if (count === undefined && file === undefined) {
    throw new UsageError('--wards COUNT or --wards-file FILE is required');
  }
  const vacantText = optionalText(args, 'vacant-wards');
  if (file !== undefined) {
    if (vacantText)
      throw new UsageError(
        '--vacant-wards goes with --wards; in a wards file use councillor_status',
      );
    const path = requiredText(args, 'wards-file');
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new UsageError(`Cannot read the wards file ${path}: ${(error as Error).message}`);
    }
    return parseWardsFile(text);
  }
  const wards = wholeNumber(String(count), '--wards', 1, 999);
  const vacant = (vacantText ?? '')
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => wholeNumber(part, '--vacant-wards', 1, 999));
  return numberedWards(wards, vacant);
}

/** Re-running is safe: an existing municipality is described, never changed. */
async function refuseExistingMunicipality(dataSource: DataSource, code: string): Promise<void> {
  const [existing] = (await dataSource.query(
    `SELECT m.code, m.name_en, m.created_at,
            (SELECT count(*)::int FROM wards w WHERE w.municipality_id = m.id) AS wards,
            (SELECT string_agg(DISTINCT a.username, ', ' ORDER BY a.username)
               FROM staff_accounts a JOIN staff_role_grants g ON g.account_id = a.id
              WHERE a.municipality_id = m.id AND g.role = 'MUNICIPAL_ADMIN') AS admins
       FROM municipalities m WHERE m.code = $1`,
    [code],
  )) as Array<{
    code: string;
    name_en: string;
    created_at: Date;
    wards: number;
    admins: string | null;
  }>;
  if (!existing) return;
  throw new CliError(
    `Municipality ${existing.code} (${existing.name_en}) already exists since ` +
      `${existing.created_at.toISOString().slice(0, 10)}, with ${existing.wards} wards and ` +
      `administrator(s): ${existing.admins ?? 'none'}. Nothing was changed.\n` +
      `To add an administrator: node dist/cli.js create-admin --municipality ${existing.code} ...`,
  );
}

/** `bootstrap`: what the command does once its arguments are parsed. */
export async function run(args: ParsedArgs, io: CliIo): Promise<ExitCode> {
  const municipalityInput = {
    code: requiredText(args, 'municipality').toUpperCase(),
    nameEn: requiredText(args, 'name-en'),
    nameBn: requiredText(args, 'name-bn'),
    district: requiredText(args, 'district'),
    state: optionalText(args, 'state') ?? 'West Bengal',
  };
  const checked = validateInput(createMunicipalitySchema, municipalityInput);
  if (!checked.ok) {
    throw new UsageError(
      `Invalid municipality:\n${describeErrors(checked.errors, {
        code: '--municipality',
        nameEn: '--name-en',
        nameBn: '--name-bn',
        district: '--district',
        state: '--state',
      })}`,
    );
  }
  const wards = wardsFromArgs(args);
  const admin = adminFromArgs(args, 'admin-');
  const config = loadCliConfig(io);
  const password = await readNewPassword(io);
  checkPassword(password, admin);

  return withCliApp(config, async (app) => {
    const dataSource = app.get(DataSource);
    const municipalities = app.get(MunicipalitiesService);
    await refuseExistingMunicipality(dataSource, municipalityInput.code);
    await refuseTakenLogin(dataSource, admin);
    const created = await dataSource.transaction(async (manager) => {
      const made = await municipalities.create(municipalityInput, BY, manager);
      if (!made.municipality) {
        throw new CliError(`The municipality is refused:\n${describeErrors(made.errors)}`);
      }
      const municipalityId = made.municipality.id;
      for (const ward of wards) {
        const result = await app
          .get(WardsService)
          .createInMunicipality(municipalityId, ward, BY, manager);
        if (!result.ward) {
          throw new CliError(`Ward ${ward.number} is refused:\n${describeErrors(result.errors)}`);
        }
      }
      const account = await app
        .get(StaffAccountsService)
        .createInMunicipality(
          municipalityId,
          { ...admin, password, roles: [{ role: StaffRole.MUNICIPAL_ADMIN, wardId: null }] },
          BY,
          manager,
        );
      if (!account.account) {
        throw new CliError(`The administrator is refused:\n${describeErrors(account.errors)}`);
      }
      return { municipality: made.municipality, account: account.account };
    });
    const vacant = wards.filter((w) => w.councillorStatus === 'VACANT').map((w) => w.number);
    io.out(
      `Created municipality ${created.municipality.code} (${created.municipality.nameEn} / ${created.municipality.nameBn})\n` +
        `  wards: ${wards.length}${vacant.length ? ` (without a councillor: ${vacant.join(', ')})` : ''}\n` +
        `  administrator: ${created.account.username} (MUNICIPAL_ADMIN)\n` +
        `Next: start the app and sign in as ${created.account.username} (signIn mutation), then create\n` +
        `coordinators with createStaffAccount. Check the deployment with: node dist/cli.js doctor\n`,
    );
    return ExitCode.OK;
  });
}

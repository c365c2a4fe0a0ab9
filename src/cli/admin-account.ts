import { DataSource } from 'typeorm';
import { passwordWeakness } from '../auth/password';
import { validateInput } from '../common/validation/validate-input';
import { createStaffAccountSchema } from '../auth/dto/staff-account-input.schemas';
import {
  CliError,
  describeErrors,
  ParsedArgs,
  requiredText,
  optionalText,
  UsageError,
} from './cli-command';

export interface AdminInput {
  username: string;
  displayName: string;
  phone: string | null;
}

/** The administrator's details from the options, checked as `createStaffAccount` checks them. */
export function adminFromArgs(args: ParsedArgs, prefix: '' | 'admin-'): AdminInput {
  const admin = {
    username: requiredText(args, `${prefix}username`),
    displayName: requiredText(args, `${prefix}display-name`),
    phone: optionalText(args, `${prefix}phone`) ?? null,
  };
  const checked = validateInput(createStaffAccountSchema, { ...admin, password: '', roles: [] });
  if (!checked.ok) {
    const names = {
      username: `--${prefix}username`,
      displayName: `--${prefix}display-name`,
      phone: `--${prefix}phone`,
    };
    const relevant = checked.errors.filter((e) => e.field && e.field in names);
    if (relevant.length)
      throw new UsageError(`Invalid administrator:\n${describeErrors(relevant, names)}`);
  }
  return { ...admin, username: admin.username.toLowerCase() };
}

/** Refuses a weak password before anything is written (the service checks it again). */
export function checkPassword(password: string, admin: AdminInput): void {
  const weakness = passwordWeakness(password, [admin.username, admin.phone ?? '']);
  if (weakness) throw new CliError(`password: ${weakness}; nothing was changed`);
}

/** Usernames and phone numbers are unique across the deployment: name the holder. */
export async function refuseTakenLogin(dataSource: DataSource, admin: AdminInput): Promise<void> {
  const rows = (await dataSource.query(
    `SELECT a.username, a.phone, m.code
       FROM staff_accounts a JOIN municipalities m ON m.id = a.municipality_id
      WHERE a.username = $1 OR ($2::text IS NOT NULL AND a.phone = $2)`,
    [admin.username, normalisedPhone(admin.phone)],
  )) as Array<{ username: string; phone: string | null; code: string }>;
  const byName = rows.find((row) => row.username === admin.username);
  if (byName) {
    throw new CliError(
      `A staff account named ${admin.username} already exists (municipality ${byName.code}); nothing was changed`,
    );
  }
  if (rows.length) {
    throw new CliError(
      `The phone number is already the login of ${rows[0].username} (municipality ${rows[0].code}); nothing was changed`,
    );
  }
}

function normalisedPhone(phone: string | null): string | null {
  if (!phone) return null;
  const checked = validateInput(createStaffAccountSchema.pick({ phone: true }), { phone });
  return checked.ok ? (checked.value.phone ?? null) : null;
}

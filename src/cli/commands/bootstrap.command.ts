import { CliCommand } from '../cli-command';
import { WARD_FILE_COLUMNS } from '../wards-file-columns';

const HELP = `usage: node dist/cli.js bootstrap --municipality CODE --name-en NAME --name-bn NAME
         --district NAME [--state NAME] (--wards COUNT | --wards-file FILE.csv)
         [--vacant-wards 5,12] --admin-username NAME --admin-display-name NAME [--admin-phone PHONE]

Creates a municipality, its wards and its first administrator (MUNICIPAL_ADMIN), in one
transaction: all of it, or nothing. Migrates the database first if needed.

  --municipality CODE        2 to 8 capital Latin letters (BSR); the certificate numbers carry it
  --name-en, --name-bn       the municipality's name in English and in Bengali
  --district, --state        where it is (--state defaults to "West Bengal")
  --wards COUNT              wards numbered 1..COUNT, named "Ward 7" / "ওয়ার্ড ৭" (Bengali digits
                             are accepted: ২৩)
  --vacant-wards LIST        with --wards: the wards without a councillor (comma-separated)
  --wards-file FILE.csv      instead of --wards: one ward per row, header first, UTF-8:
                               ${WARD_FILE_COLUMNS.required.join(',')} (required),
                               ${WARD_FILE_COLUMNS.optional.join(',')}
                             councillor_status is ELECTED (default) or VACANT
  --admin-username NAME      3–64 of a–z, 0–9, dot, dash, underscore
  --admin-display-name NAME  the administrator's full name
  --admin-phone PHONE        optional; also a login (any local form, +91...)

The password is never an argument: type it at the prompt, pipe it on standard input
(printf '%s' "$PASSWORD" | node dist/cli.js bootstrap ...) or set DUARE_ADMIN_PASSWORD.

Safe to re-run: when the municipality code or the administrator's login exists already it
changes nothing, says what exists, and exits 1.
Exit codes: 0 created; 1 refused (exists); 2 wrong use or invalid input; 3 configuration or
database unusable.`;

/** Metadata only: the command's code (and the whole app) loads when it runs. */
export const bootstrapCommand: CliCommand = {
  name: 'bootstrap',
  summary: 'create a municipality, its wards and its first administrator (one transaction)',
  help: HELP,
  options: {
    municipality: { type: 'string' },
    'name-en': { type: 'string' },
    'name-bn': { type: 'string' },
    district: { type: 'string' },
    state: { type: 'string' },
    wards: { type: 'string' },
    'wards-file': { type: 'string' },
    'vacant-wards': { type: 'string' },
    'admin-username': { type: 'string' },
    'admin-display-name': { type: 'string' },
    'admin-phone': { type: 'string' },
  },
  run: async (args, io) => (await import('./bootstrap.run')).run(args, io),
};

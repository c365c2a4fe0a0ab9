import { CliCommand } from '../cli-command';

const HELP = `usage: node dist/cli.js import-residents FILE.csv --municipality CODE

Registers residents from a municipal list (UTF-8 CSV, header first), as POST
/imports/residents does for an administrator: rows are checked one by one, a resident
already known (same phone; without one, same name, guardian, holding and ward) is
"matched", not added again, so the same file can be imported twice.

Columns: ward_number, full_name (required), alt_name, guardian_name, guardian_relation,
guardian_name_en, address_en (the Latin forms certificates print in English), phone,
whatsapp_id, house_number, locality, street, landmark, post_office, pin_code,
preferred_language, date_of_birth (docs/integration.md).
ward_number names a ward of the municipality (Bengali digits are accepted).

Exit codes: 0 every row imported or matched; 1 some rows rejected (listed; the others are
stored) or no such municipality; 2 wrong use or a file that is not a valid CSV (nothing
stored); 3 configuration or database unusable.`;

/** Metadata only: the command's code (and the whole app) loads when it runs. */
export const importResidentsCommand: CliCommand = {
  name: 'import-residents',
  summary: 'register residents from a CSV file',
  help: HELP,
  options: { municipality: { type: 'string' } },
  positionals: 1,
  run: async (args, io) => (await import('./import-residents.run')).run(args, io),
};

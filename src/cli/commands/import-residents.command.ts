import { createReadStream, statSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { systemActor } from '../../audit/audit-actor';
import {
  BadCsvError,
  OPTIONAL_COLUMNS,
  REQUIRED_COLUMNS,
  ResidentImportService,
} from '../../residents/resident-import.service';
import { CliCommand, CliError, ExitCode, requiredText, UsageError } from '../cli-command';
import { loadCliConfig, withCliApp } from '../cli-runtime';
import { findMunicipality } from './create-admin.command';

const HELP = `usage: node dist/cli.js import-residents FILE.csv --municipality CODE

Registers residents from a municipal list (UTF-8 CSV, header first), as POST
/imports/residents does for an administrator: rows are checked one by one, a resident
already known (same phone; without one, same name, guardian, holding and ward) is
"matched", not added again, so the same file can be imported twice.

Columns: ${REQUIRED_COLUMNS.join(', ')} (required), ${OPTIONAL_COLUMNS.join(', ')}.
ward_number names a ward of the municipality (Bengali digits are accepted).

Exit codes: 0 every row imported or matched; 1 some rows rejected (listed; the others are
stored) or no such municipality; 2 wrong use or a file that is not a valid CSV (nothing
stored); 3 configuration or database unusable.`;

const LISTED = 50;

export const importResidentsCommand: CliCommand = {
  name: 'import-residents',
  summary: 'register residents from a CSV file',
  help: HELP,
  options: { municipality: { type: 'string' } },
  positionals: 1,
  async run(args, io) {
    const file = args.positionals[0];
    if (!file || file.trim() === '') throw new UsageError('the CSV file is required');
    const code = requiredText(args, 'municipality').toUpperCase();
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
    } catch (error) {
      throw new UsageError(`Cannot read ${file}: ${(error as Error).message}`);
    }
    const config = loadCliConfig(io);
    return withCliApp(config, async (app) => {
      const municipality = await findMunicipality(app.get(DataSource), code);
      let result;
      try {
        result = await app
          .get(ResidentImportService)
          .importInMunicipality(
            municipality.id,
            { allWards: true },
            systemActor('cli-import-residents', 'import-residents command'),
            createReadStream(file),
          );
      } catch (error) {
        if (error instanceof BadCsvError)
          throw new UsageError(`${file}: ${error.message}; nothing was stored`);
        if ((error as { code?: string })?.code?.startsWith?.('CSV_')) {
          throw new UsageError(
            `${file} is not valid CSV: ${(error as Error).message}; nothing was stored`,
          );
        }
        throw error;
      }
      io.out(
        `${file}: ${result.rows} rows, ${result.created} residents created, ${result.matched} already known, ` +
          `${result.rejectedCount} rejected\n`,
      );
      for (const rejected of result.rejected.slice(0, LISTED)) {
        io.out(
          `  row ${rejected.row}: ${rejected.errors.map((e) => `${e.field ?? ''}: ${e.message}`).join('; ')}\n`,
        );
      }
      if (result.rejectedCount > LISTED)
        io.out(`  ... and ${result.rejectedCount - LISTED} more\n`);
      if (result.rejectedCount > 0) {
        throw new CliError(
          `${result.rejectedCount} rows were rejected; fix them and import the file again`,
        );
      }
      return ExitCode.OK;
    });
  },
};

import { createReadStream, statSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { systemActor } from '../../audit/audit-actor';
import { BadCsvError, ResidentImportService } from '../../residents/resident-import.service';
import { CliError, CliIo, ExitCode, ParsedArgs, UsageError, requiredText } from '../cli-command';
import { loadCliConfig, withCliApp } from '../cli-runtime';
import { findMunicipality } from './create-admin.run';

const LISTED = 50;

/** `import-residents`: what the command does once its arguments are parsed. */
export async function run(args: ParsedArgs, io: CliIo): Promise<ExitCode> {
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
    if (result.rejectedCount > LISTED) io.out(`  ... and ${result.rejectedCount - LISTED} more\n`);
    if (result.rejectedCount > 0) {
      throw new CliError(
        `${result.rejectedCount} rows were rejected; fix them and import the file again`,
      );
    }
    return ExitCode.OK;
  });
}

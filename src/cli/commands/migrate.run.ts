import { CliIo, ExitCode, ParsedArgs } from '../cli-command';
import { describeDatabase, loadCliConfig, withMigratedDatabase } from '../cli-runtime';

/** `migrate`: what the command does once its arguments are parsed. */
export async function run(_args: ParsedArgs, io: CliIo): Promise<ExitCode> {
  const config = loadCliConfig(io);
  await withMigratedDatabase(config, async () => undefined);
  io.out(`Database ${describeDatabase(config)} is migrated\n`);
  return ExitCode.OK;
}

import { CliCommand, CliError, CliIo, ExitCode, parseCommandArgs, UsageError } from './cli-command';
import { bootstrapCommand } from './commands/bootstrap.command';
import { createAdminCommand } from './commands/create-admin.command';
import { doctorCommand } from './commands/doctor.command';
import { importResidentsCommand } from './commands/import-residents.command';
import { migrateCommand } from './commands/migrate.command';
import { rotateSecretsKeyCommand } from './commands/rotate-secrets-key.command';
import { rotateSigningKeyCommand } from './commands/rotate-signing-key.command';

export const COMMANDS: CliCommand[] = [
  bootstrapCommand,
  createAdminCommand,
  importResidentsCommand,
  doctorCommand,
  migrateCommand,
  rotateSigningKeyCommand,
  rotateSecretsKeyCommand,
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: node dist/cli.js <command> [options]      (development: npm run cli -- <command>)',
    '',
    "Duare's operator commands. They read the same environment as the app (DATABASE_URL,",
    'CERTIFICATE_*, SECRETS_ENCRYPTION_KEY, ...); see docs/operations.md.',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'node dist/cli.js <command> --help   explains a command.',
    'Exit codes: 0 done; 1 refused or failed; 2 wrong use; 3 configuration or database unusable.',
  ].join('\n');
}

/** Runs one command line; never throws: every failure becomes a message and an exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    io.out(`${topic ? topic.help : overview()}\n`);
    return name === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`Unknown command: ${name}\n\n${overview()}\n`);
    return ExitCode.USAGE;
  }
  try {
    const args = parseCommandArgs(command, rest);
    if (args.values.help) {
      io.out(`${command.help}\n`);
      return ExitCode.OK;
    }
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${command.name}: ${error.message}\nSee: node dist/cli.js ${command.name} --help\n`);
      return error.exitCode;
    }
    if (error instanceof CliError) {
      io.err(`${command.name}: ${error.message}\n`);
      return error.exitCode;
    }
    io.err(
      `${command.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return ExitCode.REFUSED;
  }
}

/** The process's own streams and environment. */
export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
  };
}

import { toAsciiDigits } from '../common/text/digits';
import { Readable } from 'node:stream';
import { parseArgs, ParseArgsConfig } from 'node:util';

/**
 * Exit codes of `node dist/cli.js`, the same for every command (docs/operations.md):
 * 0 done; 1 refused or failed (nothing was changed: it exists already, it is not found, a
 * check failed); 2 wrong use (unknown command or option, a missing or malformed value);
 * 3 the environment is not usable (invalid configuration, database unreachable).
 */
export enum ExitCode {
  OK = 0,
  REFUSED = 1,
  USAGE = 2,
  ENVIRONMENT = 3,
}

/** A failure the operator can act on: printed as it is, without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.REFUSED,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.USAGE);
    this.name = 'UsageError';
  }
}

/** Where a command reads and writes: the process's streams, or a test's. */
export interface CliIo {
  stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CliCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text. */
  help: string;
  options: OptionSpec;
  /** Positional arguments allowed (0 when none). */
  positionals?: number;
  run(args: ParsedArgs, io: CliIo): Promise<ExitCode>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses a command's arguments strictly: unknown options and missing values are usage errors. */
export function parseCommandArgs(command: CliCommand, argv: string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    const allowed = command.positionals ?? 0;
    if (!values.help && positionals.length > allowed) {
      throw new UsageError(
        allowed === 0
          ? `unexpected argument: ${positionals[0]}`
          : `too many arguments: ${positionals.slice(allowed).join(' ')}`,
      );
    }
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    if (error instanceof CliError) throw error;
    // node:util's messages name the option ("Unknown option '--x'", "Option '--y <value>'
    // argument missing"); they are usage errors.
    throw new UsageError((error as Error).message.split('. To specify')[0]);
  }
}

/** A text option that must be given and not blank. */
export function requiredText(args: ParsedArgs, name: string): string {
  const value = args.values[name];
  if (value === undefined) throw new UsageError(`--${name} is required`);
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`--${name} must not be empty`);
  }
  return value.trim();
}

export function optionalText(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`--${name} must not be empty`);
  }
  return value.trim();
}

/** A whole number written with ASCII or Bengali digits (`23`, `২৩`). */
export function wholeNumber(text: string, what: string, min: number, max: number): number {
  const digits = toAsciiDigits(text.trim());
  if (!/^\d+$/.test(digits)) {
    throw new UsageError(`${what} must be a whole number between ${min} and ${max}, not "${text}"`);
  }
  const value = Number(digits);
  if (value < min || value > max) {
    throw new UsageError(`${what} must be between ${min} and ${max}, not ${value}`);
  }
  return value;
}

/** Field errors from a service's payload, one per line. */
export function describeErrors(
  errors: Array<{ field?: string | null; message: string }>,
  fieldNames: Record<string, string> = {},
): string {
  return errors
    .map((e) => `  ${e.field ? `${fieldNames[e.field] ?? e.field}: ` : ''}${e.message}`)
    .join('\n');
}

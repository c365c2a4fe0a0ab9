import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/**
 * Keys whose values are personal data or secrets. They are replaced wherever they
 * appear one or two levels deep in a log line (pino's fast-redact needs explicit paths).
 */
const SENSITIVE_KEYS = [
  'authorization',
  'cookie',
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'apiKey',
  'phone',
  'phoneNumber',
  'whatsappNumber',
  'waId',
  'name',
  'fullName',
  'profileName',
  'guardianName',
  'address',
  'variables',
  'parameters',
  'query',
];

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature-256"]',
  ...SENSITIVE_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];

export interface LoggerOptions {
  /**
   * One coloured line per entry (pino-pretty, a development dependency) instead of JSON:
   * for a developer's terminal. Falls back to JSON when pino-pretty is not installed.
   */
  pretty?: boolean;
}

/** A terminal in development reads pretty lines; anything else (files, collectors) JSON. */
export function wantsPrettyLogs(env: string, stdoutIsTTY: boolean | undefined): boolean {
  return env === 'development' && stdoutIsTTY === true;
}

function prettyStream(): pino.DestinationStream | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as (options: object) => pino.DestinationStream;
    // Synchronous, so the start banner written after the last line comes after it.
    return pretty({
      colorize: true,
      sync: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname,service,reqId',
    });
  } catch {
    return undefined;
  }
}

export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  options: LoggerOptions = {},
): Logger {
  return pino(
    {
      level,
      base: { service: 'duare' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        // The query string of a GET /graphql can carry variables: log the path only.
        req: (req: { id: string; method: string; url: string; ip?: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        err: pino.stdSerializers.err,
      },
    },
    destination ?? (options.pretty ? prettyStream() : undefined),
  );
}

/** Routes Nest's own log calls into the same structured pino stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  /** Nest's start-up chatter (modules loaded, every route mapped): debug, not the console. */
  log(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}

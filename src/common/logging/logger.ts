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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
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
    destination,
  );
}

/** Routes Nest's own log calls into the same structured pino stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
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

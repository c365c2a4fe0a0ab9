import { GraphQLFormattedError } from 'graphql';
import { Logger } from 'pino';
import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { levelForGraphQLCode } from '../logging/log-levels';
import { ErrorCode } from './error-code';

/** Codes whose message is safe to show: ours, plus Apollo's own request errors. */
const CLIENT_VISIBLE_CODES = new Set<string>([
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.FORBIDDEN,
  ErrorCode.NOT_FOUND,
  ErrorCode.CONFLICT,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.RATE_LIMITED,
  ErrorCode.QUERY_TOO_COSTLY,
  ErrorCode.TIMEOUT,
  ErrorCode.SERVICE_UNAVAILABLE,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

const HTTP_STATUS_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.BAD_USER_INPUT,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
  503: ErrorCode.SERVICE_UNAVAILABLE,
};

/** Connection-level failures of PostgreSQL: the client may retry later. */
function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  const message = String((error as { message?: unknown })?.message ?? '');
  return (
    code === 'ECONNREFUSED' ||
    code === '57P01' ||
    code === '57P03' ||
    message.includes('Connection terminated') ||
    // TypeORM, when the connection of a running transaction died (nothing was committed):
    // which of the two it throws depends on where in the transaction the connection went.
    error instanceof QueryRunnerAlreadyReleasedError ||
    error instanceof QueryRunnerProviderAlreadyReleasedError ||
    message.includes('timeout exceeded when trying to connect')
  );
}

/** The SQLSTATE of a PostgreSQL error, whether TypeORM wrapped it or not. */
function sqlState(error: unknown): unknown {
  return (
    (error as { driverError?: { code?: unknown }; code?: unknown })?.driverError?.code ??
    (error as { code?: unknown })?.code
  );
}

/** PostgreSQL refused the text itself (a NUL character, an invalid byte sequence). */
function isUnstorableText(error: unknown): boolean {
  const code = sqlState(error);
  return code === '22021' || code === '22P05';
}

/**
 * PostgreSQL stopped a statement at `statement_timeout` (57014) or a wait for a lock at
 * `lock_timeout` (55P03): the operation's transaction was rolled back.
 */
function isTimeout(error: unknown): boolean {
  const code = sqlState(error);
  return code === '57014' || code === '55P03';
}

/** Apollo's refusal of an automatic persisted query whose text does not match its hash. */
const APQ_HASH_MISMATCH = 'provided sha does not match query';

function codeOf(formatted: GraphQLFormattedError, original: unknown): string | undefined {
  // Apollo gives this request error no code of its own (it would show as internal).
  if (formatted.message === APQ_HASH_MISMATCH) return 'BAD_REQUEST';
  const status = (original as { originalError?: { status?: number } })?.originalError?.status;
  if (typeof status === 'number' && HTTP_STATUS_CODES[status]) return HTTP_STATUS_CODES[status];
  return formatted.extensions?.code as string | undefined;
}

/**
 * The single gate between errors and clients: known codes pass with their message;
 * everything else becomes a bare INTERNAL_SERVER_ERROR (logged here, with its stack), so
 * no stack trace, SQL text or driver message ever reaches a client.
 */
/** Extension keys our own errors set on purpose; anything else a library adds is dropped. */
const CLIENT_VISIBLE_EXTENSIONS = [
  'field',
  'retryAfterSeconds',
  'currentVersion',
  'currentStatus',
  'retryable',
  'requestedQueryCost',
  'maximumQueryCost',
];

/** graphql-js's "Did you mean …?" ending (fields, arguments, types, enum values). */
const SUGGESTION = /\s*Did you mean [\s\S]*\?\s*$/;

export interface ErrorFormatterOptions {
  /**
   * Keep graphql-js's suggestions in messages. Off whenever introspection is: an enum
   * value's suggestion (also for variables, where armor's validation-time mask does not
   * reach) would reveal the schema piece by piece.
   */
  suggestions: boolean;
}

export function createGraphQLErrorFormatter(
  logger: Logger,
  options: ErrorFormatterOptions = { suggestions: true },
) {
  const shownMessage = (message: string) =>
    options.suggestions ? message : message.replace(SUGGESTION, '');
  return (formatted: GraphQLFormattedError, original: unknown): GraphQLFormattedError => {
    const code = codeOf(formatted, original);
    const cause = (original as { originalError?: unknown })?.originalError ?? original;
    if (code && CLIENT_VISIBLE_CODES.has(code)) {
      // The caller's doing (or a limit): logged with its code, at info or warn, never error.
      logger[levelForGraphQLCode(code)]({ code, path: formatted.path }, 'GraphQL error answered');
      const extensions = formatted.extensions ?? {};
      const shown = CLIENT_VISIBLE_EXTENSIONS.filter((key) => extensions[key] !== undefined);
      return {
        message:
          formatted.message === APQ_HASH_MISMATCH
            ? 'The query does not match the sha256Hash of its persistedQuery extension'
            : shownMessage(formatted.message),
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code, ...Object.fromEntries(shown.map((key) => [key, extensions[key]])) },
      };
    }
    if (isUnstorableText(cause)) {
      return {
        message: 'The input contains characters that cannot be stored (such as NUL)',
        path: formatted.path,
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      };
    }
    if (isTimeout(cause)) {
      logger.warn({ err: cause, path: formatted.path }, 'database statement timed out');
      return {
        message:
          'The operation took longer than allowed and was stopped (its changes were not saved); retry shortly.',
        path: formatted.path,
        extensions: { code: ErrorCode.TIMEOUT, retryable: true },
      };
    }
    if (isDatabaseUnavailable(cause)) {
      logger.warn({ err: cause, path: formatted.path }, 'database unavailable');
      return {
        message: 'The service is temporarily unavailable; retry shortly.',
        path: formatted.path,
        extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retryable: true },
      };
    }
    logger.error({ err: cause, path: formatted.path }, 'unexpected error in GraphQL operation');
    return {
      message: 'Internal server error',
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

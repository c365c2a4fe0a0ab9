import type { Level } from 'pino';

/**
 * How loud a failure is in the log: what the caller caused (a wrong id, a stale version, a
 * bad input, a wrong password) is routine — `info`, or `warn` where a run of them may be an
 * attack (credentials, permissions, limits) — and only our own faults are `error`, so that an
 * error in the log always means something to fix.
 */
const GRAPHQL_LEVELS: Record<string, Level> = {
  NOT_FOUND: 'info',
  CONFLICT: 'info',
  BAD_USER_INPUT: 'info',
  BAD_REQUEST: 'info',
  GRAPHQL_PARSE_FAILED: 'info',
  GRAPHQL_VALIDATION_FAILED: 'info',
  OPERATION_RESOLUTION_FAILURE: 'info',
  PERSISTED_QUERY_NOT_FOUND: 'info',
  PERSISTED_QUERY_NOT_SUPPORTED: 'info',
  UNAUTHENTICATED: 'warn',
  FORBIDDEN: 'warn',
  RATE_LIMITED: 'warn',
  QUERY_TOO_COSTLY: 'warn',
  TIMEOUT: 'warn',
  SERVICE_UNAVAILABLE: 'warn',
};

/** The level of a GraphQL error by its `extensions.code`; unknown codes are our fault. */
export function levelForGraphQLCode(code: string | undefined): Level {
  return (code && GRAPHQL_LEVELS[code]) || 'error';
}

/** The level of an answered HTTP request by its status. */
export function levelForStatus(status: number): Level {
  if (status >= 500) return 'error';
  if (status === 401 || status === 403 || status === 429) return 'warn';
  return 'info';
}

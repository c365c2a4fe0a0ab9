/** `extensions.code` of every GraphQL error the API returns on purpose. */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  RATE_LIMITED = 'RATE_LIMITED',
  /** The operation's computed cost is over the maximum per request (or the whole budget). */
  QUERY_TOO_COSTLY = 'QUERY_TOO_COSTLY',
  /** The operation ran past its time limit and was stopped; nothing was changed. Retryable. */
  TIMEOUT = 'TIMEOUT',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

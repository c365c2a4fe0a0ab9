import { GraphQLError } from 'graphql';
import { ErrorCode } from './error-code';

/**
 * A failure the client is meant to see: its message and code reach the client as they
 * are. Anything else thrown is reported as INTERNAL_SERVER_ERROR without details.
 */
export class AppError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    extra: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { code, ...extra } });
    this.name = 'AppError';
  }
}

export class NotFoundError extends AppError {
  constructor(entity: string) {
    super(ErrorCode.NOT_FOUND, `${entity} not found`);
  }
}

export class ConflictError extends AppError {
  /** `current` tells the caller what the record is now (e.g. its version and status). */
  constructor(message: string, field?: string, current: Record<string, unknown> = {}) {
    super(ErrorCode.CONFLICT, message, { ...(field ? { field } : {}), ...current });
  }
}

export class BadUserInputError extends AppError {
  constructor(message: string, field?: string) {
    super(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number) {
    // `http` sets the status of a refusal made before execution (Apollo reads it).
    super(ErrorCode.RATE_LIMITED, 'Too many attempts; try again later', {
      retryAfterSeconds,
      http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
    });
  }
}

/** Refused before execution: the operation costs more than `limit` points (a 400). */
export class QueryTooCostlyError extends AppError {
  constructor(requestedQueryCost: number, maximumQueryCost: number, what: string) {
    super(
      ErrorCode.QUERY_TOO_COSTLY,
      `The operation costs ${requestedQueryCost} points, more than the ${what} of ${maximumQueryCost}; ask for smaller pages (first) or fewer nested connections`,
      { requestedQueryCost, maximumQueryCost, http: { status: 400 } },
    );
  }
}

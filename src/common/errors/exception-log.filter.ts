import { ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { GqlContextType, GqlExceptionFilter } from '@nestjs/graphql';

/**
 * Nest's own handler logs every error a resolver throws at `error` — a NOT_FOUND, a wrong
 * password. GraphQL errors are handed back untouched instead: the error formatter logs each by
 * its code (`log-levels.ts`), our faults at `error`. HTTP routes keep Nest's handling (it logs
 * only what is not an HttpException, i.e. our faults).
 */
@Catch()
export class ExceptionLogFilter extends BaseExceptionFilter implements GqlExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<GqlContextType>() === 'graphql') return exception;
    return super.catch(exception, host);
  }
}

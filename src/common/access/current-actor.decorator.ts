import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { GraphQLContext } from '../graphql/graphql-context';
import { UnauthenticatedError } from './access-control';
import { Actor } from './actor';

/** The authenticated caller, set by the access guard. */
export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor => {
    const ctx = GqlExecutionContext.create(context).getContext<GraphQLContext>();
    if (!ctx.actor) throw new UnauthenticatedError();
    return ctx.actor;
  },
);

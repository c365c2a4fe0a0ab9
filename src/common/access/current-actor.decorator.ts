import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { GraphQLContext } from '../graphql/graphql-context';
import { UnauthenticatedError } from './access-control';
import { Actor } from './actor';

/** The authenticated caller, set by the access guard (for resolvers without decorators). */
export function actorIn(ctx: GraphQLContext): Actor {
  if (!ctx.actor) throw new UnauthenticatedError();
  return ctx.actor;
}

/** The authenticated caller, set by the access guard. */
export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor =>
    actorIn(GqlExecutionContext.create(context).getContext<GraphQLContext>()),
);

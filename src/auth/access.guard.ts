import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { ForbiddenError, UnauthenticatedError } from '../common/access/access-control';
import { ACCESS_POLICY, AccessPolicy } from '../common/access/access-policy.decorator';
import { reachOf } from '../common/access/actor';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { AuthenticatorService } from './authenticator.service';

const PROBLEM_MESSAGES = {
  NO_CREDENTIALS: 'Sign in, or send a valid API key',
  INVALID: 'The credentials are not valid',
  EXPIRED: 'The access token has expired; refresh it',
  REVOKED: 'The session or key is no longer valid; sign in again',
} as const;

/**
 * Runs before every GraphQL query, mutation and subscription. An operation without a
 * declared policy never runs (fail closed); REST controllers (health, webhooks) protect
 * themselves.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: AuthenticatorService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<GqlContextType>() !== 'graphql') return true;
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!policy) {
      throw new Error(
        `No access policy declared on ${context.getClass().name}.${context.getHandler().name}`,
      );
    }
    const ctx = GqlExecutionContext.create(context).getContext<GraphQLContext>();
    ctx.authentication ??= this.authenticator.authenticate(ctx.req);
    const authentication = await ctx.authentication;
    if (authentication.actor) ctx.actor = authentication.actor;
    if (policy.public) return true;
    if (!authentication.actor)
      throw new UnauthenticatedError(PROBLEM_MESSAGES[authentication.problem]);
    if (policy.permission && !reachOf(authentication.actor, policy.permission)) {
      throw new ForbiddenError();
    }
    return true;
  }
}

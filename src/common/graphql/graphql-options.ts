import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'pino';
import { AppConfig } from '../../config/app-config';
import { createGraphQLErrorFormatter } from '../errors/graphql-error.formatter';
import { ApolloServerPlugin } from '@apollo/server';
import { Actor } from '../access/actor';
import { AppError } from '../errors/app.error';
import { ErrorCode } from '../errors/error-code';
import { RateBudget } from '../rate-limit/rate-limiter.service';
import { Authentication, GraphQLContext, RequestLoaders } from './graphql-context';
import { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { WatchedSocket, watchSocketSession } from './socket-session';

/** Authenticates a WebSocket's connection parameters like an HTTP request's headers. */
export type ConnectionAuthenticator = (request: FastifyRequest) => Promise<Authentication>;

/** Spends one operation of an actor's budget; throws RATE_LIMITED when it is used up. */
export type BudgetCharger = (actor: Actor) => Promise<RateBudget>;

/**
 * A points budget per API client and per staff account (one point per operation, shared
 * by all instances): refused before execution when used up (429), and what is left is told
 * in `extensions.rateLimit` and the `x-ratelimit-*` headers, GitHub-style.
 */
function rateLimitPlugin(
  authenticate: ConnectionAuthenticator,
  charge: BudgetCharger,
): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      let budget: RateBudget | null = null;
      return {
        async didResolveOperation({ contextValue }) {
          if (!contextValue.reply) return; // WebSocket subscriptions: charged at connection
          try {
            contextValue.authentication ??= authenticate(contextValue.req);
            const { actor } = await contextValue.authentication;
            if (actor) budget = await charge(actor);
          } catch (error) {
            if (error instanceof AppError) throw error;
            // The database is unreachable (a restart): a clear, retryable refusal, not a 500.
            throw new AppError(
              ErrorCode.SERVICE_UNAVAILABLE,
              'The service is briefly unavailable; retry shortly',
              {
                retryable: true,
                http: { status: 503, headers: new Map([['retry-after', '5']]) },
              },
            );
          }
        },
        async willSendResponse({ contextValue, response }) {
          if (!budget) return;
          const reset = String(Math.floor(Date.now() / 1000) + budget.resetSeconds);
          contextValue.reply.header('x-ratelimit-limit', String(budget.limit));
          contextValue.reply.header('x-ratelimit-remaining', String(budget.remaining));
          contextValue.reply.header('x-ratelimit-reset', reset);
          if (response.body.kind === 'single') {
            response.body.singleResult.extensions = {
              ...response.body.singleResult.extensions,
              rateLimit: {
                limit: budget.limit,
                remaining: budget.remaining,
                resetAt: new Date(Number(reset) * 1000).toISOString(),
              },
            };
          }
        },
      };
    },
  };
}

interface SocketExtra {
  request: IncomingMessage;
  socket: WatchedSocket;
  authentication?: Authentication;
  closed?: AbortController;
}

/** The request-like view of a WebSocket connection that authentication and logs read. */
function socketRequest(
  params: Record<string, unknown> | undefined,
  request: IncomingMessage,
): FastifyRequest {
  const authorization = params?.authorization ?? params?.Authorization;
  return {
    headers: { authorization: typeof authorization === 'string' ? authorization : undefined },
    ip: request.socket.remoteAddress ?? '',
    id: `ws-${randomUUID()}`,
  } as unknown as FastifyRequest;
}

/** Apollo on Fastify, code-first, with the API-wide limits and the error gate. */
export function buildGraphQLOptions(
  config: AppConfig,
  logger: Logger,
  authenticate?: ConnectionAuthenticator,
  charge?: BudgetCharger,
): ApolloDriverConfig {
  const limits = config.graphql;
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: limits.maxAliases },
    // Tokens are limited by graphql-js's own parser (parseOptions below): armor's plugin
    // re-parses in a hook and turns every syntax error into a 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: 50 },
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true },
    // Field suggestions would reveal the schema when introspection is off.
    blockFieldSuggestion: { enabled: !limits.introspection },
  }).protect();
  return {
    driver: ApolloDriver,
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    introspection: limits.introspection,
    parseOptions: { maxTokens: limits.maxTokens },
    graphiql: false,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    plugins: [
      ...armor.plugins,
      ...(authenticate && charge ? [rateLimitPlugin(authenticate, charge)] : []),
    ],
    validationRules: armor.validationRules,
    formatError: createGraphQLErrorFormatter(logger),
    context: (
      req: FastifyRequest | { connectionParams?: Record<string, unknown>; extra: SocketExtra },
      reply: FastifyReply,
    ): GraphQLContext => {
      if ('extra' in req && req.extra?.request) {
        // graphql-ws: authenticated once in onConnect, for the life of the socket.
        const { extra } = req;
        return {
          req: socketRequest(req.connectionParams, extra.request),
          // No HTTP reply on a socket (the second argument is graphql-ws's message).
          reply: undefined as unknown as FastifyReply,
          loaders: new RequestLoaders(),
          authentication: Promise.resolve(
            extra.authentication ?? { actor: null, problem: 'NO_CREDENTIALS' },
          ),
          closed: extra.closed?.signal,
        };
      }
      return { req: req as FastifyRequest, reply, loaders: new RequestLoaders() };
    },
    subscriptions: {
      'graphql-ws': {
        path: '/graphql',
        onConnect: async (ctx: { connectionParams?: Record<string, unknown>; extra: unknown }) => {
          const extra = ctx.extra as SocketExtra;
          if (!authenticate) return false;
          const recheck = () => authenticate(socketRequest(ctx.connectionParams, extra.request));
          extra.authentication = await recheck();
          if (!extra.authentication.actor) return false;
          const closed = new AbortController();
          extra.closed = closed;
          watchSocketSession(extra.socket, recheck, config.auth.socketRecheckSeconds * 1000, () =>
            closed.abort(),
          );
          return true;
        },
      },
    },
  };
}

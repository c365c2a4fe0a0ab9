import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'pino';
import { AppConfig } from '../../config/app-config';
import { createGraphQLErrorFormatter } from '../errors/graphql-error.formatter';
import { Authentication, GraphQLContext, RequestLoaders } from './graphql-context';
import { ConnectionAuthenticator, costBudgetPlugin, PointsBudget } from './cost-budget.plugin';
import {
  brokenTextError,
  findBrokenLiteral,
  findBrokenVariable,
  textInputPlugin,
} from './text-input.plugin';
import { IncomingMessage } from 'node:http';
import { compiledExecutionPlugin } from './compiled-execution.plugin';
import { randomUUID } from 'node:crypto';
import { WatchedSocket, watchSocketSession } from './socket-session';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import {
  DocumentNode,
  GraphQLError,
  GraphQLSchema,
  parse,
  specifiedRules,
  validate,
} from 'graphql';

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
  budget?: PointsBudget,
  /** More Apollo plugins (the metrics' timing), run after the limits. */
  extraPlugins: ApolloServerPlugin[] = [],
): ApolloDriverConfig {
  const limits = config.graphql;
  const formatError = createGraphQLErrorFormatter(logger, { suggestions: limits.introspection });
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: limits.maxAliases },
    // Tokens are limited by graphql-js's own parser (parseOptions below): armor's plugin
    // re-parses in a hook and turns every syntax error into a 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: 50 },
    // Armor's cost ignores `first` given in variables and page-size defaults: our own cost
    // model (cost-budget.plugin.ts) replaces it.
    costLimit: { enabled: false },
    // Field suggestions would reveal the schema when introspection is off.
    blockFieldSuggestion: { enabled: !limits.introspection },
  }).protect();
  // Subscriptions do not pass through Apollo: graphql-ws parses and validates them with the
  // same token, depth, alias and directive limits (options Nest passes on but does not type).
  const socketLimits = {
    // A document over the token limit is refused before graphql-ws parses it in full.
    onSubscribe: (
      _ctx: unknown,
      _id: string,
      payload: { query: string; variables?: Record<string, unknown> | null },
    ) => {
      try {
        const document = parse(payload.query, { maxTokens: limits.maxTokens });
        // The same edge check of string inputs as textInputPlugin's, for subscriptions.
        const broken =
          findBrokenVariable(payload.variables ?? {}, document) ?? findBrokenLiteral(document);
        return broken ? [brokenTextError(broken)] : undefined;
      } catch (error) {
        if (error instanceof GraphQLError) return [error];
        throw error;
      }
    },
    validate: (schema: GraphQLSchema, document: DocumentNode) =>
      validate(schema, document, [...specifiedRules, ...armor.validationRules]),
  };
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
    // Automatic persisted queries: a bounded LRU per instance (a miss only costs the client
    // one retry with the full query).
    cache: new InMemoryLRUCache({
      maxSize: limits.persistedQueryCacheBytes,
      sizeCalculation: InMemoryLRUCache.sizeCalculation,
    }),
    persistedQueries: { ttl: 24 * 60 * 60 },
    plugins: [
      // No field has a cache hint: Apollo's default cache-control plugin only allocated
      // (a quarter of all allocations on the queue page, issue 25).
      ApolloServerPluginCacheControlDisabled(),
      ...armor.plugins,
      textInputPlugin(),
      costBudgetPlugin({ maxCost: limits.maxCost, authenticate, budget }),
      ...extraPlugins,
      ...(limits.compiledExecution ? [compiledExecutionPlugin(formatError)] : []),
    ],
    validationRules: armor.validationRules,
    formatError,
    context: (
      req: FastifyRequest | { connectionParams?: Record<string, unknown>; extra: SocketExtra },
      reply: FastifyReply,
    ): GraphQLContext => {
      if ('extra' in req && req.extra?.request) {
        // graphql-ws: authenticated in onConnect, and checked again while the socket lives.
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
        ...socketLimits,
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

import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'pino';
import { AppConfig } from '../../config/app-config';
import { createGraphQLErrorFormatter } from '../errors/graphql-error.formatter';
import { GraphQLContext, RequestLoaders } from './graphql-context';

/** Apollo on Fastify, code-first, with the API-wide limits and the error gate. */
export function buildGraphQLOptions(config: AppConfig, logger: Logger): ApolloDriverConfig {
  const limits = config.graphql;
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: limits.maxAliases },
    maxTokens: { n: limits.maxTokens },
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
    graphiql: false,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    plugins: armor.plugins,
    validationRules: armor.validationRules,
    formatError: createGraphQLErrorFormatter(logger),
    context: (req: FastifyRequest, reply: FastifyReply): GraphQLContext => ({
      req,
      reply,
      loaders: new RequestLoaders(),
    }),
  };
}

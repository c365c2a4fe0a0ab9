import { ApolloServerPlugin } from '@apollo/server';
import {
  FragmentDefinitionNode,
  getVariableValues,
  GraphQLSchema,
  OperationDefinitionNode,
} from 'graphql';
import { Actor } from '../access/actor';
import { AppError, QueryTooCostlyError } from '../errors/app.error';
import { ErrorCode } from '../errors/error-code';
import { RateBudget, SpentBudget } from '../rate-limit/rate-limiter.service';
import { Authentication, GraphQLContext } from './graphql-context';
import { fragmentsOf, operationCost } from './query-cost';
import { FastifyRequest } from 'fastify';

/** Authenticates a WebSocket's connection parameters like an HTTP request's headers. */
export type ConnectionAuthenticator = (request: FastifyRequest) => Promise<Authentication>;

/** The points budget per minute of each API client and staff account (shared by instances). */
export interface PointsBudget {
  /** Points per minute. */
  limit: number;
  /** Takes the requested cost up front; throws RATE_LIMITED when it is not all left. */
  spend(actor: Actor, points: number): Promise<SpentBudget>;
  /** Gives back what the operation did not use (or takes what it used beyond). */
  settle(budget: SpentBudget, actual: number): Promise<RateBudget>;
  /**
   * Authenticates the request and takes the points in one round trip where it can (the
   * points only from a valid caller; RATE_LIMITED when they are not all left).
   */
  authenticateAndSpend?(
    request: FastifyRequest,
    points: number,
  ): Promise<{ authentication: Authentication; spent: SpentBudget | null }>;
}

export interface CostBudgetOptions {
  /** Most points one operation may cost (`GRAPHQL_MAX_COST`). */
  maxCost: number;
  authenticate?: ConnectionAuthenticator;
  budget?: PointsBudget;
}

function serviceUnavailable(): AppError {
  // The database is unreachable (a restart): a clear, retryable refusal, not a 500.
  return new AppError(
    ErrorCode.SERVICE_UNAVAILABLE,
    'The service is briefly unavailable; retry shortly',
    { retryable: true, http: { status: 503, headers: new Map([['retry-after', '5']]) } },
  );
}

/**
 * The cost model and the points budget, Shopify-style. Before execution the operation's
 * requested cost (see `query-cost.ts`; variables resolved) is checked against the maximum
 * per request (QUERY_TOO_COSTLY, 400), then taken from the caller's budget for the minute
 * (RATE_LIMITED, 429, when not all left). After execution the actual cost (what was really
 * returned) is computed, the difference given back, and both told in `extensions.cost`;
 * what is left is told in `extensions.rateLimit` and the `x-ratelimit-*` headers.
 */
export function costBudgetPlugin(options: CostBudgetOptions): ApolloServerPlugin<GraphQLContext> {
  const { maxCost, authenticate, budget } = options;
  return {
    async requestDidStart() {
      let requested: number | null = null;
      let spent: SpentBudget | null = null;
      let measured: {
        schema: GraphQLSchema;
        operation: OperationDefinitionNode;
        fragments: Record<string, FragmentDefinitionNode>;
        variables: Record<string, unknown>;
      } | null = null;
      return {
        async didResolveOperation({ contextValue, operation, document, request, schema }) {
          if (!operation) return; // Apollo refuses it itself
          const fragments = fragmentsOf(document);
          const coerced = getVariableValues(
            schema,
            operation.variableDefinitions ?? [],
            request.variables ?? {},
          );
          const variables = coerced.coerced ?? request.variables ?? {};
          measured = { schema, operation, fragments, variables };
          requested = operationCost(schema, operation, fragments, variables);
          if (requested > maxCost) {
            throw new QueryTooCostlyError(requested, maxCost, 'maximum per request');
          }
          if (!contextValue.reply || !budget || !authenticate) return; // sockets: at connection
          if (
            budget.authenticateAndSpend &&
            !contextValue.authentication &&
            requested <= budget.limit
          ) {
            // The sign-in check and the charge in one statement; the guard reuses the check.
            const charged = budget.authenticateAndSpend(contextValue.req, requested);
            const authentication = charged.then((c) => c.authentication);
            authentication.catch(() => undefined); // its failure is the operation's, below
            contextValue.authentication = authentication;
            try {
              spent = (await charged).spent;
            } catch (error) {
              if (error instanceof AppError) throw error;
              throw serviceUnavailable();
            }
            return;
          }
          let actor: Actor | null;
          try {
            contextValue.authentication ??= authenticate(contextValue.req);
            actor = (await contextValue.authentication).actor;
          } catch (error) {
            if (error instanceof AppError) throw error;
            throw serviceUnavailable();
          }
          if (!actor) return; // anonymous calls (sign-in) are throttled on their own
          if (requested > budget.limit) {
            throw new QueryTooCostlyError(requested, budget.limit, 'budget per minute');
          }
          try {
            spent = await budget.spend(actor, requested);
          } catch (error) {
            if (error instanceof AppError) throw error;
            throw serviceUnavailable();
          }
        },
        async willSendResponse({ contextValue, response }) {
          if (requested === null || !measured || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const { schema, operation, fragments, variables } = measured;
          // Refused before execution (no `data` key): nothing was done, nothing is charged.
          const actual =
            result.data === undefined
              ? 0
              : operationCost(schema, operation, fragments, variables, result.data);
          let left: RateBudget | null = spent;
          if (spent) left = await budget!.settle(spent, actual).catch(() => spent);
          const resetAt = left ? Math.floor(Date.now() / 1000) + left.resetSeconds : null;
          if (left && resetAt) {
            contextValue.reply.header('x-ratelimit-limit', String(left.limit));
            contextValue.reply.header('x-ratelimit-remaining', String(left.remaining));
            contextValue.reply.header('x-ratelimit-reset', String(resetAt));
          }
          result.extensions = {
            ...result.extensions,
            cost: {
              requestedQueryCost: requested,
              actualQueryCost: actual,
              maximumQueryCost: maxCost,
              ...(left && {
                throttleStatus: {
                  maximumAvailable: left.limit,
                  currentlyAvailable: left.remaining,
                },
              }),
            },
            ...(left &&
              resetAt && {
                rateLimit: {
                  limit: left.limit,
                  remaining: left.remaining,
                  resetAt: new Date(resetAt * 1000).toISOString(),
                },
              }),
          };
        },
      };
    },
  };
}

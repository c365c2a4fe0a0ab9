import type { ApolloServerPlugin, GraphQLRequestContext, GraphQLResponse } from '@apollo/server';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import {
  DocumentNode,
  GraphQLError,
  GraphQLFormattedError,
  GraphQLSchema,
  SourceLocation,
} from 'graphql';
import { CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';
import { GraphQLContext } from './graphql-context';

/**
 * OpenTelemetry's GraphQL instrumentation traces graphql-js's `execute`, which a compiled query
 * never calls: its span is made here, with the instrumentation's name and attributes (no
 * document text, no values). Without a tracer provider (tracing off) it costs nothing.
 */
const tracer = trace.getTracer('duare-compiled-execution');

/** Runs `work` inside an operation span named as the GraphQL instrumentation names them. */
async function traced<T>(operationName: string | undefined, work: () => Promise<T>): Promise<T> {
  const name = operationName ? `query ${operationName}` : 'query';
  const attributes = {
    'graphql.operation.type': 'query',
    ...(operationName ? { 'graphql.operation.name': operationName } : {}),
  };
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** How queries went since the process started (read by its e2e test). */
export const compiledExecutionCounts = { compiled: 0, ranCompiled: 0, handedBack: 0 };

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * Compiled documents kept per instance. A compiled query is plain JavaScript many times the
 * size of its text, so the count is bounded here rather than left to Apollo's document store
 * (30 MB of query text): a client sending thousands of different queries gets the least
 * recently used ones compiled again, not the memory. The same query text is the same
 * DocumentNode (Apollo parses it once), so a document is its own key.
 */
const COMPILED_DOCUMENTS = 500;

/** Per document, per operation name; `null` marks a document graphql-jit cannot compile. */
type CompiledDocuments = LRUCache<DocumentNode, Map<string, CompiledQuery | null>>;

function compiledFor(
  compiledByDocument: CompiledDocuments,
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
): CompiledQuery | null {
  let byName = compiledByDocument.get(document);
  if (!byName) {
    byName = new Map();
    compiledByDocument.set(document, byName);
  }
  const key = operationName ?? '';
  let compiled = byName.get(key);
  if (compiled === undefined) {
    const result = compileQuery(schema, document, operationName);
    compiled = isCompiledQuery(result) ? result : null;
    compiledExecutionCounts.compiled += 1;
    byName.set(key, compiled);
  }
  return compiled;
}

/**
 * graphql-jit's errors are look-alikes without `extensions` when the resolver's error had
 * none; Apollo's formatting (and ours) expects graphql-js's own.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const original = error.originalError ?? undefined;
  const converted = new GraphQLError(error.message, {
    path: error.path,
    originalError: original,
    extensions: error.extensions ?? undefined,
  });
  (converted as { locations?: readonly SourceLocation[] }).locations = error.locations;
  return converted;
}

/** An error's `extensions.http`, as Apollo reads it: a status and headers for the answer. */
interface HttpPart {
  status?: number;
  headers?: Map<string, string>;
}

function httpPartOf(extensions: Record<string, unknown>): HttpPart | null {
  const http = extensions.http as HttpPart | undefined;
  if (!http || typeof http !== 'object') return null;
  const statusOk = http.status === undefined || typeof http.status === 'number';
  const headersOk = http.headers === undefined || http.headers instanceof Map;
  return statusOk && headersOk ? http : null;
}

/**
 * What Apollo does to an execution error before the server's `formatError` (its
 * errorNormalize, not exported): a code by default, and `extensions.http` (a rate limit's 429
 * and Retry-After, say) moved from the error to the answer.
 */
function formatted(
  error: GraphQLError,
  formatError: FormatError,
  answer: GraphQLResponse['http'],
): GraphQLFormattedError {
  const graphqlError = asGraphQLError(error);
  const extensions: Record<string, unknown> = {
    ...graphqlError.extensions,
    code: graphqlError.extensions.code ?? 'INTERNAL_SERVER_ERROR',
  };
  const http = httpPartOf(extensions);
  if (http) {
    if (http.status) answer.status = http.status;
    for (const [name, value] of http.headers ?? []) answer.headers.set(name, value);
    delete extensions.http;
  }
  try {
    return formatError({ ...graphqlError.toJSON(), extensions }, graphqlError);
  } catch {
    return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
}

/**
 * Runs queries with graphql-jit instead of graphql-js's interpreter: a query is compiled
 * once into plain JavaScript, and the queue page's thousands of fields no longer each pay for
 * argument coercion, a resolver call and a promise (graphql-js was the largest cost the
 * application added to the page after garbage collection, issue 25). Mutations stay on
 * graphql-js (they are few and small; their order and errors are graphql-js's own), and so
 * does anything graphql-jit cannot compile.
 *
 * Variables are coerced by graphql-jit before anything runs; when that fails nothing has run,
 * and the operation is handed back to graphql-js so that the refusal (message and 400) is
 * Apollo's own. Errors raised while resolving are formatted as Apollo formats them.
 */
export function compiledExecutionPlugin(
  formatError: FormatError,
): ApolloServerPlugin<GraphQLContext> {
  // One per server: a schema's compiled documents are its own.
  const compiledByDocument: CompiledDocuments = new LRUCache({ max: COMPILED_DOCUMENTS });
  return {
    async requestDidStart() {
      return {
        async responseForOperation(
          context: GraphQLRequestContext<GraphQLContext>,
        ): Promise<GraphQLResponse | null> {
          if (context.operation?.operation !== 'query' || !context.document) return null;
          const compiled = compiledFor(
            compiledByDocument,
            context.schema,
            context.document,
            context.request.operationName ?? undefined,
          );
          if (!compiled) return null;
          const result = await traced(context.operation.name?.value, async () =>
            compiled.query(undefined, context.contextValue, context.request.variables ?? {}),
          );
          // No `data` at all: the variables were refused before anything ran.
          if (!('data' in result)) {
            compiledExecutionCounts.handedBack += 1;
            return null;
          }
          compiledExecutionCounts.ranCompiled += 1;
          const http = context.response.http;
          const errors = result.errors?.map((error) => formatted(error, formatError, http));
          return {
            http,
            body: {
              kind: 'single',
              singleResult: {
                data: result.data as Record<string, unknown> | null,
                ...(errors?.length ? { errors } : {}),
              },
            },
          };
        },
      };
    },
  };
}

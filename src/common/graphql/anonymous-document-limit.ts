import { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Longest GraphQL document a caller without credentials may send, in characters. What an
 * anonymous caller may do (sign in, refresh, verify a certificate) fits in a few hundred;
 * the limit is checked on the raw text before anything is parsed, validated or costed, so the
 * cheapest limit is the first one an unauthenticated document meets (issue 21).
 */
export const ANONYMOUS_MAX_DOCUMENT_LENGTH = 4096;

function documentOf(request: FastifyRequest): unknown {
  const from = request.method === 'GET' ? request.query : request.body;
  return from && typeof from === 'object' ? (from as { query?: unknown }).query : undefined;
}

/** Refuses an anonymous /graphql document over the limit, in the GraphQL error shape (400). */
export function registerAnonymousDocumentLimit(fastify: FastifyInstance): void {
  fastify.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.url !== '/graphql' || request.headers.authorization) return;
    const document = documentOf(request);
    if (typeof document !== 'string' || document.length <= ANONYMOUS_MAX_DOCUMENT_LENGTH) return;
    await reply
      .code(400)
      .header('content-type', 'application/json; charset=utf-8')
      .send({
        errors: [
          {
            message: `An operation without credentials may be at most ${ANONYMOUS_MAX_DOCUMENT_LENGTH} characters long (this one is ${document.length}); sign in or send an API key first`,
            extensions: {
              code: 'GRAPHQL_VALIDATION_FAILED',
              maximumLength: ANONYMOUS_MAX_DOCUMENT_LENGTH,
            },
          },
        ],
      });
    return reply;
  });
}

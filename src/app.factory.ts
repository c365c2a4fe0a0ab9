import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { LogController, RawServerDefault } from 'fastify';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule, AppModuleOptions } from './app.module';
import { ExceptionLogFilter } from './common/errors/exception-log.filter';
import { levelForStatus } from './common/logging/log-levels';
import { PinoNestLogger } from './common/logging/logger';
import { registerAnonymousDocumentLimit } from './common/graphql/anonymous-document-limit';
import { registerConsole } from './console/console-static';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** JSON bodies: 1 MiB everywhere, except WhatsApp webhook payloads (up to 3 MB). */
const BODY_LIMIT = 1024 * 1024;
const WEBHOOK_BODY_LIMIT = 4 * 1024 * 1024;
// The webhook takes large payloads; uploads read their own body in bounded chunks.
const LARGE_BODY_ROUTES = new Set(['/webhooks/whatsapp', '/uploads']);
// Routes that verify a signature over the bytes as sent: only they keep them after parsing,
// so that no other request holds a second copy of its body while it is served.
const RAW_BODY_ROUTES = new Set(['/webhooks/whatsapp']);

/**
 * Requests to /graphql refused by Fastify before Apollo sees them (a body that is not JSON,
 * too large, of another media type) answer in the GraphQL shape, `errors[].extensions.code`,
 * naming the limit, instead of the framework's `{ statusCode, message }`.
 */
function graphqlFrameworkError(status: number, frameworkMessage: string) {
  const known: Record<number, { code: string; message: string }> = {
    400: { code: 'BAD_REQUEST', message: frameworkMessage },
    413: {
      code: 'PAYLOAD_TOO_LARGE',
      message: `The request body is larger than the limit of ${BODY_LIMIT / 1024 / 1024} MiB`,
    },
    415: {
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Unsupported media type: POST application/json, or use GET for queries',
    },
  };
  const error = known[status];
  return (
    error &&
    JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.code } }] })
  );
}

/** Keeps a caller's `x-request-id` when it is sane, so logs join up across systems. */
function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/** Builds and initialises the whole application (not yet listening). */
export async function createApp(options: AppModuleOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    loggerInstance: options.logger,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) =>
      requestIdOf(req.headers['x-request-id']),
    bodyLimit: WEBHOOK_BODY_LIMIT,
    // The whole request must arrive in this time: a client dribbling an upload (or its
    // headers) cannot hold a socket, and the work behind it, for ever.
    requestTimeout: options.config.bulk.requestTimeoutMs,
    return503OnClosing: true,
    // Behind a load balancer the client address (sign-in throttling) is in X-Forwarded-For.
    trustProxy: options.config.http.trustProxy,
    // One line per request, when answered, at a level its status deserves (below).
    logController: new LogController({ disableRequestLogging: true }),
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(options),
    adapter,
    { logger: new PinoNestLogger(options.logger), abortOnError: false },
  );
  app.useGlobalFilters(new ExceptionLogFilter(app.getHttpAdapter()));
  const fastify = app.getHttpAdapter().getInstance();
  // Fastify's own JSON parser (prototype poisoning refused), as Nest would register it.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>(
    'application/json',
    { bodyLimit: WEBHOOK_BODY_LIMIT },
    (request, body, done) => {
      if (RAW_BODY_ROUTES.has(request.routeOptions.url ?? '')) {
        (request as typeof request & { rawBody?: Buffer }).rawBody = body;
      }
      parseJson(request, body.toString('utf8'), done);
    },
  );
  fastify.addHook('onResponse', async (request, reply) => {
    request.log[levelForStatus(reply.statusCode)](
      { req: request, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request answered',
    );
  });
  // A route's own limit beats the parser's: every route but the webhook gets 1 MiB.
  fastify.addHook('onRoute', (route) => {
    if (!LARGE_BODY_ROUTES.has(route.url)) route.bodyLimit ??= BODY_LIMIT;
  });
  // Once the server is closing, a response that was in flight ends its keep-alive
  // connection: otherwise the idle connection would hold the close (and the process's exit)
  // until the client's keep-alive ran out.
  let closing = false;
  fastify.addHook('preClose', async () => {
    closing = true;
  });
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
  });
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/graphql') || typeof payload !== 'string') return payload;
    if (!payload.startsWith('{"statusCode"')) return payload; // Apollo's own answers
    const { message } = JSON.parse(payload) as { message?: unknown };
    const rewritten = graphqlFrameworkError(reply.statusCode, String(message ?? 'Bad request'));
    if (!rewritten) return payload;
    reply.header('content-type', 'application/json; charset=utf-8');
    return rewritten;
  });
  registerAnonymousDocumentLimit(fastify);
  // The coordinator console's page and assets at / (when built; docs/console.md).
  await registerConsole(fastify, { graphiql: !options.config.isProduction });
  // CSV uploads (resident imports) reach their handler as a stream, never buffered whole.
  fastify.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));
  // Staff uploads (PUT /uploads?grant=…) too: read in bounded chunks by their handler.
  fastify.addContentTypeParser('application/octet-stream', (_request, payload, done) =>
    done(null, payload),
  );
  try {
    await app.init();
  } catch (error) {
    // Whatever did start (the pool, listeners) must not outlive a failed start.
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}

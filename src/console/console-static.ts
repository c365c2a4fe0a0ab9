import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The coordinator console (console/, built by `npm run build` into dist/console) served by
 * the API's own process at `/`: one origin, so the console's Content-Security-Policy can
 * allow only 'self' and its GraphQL requests need no CORS.
 */

/** The console's client-side routes: each answers index.html (a reload or a shared link). */
export const CONSOLE_ROUTES = [
  '/',
  '/queue',
  '/dashboard',
  '/requests/:id',
  '/residents',
  '/residents/:id/new-request',
  '/helpline',
  '/helpline/:id',
  '/announcements',
  '/my-deliveries',
];

/** Only files and sockets of this origin; no inline script or style, never inside a frame. */
export const CONSOLE_CSP =
  "default-src 'self'; img-src 'self' blob:; media-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/**
 * GraphiQL's page: its editor (CodeMirror) positions things with inline styles, so this page
 * alone allows them; scripts still come only from the app. Development only.
 */
export const GRAPHIQL_CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** dist/console beside the compiled server (dist/src/console → dist/console). */
export function defaultConsoleDir(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'console');
}

/** Whether `npm run build` has built the console (the banner says where it is). */
export function consoleIsBuilt(root = defaultConsoleDir()): boolean {
  return existsSync(join(root, 'index.html'));
}

function pageHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'same-origin');
}

/**
 * Hashed assets under /assets/ are cached for a year (their names change with their
 * content); index.html is revalidated on every visit so a new release is picked up at once.
 * Returns false (and serves nothing) when the console has not been built.
 */
export async function registerConsole(
  fastify: FastifyInstance,
  options: { graphiql: boolean },
  root = defaultConsoleDir(),
): Promise<boolean> {
  if (!consoleIsBuilt(root)) return false;
  await fastify.register(fastifyStatic, {
    root: join(root, 'assets'),
    prefix: '/assets/',
    decorateReply: true,
    index: false,
    // The plugin applies this to every file it sends, index.html (no-cache, below) included.
    setHeaders: (reply, path) => {
      if (path.endsWith('index.html')) return;
      reply.header('cache-control', IMMUTABLE);
      reply.header('x-content-type-options', 'nosniff');
    },
    cacheControl: false,
  });
  for (const url of CONSOLE_ROUTES) {
    fastify.get(url, (_request, reply) =>
      pageHeaders(reply)
        .header('cache-control', 'no-cache')
        .sendFile('index.html', root, { cacheControl: false }),
    );
  }
  if (options.graphiql) serveGraphiqlToBrowsers(fastify, root);
  return true;
}

/**
 * `GET /graphql` opened in a browser (it asks for HTML and sends no operation) gets the
 * self-hosted GraphiQL page; every other request — GET with a query, POST, a WebSocket —
 * goes on to Apollo unchanged, CSRF prevention included.
 */
function serveGraphiqlToBrowsers(fastify: FastifyInstance, root: string): void {
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' || request.headers.upgrade) return;
    const url = new URL(request.url, 'http://localhost');
    if (url.pathname !== '/graphql' || url.searchParams.has('query')) return;
    if (!String(request.headers.accept ?? '').includes('text/html')) return;
    return reply
      .header('content-security-policy', GRAPHIQL_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY')
      .header('cache-control', 'no-cache')
      .sendFile('graphiql.html', root, { cacheControl: false });
  });
}

import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { createClient as createWsClient } from 'graphql-ws';
import { accessToken, endSession } from '../auth/session';

/**
 * Every request carries the current access token; an `UNAUTHENTICATED` answer means the
 * session ended elsewhere (signed out everywhere, deactivated): back to the sign-in page,
 * which says why.
 */
async function authorisedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const token = await accessToken();
  const headers = new Headers(init?.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  const response = await fetch(input, { ...init, headers });
  if (token && response.headers.get('content-type')?.includes('json')) {
    const body = (await response.clone().json()) as {
      errors?: Array<{ extensions?: { code?: string } }>;
    };
    if (body.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) endSession('expired');
  }
  return response;
}

const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;

/** The live queue's socket: every (re)connection sends the current token (docs/api.md). */
export const ws = createWsClient({
  url: wsUrl,
  lazy: true,
  connectionParams: async () => ({ authorization: `Bearer ${(await accessToken()) ?? ''}` }),
});

export const client = new Client({
  url: '/graphql',
  // POST only: the API's CSRF prevention lets GET through only with a preflight header.
  preferGetMethod: false,
  fetch: authorisedFetch,
  exchanges: [
    cacheExchange,
    fetchExchange,
    subscriptionExchange({
      forwardSubscription: (request) => ({
        subscribe: (sink) => ({
          unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink),
        }),
      }),
    }),
  ],
});

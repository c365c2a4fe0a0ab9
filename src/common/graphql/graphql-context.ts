import DataLoader from 'dataloader';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Actor } from '../access/actor';

/** Something that can make a fresh DataLoader; one loader per factory per request. */
export interface LoaderFactory<K, V> {
  create(): DataLoader<K, V>;
}

/**
 * The per-request loader cache. Loaders are made on first use in the request and die
 * with it, so batching never leaks data between callers.
 */
export class RequestLoaders {
  private readonly loaders = new Map<
    LoaderFactory<unknown, unknown>,
    DataLoader<unknown, unknown>
  >();

  get<K, V>(factory: LoaderFactory<K, V>): DataLoader<K, V> {
    let loader = this.loaders.get(factory as LoaderFactory<unknown, unknown>);
    if (!loader) {
      loader = factory.create() as DataLoader<unknown, unknown>;
      this.loaders.set(factory as LoaderFactory<unknown, unknown>, loader);
    }
    return loader as DataLoader<K, V>;
  }
}

export interface GraphQLContext {
  req: FastifyRequest;
  reply: FastifyReply;
  loaders: RequestLoaders;
  /** Set by the access guard once the caller is authenticated. */
  actor?: Actor;
  /** The authentication of this request, done once and shared by its root fields. */
  authentication?: Promise<Authentication>;
  /** Subscriptions: aborted when the WebSocket closes, so their event streams end. */
  closed?: AbortSignal;
}

export type Authentication =
  | { actor: Actor; problem?: undefined }
  | { actor: null; problem: 'NO_CREDENTIALS' | 'INVALID' | 'EXPIRED' | 'REVOKED' };

/** Groups rows by a key, in the order DataLoader asked for the keys. */
export function groupByKeys<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): V[][] {
  const groups = new Map<K, V[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}

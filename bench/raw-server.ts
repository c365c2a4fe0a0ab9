/**
 * The floor of the scale benchmark: a minimal raw `node:http` + `pg` server that runs, for
 * each route, the SQL statements the application sent to PostgreSQL for one such request
 * (captured at the `pg` client by bench/scale.ts), on one pooled connection, and answers
 * the rows as JSON. No framework, no GraphQL, no validation, no access checks: what our
 * stack adds is the application's cost over this one.
 *
 * Started by bench/scale.ts as `node raw-server.js CONFIG.json`; CONFIG holds the database
 * URL, the port, the pool size and the routes (see RawConfig).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Pool, PoolClient } from 'pg';
import type { Statement } from './support/statements';

export interface RawRoute {
  statements: Statement[];
  /**
   * Values of the captured parameters that must be new for each request (a write): each
   * is replaced, wherever it occurs in a parameter, by a value unique to the request
   * (`uuid`: a random UUID; `key`: the value with a unique suffix; `serial`: the tracking
   * number, its serial taken from the row the counter statement returned).
   */
  fresh?: Array<{ value: string; as: 'uuid' | 'key' | 'serial' }>;
}

export interface RawConfig {
  databaseUrl: string;
  port: number;
  poolSize: number;
  routes: Record<string, RawRoute>;
}

let sequence = 0;

/** The statements of one request, with its fresh values, run on one connection. */
async function run(client: PoolClient, route: RawRoute): Promise<unknown[]> {
  const replacements = new Map<string, string>();
  const suffix = `-${process.pid}-${(sequence += 1)}`;
  for (const { value, as } of route.fresh ?? []) {
    if (as === 'uuid') replacements.set(value, randomUUID());
    if (as === 'key') replacements.set(value, `${value}${suffix}`);
  }
  const results: unknown[] = [];
  for (const { sql, params } of route.statements) {
    const values = params.map((param) => {
      if (typeof param !== 'string' || replacements.size === 0) return param;
      let out = param;
      for (const [from, to] of replacements) out = out.split(from).join(to);
      return out;
    });
    const result = await client.query(sql, values);
    results.push(result.rows);
    // The tracking number's serial comes from the counter, as in the application.
    const serial = result.rows[0]?.last_number;
    if (serial !== undefined) {
      for (const { value, as } of route.fresh ?? []) {
        if (as === 'serial') {
          replacements.set(value, value.replace(/\d+$/, String(serial).padStart(5, '0')));
        }
      }
    }
  }
  return results;
}

function main(): void {
  const config: RawConfig = JSON.parse(readFileSync(process.argv[2], 'utf8'));
  const pool = new Pool({ connectionString: config.databaseUrl, max: config.poolSize });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const name = (req.url ?? '/').split('?')[0].slice(1);
      if (name === 'ready') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      const route = config.routes[name];
      if (!route) {
        res.writeHead(404).end();
        return;
      }
      void (async () => {
        const client = await pool.connect();
        try {
          const body = JSON.stringify({ data: await run(client, route) });
          res.writeHead(200, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          });
          res.end(body);
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
        } finally {
          client.release();
        }
      })();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(config.port, '127.0.0.1');
  process.on('SIGTERM', () => {
    server.close();
    void pool.end().then(() => process.exit(0));
  });
}

main();

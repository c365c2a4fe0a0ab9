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
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Pool } from 'pg';
import { RawRoute, replay } from './support/statements';

export type { RawRoute };

export interface RawConfig {
  databaseUrl: string;
  port: number;
  poolSize: number;
  routes: Record<string, RawRoute>;
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
          const body = JSON.stringify({ data: await replay(client, route) });
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

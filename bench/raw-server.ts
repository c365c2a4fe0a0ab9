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
import { createHmac, timingSafeEqual } from 'node:crypto';
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
  /**
   * The webhook floor (`POST /webhook`): the signature checked over the raw bytes, the JSON
   * parsed, one row inserted, answered after its commit. Its rows are never due
   * (`next_attempt_at` infinity), so the application's inbox leaves them; the bench deletes
   * them after each run.
   */
  webhookSecret?: string;
}

/** Whether `signature` (`sha256=<hex>`) is the HMAC of `raw` under `secret`. */
function signed(raw: Buffer, signature: string | undefined, secret: string): boolean {
  if (!signature?.startsWith('sha256=')) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  const given = Buffer.from(signature.slice(7), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const RAW_INBOX_INSERT = `INSERT INTO whatsapp_inbox (payload, sender, helpline, order_at, next_attempt_at)
  VALUES ($1::jsonb, $2, $3, least(now(), to_timestamp($4::bigint)), 'infinity')`;

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
      if (name === 'webhook' && config.webhookSecret) {
        const raw = Buffer.concat(chunks);
        if (!signed(raw, req.headers['x-hub-signature-256'] as string, config.webhookSecret)) {
          res.writeHead(401).end();
          return;
        }
        const value = JSON.parse(raw.toString('utf8')).entry[0].changes[0].value;
        const first = value.messages[0];
        pool
          .query(RAW_INBOX_INSERT, [
            raw.toString('utf8'),
            first.from,
            value.metadata.phone_number_id,
            first.timestamp,
          ])
          .then(
            () =>
              res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}'),
            (error) => res.writeHead(500).end(String(error)),
          );
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

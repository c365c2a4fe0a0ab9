import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A receiving system written from docs/integration.md alone: it recomputes the signature
 * over `timestamp.rawBody` with the secret and refuses anything else.
 */
export class Receiver {
  readonly received: Array<{ headers: IncomingMessage['headers']; body: any; verified: boolean }> =
    [];
  answers: number[] = [];
  /** One secret per endpoint URL path, as a receiver keeps them. */
  readonly secrets = new Map<string, string>();
  private server!: Server;
  private paths = 0;

  get url() {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/duare-webhooks`;
  }

  /** A fresh path for one more endpoint. */
  nextUrl() {
    this.paths += 1;
    return `${this.url}/${this.paths}`;
  }

  async start() {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks).toString('utf8');
      const timestamp = String(req.headers['x-duare-timestamp']);
      const secret = this.secrets.get(new URL(req.url ?? '', 'http://x').pathname) ?? '';
      const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex')}`;
      const given = String(req.headers['x-duare-signature'] ?? '');
      const verified =
        given.length === expected.length &&
        timingSafeEqual(Buffer.from(given), Buffer.from(expected));
      this.received.push({ headers: req.headers, body: JSON.parse(raw), verified });
      res.writeHead(this.answers.shift() ?? 200, { 'content-type': 'text/plain' });
      res.end(verified ? 'ok' : 'bad signature');
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  stop() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * A minimal fake of the WhatsApp Cloud API (Graph API): a `node:http` server on 127.0.0.1
 * that answers every POST 200 with a fresh wamid, and notes when each POST arrived and to
 * whom it was addressed.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** This process's message ids differ from every earlier run's on the same kept data. */
const RUN = `${Date.now().toString(36)}.${process.pid}`;

export interface FakeGraph {
  url: string;
  /** POSTs answered so far. */
  count(): number;
  /** Arrival times (performance.now()) of the POSTs to a WhatsApp id, in order. */
  arrivals(to: string): number[];
  /** Forgets the arrivals (the count goes on). */
  clear(): void;
  stop(): Promise<void>;
}

export async function startFakeGraph(): Promise<FakeGraph> {
  let served = 0;
  const byRecipient = new Map<string, number[]>();
  const server: Server = createServer((req, res) => {
    // The arrival: the request line and headers are in; the body follows in microseconds.
    const arrived = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let to = '';
      try {
        to = String(JSON.parse(Buffer.concat(chunks).toString('utf8')).to ?? '');
      } catch {
        // An unreadable body still gets an answer: the benchmark checks the counts.
      }
      served += 1;
      const list = byRecipient.get(to);
      if (list) list.push(arrived);
      else byRecipient.set(to, [arrived]);
      const body = JSON.stringify({
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to }],
        // Unique across runs on the same kept data: a repeated id is a duplicate provider id
        // to the application, which records it the long way (two statements, a warning).
        messages: [{ id: `wamid.BENCH.${RUN}.${served}` }],
      });
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => served,
    arrivals: (to) => byRecipient.get(to) ?? [],
    clear: () => byRecipient.clear(),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

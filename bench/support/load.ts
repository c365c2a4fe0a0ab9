/**
 * HTTP load with autocannon: keep-alive connections, one request in flight on each, for a
 * fixed time; every answer's status and body checked, so a benchmark of errors fails.
 */
import autocannon from 'autocannon';
import { percentile } from './measure';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** What changes from one request to the next (unique keys, fresh message ids, paths). */
  next?: () => { path?: string; headers?: Record<string, string>; body?: string | Buffer };
}

export interface LoadOptions {
  url: string;
  request: LoadRequest;
  connections: number;
  seconds: number;
  /** Exactly this many requests instead (then `seconds` is only a floor for the timeout). */
  amount?: number;
  /** Whether an answer (status 200–299) is what the scenario expects; the first wrong one fails. */
  check: (body: string) => boolean;
  /** Names the load in errors. */
  label: string;
  /** A warm-up: no answer at all within the time is no error. */
  warmup?: boolean;
}

export interface Load {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export async function runLoad(options: LoadOptions): Promise<Load> {
  const { request } = options;
  const latencies: number[] = [];
  let wrong: string | null = null;
  let answered = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        pipelining: 1,
        ...(options.amount ? { amount: options.amount } : { duration: options.seconds }),
        timeout: 30,
        requests: [
          {
            method: request.method,
            path: request.path,
            headers: request.headers,
            body: request.body,
            setupRequest: (req) => {
              if (!request.next) return req;
              const changed = request.next();
              return {
                ...req,
                ...(changed.path ? { path: changed.path } : {}),
                ...(changed.headers ? { headers: { ...req.headers, ...changed.headers } } : {}),
                ...(changed.body !== undefined ? { body: changed.body } : {}),
              };
            },
            onResponse: (status, body) => {
              answered += 1;
              if (wrong === null && (status < 200 || status > 299 || !options.check(body))) {
                wrong = `HTTP ${status}: ${String(body).slice(0, 500)}`;
              }
            },
          },
        ],
      },
      (error, outcome) => (error ? reject(error) : resolve(outcome)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  });
  if (wrong !== null) throw new Error(`${options.label}: a wrong answer: ${wrong}`);
  if (result.errors || result.timeouts || result.non2xx) {
    throw new Error(
      `${options.label}: ${result.errors} errors, ${result.timeouts} timeouts, ` +
        `${result.non2xx} non-2xx answers`,
    );
  }
  if (answered === 0 && !options.warmup) throw new Error(`${options.label}: no answer at all`);
  return {
    requests: latencies.length,
    seconds: result.duration,
    perSecond: latencies.length / result.duration,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.reduce((a, b) => Math.max(a, b), 0),
  };
}

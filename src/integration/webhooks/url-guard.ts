import ipaddr from 'ipaddr.js';
import { lookup } from 'node:dns/promises';
import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

/** A URL that passed the check, with the address it was checked at (none: not resolved). */
export interface CheckedTarget {
  url: URL;
  /** The address every connection goes to: the one checked (DNS rebinding cannot move it). */
  address: { address: string; family: number } | null;
}

/**
 * Whether a webhook URL may be called. In production only https, and never an address of
 * the machine or its private networks (no SSRF): the name is resolved and every address
 * checked, at registration and again before each delivery (DNS can change).
 */
export async function urlProblem(url: string, allowPrivate: boolean): Promise<string | null> {
  const target = await resolveTarget(url, allowPrivate);
  return 'problem' in target ? target.problem : null;
}

/**
 * Checks a URL and resolves its host once; the delivery then connects to exactly that
 * address (`postPinned`), so a name that resolves to a public address for the check and a
 * private one for the request (DNS rebinding) cannot reach the private one.
 */
export async function resolveTarget(
  url: string,
  allowPrivate: boolean,
): Promise<CheckedTarget | { problem: string }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: 'must be an absolute URL' };
  }
  if (parsed.username || parsed.password) return { problem: 'must not carry credentials' };
  if (parsed.protocol !== 'https:' && !(allowPrivate && parsed.protocol === 'http:')) {
    return { problem: 'must use https' };
  }
  if (allowPrivate) return { url: parsed, address: null };
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: Array<{ address: string; family: number }>;
  try {
    addresses = ipaddr.isValid(host)
      ? [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }]
      : await lookup(host, { all: true });
  } catch {
    return { problem: 'the host name does not resolve' };
  }
  if (addresses.length === 0) return { problem: 'the host name does not resolve' };
  const blocked = addresses.find((a) => ipaddr.process(a.address).range() !== 'unicast');
  if (blocked) {
    return {
      problem: `resolves to a non-public address (${ipaddr.process(blocked.address).range()})`,
    };
  }
  return { url: parsed, address: addresses[0] };
}

/**
 * POSTs to a checked target: connects to the pinned address (TLS still verifies the host
 * name), follows no redirect, gives up after `timeoutMs` in all, and reads at most
 * `maxResponseBytes` of the answer before dropping the connection.
 */
export function postPinned(
  target: CheckedTarget,
  options: {
    headers: Record<string, string>;
    body: string;
    timeoutMs: number;
    maxResponseBytes: number;
  },
): Promise<{ status: number; text: string }> {
  const pinned: LookupFunction | undefined = target.address
    ? (_hostname, lookupOptions, callback) => {
        const { address, family } = target.address!;
        if ((lookupOptions as { all?: boolean }).all) {
          (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(
            null,
            [{ address, family }],
          );
        } else callback(null, address, family);
      }
    : undefined;
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const body = Buffer.from(options.body, 'utf8');
    const request = send(target.url, {
      method: 'POST',
      headers: { ...options.headers, 'content-length': String(body.length) },
      lookup: pinned,
      agent: false,
    });
    const timer = setTimeout(
      () => request.destroy(new Error(`timed out after ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        response.destroy();
        resolve({
          status: response.statusCode ?? 0,
          text: new TextDecoder('utf-8', { fatal: false }).decode(
            Buffer.concat(chunks).subarray(0, options.maxResponseBytes),
          ),
        });
      };
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= options.maxResponseBytes) finish();
      });
      response.on('end', finish);
      response.on('error', finish);
    });
    request.end(body);
  });
}

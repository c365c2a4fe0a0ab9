import ipaddr from 'ipaddr.js';
import { lookup } from 'node:dns/promises';

/**
 * Whether a webhook URL may be called. In production only https, and never an address of
 * the machine or its private networks (no SSRF): the name is resolved and every address
 * checked, at registration and again before each delivery (DNS can change).
 */
export async function urlProblem(url: string, allowPrivate: boolean): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute URL';
  }
  if (parsed.username || parsed.password) return 'must not carry credentials';
  if (parsed.protocol !== 'https:' && !(allowPrivate && parsed.protocol === 'http:')) {
    return 'must use https';
  }
  if (allowPrivate) return null;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host)
      ? [host]
      : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return 'the host name does not resolve';
  }
  const blocked = addresses.find((address) => {
    const parsedAddress = ipaddr.process(address);
    return parsedAddress.range() !== 'unicast';
  });
  return blocked ? `resolves to a non-public address (${ipaddr.process(blocked).range()})` : null;
}

import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { sha256Hex } from '../common/crypto/sha256';

/** 128 random bits per link (hex in the row). */
export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The link's key, derived from the server's signing secret for this one purpose: rotating
 * JWT_SECRET also replaces every tracking link (documented in docs/tracking-links.md).
 */
export function trackingKey(serverSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', serverSecret, '', 'duare tracking links v1', 32));
}

/**
 * The token of a link: 128 bits of HMAC over the random nonce, in base64url (22 characters,
 * short enough for an SMS). Unguessable without the key even with a copy of the database.
 */
export function tokenOf(key: Buffer, nonce: string): string {
  return createHmac('sha256', key).update(nonce).digest().subarray(0, 16).toString('base64url');
}

/** What is stored to find a link by its token. */
export function tokenHash(token: string): string {
  return sha256Hex(`tracking:${token}`);
}

/** Only a well-formed token is looked up (anything else is unknown without a query). */
export function isTokenShaped(text: string): boolean {
  return /^[A-Za-z0-9_-]{22}$/.test(text);
}

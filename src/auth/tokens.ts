import { randomBytes, timingSafeEqual } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';

const ISSUER = 'duare';
const AUDIENCE = 'duare-api';

export interface AccessClaims {
  accountId: string;
  sessionId: string;
}

export type AccessCheck =
  { ok: true; claims: AccessClaims } | { ok: false; problem: 'EXPIRED' | 'INVALID' };

/** Tokens whose signature and claims were found good, kept per process. */
const VERIFIED_TOKENS = 10_000;

interface VerifiedToken {
  claims: AccessClaims;
  /** Seconds since the epoch: `exp`, and the end of `maxTokenAge` from `iat`. */
  usableUntil: number;
}

/** Short-lived access tokens (JWT, HS256). The session they name is checked on every use. */
export class AccessTokens {
  private readonly key: Uint8Array;
  /**
   * A caller sends the same token with every request for its whole life: its HMAC and claims
   * are checked once, and later uses only compare the clock (a quarter of the sign-in check's
   * CPU on the queue page went to jose's WebCrypto verification, issue 25). Keyed by the whole
   * token, signature included, so only a string once verified can hit; bounded, and an entry
   * outliving its token is refused as EXPIRED like the token itself.
   */
  private readonly verified = new LRUCache<string, VerifiedToken>({ max: VERIFIED_TOKENS });

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async sign(claims: AccessClaims, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = new Date((issuedAt + this.ttlSeconds) * 1000);
    const token = await new SignJWT({ sid: claims.sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.accountId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    return { token, expiresAt };
  }

  async verify(token: string, now = Date.now()): Promise<AccessCheck> {
    const known = this.verified.get(token);
    if (known) {
      if (now / 1000 < known.usableUntil) return { ok: true, claims: known.claims };
      this.verified.delete(token);
      return { ok: false, problem: 'EXPIRED' };
    }
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        // Every token we sign has both: one without `exp` (or living longer than we issue
        // them) was not made by `sign` — a leaked key's forgery, or a bug (issue 21).
        requiredClaims: ['exp', 'iat'],
        maxTokenAge: this.ttlSeconds,
        currentDate: new Date(now),
      });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') {
        return { ok: false, problem: 'INVALID' };
      }
      const claims = { accountId: payload.sub, sessionId: payload.sid };
      this.verified.set(token, {
        claims,
        usableUntil: Math.min(payload.exp!, payload.iat! + this.ttlSeconds),
      });
      return { ok: true, claims };
    } catch (error) {
      return { ok: false, problem: error instanceof errors.JWTExpired ? 'EXPIRED' : 'INVALID' };
    }
  }
}

/** A random token for the client; only its SHA-256 is stored. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function sameHash(aHex: string, bHex: string): boolean {
  const [a, b] = [Buffer.from(aHex, 'hex'), Buffer.from(bHex, 'hex')];
  return a.length === b.length && timingSafeEqual(a, b);
}

const API_KEY = /^duare_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

/** API keys read `duare_<client id, hex>_<secret>`: the id finds the client, the secret proves it. */
export function formatApiKey(clientId: string, secret: string): string {
  return `duare_${clientId.replace(/-/g, '')}_${secret}`;
}

export function parseApiKey(key: string): { clientId: string; secret: string } | null {
  const match = API_KEY.exec(key);
  if (!match) return null;
  const hex = match[1];
  const clientId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { clientId, secret: match[2] };
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith('duare_');
}

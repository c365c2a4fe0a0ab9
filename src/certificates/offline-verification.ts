import { verifyWithPublicKey } from './certificate-signing.service';

export interface PublishedKey {
  keyId: string;
  publicKey: string;
}

export type OfflineResult =
  | { valid: true; kind: 'PDF' | 'QR' | 'JSON'; keyId: string; facts: Record<string, unknown> }
  | { valid: false; reason: string };

/** Reads what a Duare PDF carries in its metadata: the signed payload, signature and key id. */
function fromPdf(bytes: Buffer): { payload: string; signature: string; keyId: string } | null {
  const match =
    /duare-payload:([A-Za-z0-9_-]+);signature:([A-Za-z0-9_-]+);key:([A-Za-z0-9._-]+)/.exec(
      bytes.toString('latin1'),
    );
  if (!match) return null;
  return {
    payload: Buffer.from(match[1], 'base64url').toString('utf8'),
    signature: match[2],
    keyId: match[3],
  };
}

/** Reads what `GET /v/<reference>/signed` or the API's `verifyCertificate` answers. */
function fromJson(text: string): { payload: string; signature: string; keyId: string } | null {
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    // `payload` from the verify page's link, `signedPayload` from the API's verifyCertificate.
    const payload = json.payload ?? json.signedPayload;
    const { signature, keyId } = json;
    if (typeof payload !== 'string' || typeof signature !== 'string' || typeof keyId !== 'string')
      return null;
    return { payload, signature, keyId };
  } catch {
    return null;
  }
}

/**
 * Reads the token after `#` in what the QR code of a certificate issued before the short
 * QR codes holds (newer QR codes hold only the short link; their PDF and signed JSON check offline).
 */
function fromQr(text: string): { payload: string; signature: string; keyId: string } | null {
  const token = text.includes('#') ? text.slice(text.indexOf('#') + 1) : text;
  const [payload, signature, keyId] = token.trim().split('.');
  if (!payload || !signature || !keyId) return null;
  return { payload: Buffer.from(payload, 'base64url').toString('utf8'), signature, keyId };
}

/**
 * Checks a certificate without the server: a PDF file's bytes, or the text of its QR code,
 * against the published keys (`/.well-known/duare-keys.json`).
 */
export function verifyOffline(input: Buffer, keys: PublishedKey[]): OfflineResult {
  const isPdf = input.subarray(0, 5).toString('latin1') === '%PDF-';
  const text = isPdf ? '' : input.toString('utf8').trim();
  const isJson = text.startsWith('{');
  const found = isPdf ? fromPdf(input) : isJson ? fromJson(text) : fromQr(text);
  if (!found)
    return {
      valid: false,
      reason: isPdf
        ? 'no Duare signature in this PDF'
        : isJson
          ? 'not a Duare signed certificate file'
          : 'not a Duare QR code',
    };
  const key = keys.find((k) => k.keyId === found.keyId);
  if (!key) return { valid: false, reason: `key ${found.keyId} is not among the published keys` };
  if (!verifyWithPublicKey(key.publicKey, found.payload, found.signature)) {
    return { valid: false, reason: 'the signature does not match the content' };
  }
  let facts: Record<string, unknown> = {};
  try {
    facts = JSON.parse(found.payload) as Record<string, unknown>;
  } catch {
    return { valid: false, reason: 'the signed content is not readable' };
  }
  return { valid: true, kind: isPdf ? 'PDF' : isJson ? 'JSON' : 'QR', keyId: found.keyId, facts };
}

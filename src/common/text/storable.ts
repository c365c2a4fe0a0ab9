/**
 * Text from outside (a receiver's answer, a provider's error) made safe to store in a
 * PostgreSQL `text`/`varchar` column: no NUL (PostgreSQL refuses it), no lone surrogate
 * (not valid UTF-8), no other control characters but tab and newline, at most `max`
 * characters. Storing it can never fail on its content.
 */
export function storableText(value: unknown, max: number): string {
  const text = typeof value === 'string' ? value : String(value ?? '');
  const cleaned = text
    .slice(0, max * 2)
    // Lone surrogates become U+FFFD (a pair is kept).
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
  if (cleaned.length <= max) return cleaned;
  // Never cut a surrogate pair in half.
  const cut = /[\uD800-\uDBFF]/.test(cleaned[max - 1]) ? max - 1 : max;
  return cleaned.slice(0, cut);
}

/** `storableText`, keeping null and undefined as null. */
export function storableOrNull(value: unknown, max: number): string | null {
  return value === null || value === undefined ? null : storableText(value, max);
}

/**
 * Reads at most `maxBytes` of a fetch response's body, then cancels the rest (a 300 MB
 * answer costs no more than the cap), decoded as UTF-8 with replacement characters.
 */
export async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  return readCappedStream(response.body as unknown as AsyncIterable<Uint8Array>, maxBytes);
}

/**
 * `readCapped` for any body that yields bytes (a fetch body, a Node stream such as undici's):
 * leaving the loop early cancels a web stream and destroys a Node one, so the rest is never
 * read.
 */
export async function readCappedStream(
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.byteLength;
    if (size >= maxBytes) break;
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

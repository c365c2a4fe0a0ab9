const LONE_SURROGATE =
  /\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}/;

/**
 * JSON PostgreSQL refuses to store as jsonb: a NUL character or half of a surrogate pair
 * (WhatsApp never sends either; refusing them keeps a poisoned row out of the inbox).
 */
export function unstorableJson(text: string): boolean {
  return text.includes('\\u0000') || LONE_SURROGATE.test(text);
}

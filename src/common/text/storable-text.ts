/**
 * Text as PostgreSQL can always store it: no NUL characters (refused by `text` and `jsonb`),
 * no lone UTF-16 surrogates (refused in `jsonb`, mangled in `text`), cut to `max` characters
 * without splitting a surrogate pair. For recording causes and excerpts, which must never
 * make the statement that records them fail.
 */
export function storableText(value: unknown, max: number): string {
  const text = String(value instanceof Error ? value.message : value)
    .replaceAll('\u0000', '\uFFFD')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  if (text.length <= max) return text;
  const cut = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return text.slice(0, cut);
}

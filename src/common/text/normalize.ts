// C0/C1 control characters other than whitespace: never meant, and PostgreSQL refuses NUL.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Stored text: Unicode NFC, control characters dropped, trimmed, whitespace runs collapsed. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(CONTROL, '').trim().replace(/\s+/g, ' ');
}

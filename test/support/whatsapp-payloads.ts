/**
 * WhatsApp Cloud API webhook payloads and the helpline's settings, as plain functions with no
 * import of the app's modules: the Jest e2e tests (through whatsapp-webhooks.ts) and the
 * Playwright browser tests (which cannot load Nest's decorated classes) share them.
 */
import { signPayload } from '../../src/whatsapp/whatsapp-signature';

export const APP_SECRET = 'test-app-secret-for-webhooks';
export const VERIFY_TOKEN = 'test-verify-token';
export const HELPLINE = '106540352242922';

export interface StatusUpdate {
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  timestamp?: number;
  errorCode?: number;
}

/** A `messages`-field change carrying statuses, in Meta's format. */
export function statusPayload(updates: StatusUpdate[], phoneNumberId = HELPLINE) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '917000000005', phone_number_id: phoneNumberId },
              statuses: updates.map((u) => ({
                id: u.id,
                status: u.status,
                timestamp: String(u.timestamp ?? Math.floor(Date.now() / 1000)),
                recipient_id: '919876543210',
                ...(u.errorCode
                  ? {
                      errors: [
                        {
                          code: u.errorCode,
                          title: 'Re-engagement message',
                          message: 'window closed',
                        },
                      ],
                    }
                  : {}),
              })),
            },
          },
        ],
      },
    ],
  };
}

/** POSTs a payload to the webhook, signed with the app secret unless told otherwise. */
export async function postWebhook(
  t: { url: string },
  payload: unknown,
  signature: string | null = 'VALID',
): Promise<Response> {
  const raw = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature === 'VALID') headers['x-hub-signature-256'] = signPayload(raw, APP_SECRET);
  else if (signature !== null) headers['x-hub-signature-256'] = signature;
  return fetch(`${t.url}/webhooks/whatsapp`, { method: 'POST', headers, body: raw });
}

let sequence = 0;

/** One inbound message object; `parts` is its type-specific part (`text`, `interactive`, …). */
export function inbound(from: string, type: string, parts: Record<string, unknown>, id?: string) {
  sequence += 1;
  return {
    from,
    id: id ?? `wamid.IN${Date.now()}${String(sequence).padStart(4, '0')}`,
    timestamp: String(Math.floor(Date.now() / 1000)),
    type,
    ...parts,
  };
}

export const text = (from: string, body: string, id?: string) =>
  inbound(from, 'text', { text: { body } }, id);
export const listReply = (from: string, rowId: string, title = '') =>
  inbound(from, 'interactive', {
    interactive: { type: 'list_reply', list_reply: { id: rowId, title } },
  });
export const buttonReply = (from: string, buttonId: string, title = '') =>
  inbound(from, 'interactive', {
    interactive: { type: 'button_reply', button_reply: { id: buttonId, title } },
  });
export const image = (from: string, mediaId: string, caption?: string) =>
  inbound(from, 'image', { image: { id: mediaId, mime_type: 'image/jpeg', sha256: 'x', caption } });

/** A `messages` payload carrying messages (and optionally statuses) to a helpline. */
export function messagesPayload(
  messages: Array<ReturnType<typeof inbound>>,
  names: Record<string, string> = {},
  phoneNumberId = HELPLINE,
) {
  const senders = [...new Set(messages.map((m) => m.from))];
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '917000000005', phone_number_id: phoneNumberId },
              contacts: senders.map((wa) => ({
                profile: { name: names[wa] ?? 'Resident' },
                wa_id: wa,
              })),
              messages,
            },
          },
        ],
      },
    ],
  };
}

/** The app's WhatsApp settings, pointed at a fake Graph API on 127.0.0.1. */
export function whatsappEnv(fake: { url: string }): Record<string, string> {
  return {
    WHATSAPP_ACCESS_TOKEN: 'test-access-token',
    WHATSAPP_API_BASE_URL: fake.url,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    WHATSAPP_RATE_PER_SECOND: '1000',
  };
}

/** Makes the ward's WhatsApp number the helpline the signed webhooks are addressed to. */
export async function makeHelpline(
  pool: { query(sql: string, params: unknown[]): Promise<unknown> },
  wardId: string,
): Promise<void> {
  await pool.query(`UPDATE wards SET whatsapp_phone_number_id = $2 WHERE id = $1`, [
    wardId,
    HELPLINE,
  ]);
}

/**
 * Signed WhatsApp webhooks as Meta sends them: one text message from one resident each.
 */
import { randomBytes } from 'node:crypto';
import { signPayload } from '../../src/whatsapp/whatsapp-signature';

const NAMES = [
  'রহিম শেখ',
  'সুনীতা দাস',
  'মালতী পাল',
  'গোপাল মণ্ডল',
  'অনিতা রায়',
  'Karim Sheikh',
  'দীপা ঘোষ',
  'Chandan Sen',
  'বিনা বিশ্বাস',
  'অরূপ দাস',
];

export interface SignedWebhook {
  waId: string;
  raw: Buffer;
  signature: string;
}

/**
 * A signed webhook carrying `text` from WhatsApp id `waId` to the helpline `phoneNumberId`,
 * with a message id never used before.
 */
export function textWebhook(
  waId: string,
  text: string,
  phoneNumberId: string,
  appSecret: string,
  seq: number,
): SignedWebhook {
  const payload = {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '917000000005', phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: NAMES[seq % NAMES.length] }, wa_id: waId }],
              messages: [
                {
                  from: waId,
                  id: `wamid.HBgMOTE${randomBytes(12).toString('hex').toUpperCase()}${seq}`,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  text: { body: text },
                  type: 'text',
                },
              ],
            },
          },
        ],
      },
    ],
  };
  const raw = Buffer.from(JSON.stringify(payload), 'utf8');
  return { waId, raw, signature: signPayload(raw, appSecret) };
}

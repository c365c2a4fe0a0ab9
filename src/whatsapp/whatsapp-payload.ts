import { z } from 'zod';

/**
 * The parts of Meta's webhook payload Duare reads. Our own schema (the official typings
 * have been wrong); unknown fields pass through, and every array is read whole.
 */
const status = z.object({
  id: z.string().min(1).max(128),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  timestamp: z.string().regex(/^\d{1,12}$/),
  recipient_id: z.string().max(32).optional(),
  errors: z
    .array(
      z.object({ code: z.number(), title: z.string().optional(), message: z.string().optional() }),
    )
    .optional(),
});

const message = z
  .object({
    from: z.string().min(1).max(32),
    id: z.string().min(1).max(128),
    timestamp: z.string().regex(/^\d{1,12}$/),
    type: z.string().max(40),
  })
  .passthrough();

const value = z.object({
  messaging_product: z.literal('whatsapp').optional(),
  metadata: z.object({
    phone_number_id: z.string().min(1).max(64),
    display_phone_number: z.string().optional(),
  }),
  contacts: z
    .array(
      z.object({
        wa_id: z.string().max(32),
        profile: z
          .object({ name: z.string().max(500) })
          .partial()
          .optional(),
      }),
    )
    .optional(),
  messages: z.array(message).optional(),
  statuses: z.array(status).optional(),
});

export const webhookPayload = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.object({
      id: z.string().optional(),
      changes: z.array(z.object({ field: z.string(), value: z.unknown() })),
    }),
  ),
});

export type WebhookPayload = z.infer<typeof webhookPayload>;
export type WebhookValue = z.infer<typeof value>;
export type WebhookStatus = z.infer<typeof status>;
export type WebhookMessage = z.infer<typeof message>;

/** Every `messages` change of a payload, each checked on its own: one bad change spoils no other. */
export function messageValues(payload: WebhookPayload): {
  values: WebhookValue[];
  invalid: number;
} {
  const values: WebhookValue[] = [];
  let invalid = 0;
  for (const entry of payload.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') continue;
      const parsed = value.safeParse(change.value);
      if (parsed.success) values.push(parsed.data);
      else invalid += 1;
    }
  }
  return { values, invalid };
}

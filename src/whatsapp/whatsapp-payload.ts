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

/** A business-scoped user id (`IN.1234…`): how Meta names a resident who hides the number. */
const userId = z.string().min(1).max(160);

const message = z
  .object({
    from: z.string().min(1).max(32).optional(),
    from_user_id: userId.optional(),
    id: z.string().min(1).max(128),
    timestamp: z.string().regex(/^\d{1,12}$/),
    type: z.string().max(40),
    /** The message replied to (a resident answering one of ours). */
    context: z
      .object({ id: z.string().max(128).optional() })
      .passthrough()
      .optional()
      .catch(undefined),
  })
  .passthrough()
  .refine((m) => m.from !== undefined || m.from_user_id !== undefined, {
    message: 'a message names its sender by phone (`from`) or user id (`from_user_id`)',
  });

const value = z.object({
  messaging_product: z.literal('whatsapp').optional(),
  metadata: z.object({
    phone_number_id: z.string().min(1).max(64),
    display_phone_number: z.string().optional(),
  }),
  contacts: z
    .array(
      z.object({
        wa_id: z.string().max(32).optional(),
        user_id: userId.optional(),
        profile: z
          .object({ name: z.string().max(500) })
          .partial()
          .optional(),
      }),
    )
    .optional(),
  messages: z.array(message).optional(),
  statuses: z.array(status).optional(),
  errors: z
    .array(z.object({ code: z.number().optional(), title: z.string().optional() }).passthrough())
    .optional(),
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

/** Who wrote a message: the WhatsApp id (the phone) when given, else the business-scoped id. */
export function senderOf(message: Pick<WebhookMessage, 'from' | 'from_user_id'>): string {
  return message.from ?? message.from_user_id ?? '';
}

/**
 * The sender and helpline a stored payload is about (its first message's), read leniently
 * from the raw payload: they decide ordering and visibility, never whether it is stored.
 */
export function payloadKeys(payload: WebhookPayload): {
  sender: string | null;
  helpline: string | null;
  /** WhatsApp's timestamp of the first message, when it has one. */
  writtenAt: Date | null;
} {
  for (const entry of payload.entry) {
    for (const change of entry.changes) {
      const v = change.value as
        | {
            metadata?: { phone_number_id?: unknown };
            messages?: Array<{ from?: unknown; from_user_id?: unknown; timestamp?: unknown }>;
          }
        | undefined;
      const helpline =
        typeof v?.metadata?.phone_number_id === 'string' ? v.metadata.phone_number_id : null;
      const first = Array.isArray(v?.messages) ? v.messages[0] : undefined;
      const sender = first?.from ?? first?.from_user_id;
      const seconds = Number(first?.timestamp);
      if (helpline || typeof sender === 'string')
        return {
          sender: typeof sender === 'string' ? sender.slice(0, 160) : null,
          helpline: helpline?.slice(0, 64) ?? null,
          writtenAt: Number.isSafeInteger(seconds) && seconds > 0 ? new Date(seconds * 1000) : null,
        };
    }
  }
  return { sender: null, helpline: null, writtenAt: null };
}

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

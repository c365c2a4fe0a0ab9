import { SharedLocation } from '../entities/whatsapp-message.entity';
import { WebhookMessage } from '../whatsapp-payload';

/** What a resident sent, reduced to what the bot reads. */
export interface Inbound {
  wamid: string;
  type: string;
  text: string;
  /** The id of a chosen list row or button. */
  choiceId: string | null;
  media: { id: string; mimeType: string; sha256?: string; caption?: string } | null;
  location: SharedLocation | null;
  /** A reaction: the emoji (null when taken back) and the message it is on. */
  reaction: { emoji: string | null; messageId: string } | null;
  /** The message the resident replied to (WhatsApp's `context.id`), when they used "reply". */
  contextMessageId: string | null;
  sentAt: Date;
}

interface MediaPart {
  id?: string;
  mime_type?: string;
  sha256?: string;
  caption?: string;
}

/** The variants of an inbound message the bot reads (Meta's payload, our own types). */
export interface MessageParts {
  text?: { body?: string };
  interactive?: {
    list_reply?: { id?: string; title?: string };
    button_reply?: { id?: string; title?: string };
  };
  button?: { payload?: string; text?: string };
  image?: MediaPart;
  document?: MediaPart;
  audio?: MediaPart;
  video?: MediaPart;
  location?: {
    latitude?: unknown;
    longitude?: unknown;
    name?: unknown;
    address?: unknown;
    url?: unknown;
  };
  reaction?: { message_id?: unknown; emoji?: unknown };
  context?: { id?: unknown };
  system?: {
    type?: unknown;
    body?: unknown;
    wa_id?: unknown;
    new_wa_id?: unknown;
    user_id?: unknown;
    new_user_id?: unknown;
  };
}

export const MEDIA_TYPES = ['image', 'document', 'audio', 'video'] as const;

export const optionalText = (value: unknown, max: number): string | null =>
  typeof value === 'string' && value.trim() ? value.trim().slice(0, max) : null;

function readLocation(part: MessageParts['location']): SharedLocation | null {
  const latitude = Number(part?.latitude);
  const longitude = Number(part?.longitude);
  if (!part || !Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  return {
    latitude,
    longitude,
    name: optionalText(part.name, 300),
    address: optionalText(part.address, 500),
    url: optionalText(part.url, 1000),
  };
}

/** A webhook message as the bot reads it: whatever its type, a text, a choice, media or a place. */
export function readInbound(message: WebhookMessage): Inbound {
  const m = message as WebhookMessage & MessageParts;
  const mediaType = MEDIA_TYPES.find((type) => type === m.type);
  const media = mediaType ? m[mediaType] : undefined;
  const interactive = m.interactive?.list_reply ?? m.interactive?.button_reply ?? null;
  const location = m.type === 'location' ? readLocation(m.location) : null;
  const reactedTo = m.type === 'reaction' ? optionalText(m.reaction?.message_id, 128) : null;
  return {
    wamid: m.id,
    type: m.type,
    text: String(
      m.text?.body ??
        interactive?.title ??
        m.button?.text ??
        media?.caption ??
        [location?.name, location?.address].filter(Boolean).join(', ') ??
        '',
    ),
    choiceId: interactive?.id ?? m.button?.payload ?? null,
    media: media?.id
      ? {
          id: String(media.id),
          mimeType: String(media.mime_type ?? ''),
          sha256: media.sha256,
          caption: media.caption,
        }
      : null,
    location,
    reaction: reactedTo
      ? { emoji: optionalText(m.reaction?.emoji, 40), messageId: reactedTo }
      : null,
    contextMessageId: optionalText(m.context?.id, 128),
    sentAt: new Date(Number(m.timestamp) * 1000),
  };
}

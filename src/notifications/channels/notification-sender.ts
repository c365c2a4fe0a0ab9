import { SendOutcome } from '../../whatsapp-cloud/whatsapp-cloud.client';

/** A claimed notification, as the dispatcher hands it to a channel. */
export interface OutgoingNotification {
  id: string;
  channel: string;
  address: string;
  sender: string | null;
  language: string;
  templateKey: string;
  body: string;
  templateName: string | null;
  /** The DLT template an SMS names itself (an announcement's); null: its wording's. */
  dltTemplateId?: string | null;
  templateParams: string[];
  /** TEMPLATE when an earlier attempt learnt that the 24-hour window is closed. */
  sentAs: string | null;
  /** Whose wording it is (the SMS channel reads the wording's DLT template id). */
  municipalityId?: string;
  /** A helpline reply: the message object to send as it is. */
  content: Record<string, unknown> | null;
  /** The resident's message this is the first reply to: marked read once the reply is out. */
  readReceiptFor?: string | null;
  /** Whether the 24-hour window was open when the message was claimed; unknown: look. */
  windowOpen?: boolean;
}

export type ChannelOutcome = SendOutcome & { sentAs?: 'TEXT' | 'TEMPLATE' };

/** One way of sending (WhatsApp, SMS, the log). */
export interface NotificationSender {
  send(notification: OutgoingNotification): Promise<ChannelOutcome>;
}

/** Masks a phone number or WhatsApp id for logs: the last four digits only. */
export function maskAddress(address: string): string {
  return `•••${address.slice(-4)}`;
}

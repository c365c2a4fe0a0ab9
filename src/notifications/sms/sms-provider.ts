import { SendOutcome } from '../../whatsapp-cloud/whatsapp-cloud.client';
import { SmsEncoding } from './sms-segments';

/** One SMS as a provider sends it. */
export interface SmsMessage {
  /** Country code and number, digits only (`919876543210`). */
  to: string;
  text: string;
  encoding: SmsEncoding;
  /** TRAI DLT id of the registered template this text matches. */
  dltTemplateId: string;
}

/** An SMS gateway (Gupshup Enterprise today); the log stands in when none is configured. */
export interface SmsProvider {
  send(message: SmsMessage): Promise<SendOutcome>;
}

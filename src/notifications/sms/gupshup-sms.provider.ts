import { withDeadline } from '../../common/http/deadline';
import { readCapped } from '../../common/text/storable';
import { SendOutcome, transportFailure } from '../../whatsapp-cloud/whatsapp-cloud.client';
import { SmsConfig } from '../../config/app-config';
import { SmsMessage, SmsProvider } from './sms-provider';

type GupshupConfig = Extract<SmsConfig, { provider: 'gupshup' }>;

/** The answers are one short line per number. */
const MAX_ANSWER_BYTES = 16 * 1024;
/**
 * Error codes of the API's own trouble ("unknown exception"), worth trying again. Every other
 * `error |` answer is about the request or the account (a bad number, a text that does not
 * match its DLT template, credentials, credit) and would fail the same way again.
 */
const RETRY_CODES = new Set(['100']);

/**
 * Gupshup Enterprise SMS (`GatewayAPI/rest`, `method=SendMessage`, v1.1): the DLT principal
 * entity id, the sender header (`mask`) and the template's DLT id travel with every message;
 * Bengali goes as `UNICODE_TEXT`. The text answer is `success | <number> | <message id>` or
 * `error | <number> | <code> | <reason>`.
 */
export class GupshupSmsProvider implements SmsProvider {
  constructor(private readonly config: GupshupConfig) {}

  async send(message: SmsMessage): Promise<SendOutcome> {
    const form = new URLSearchParams({
      method: 'SendMessage',
      v: '1.1',
      auth_scheme: 'plain',
      format: 'text',
      userid: this.config.userId,
      password: this.config.password,
      send_to: message.to,
      msg: message.text,
      msg_type: message.encoding === 'UCS2' ? 'UNICODE_TEXT' : 'TEXT',
      mask: this.config.senderId,
      principalEntityId: this.config.entityId,
      dltTemplateId: message.dltTemplateId,
    });
    return withDeadline(this.config.timeoutMs, async (signal) => {
      let response: Response;
      try {
        response = await fetch(this.config.url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
          body: form.toString(),
          signal,
        });
      } catch (error) {
        return transportFailure(error);
      }
      const answer = await readCapped(response, MAX_ANSWER_BYTES).catch(() => '');
      return gupshupOutcome(response.status, answer);
    });
  }
}

/** Reads Gupshup's text answer; the HTTP status decides only when the text says nothing. */
export function gupshupOutcome(httpStatus: number, answer: string): SendOutcome {
  const fields = (answer.split(/\r?\n/)[0] ?? '').split('|').map((f) => f.trim());
  const verdict = fields[0]?.toLowerCase();
  if (verdict === 'success' && fields.length >= 3 && fields[fields.length - 1]) {
    return { ok: true, messageId: fields[fields.length - 1] };
  }
  if (verdict === 'error') {
    // The number is echoed before the code on most accounts, not on all: the code is the
    // first short all-digit field.
    const code = fields.slice(1).find((f) => /^[0-9]{1,4}$/.test(f)) ?? 'UNKNOWN';
    const reason = (fields[fields.length - 1] || `error ${code}`).slice(0, 500);
    return {
      ok: false,
      kind: RETRY_CODES.has(code) ? 'RETRY' : 'PERMANENT',
      code: `GUPSHUP_${code}`,
      message: reason,
    };
  }
  if (httpStatus >= 500 || httpStatus === 429) {
    return { ok: false, kind: 'RETRY', code: `HTTP_${httpStatus}`, message: `HTTP ${httpStatus}` };
  }
  if (httpStatus < 300) {
    // Accepted or not? The answer does not say: the message may have gone out.
    return {
      ok: false,
      kind: 'RETRY',
      code: 'UNREADABLE_ANSWER',
      message: `HTTP ${httpStatus}: ${answer.slice(0, 200) || 'empty answer'}`,
      ambiguous: true,
    };
  }
  return {
    ok: false,
    kind: 'PERMANENT',
    code: `HTTP_${httpStatus}`,
    message: `HTTP ${httpStatus}: ${answer.slice(0, 200)}`,
  };
}

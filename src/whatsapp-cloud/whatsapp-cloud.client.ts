import { withDeadline } from '../common/http/deadline';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Agent, Dispatcher, request } from 'undici';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { readCappedStream } from '../common/text/storable';

/** What became of a send: accepted with a message id, or why not and what to do about it. */
export type SendOutcome =
  | { ok: true; messageId: string }
  | {
      ok: false;
      /** RETRY: try again later; WINDOW_CLOSED: send a template instead; PERMANENT: give up. */
      kind: 'RETRY' | 'WINDOW_CLOSED' | 'PERMANENT';
      code: string;
      message: string;
      /** The Cloud API asked for this wait (`Retry-After` on a 429): no retry before it. */
      retryAfterMs?: number;
      /**
       * The request may have reached WhatsApp but its answer was lost (a timeout, a dropped
       * connection, an unreadable 200): sending again may deliver it twice.
       */
      ambiguous?: boolean;
    };

/** Network errors raised before anything was sent: retrying them cannot duplicate. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/** Bytes of a Cloud API answer read at most (they are small JSON documents). */
const MAX_ANSWER_BYTES = 64 * 1024;
/** The longest `Retry-After` honoured (longer ones are the backoff's business). */
const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/** `Retry-After` as seconds or an HTTP date, in milliseconds from now; null if absent. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header.trim());
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  if (!Number.isFinite(ms) || ms < 0) return null;
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

/** Cloud API error codes worth waiting for (throughput, pair rate, spam rate, upgrading). */
const RETRY_CODES = new Set([130429, 131056, 131057, 131048]);
const WINDOW_CLOSED = 131047;
const BUSINESS_SCOPED_ID = /^[A-Z]{2}\./;

interface GraphError {
  error?: { code?: number; message?: string };
}

/**
 * The WhatsApp Business Cloud API, the parts Duare sends with. The base URL is
 * configuration, so tests point it at a fake server speaking the same wire format.
 */
@Injectable()
export class WhatsAppCloudClient implements OnApplicationShutdown {
  /**
   * The sends' own keep-alive connections. Sends go through undici's `request`, not `fetch`:
   * at four calls a message (three replies and the read mark), `fetch`'s web streams and
   * Headers cost about 380 µs of CPU a call more — a quarter of what the bot spends on a
   * message (bench/README.md, round 7).
   */
  private readonly agent = new Agent({ keepAliveTimeout: 30_000 });

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onApplicationShutdown(): Promise<void> {
    await this.agent.close();
  }

  /** Without an access token nothing is sent to WhatsApp (the LOG channel stands in). */
  get configured(): boolean {
    return Boolean(this.config.whatsapp.accessToken);
  }

  sendText(phoneNumberId: string, to: string, body: string): Promise<SendOutcome> {
    return this.send(phoneNumberId, {
      recipient_type: 'individual',
      to,
      type: 'text',
      text: { preview_url: false, body: body.slice(0, 4096) },
    });
  }

  sendTemplate(
    phoneNumberId: string,
    to: string,
    name: string,
    languageCode: string,
    parameters: string[],
  ): Promise<SendOutcome> {
    return this.send(phoneNumberId, {
      recipient_type: 'individual',
      to,
      type: 'template',
      template: {
        name,
        language: { code: languageCode },
        components: parameters.length
          ? [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }]
          : [],
      },
    });
  }

  /**
   * Size, type and checksum of a media file a resident sent (its URL lives 5 minutes).
   * Throws with the reason (HTTP status and WhatsApp's message, a timeout, an incomplete
   * answer) when WhatsApp does not describe it.
   */
  async mediaInfo(
    mediaId: string,
  ): Promise<{ url: string | null; mimeType: string; sha256: string; fileSize: number }> {
    const { baseUrl, apiVersion, accessToken, timeoutMs } = this.config.whatsapp;
    return withDeadline(timeoutMs, async (signal) => {
      const response = await fetch(`${baseUrl}/${apiVersion}/${encodeURIComponent(mediaId)}`, {
        headers: { authorization: `Bearer ${accessToken}` },
        signal,
      });
      return describedMedia(response);
    });
  }

  /**
   * The bytes behind a media URL (it needs the token and lives 5 minutes), read up to
   * `maxBytes`: a larger file is refused without being read whole.
   */
  async downloadMedia(url: string, maxBytes: number): Promise<Buffer> {
    const { accessToken, timeoutMs } = this.config.whatsapp;
    return withDeadline(timeoutMs * 3, async (signal) => {
      const response = await fetch(url, {
        headers: { authorization: `Bearer ${accessToken}` },
        redirect: 'error',
        signal,
      });
      return readMedia(response, maxBytes);
    });
  }

  /** Any message object (text, interactive list or buttons) to one recipient. */
  sendMessage(
    phoneNumberId: string,
    to: string,
    content: Record<string, unknown>,
  ): Promise<SendOutcome> {
    return this.send(phoneNumberId, { recipient_type: 'individual', to, ...content });
  }

  /**
   * Marks a resident's message read (their blue ticks). Best effort: a failure is only
   * reported, never retried — the reply itself has gone out.
   */
  async markRead(phoneNumberId: string, wamid: string): Promise<boolean> {
    try {
      return await withDeadline(this.config.whatsapp.timeoutMs, async (signal) => {
        const message = { status: 'read', message_id: wamid };
        const response = await this.post(phoneNumberId, message, signal);
        const body = JSON.parse(await readAnswer(response)) as { success?: unknown };
        return isOk(response) && body?.success === true;
      });
    } catch {
      return false;
    }
  }

  private post(
    phoneNumberId: string,
    message: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<Dispatcher.ResponseData> {
    const { baseUrl, apiVersion, accessToken } = this.config.whatsapp;
    return request(`${baseUrl}/${apiVersion}/${encodeURIComponent(phoneNumberId)}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', ...message }),
      signal,
      dispatcher: this.agent,
    });
  }

  private async send(
    phoneNumberId: string,
    message: Record<string, unknown>,
  ): Promise<SendOutcome> {
    // A resident known only by a business-scoped user id (`IN.1234…`, no phone number) is
    // addressed as `recipient`; `to` is for phone numbers.
    if (typeof message.to === 'string' && BUSINESS_SCOPED_ID.test(message.to)) {
      const { to, ...rest } = message;
      message = { ...rest, recipient: to };
    }
    return withDeadline(this.config.whatsapp.timeoutMs, (signal) =>
      this.sendWithin(phoneNumberId, message, signal),
    );
  }

  private async sendWithin(
    phoneNumberId: string,
    message: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<SendOutcome> {
    let response: Dispatcher.ResponseData;
    try {
      response = await this.post(phoneNumberId, message, signal);
    } catch (error) {
      return transportFailure(error);
    }
    let body: GraphError & { messages?: Array<{ id?: string }> } = {};
    let readable = true;
    try {
      body = JSON.parse(await readAnswer(response)) ?? {};
    } catch {
      readable = false;
    }
    const ok = isOk(response);
    const messageId = body?.messages?.[0]?.id;
    if (ok && typeof messageId === 'string' && messageId) return { ok: true, messageId };
    if (ok && (!readable || !body?.error)) {
      // Accepted or not? The answer does not say: the message may have gone out.
      return {
        ok: false,
        kind: 'RETRY',
        code: 'UNREADABLE_ANSWER',
        message: `HTTP ${response.statusCode} without a message id`,
        ambiguous: true,
      };
    }
    const outcome = classify(response.statusCode, body ?? {});
    const wait = retryAfterMs(headerOf(response, 'retry-after'));
    return !outcome.ok && outcome.kind === 'RETRY' && wait !== null
      ? { ...outcome, retryAfterMs: wait }
      : outcome;
  }
}

function isOk(response: Dispatcher.ResponseData): boolean {
  return response.statusCode >= 200 && response.statusCode < 300;
}

function headerOf(response: Dispatcher.ResponseData, name: string): string | null {
  const value = response.headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/** At most MAX_ANSWER_BYTES of an answer; the rest is not read. */
function readAnswer(response: Dispatcher.ResponseData): Promise<string> {
  return readCappedStream(response.body, MAX_ANSWER_BYTES);
}

/** WhatsApp's description of a media file, or the reason it gave none. */
async function describedMedia(
  response: Response,
): Promise<{ url: string | null; mimeType: string; sha256: string; fileSize: number }> {
  const body = (await response.json().catch(() => ({}))) as GraphError & {
    url?: string;
    mime_type?: string;
    sha256?: string;
    file_size?: number;
  };
  if (!response.ok) {
    const said = body.error?.message ? `: ${body.error.message.slice(0, 300)}` : '';
    throw new Error(`the Graph API answered HTTP ${response.status}${said}`);
  }
  if (!body.mime_type || !body.sha256 || !body.file_size)
    throw new Error('the Graph API described the file without its type, checksum or size');
  return {
    url: typeof body.url === 'string' ? body.url : null,
    mimeType: body.mime_type,
    sha256: body.sha256,
    fileSize: Number(body.file_size),
  };
}

/** A media download's bytes, refused past `maxBytes` without reading the rest. */
async function readMedia(response: Response, maxBytes: number): Promise<Buffer> {
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new Error(`the media download answered HTTP ${response.status}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > maxBytes) {
      await response.body.cancel().catch(() => undefined);
      throw new Error(`the file is larger than ${maxBytes} bytes`);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/**
 * A send that got no answer (a refused connection, a timeout): retried; ambiguous unless the
 * error says nothing was sent, since a timed-out request may have been delivered. Shared by
 * every provider that sends with `fetch` (the SMS gateway too).
 */
export function transportFailure(error: unknown): SendOutcome {
  const timedOut = (error as Error).name === 'TimeoutError';
  // `fetch` wraps the network error as its cause; undici's `request` throws it as it is (a
  // DOMException's numeric code, 23 for a timeout, is not a network error's).
  const own = (error as { code?: unknown }).code;
  const cause = String(
    ((error as Error).cause as { code?: string } | undefined)?.code ??
      (typeof own === 'string' ? own : ''),
  );
  return {
    ok: false,
    kind: 'RETRY',
    code: timedOut ? 'TIMEOUT' : 'NETWORK',
    message: String((error as Error).message) + (cause ? ` (${cause})` : ''),
    ambiguous: !NOT_SENT.has(cause),
  };
}

/** Acts on the Cloud API's error code first, the HTTP status second. */
export function classify(httpStatus: number, body: GraphError): SendOutcome {
  const code = body.error?.code;
  const message = (body.error?.message ?? `HTTP ${httpStatus}`).slice(0, 500);
  if (code === WINDOW_CLOSED)
    return { ok: false, kind: 'WINDOW_CLOSED', code: String(code), message };
  if (code !== undefined && RETRY_CODES.has(code)) {
    return { ok: false, kind: 'RETRY', code: String(code), message };
  }
  if (httpStatus >= 500 || httpStatus === 429 || (httpStatus < 300 && code === undefined)) {
    return { ok: false, kind: 'RETRY', code: String(code ?? `HTTP_${httpStatus}`), message };
  }
  return { ok: false, kind: 'PERMANENT', code: String(code ?? `HTTP_${httpStatus}`), message };
}

import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';

/** One request our client made, as the fake Graph API received it. */
export interface GraphCall {
  at: number;
  method: string;
  path: string;
  authorization: string | undefined;
  body: any;
  /** What the fake answered: an HTTP status, 'HANG' (no answer), or undefined while deciding. */
  answered?: number | 'HANG';
  /** The message id handed back when the send was accepted. */
  wamid?: string;
}

/** What the fake answers to one call: an HTTP status and JSON body, or a hang (timeout). */
export type GraphAnswer =
  { status: number; body: unknown; headers?: Record<string, string>; raw?: string } | 'HANG';

/**
 * A stand-in for graph.facebook.com on 127.0.0.1, speaking the Cloud API wire format:
 * records every call and answers success with a fresh wamid unless told otherwise.
 */
export class FakeGraphApi {
  readonly calls: GraphCall[] = [];
  private readonly planned: GraphAnswer[] = [];
  private decide: ((call: GraphCall) => GraphAnswer | undefined) | null = null;
  private server!: Server;
  private counter = 0;
  private readonly hanging = new Set<ServerResponse>();

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next calls get these answers, in order; after them, success again. */
  answerNext(...answers: GraphAnswer[]): void {
    this.planned.push(...answers);
  }

  /** A rule for every call (return undefined for the default success). */
  answerWith(rule: ((call: GraphCall) => GraphAnswer | undefined) | null): void {
    this.decide = rule;
  }

  /** Sends WhatsApp accepted (answered 200 with a message id): what reached the resident. */
  accepted(): GraphCall[] {
    return this.messages().filter((c) => c.answered === 200 && c.wamid);
  }

  /** Calls held open without an answer right now. */
  get hangingCount(): number {
    return this.hanging.size;
  }

  /** Calls that sent a message (not the planned failures' retries alone; not read receipts). */
  messages(): GraphCall[] {
    return this.calls.filter((c) => c.path.endsWith('/messages') && !isReadReceipt(c));
  }

  /** The resident messages marked read (`status: read`), by wamid. */
  readReceipts(): string[] {
    return this.calls.filter(isReadReceipt).map((c) => String(c.body.message_id));
  }

  /**
   * The bytes of a resident's file, by media id: an Ogg voice note for ids starting `voice`,
   * otherwise a JPEG; 48,213 bytes, different for every id.
   */
  static mediaBytes(id: string): Buffer {
    const head = id.startsWith('voice')
      ? Buffer.from('OggS\u0000\u0002', 'latin1')
      : Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
    const body = Buffer.alloc(48213 - head.length, id);
    return Buffer.concat([head, body]);
  }

  static error(code: number, message = 'error', status = 400): GraphAnswer {
    return {
      status,
      body: {
        error: {
          message: `(#${code}) ${message}`,
          type: 'OAuthException',
          code,
          fbtrace_id: 'AbC',
        },
      },
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const call: GraphCall = {
      at: Date.now(),
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
      body: text ? JSON.parse(text) : null,
    };
    this.calls.push(call);
    // Read receipts always succeed and never take an answer planned for a message.
    const answer = isReadReceipt(call)
      ? { status: 200, body: { success: true } }
      : (this.planned.shift() ?? this.decide?.(call) ?? this.success(call));
    if (answer === 'HANG') {
      call.answered = 'HANG';
      this.hanging.add(res);
      res.once('close', () => this.hanging.delete(res));
      return;
    }
    call.answered = answer.status;
    if (Buffer.isBuffer(answer.body)) {
      res.writeHead(answer.status, { 'content-type': 'application/octet-stream' });
      res.end(answer.body);
      return;
    }
    call.wamid = (answer.body as { messages?: Array<{ id?: string }> })?.messages?.[0]?.id;
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.raw ?? JSON.stringify(answer.body));
  }

  private success(call: GraphCall): GraphAnswer {
    this.counter += 1;
    if (call.method === 'GET' && call.path.startsWith('/media-bytes/')) {
      // The media URL itself: the bytes (WhatsApp's lookaside host, here on loopback).
      return { status: 200, body: FakeGraphApi.mediaBytes(call.path.split('/').pop() ?? '') };
    }
    if (call.method === 'GET') {
      // Media metadata: GET /{version}/{media-id}
      const id = call.path.split('/').pop() ?? '';
      const bytes = FakeGraphApi.mediaBytes(id);
      return {
        status: 200,
        body: {
          id,
          url: `${this.url}/media-bytes/${id}`,
          mime_type: id.startsWith('voice') ? 'audio/ogg; codecs=opus' : 'image/jpeg',
          sha256: createHash('sha256').update(bytes).digest('hex'),
          file_size: bytes.length,
          messaging_product: 'whatsapp',
        },
      };
    }
    const to = call.body?.to ?? '';
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to }],
        messages: [{ id: `wamid.FAKE${String(this.counter).padStart(6, '0')}` }],
      },
    };
  }
}

function isReadReceipt(call: GraphCall): boolean {
  return call.method === 'POST' && call.body?.status === 'read';
}

/** What a reply says, whatever its kind (text, list, buttons, template). */
export function said(call: GraphCall): string {
  const b = call.body;
  if (b.type === 'text') return b.text.body;
  if (b.type === 'interactive') return b.interactive.body.text;
  if (b.type === 'template') return `[template ${b.template.name}]`;
  return JSON.stringify(b);
}

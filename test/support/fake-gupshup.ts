import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** One SendMessage call as the fake Gupshup gateway received it (the decoded form). */
export interface GupshupCall {
  params: Record<string, string>;
  contentType: string | undefined;
  /** What the fake answered (the text line), once decided. */
  answer?: string;
}

/**
 * A stand-in for Gupshup Enterprise's `GatewayAPI/rest` on 127.0.0.1: takes the
 * form-encoded SendMessage call and answers in its `format=text` wire format —
 * `success | <number> | <id>` unless told to answer an `error | <number> | <code> | <reason>`.
 */
export class FakeGupshup {
  readonly calls: GupshupCall[] = [];
  private readonly planned: Array<{ status: number; text: string } | 'HANG'> = [];
  private readonly hanging = new Set<ServerResponse>();
  private server!: Server;
  private counter = 0;

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/GatewayAPI/rest`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
        const call: GupshupCall = { params, contentType: req.headers['content-type'] };
        this.calls.push(call);
        const planned = this.planned.shift();
        if (planned === 'HANG') {
          // Never answered: the gateway took the call and went silent (our timeout fires).
          call.answer = 'HANG';
          this.hanging.add(res);
          return;
        }
        const answer = planned ?? {
          status: 200,
          text: `success | ${params.send_to} | ${this.nextId()}`,
        };
        call.answer = answer.text;
        res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.text);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next calls get these answers (HTTP status and text line, or none), in order. */
  answerNext(...answers: Array<{ status: number; text: string } | 'HANG'>): void {
    this.planned.push(...answers);
  }

  /** Gupshup's message ids are two long numbers joined by a dash. */
  private nextId(): string {
    this.counter += 1;
    return `3562707498794989${String(this.counter).padStart(3, '0')}-328736121207676738`;
  }
}

export const SMS_DLR_SECRET = 'test-sms-dlr-secret-0123';
export const SMS_ENTITY_ID = '1101456789012345678';

export function gupshupEnv(fake: FakeGupshup): Record<string, string> {
  return {
    SMS_PROVIDER: 'gupshup',
    SMS_GUPSHUP_URL: fake.url,
    SMS_GUPSHUP_USER_ID: '2000123456',
    SMS_GUPSHUP_PASSWORD: 'gupshup-test-password',
    SMS_SENDER_ID: 'BSRMUN',
    SMS_DLT_ENTITY_ID: SMS_ENTITY_ID,
    SMS_DLR_SECRET,
    SMS_TIMEOUT_MS: '2000',
  };
}

import { createServer } from 'node:net';
import { request } from 'undici';
import { transportFailure } from './whatsapp-cloud.client';

/** A local port nobody listens on (fetch refuses "bad ports" such as 1 before connecting). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('transportFailure', () => {
  it('reads a refused connection from undici (the error itself) and from fetch (its cause) as not sent', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/`;
    const thrown = await request(url).catch((error: unknown) => error);
    expect(transportFailure(thrown)).toMatchObject({
      kind: 'RETRY',
      code: 'NETWORK',
      ambiguous: false,
      message: expect.stringContaining('(ECONNREFUSED)'),
    });
    const wrapped = await fetch(url).catch((error: unknown) => error);
    expect(transportFailure(wrapped)).toMatchObject({ code: 'NETWORK', ambiguous: false });
  });

  it('takes a timeout as possibly sent, without the DOMException number in the message', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(transportFailure(timeout)).toEqual({
      ok: false,
      kind: 'RETRY',
      code: 'TIMEOUT',
      message: 'The operation was aborted due to timeout',
      ambiguous: true,
    });
  });
});

import { postPinned, resolveTarget, urlProblem } from './url-guard';

describe('webhook URLs (no SSRF in production)', () => {
  it.each([
    ['http://example.org/hook', 'must use https'],
    ['https://127.0.0.1/hook', 'resolves to a non-public address (loopback)'],
    ['https://10.1.2.3/hook', 'resolves to a non-public address (private)'],
    ['https://192.168.0.10/hook', 'resolves to a non-public address (private)'],
    ['https://169.254.169.254/latest/meta-data', 'resolves to a non-public address (linkLocal)'],
    ['https://[::1]/hook', 'resolves to a non-public address (loopback)'],
    ['https://[::ffff:127.0.0.1]/hook', 'resolves to a non-public address (loopback)'],
    ['https://localhost/hook', 'resolves to a non-public address (loopback)'],
    ['https://user:pass@93.184.216.34/hook', 'must not carry credentials'],
    ['not a url', 'must be an absolute URL'],
  ])('refuses %s', async (url, problem) => {
    expect(await urlProblem(url, false)).toBe(problem);
  });

  it('accepts a public https address, and loopback when private URLs are allowed', async () => {
    expect(await urlProblem('https://93.184.216.34/hook', false)).toBeNull();
    expect(await urlProblem('http://127.0.0.1:8080/hook', true)).toBeNull();
    expect(await urlProblem('ftp://127.0.0.1/hook', true)).toBe('must use https');
  });
});

describe('webhook requests go to the address that was checked (DNS pinned)', () => {
  it('connects to the pinned address whatever the name resolves to, reads at most the cap', async () => {
    const { createServer } = await import('node:http');
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(String(req.headers.host));
      res.end('x'.repeat(10_000));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      // A name that does not resolve at all: only the pinned address can be reached.
      const answer = await postPinned(
        {
          url: new URL(`http://receiver.invalid:${port}/hook`),
          address: { address: '127.0.0.1', family: 4 },
        },
        { headers: {}, body: '{}', timeoutMs: 5000, maxResponseBytes: 100 },
      );
      expect(answer.status).toBe(200);
      expect(answer.text).toHaveLength(100);
      expect(seen).toEqual([`receiver.invalid:${port}`]);
    } finally {
      server.close();
    }
  });

  it('resolves once and keeps the address it checked', async () => {
    const target = await resolveTarget('https://93.184.216.34/hook', false);
    expect(target).toMatchObject({ address: { address: '93.184.216.34', family: 4 } });
  });
});

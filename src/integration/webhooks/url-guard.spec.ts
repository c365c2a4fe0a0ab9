import { urlProblem } from './url-guard';

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

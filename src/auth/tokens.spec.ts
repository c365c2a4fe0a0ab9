import { AccessTokens, formatApiKey, newSecret, parseApiKey } from './tokens';

describe('AccessTokens', () => {
  const tokens = new AccessTokens('a'.repeat(32), 900);
  const claims = { accountId: '0b6f6e5e-3f55-4f57-9e43-3d8a5a1e7c11', sessionId: 'e3c1' };

  it('round-trips its own tokens', async () => {
    const { token, expiresAt } = await tokens.sign(claims);
    expect(await tokens.verify(token)).toEqual({ ok: true, claims });
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(890_000);
  });

  it('says EXPIRED for an old token and INVALID for a forged or foreign one', async () => {
    const old = await tokens.sign(claims, new Date(Date.now() - 3600_000));
    expect(await tokens.verify(old.token)).toEqual({ ok: false, problem: 'EXPIRED' });
    const foreign = await new AccessTokens('b'.repeat(32), 900).sign(claims);
    expect(await tokens.verify(foreign.token)).toEqual({ ok: false, problem: 'INVALID' });
    const [header, , signature] = (await tokens.sign(claims)).token.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ sub: 'x', sid: 'y' })).toString('base64url');
    expect(await tokens.verify(`${header}.${forgedBody}.${signature}`)).toEqual({
      ok: false,
      problem: 'INVALID',
    });
    expect(await tokens.verify('not a jwt')).toEqual({ ok: false, problem: 'INVALID' });
  });
});

describe('API keys', () => {
  it('carry the client id and the secret', () => {
    const secret = newSecret();
    const key = formatApiKey('0b6f6e5e-3f55-4f57-9e43-3d8a5a1e7c11', secret);
    expect(parseApiKey(key)).toEqual({ clientId: '0b6f6e5e-3f55-4f57-9e43-3d8a5a1e7c11', secret });
    expect(parseApiKey(`${key}x`)).toBeNull();
    expect(parseApiKey('duare_nothex_x')).toBeNull();
  });
});

import { SignJWT } from 'jose';
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

  it('remembers a good token only until it expires, and only that exact string', async () => {
    const own = new AccessTokens('c'.repeat(32), 900);
    const issued = new Date('2026-12-06T10:00:00Z');
    const { token } = await own.sign(claims, issued);
    const at = (seconds: number) => issued.getTime() + seconds * 1000;
    expect(await own.verify(token, at(1))).toEqual({ ok: true, claims });
    // The second use is answered from memory: the same claims, the clock still checked.
    expect(await own.verify(token, at(899))).toEqual({ ok: true, claims });
    expect(await own.verify(token, at(900))).toEqual({ ok: false, problem: 'EXPIRED' });
    expect(await own.verify(token, at(901))).toEqual({ ok: false, problem: 'EXPIRED' });
    // A token that differs in one character of its signature is checked, and refused.
    // (Not the last character: its low bits are padding a decoder may ignore.)
    const i = token.length - 10;
    const changed = `${token.slice(0, i)}${token[i] === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`;
    expect(await own.verify(changed, at(2))).toEqual({
      ok: false,
      problem: 'INVALID',
    });
  });
});

describe('AccessTokens refuse tokens `sign` never makes (issue 21)', () => {
  const secret = 'a'.repeat(32);
  const tokens = new AccessTokens(secret, 900);
  const key = new TextEncoder().encode(secret);
  const base = () =>
    new SignJWT({ sid: 'e3c1' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('0b6f6e5e-3f55-4f57-9e43-3d8a5a1e7c11')
      .setIssuer('duare')
      .setAudience('duare-api');

  it('refuses a token signed with the real key but without `exp`', async () => {
    const noExp = await base().setIssuedAt().sign(key);
    expect(await tokens.verify(noExp)).toEqual({ ok: false, problem: 'INVALID' });
  });

  it('refuses a token without `iat`, or one issued for longer than the access lifetime', async () => {
    const noIat = await base().setExpirationTime('10m').sign(key);
    expect(await tokens.verify(noIat)).toEqual({ ok: false, problem: 'INVALID' });
    const longLived = await base()
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime('10y')
      .sign(key);
    expect((await tokens.verify(longLived)).ok).toBe(false);
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

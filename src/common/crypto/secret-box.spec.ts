import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('seals to a value that hides the secret and opens back to it', () => {
    const sealed = box.seal('whsec_abc', 'webhook');
    expect(SecretBox.isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('whsec_abc');
    expect(box.open(sealed, 'webhook')).toBe('whsec_abc');
    // A fresh IV each time: the same secret never seals to the same text.
    expect(box.seal('whsec_abc', 'webhook')).not.toBe(sealed);
  });

  it('refuses another key, another context, an altered value and a plain one', () => {
    const sealed = box.seal('whsec_abc', 'webhook');
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'webhook')).toThrow();
    expect(() => box.open(sealed, 'other')).toThrow();
    const raw = Buffer.from(sealed.slice('enc1:'.length), 'base64url');
    raw[raw.length - 1] ^= 1;
    const flipped = 'enc1:' + raw.toString('base64url');
    expect(() => box.open(flipped, 'webhook')).toThrow();
    expect(() => box.open('whsec_abc', 'webhook')).toThrow('not a sealed secret');
  });

  it('takes only a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow('32 bytes');
  });
});

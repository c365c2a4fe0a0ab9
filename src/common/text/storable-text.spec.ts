import { storableText } from './storable-text';

describe('storableText', () => {
  it('replaces NUL and lone surrogates, keeps Bengali and whole emoji', () => {
    expect(storableText('a\u0000b', 10)).toBe('a\uFFFDb');
    expect(storableText('a\ud800b\udc00', 10)).toBe('a\uFFFDb\uFFFD');
    expect(storableText('হ্যালো 👍', 20)).toBe('হ্যালো 👍');
  });

  it('cuts to the limit without splitting a surrogate pair', () => {
    expect(storableText('ab👍', 3)).toBe('ab');
    expect(storableText('x'.repeat(5000), 1000)).toHaveLength(1000);
  });

  it('reads an error as its message', () => {
    expect(storableText(new Error('boom'), 100)).toBe('boom');
  });
});

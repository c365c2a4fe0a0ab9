import { hashPassword, passwordWeakness, verifyPassword } from './password';

describe('passwordWeakness', () => {
  it.each([
    ['short', 'at least 10'],
    ['aaaaaaaaaaaa', '5 different'],
    ['1212121212121', '5 different'],
    ['Password123', 'most common'],
    ['rahim.sk-2026-x', 'username'],
    ['my9876543210pw', 'phone'],
    ['x'.repeat(129), 'at most 128'],
  ])('refuses %p (%s)', (password, reason) => {
    expect(passwordWeakness(password, ['rahim.sk', '+919876543210'])).toContain(reason);
  });

  it.each([['correct horse battery'], ['নদীর ধারে বাড়ি ৫'], ['Tr0ub4dor&3x']])(
    'accepts %p',
    (password) => {
      expect(passwordWeakness(password, ['rahim.sk'])).toBeNull();
    },
  );
});

describe('hashPassword / verifyPassword', () => {
  it('hashes with Argon2id and verifies only the right password', async () => {
    const hashed = await hashPassword('নদীর ধারে বাড়ি ৫');
    expect(hashed).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hashed, 'নদীর ধারে বাড়ি ৫')).toBe(true);
    expect(await verifyPassword(hashed, 'নদীর ধারে বাড়ি ৬')).toBe(false);
    expect(await verifyPassword(null, 'anything at all')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'anything at all')).toBe(false);
  });
});

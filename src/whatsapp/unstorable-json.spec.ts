import { unstorableJson } from './unstorable-json';

describe('JSON that PostgreSQL cannot store', () => {
  it.each([
    ['{"a":"\\u0000"}', true],
    ['{"a":"\\ud800"}', true],
    ['{"a":"\\udc00x"}', true],
    ['{"a":"\\ud83d\\ude00"}', false],
    ['{"a":"রহিম \\u09b0"}', false],
    ['{"a":"plain"}', false],
  ])('%s → %s', (text, expected) => {
    expect(unstorableJson(text)).toBe(expected);
  });
});

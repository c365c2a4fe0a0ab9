import { nameKey, transliterateBengali } from './name-key';

describe('transliterateBengali', () => {
  it.each([
    ['রহিম', 'rahim'],
    ['শেখ', 'shekh'],
    ['আব্দুল', 'abdul'],
    ['বিশ্বাস', 'bishbas'],
    ['মণ্ডল', 'mandal'],
    ['রায়', 'ray'],
    ['ওয়ার্ড ৫', 'oyard ৫'],
  ])('%s → %s', (bengali, latin) => {
    expect(transliterateBengali(bengali)).toBe(latin);
  });
});

describe('nameKey', () => {
  it.each([
    ['রহিম শেখ', 'Rahim Sheikh'],
    ['রহিম শেখ', 'rahim shekh'],
    ['বিশ্বাস', 'Biswas'],
    ['মণ্ডল', 'Mondal'],
    ['রায়', 'Roy'],
    ['আব্দুল', 'Abdul'],
    ['ফরিদা', 'Farida'],
  ])('brings %s and %s close', (bengali, latin) => {
    const [a, b] = [nameKey(bengali), nameKey(latin)];
    // pg_trgm's idea of similarity: shared trigrams of the padded words over all trigrams.
    const grams = (s: string) =>
      new Set(
        s.split(' ').flatMap((word) => {
          const padded = `  ${word} `;
          return [...padded].slice(0, -2).map((_, i) => padded.slice(i, i + 3));
        }),
      );
    const [x, y] = [grams(a), grams(b)];
    const shared = [...x].filter((g) => y.has(g)).length;
    expect(shared / new Set([...x, ...y]).size).toBeGreaterThan(0.3);
  });

  it('is empty for nothing and keeps digits', () => {
    expect(nameKey(null)).toBe('');
    expect(nameKey('Holding ১২/ক')).toBe('halding 12 k');
  });
});

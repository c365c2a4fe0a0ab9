import { toAsciiDigits } from './digits';
import { normalizeText } from './normalize';
import { toE164 } from './phone-number';

describe('text normalisation', () => {
  it('turns Bengali digits into ASCII digits and leaves other text alone', () => {
    expect(toAsciiDigits('ওয়ার্ড ০৫, ১২৩৪৫৬৭৮৯')).toBe('ওয়ার্ড 05, 123456789');
  });

  it('drops control characters such as NUL, which PostgreSQL cannot store', () => {
    expect(normalizeText('রহিম\u0000 শেখ\u0007')).toBe('রহিম শেখ');
  });

  it('stores text NFC-normalised with whitespace collapsed', () => {
    const decomposed = 'বসিরহাট'.normalize('NFD');
    expect(normalizeText(`  ${decomposed}   পৌরসভা `)).toBe('বসিরহাট পৌরসভা'.normalize('NFC'));
  });
});

describe('toE164', () => {
  it.each([
    ['+91 98765 43210'],
    ['098765-43210'],
    ['9876543210'],
    ['৯৮৭৬৫ ৪৩২১০'],
    ['০৯৮৭৬৫৪৩২১০'],
    ['+৯১ ৯৮৭৬৫ ৪৩২১০'],
  ])('normalises %s', (written) => {
    expect(toE164(written)).toBe('+919876543210');
  });

  it.each([[''], ['12345'], ['not a phone'], ['+91 12345 67890 123']])('refuses %p', (written) => {
    expect(toE164(written)).toBeNull();
  });
});

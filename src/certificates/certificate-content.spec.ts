import { toAsciiDigits, toBengaliDigits } from '../common/text/digits';
import {
  formatDateBn,
  formatDateEn,
  hasBengaliLetters,
  normalizeVerificationCode,
  parseShortReference,
  shortReference,
} from './certificate-content';

describe('certificate content in each language’s forms', () => {
  it('writes dates the Bengali and the English way, the day taken in India', () => {
    expect(formatDateBn('2026-12-02')).toBe('২ ডিসেম্বর ২০২৬');
    expect(formatDateEn('2026-12-02')).toBe('2 December 2026');
    // 20:00 UTC on 1 December is already 2 December in India.
    expect(formatDateBn(new Date('2026-12-01T20:00:00Z'))).toBe('২ ডিসেম্বর ২০২৬');
    expect(formatDateEn(new Date('2027-01-31T00:00:00Z'))).toBe('31 January 2027');
    expect(formatDateEn('not a date')).toBe('not a date');
  });

  it('converts digits both ways and tells Bengali letters from digits', () => {
    expect(toBengaliDigits('12/3, 743411')).toBe('১২/৩, ৭৪৩৪১১');
    expect(toAsciiDigits('ওয়ার্ড ৫')).toBe('ওয়ার্ড 5');
    expect(hasBengaliLetters('12/3 Station Road, ৭৪৩৪১১')).toBe(false);
    expect(hasBengaliLetters('রহিম')).toBe(true);
    expect(normalizeVerificationCode(' xy১৮-tgny ')).toBe('XY18TGNY');
  });

  it('makes a short reference and reads it back as people type it', () => {
    const reference = shortReference('BSR/RES/2026-27/000001', 'XY18TGNY');
    expect(reference).toBe('BSR-RES-2627-000001-XY18TGNY');
    for (const typed of [reference, reference.toLowerCase(), ' bsr-res-২৬২৭-০০০০০১-xy18tgny ']) {
      expect(parseShortReference(typed)).toEqual({
        number: 'BSR/RES/2026-27/000001',
        code: 'XY18TGNY',
      });
    }
    for (const wrong of ['', 'BSR/RES/2026-27/000001', 'BSR-RES-26-000001-XY18TGNY', '\u0000']) {
      expect(parseShortReference(wrong)).toBeNull();
    }
  });
});

import { toAsciiDigits, toBengaliDigits } from './digits';

describe('digits', () => {
  it('writes Latin digits as Bengali ones and keeps everything else', () => {
    expect(toBengaliDigits('12/3, 743411 - 0-9')).toBe('১২/৩, ৭৪৩৪১১ - ০-৯');
    expect(toBengaliDigits(2026)).toBe('২০২৬');
    expect(toBengaliDigits('ওয়ার্ড ৫ ward')).toBe('ওয়ার্ড ৫ ward');
  });

  it('writes Bengali digits as Latin ones and keeps everything else', () => {
    expect(toAsciiDigits('১৯৭৮-০৪-১৫ ০১২৩৪৫৬৭৮৯')).toBe('1978-04-15 0123456789');
    expect(toAsciiDigits('bsr ০৫ 26')).toBe('bsr 05 26');
    expect(toAsciiDigits('ক১খ')).toBe('ক1খ');
  });

  it('round-trips every digit', () => {
    expect(toAsciiDigits(toBengaliDigits('0123456789'))).toBe('0123456789');
  });
});

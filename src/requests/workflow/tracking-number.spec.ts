import {
  formatTrackingNumber,
  normalizeTrackingNumber,
  TRACKING_NUMBER_PATTERN,
} from './tracking-number';

describe('formatTrackingNumber', () => {
  it('pads the ward to two digits and the serial to five', () => {
    expect(formatTrackingNumber('BSR', 5, '2627', 42)).toBe('BSR-05-2627-00042');
    expect(formatTrackingNumber('BSR', 12, '2627', 1)).toBe('BSR-12-2627-00001');
  });

  it('writes the municipality code in upper case', () => {
    expect(formatTrackingNumber('bsr', 5, '2627', 42)).toBe('BSR-05-2627-00042');
  });

  it('lets serials beyond 99999 and wards beyond 99 grow longer', () => {
    expect(formatTrackingNumber('BSR', 5, '2627', 99999)).toBe('BSR-05-2627-99999');
    expect(formatTrackingNumber('BSR', 5, '2627', 100000)).toBe('BSR-05-2627-100000');
    expect(formatTrackingNumber('BSR', 5, '2627', 1234567)).toBe('BSR-05-2627-1234567');
    expect(formatTrackingNumber('KMC', 101, '2627', 7)).toBe('KMC-101-2627-00007');
  });

  it('always matches the pattern', () => {
    for (const [code, ward, serial] of [
      ['BSR', 1, 1],
      ['bsr', 35, 99999],
      ['KMC', 144, 100000],
    ] as const) {
      expect(formatTrackingNumber(code, ward, '2627', serial)).toMatch(TRACKING_NUMBER_PATTERN);
    }
  });
});

describe('normalizeTrackingNumber', () => {
  it.each([
    ['bsr ০৫ ২৬২৭ ০০০৪২'],
    ['BSR/05/2627/00042'],
    ['bsr-05-2627-00042'],
    ['Bsr 05/2627 00042'],
    ['  BSR-05-2627-00042  '],
    ['BSR  05   2627 00042'],
    ['BSR - 05 - 2627 - 00042'],
    ['BSR–05—2627_00042'],
    ['BSR.05.2627.00042'],
    ['ＢＳＲ－０５－２６２７－０００４２'],
    ['BSR-০৫-2627-০০০42'],
    ['BSR-05-2627-00042.'],
    ['(BSR-05-2627-00042)'],
  ])('reads %j as BSR-05-2627-00042', (written) => {
    expect(normalizeTrackingNumber(written)).toBe('BSR-05-2627-00042');
  });

  it('leaves a well-written number alone', () => {
    expect(normalizeTrackingNumber('BSR-05-2627-123456')).toBe('BSR-05-2627-123456');
  });

  it('gives numbers the pattern accepts from what people write', () => {
    expect(normalizeTrackingNumber('bsr ০৫ ২৬২৭ ০০০৪২')).toMatch(TRACKING_NUMBER_PATTERN);
  });

  it('does not turn other text into a tracking number', () => {
    expect(normalizeTrackingNumber('water leak')).toBe('WATER-LEAK');
    expect(normalizeTrackingNumber('water leak')).not.toMatch(TRACKING_NUMBER_PATTERN);
  });
});

describe('TRACKING_NUMBER_PATTERN', () => {
  it.each([
    ['BSR-05-2627-00042'],
    ['BSR-05-2627-123456'],
    ['KMC-101-2627-00001'],
    ['AB-01-2627-00001'],
    ['ABCDEFGHIJ-01-2627-00001'],
  ])('accepts %s', (number) => {
    expect(TRACKING_NUMBER_PATTERN.test(number)).toBe(true);
  });

  it.each([
    ['bsr-05-2627-00042'], // lower case: normalise first
    ['BSR 05 2627 00042'],
    ['BSR/05/2627/00042'],
    ['BSR-০৫-২৬২৭-০০০৪২'], // Bengali digits: normalise first
    ['BSR-5-2627-00042'], // ward not padded
    ['BSR-1000-2627-00042'],
    ['BSR-05-26-00042'], // financial year of two digits
    ['BSR-05-26271-00042'],
    ['BSR-05-2627-0042'], // serial not padded
    ['B-05-2627-00042'],
    ['ABCDEFGHIJK-05-2627-00042'],
    ['B5R-05-2627-00042'],
    ['BSR-05-2627-00042-'],
    ['xBSR-05-2627-00042'],
    ['BSR-05-2627-00042x'],
    ['BSR-05-2627'],
    [''],
  ])('rejects %j', (number) => {
    expect(TRACKING_NUMBER_PATTERN.test(number)).toBe(false);
  });
});

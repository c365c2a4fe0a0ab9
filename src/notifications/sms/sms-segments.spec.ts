import { smsLength } from './sms-segments';

describe('smsLength', () => {
  it('counts plain English as GSM-7: 160 alone, 153 per part', () => {
    expect(smsLength('a'.repeat(160))).toEqual({ encoding: 'GSM7', units: 160, segments: 1 });
    expect(smsLength('a'.repeat(161))).toEqual({ encoding: 'GSM7', units: 161, segments: 2 });
    expect(smsLength('a'.repeat(306)).segments).toBe(2);
    expect(smsLength('a'.repeat(307)).segments).toBe(3);
  });

  it('counts extension characters (€, braces) as two septets', () => {
    expect(smsLength('€'.repeat(80))).toEqual({ encoding: 'GSM7', units: 160, segments: 1 });
    expect(smsLength('{' + 'a'.repeat(159)).segments).toBe(2);
  });

  it('sends Bengali as UCS-2: 70 alone, 67 per part', () => {
    expect(smsLength('আ'.repeat(70))).toEqual({ encoding: 'UCS2', units: 70, segments: 1 });
    expect(smsLength('আ'.repeat(71)).segments).toBe(2);
    expect(smsLength('আ'.repeat(134)).segments).toBe(2);
    expect(smsLength('আ'.repeat(135)).segments).toBe(3);
  });

  it('turns a whole message UCS-2 for one character outside GSM-7', () => {
    const text = 'Request BSR-০১২৩ approved';
    expect(smsLength(text)).toEqual({ encoding: 'UCS2', units: text.length, segments: 1 });
    expect(smsLength('a'.repeat(69) + '’').encoding).toBe('UCS2');
  });

  it('counts an emoji as two UCS-2 units', () => {
    expect(smsLength('🙂').units).toBe(2);
  });

  it('costs one part for an empty text', () => {
    expect(smsLength('').segments).toBe(1);
  });
});

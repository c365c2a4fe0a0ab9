import { checkAttributeValues } from './attribute-values';
import { AttributeDatatype, ServiceAttribute } from '../entities/service-definition';

const attr = (
  code: string,
  datatype: AttributeDatatype,
  extra: Partial<ServiceAttribute> = {},
): ServiceAttribute => ({
  code,
  labelBn: code,
  labelEn: code,
  datatype,
  required: true,
  order: 0,
  ...extra,
});

const ATTRIBUTES = [
  attr('purpose', AttributeDatatype.STRING, { maxLength: 20 }),
  attr('income', AttributeDatatype.NUMBER, { min: 0, max: 10_000_000 }),
  attr('since', AttributeDatatype.DATE),
  attr('for', AttributeDatatype.SINGLE_CHOICE, {
    choices: [
      { code: 'school', labelBn: 'স্কুল', labelEn: 'School' },
      { code: 'bank', labelBn: 'ব্যাংক', labelEn: 'Bank' },
    ],
  }),
  attr('docs', AttributeDatatype.MULTI_CHOICE, {
    required: false,
    choices: [
      { code: 'aadhaar', labelBn: 'আধার', labelEn: 'Aadhaar' },
      { code: 'ration', labelBn: 'রেশন', labelEn: 'Ration card' },
    ],
  }),
];

describe('checkAttributeValues', () => {
  it('accepts good values and normalises Bengali digits and text', () => {
    const result = checkAttributeValues(ATTRIBUTES, {
      purpose: '  স্কুলে   ভর্তি ',
      income: '১,২০,০০০',
      since: '২০১০-০৪-০১',
      for: 'school',
      docs: ['aadhaar'],
    });
    expect(result).toEqual({
      errors: [],
      values: {
        purpose: 'স্কুলে ভর্তি',
        income: 120000,
        since: '2010-04-01',
        for: 'school',
        docs: ['aadhaar'],
      },
    });
  });

  it('reports each problem on its attribute, and unknown attributes', () => {
    const { errors } = checkAttributeValues(ATTRIBUTES, {
      purpose: 'x'.repeat(21),
      income: -5,
      since: '2010-02-30',
      docs: ['aadhaar', 'aadhaar'],
      colour: 'blue',
    });
    expect(errors.map((e) => `${e.field}:${e.code}`).sort()).toEqual([
      'attributes.colour:INVALID',
      'attributes.docs:DUPLICATE',
      'attributes.for:REQUIRED',
      'attributes.income:OUT_OF_RANGE',
      'attributes.purpose:TOO_LONG',
      'attributes.since:INVALID_FORMAT',
    ]);
  });

  it.each([
    ['purpose', 42, 'INVALID'],
    ['purpose', '   ', 'REQUIRED'],
    ['income', 'a lot', 'INVALID'],
    ['for', 'temple', 'INVALID'],
    ['docs', 'aadhaar', 'INVALID'],
  ])('refuses %s = %p with %s', (code, value, errorCode) => {
    const values: Record<string, unknown> = {
      purpose: 'ok',
      income: 1,
      since: '2010-01-01',
      for: 'bank',
      [code]: value,
    };
    expect(checkAttributeValues(ATTRIBUTES, values).errors).toEqual([
      expect.objectContaining({ field: `attributes.${code}`, code: errorCode }),
    ]);
  });
});

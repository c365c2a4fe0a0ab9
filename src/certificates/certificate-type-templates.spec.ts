import { DEMO_CERTIFICATE_TYPES } from '../demo/demo-certificate-types';
import { templateProblems } from './certificate-type-templates';

describe('certificate type texts', () => {
  it('accepts every demo type (they are seeded through the same check)', () => {
    for (const t of DEMO_CERTIFICATE_TYPES) {
      expect({
        code: t.code,
        problems: templateProblems(t.templateBn, t.templateEn, t.attributeCodes ?? []),
      }).toEqual({
        code: t.code,
        problems: [],
      });
    }
  });

  it('names unknown placeholders, texts that differ, and attributes nobody uses', () => {
    expect(
      templateProblems('{{holderName}} {{purpos}}', '{{holderName}} {{purpose}}', [
        'purpose',
        'extra',
      ]),
    ).toEqual([
      { field: 'templateBn', message: expect.stringContaining('{{purpos}}') },
      {
        field: 'templateEn',
        message:
          'the two texts must use the same placeholders (only in Bengali: none; only in English: purpose)',
      },
      { field: 'attributeCodes', message: 'declared but used by neither text: extra' },
    ]);
  });
});

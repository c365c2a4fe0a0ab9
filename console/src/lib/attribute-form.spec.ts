import { describe, expect, it } from 'vitest';
import { looksLikePhone, toAttributeValues } from './attribute-form';

const FIELDS = [
  { code: 'purpose', datatype: 'SINGLE_CHOICE', required: true, choices: [{ code: 'school' }] },
  { code: 'annual_income', datatype: 'NUMBER', required: true },
  { code: 'date_of_death', datatype: 'DATE', required: false },
  { code: 'heirs', datatype: 'TEXT', required: false },
  { code: 'needs', datatype: 'MULTI_CHOICE', required: false },
];

describe('the typed attribute form', () => {
  it('maps the form onto createRequest’s attributes, numbers from Bengali digits', () => {
    expect(
      toAttributeValues(FIELDS, {
        purpose: 'school',
        annual_income: '৭২,০০০',
        date_of_death: '2025-08-14',
        heirs: '  রহিমা বিবি (স্ত্রী)  ',
        needs: ['water', 'light'],
      }),
    ).toEqual({
      purpose: 'school',
      annual_income: 72000,
      date_of_death: '2025-08-14',
      heirs: 'রহিমা বিবি (স্ত্রী)',
      needs: ['water', 'light'],
    });
  });

  it('leaves blanks out and sends an unreadable number as typed for the API to explain', () => {
    expect(
      toAttributeValues(FIELDS, { purpose: ' ', annual_income: 'বারো হাজার', needs: [] }),
    ).toEqual({
      annual_income: 'বারো হাজার',
    });
  });

  it('tells a phone number from a name in either script', () => {
    expect(looksLikePhone('৯৮৭৬৫ ৪৩২১০')).toBe(true);
    expect(looksLikePhone('+91 98765-43210')).toBe(true);
    expect(looksLikePhone('রহিমা')).toBe(false);
    expect(looksLikePhone('৪২')).toBe(false);
    expect(looksLikePhone('Rahima 98765')).toBe(false);
  });
});

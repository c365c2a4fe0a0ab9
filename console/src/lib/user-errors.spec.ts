import { describe, expect, it } from 'vitest';
import { bn } from '../i18n/messages';
import { atListField, errorCode, inLanguage, mapUserErrors } from './user-errors';

describe('mapUserErrors', () => {
  it('puts each error next to its field and the rest at the top of the form', () => {
    const mapped = mapUserErrors(
      [
        { code: 'REQUIRED', field: 'note', message: 'note is required' },
        { code: 'TOO_LONG', field: 'note', message: 'second error of the same field' },
        { code: 'INVALID_TRANSITION', field: 'action', message: 'not now' },
        { code: 'REQUIRED', field: null, message: 'general' },
      ],
      ['note'],
    );
    expect(mapped).toEqual({
      byField: { note: 'note is required' },
      general: ['not now', 'general'],
    });
  });

  it('words a message in the console’s language when asked', () => {
    const mapped = mapUserErrors(
      [{ code: 'REQUIRED', field: 'code', message: 'code is required' }],
      ['code'],
      (e) => (e.code === 'REQUIRED' ? 'এটি দিতে হবে' : e.message),
    );
    expect(mapped.byField.code).toBe('এটি দিতে হবে');
  });

  it('reads the code of a GraphQL error', () => {
    expect(errorCode({ graphQLErrors: [{ extensions: { code: 'CONFLICT' } }] })).toBe('CONFLICT');
    expect(errorCode(undefined)).toBeUndefined();
  });
});

describe('atListField', () => {
  it('moves an item’s error onto its list and leaves other fields as they are', () => {
    expect(
      atListField(
        [
          { code: 'NOT_FOUND', field: 'wardIds.0', message: 'no such ward' },
          { code: 'TOO_LONG', field: 'textEn', message: 'too long' },
          { code: 'INVALID', field: null, message: 'general' },
        ],
        ['wardIds'],
      ).map((e) => e.field),
    ).toEqual(['wardIds', 'textEn', null]);
  });
});

describe('inLanguage', () => {
  it('says "required" in the console’s words and keeps the API’s message otherwise', () => {
    const describe = inLanguage((key) => `[${key}]`, 'bn');
    expect(describe({ code: 'REQUIRED', field: 'textBn', message: 'must not be blank' })).toBe(
      '[errors.REQUIRED]',
    );
    expect(describe({ code: 'DUPLICATE', field: 'title', message: 'already used' })).toBe(
      '[errors.DUPLICATE]',
    );
    expect(describe({ code: 'INVALID', field: 'wardIds', message: 'no ward of yours' })).toBe(
      'no ward of yours',
    );
  });

  /** The console's own messages, filled in as i18next fills them. */
  const inBengali = inLanguage((key, values = {}) => {
    const text = key.split('.').reduce<unknown>((m, k) => (m as Record<string, unknown>)[k], bn);
    return String(text).replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name]);
  }, 'bn');

  // The messages below are the API's own, word for word (requiredText, placeholderProblems).
  it('says a length limit in Bengali, with the limit in Bengali digits', () => {
    expect(
      inBengali({ code: 'TOO_LONG', field: 'bodyBn', message: 'must be at most 2000 characters' }),
    ).toBe('বেশি লম্বা — বড়জোর ২,০০০ অক্ষর।');
  });

  it('names an unknown placeholder in a Bengali sentence, with the ones that may be used', () => {
    expect(
      inBengali({
        code: 'INVALID',
        field: 'bodyBn',
        message:
          'unknown placeholder {{নাম}}: use {{residentName}}, {{trackingNumber}}, {{wardHours}}',
      }),
    ).toBe('{{নাম}} বসানো যায় না। বসানো যায়: {{residentName}}, {{trackingNumber}}, {{wardHours}}');
  });

  it('says an unclosed placeholder in Bengali', () => {
    expect(
      inBengali({
        code: 'INVALID',
        field: 'bodyEn',
        message: 'a placeholder is not closed: write it as {{residentName}}',
      }),
    ).toBe('বন্ধনী ঠিকমতো খোলা-বন্ধ হয়নি — এভাবে লিখুন: {{residentName}}');
  });

  it('keeps the API’s words for a message it does not recognise, even with a known code', () => {
    expect(inBengali({ code: 'TOO_LONG', field: 'labels', message: 'at most 10 labels' })).toBe(
      'at most 10 labels',
    );
    expect(
      inBengali({
        code: 'INVALID_FORMAT',
        field: 'x',
        message: 'unknown placeholder {{a}}: use b',
      }),
    ).toBe('unknown placeholder {{a}}: use b');
  });
});

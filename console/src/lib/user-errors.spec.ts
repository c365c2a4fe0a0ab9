import { describe, expect, it } from 'vitest';
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
    const describe = inLanguage((key) => `[${key}]`);
    expect(describe({ code: 'REQUIRED', field: 'textBn', message: 'must not be blank' })).toBe(
      '[errors.REQUIRED]',
    );
    expect(describe({ code: 'DUPLICATE', field: 'title', message: 'already used' })).toBe(
      '[errors.DUPLICATE]',
    );
    expect(describe({ code: 'INVALID', field: 'bodyBn', message: 'unknown placeholder' })).toBe(
      'unknown placeholder',
    );
  });
});

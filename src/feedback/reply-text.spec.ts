import { readFeedbackReply } from './reply-text';

describe('readFeedbackReply', () => {
  it.each([
    ['4', 4, null],
    ['৪', 4, null],
    [' ২ কাগজ দেরিতে এসেছে', 2, 'কাগজ দেরিতে এসেছে'],
    ['5. very good', 5, 'very good'],
    ['১।', 1, null],
  ])('reads %j as a rating', (text, rating, comment) => {
    expect(readFeedbackReply(text)).toEqual({ kind: 'RATING', rating, comment });
  });

  it.each(['0', '9', '৯', '০ খারাপ'])('refuses %j as out of range', (text) => {
    expect(readFeedbackReply(text).kind).toBe('BAD_RATING');
  });

  it.each(['এখনও ঠিক হয়নি', 'আলো এখনো ঠিক হয়নি', 'Still not fixed!', 'ekhono thik hoyni'])(
    'reads %j as a request to reopen',
    (text) => {
      expect(readFeedbackReply(text)).toEqual({ kind: 'NOT_FIXED', reason: text.trim() });
    },
  );

  it.each(['', 'ধন্যবাদ', '12', '45 minutes late', 'x'.repeat(5000)])('ignores %j', (text) => {
    expect(readFeedbackReply(text).kind).toBe('OTHER');
  });
});

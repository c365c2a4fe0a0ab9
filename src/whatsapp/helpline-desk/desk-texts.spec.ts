import { announcementKeyword } from './desk-texts';

describe('announcement keywords', () => {
  it.each([
    ['বন্ধ', { optOut: true, lang: 'bn' }],
    [' বন্ধ করুন। ', { optOut: true, lang: 'bn' }],
    ['STOP', { optOut: true, lang: 'en' }],
    ['stop!', { optOut: true, lang: 'en' }],
    ['চালু', { optOut: false, lang: 'bn' }],
    ['Start', { optOut: false, lang: 'en' }],
  ])('reads %p', (text, expected) => {
    expect(announcementKeyword(text)).toEqual(expected);
  });

  it.each(['দোকান বন্ধ কবে?', 'stop the water cut', '', 'STOPP', '১'])(
    'leaves %p to the bot',
    (text) => {
      expect(announcementKeyword(text)).toBeNull();
    },
  );
});

import { describe, expect, it } from 'vitest';
import {
  announcementActions,
  atTemplateFields,
  indianLocalToIso,
  isUnderWay,
  templatesInput,
} from './announcements';

describe('announcementActions', () => {
  it('offers approval only to administrators, and only while it waits for it', () => {
    expect(announcementActions('PENDING_APPROVAL', true)).toEqual(['approve', 'cancel']);
    expect(announcementActions('PENDING_APPROVAL', false)).toEqual(['cancel']);
    expect(announcementActions('DRAFT', true)).toEqual(['schedule', 'cancel']);
  });
  it('pauses what goes out, resumes what is paused, and leaves finished ones alone', () => {
    expect(announcementActions('SENDING', false)).toEqual(['pause', 'cancel']);
    expect(announcementActions('SCHEDULED', false)).toEqual(['pause', 'cancel']);
    expect(announcementActions('PAUSED', false)).toEqual(['resume', 'cancel']);
    expect(announcementActions('SENT', true)).toEqual([]);
    expect(announcementActions('CANCELLED', true)).toEqual([]);
  });
  it('reloads the progress of those still moving only', () => {
    expect(isUnderWay('SENDING')).toBe(true);
    expect(isUnderWay('PAUSED')).toBe(false);
  });
});

describe('indianLocalToIso', () => {
  it('reads the picker’s value as Indian time', () => {
    expect(indianLocalToIso('2026-12-04T10:00')).toBe('2026-12-04T04:30:00.000Z');
    expect(indianLocalToIso('2026-12-04T02:00')).toBe('2026-12-03T20:30:00.000Z');
  });
  it('is undefined when left blank or malformed', () => {
    expect(indianLocalToIso('')).toBeUndefined();
    expect(indianLocalToIso('4 Dec 10:00')).toBeUndefined();
  });
});

describe('templatesInput', () => {
  it('leaves a blank language out, trims, and sends a DLT id typed in Bengali digits in ASCII', () => {
    expect(
      templatesInput([
        { language: 'BN', whatsappTemplateName: '', smsDltTemplateId: ' ' },
        {
          language: 'EN',
          whatsappTemplateName: ' ward_news_en ',
          smsDltTemplateId: '১১০৭ ১৭০০ ০০০০ ০০০০ ০০২',
        },
      ]),
    ).toEqual([
      {
        language: 'EN',
        whatsappTemplateName: 'ward_news_en',
        smsDltTemplateId: '1107170000000000002',
      },
    ]);
  });

  it('sends a language with only a DLT id, so the API can say its template name is missing', () => {
    expect(
      templatesInput([{ language: 'BN', whatsappTemplateName: '', smsDltTemplateId: '12' }]),
    ).toEqual([{ language: 'BN', whatsappTemplateName: '', smsDltTemplateId: '12' }]);
  });
});

describe('atTemplateFields', () => {
  it('names a template’s field by the language sent at that place in the list', () => {
    const sent = [{ language: 'EN' as const, whatsappTemplateName: 'x', smsDltTemplateId: null }];
    expect(
      atTemplateFields(
        [
          { code: 'INVALID', field: 'templates.0.smsDltTemplateId', message: '19 digits' },
          { code: 'INVALID', field: 'templates', message: 'one template per language' },
          { code: 'INVALID', field: 'templates.3.whatsappTemplateName', message: 'no such item' },
        ],
        sent,
      ).map((e) => e.field),
    ).toEqual(['EN.smsDltTemplateId', 'templates', 'templates.3.whatsappTemplateName']);
  });
});

import { describe, expect, it } from 'vitest';
import { announcementActions, indianLocalToIso, isUnderWay } from './announcements';

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

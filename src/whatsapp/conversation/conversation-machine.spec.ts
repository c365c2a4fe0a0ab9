import { DEMO_CATALOGUE } from '../../demo/demo-catalogue';
import { RequestStatus } from '../../requests/entities/request-enums';
import { ServiceTypeRow } from '../../requests/entities/service-type.entity';
import { Weekday } from '../../wards/entities/service-hours.type';
import { ConversationStatus } from '../entities/conversation.entity';
import {
  converse,
  confirmByReaction,
  Effect,
  MachineContext,
  MachineState,
  Outcome,
  ResidentRequest,
  trackingNumberIn,
} from './conversation-machine';
import { Inbound } from './inbound-message';

/**
 * The helpline bot as tables of exchanges: each row is what the resident sends, and what the
 * bot must answer (words its replies contain), do (effects) and remember (step). No database:
 * the machine is pure.
 */

const SERVICES = DEMO_CATALOGUE.map(
  (input) =>
    ({
      id: `id-${input.code}`,
      code: input.code,
      category: input.category,
      definition: {
        ...input.definition,
        attributes: input.definition.attributes ?? [],
        documents: input.definition.documents ?? [],
      },
    }) as unknown as ServiceTypeRow,
);

const NOON_IST = new Date('2026-12-02T06:30:00Z');
const TWO_AM_IST = new Date('2026-12-01T20:30:00Z');

function context(over: Partial<MachineContext> = {}): MachineContext {
  return {
    now: NOON_IST,
    ward: {
      nameBn: 'ওয়ার্ড ৫',
      nameEn: 'Ward 5',
      serviceHours: {
        opensAt: '09:00',
        closesAt: '20:00',
        days: [Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI, Weekday.SAT],
      },
    },
    services: SERVICES,
    draftService: null,
    requests: [],
    isNew: false,
    resumed: false,
    windowOpen: true,
    ...over,
  };
}

const IDLE: MachineState = { status: ConversationStatus.BOT, step: 'IDLE', data: {}, lang: 'bn' };

function says(text: string, choiceId: string | null = null): Inbound {
  return {
    wamid: 'wamid.test',
    type: choiceId ? 'interactive' : 'text',
    text,
    choiceId,
    media: null,
    location: null,
    reaction: null,
    contextMessageId: null,
    sentAt: NOON_IST,
  };
}

function sends(type: 'image' | 'audio' | 'document', id = 'media-1'): Inbound {
  return {
    ...says(''),
    type,
    media: { id, mimeType: type === 'audio' ? 'audio/ogg' : 'image/jpeg' },
  };
}

const replyText = (outcome: Outcome) => outcome.replies.map((r) => r.text).join('\n---\n');
const effectTypes = (outcome: Outcome) => outcome.effects.map((e: Effect) => e.type);

/** Plays a whole exchange and returns every outcome, the state carried from one to the next. */
function play(
  messages: Inbound[],
  ctx: MachineContext = context(),
  state: MachineState = IDLE,
): Outcome[] {
  const outcomes: Outcome[] = [];
  let current = state;
  for (const [i, message] of messages.entries()) {
    const outcome = converse(current, message, { ...ctx, isNew: ctx.isNew && i === 0 });
    outcomes.push(outcome);
    current = outcome.state;
  }
  return outcomes;
}

const request = (over: Partial<ResidentRequest>): ResidentRequest => ({
  id: 'r1',
  trackingNumber: 'BSR-05-2627-00015',
  status: RequestStatus.IN_REVIEW,
  serviceNameBn: 'বাসস্থান শংসাপত্র',
  serviceNameEn: 'Residence certificate',
  ...over,
});

describe('conversation machine: applying', () => {
  it('files a one-question certificate in four messages from a first message naming it', () => {
    const outcomes = play(
      [
        says('আমার একটা বসবাসের সার্টিফিকেট লাগবে'),
        says('ব্যাংকে লাগবে'),
        says('জন্ম থেকে'),
        says('৩৫ বছর'),
        says('হ্যাঁ'),
      ],
      context({ isNew: true }),
    );
    const [first, purpose, sinceBirth, age, yes] = outcomes;
    expect(replyText(first)).toContain('স্বাগত');
    expect(replyText(first)).toContain('কী কাজে');
    expect(first.state.step).toBe('ANSWERING');
    expect(replyText(purpose)).toContain('কত বছর ধরে এখানে থাকছেন?');
    expect(replyText(sinceBirth)).toContain('বয়স');
    expect(replyText(age)).toContain('৩৫');
    expect(age.state.step).toBe('CONFIRMING');
    expect(yes.effects).toEqual([
      expect.objectContaining({
        type: 'FILE_REQUEST',
        serviceTypeId: 'id-RESIDENCE_CERT',
        answers: { purpose: 'bank', years_of_residence: 35 },
      }),
    ]);
    expect(yes.state.step).toBe('IDLE');
  });

  it.each([
    ['বাদ', 'বাদ দেওয়া যাবে না'],
    ['skip', 'বাদ দেওয়া যাবে না'],
  ])('refuses to skip a required answer (%s) and asks again', (written, why) => {
    const [, skipped] = play([says('income certificate chai'), says(written)]);
    expect(replyText(skipped)).toContain(why);
    expect(skipped.state.step).toBe('ANSWERING');
    expect(skipped.effects).toEqual([]);
  });

  it('changes one answer by its number at the summary', () => {
    const outcomes = play([
      says('residence certificate'),
      says('১'),
      says('10'),
      says('২'),
      says('12'),
    ]);
    const summary = outcomes[2];
    expect(summary.state.step).toBe('CONFIRMING');
    expect(replyText(outcomes[3])).toContain('কত বছর ধরে');
    expect(outcomes[4].state.data.draft?.answers.years_of_residence).toBe(12);
    expect(outcomes[4].state.step).toBe('CONFIRMING');
  });

  it('keeps a photo with the draft once, however often it is sent', () => {
    const [, photo, again] = play([says('residence certificate'), sends('image'), sends('image')]);
    expect(photo.state.data.draft?.attachments).toHaveLength(1);
    expect(again.state.data.draft?.attachments).toHaveLength(1);
    expect(photo.state.step).toBe('ANSWERING');
  });

  it('keeps a photo by its real checksum when WhatsApp gives it in base64', () => {
    const bytes = Buffer.alloc(32, 7);
    const photo = {
      ...sends('image'),
      media: { id: 'm-9', mimeType: 'image/jpeg', sha256: bytes.toString('base64') },
    };
    const [, kept] = play([says('residence certificate'), photo]);
    expect(kept.state.data.draft?.attachments[0].sha256).toBe(bytes.toString('hex'));
  });

  it('offers the likeliest services as buttons when the words fit several', () => {
    const [offer] = play([says('রাস্তায় আবর্জনার স্তূপ')]);
    const content = offer.replies.at(-1)?.content as { interactive?: { type?: string } };
    expect(content.interactive?.type).toBe('button');
    expect(offer.state.step).toBe('CHOOSING');
  });

  it('greets a first "হ্যালো" with the menu, every list row described', () => {
    const [hello] = play([says('হ্যালো')], context({ isNew: true }));
    const list = hello.replies.at(-1)?.content as {
      interactive: { action: { sections: Array<{ rows: Array<{ description: string }> }> } };
    };
    const rows = list.interactive.action.sections[0].rows;
    expect(rows.length).toBeLessThanOrEqual(10);
    expect(rows.every((row) => row.description.length > 0)).toBe(true);
  });

  it('says where it was after a pause and asks the pending question again', () => {
    const [started] = play([says('residence certificate')]);
    const resumed = converse(
      started.state,
      says('হ্যালো'),
      context({ resumed: true, draftService: SERVICES[0] }),
    );
    expect(replyText(resumed)).toContain('আবেদন করছিলেন');
    expect(replyText(resumed)).toContain('কী কাজে');
  });
});

describe('conversation machine: status and cancel', () => {
  const two = [
    request({ id: 'r1', trackingNumber: 'BSR-05-2627-00015' }),
    request({
      id: 'r2',
      trackingNumber: 'BSR-05-2627-00021',
      status: RequestStatus.RESOLVED,
      serviceNameBn: 'আয়ের শংসাপত্র',
      serviceNameEn: 'Income certificate',
    }),
  ];

  it.each([
    ['আমার আবেদনের কী অবস্থা?', ['00015', '00021']],
    ['status?', ['00015', '00021']],
    ['bsr 05 2627 15', ['00015']],
    ['BSR0526270021', ['00021']],
    ['১৫', ['00015']],
    ['অবস্থা জানতে চাই', ['00015', '00021']],
  ])('answers "%s" with the resident’s own requests', (written, numbers) => {
    const [answer] = play([says(written)], context({ requests: two }));
    for (const n of numbers) expect(replyText(answer)).toContain(n);
    expect(replyText(answer)).not.toContain('জানতে চাই নম্বর');
  });

  it('finds a tracking number in any form', () => {
    expect(trackingNumberIn('bsr-05-2627-15')).toBe('BSR-05-2627-00015');
    expect(trackingNumberIn('অবস্থা জানতে চাই')).toBeNull();
  });

  it('asks which request to cancel when several are open, then confirms before cancelling', () => {
    const open = [two[0], request({ id: 'r3', trackingNumber: 'BSR-05-2627-00030' })];
    const [which] = play([says('বাতিল করুন')], context({ requests: open }));
    expect(replyText(which)).toContain('00015');
    expect(replyText(which)).toContain('00030');
    expect(which.effects).toEqual([]);
    const [ask, yes] = play(
      [says('আবেদনটা বাতিল করতে চাই ৩০'), says('হ্যাঁ')],
      context({ requests: open }),
    );
    expect(ask.state.step).toBe('CONFIRMING_CANCEL');
    expect(yes.effects).toEqual([
      { type: 'CANCEL_REQUEST', requestId: 'r3', trackingNumber: 'BSR-05-2627-00030' },
    ]);
  });

  it('does not cancel on a "না"', () => {
    const [, no] = play([says('বাতিল'), says('না')], context({ requests: [two[0]] }));
    expect(no.effects).toEqual([]);
    expect(replyText(no)).toContain('যেমন ছিল');
  });
});

describe('conversation machine: needs-info, voice notes, hand-over', () => {
  const waiting = request({ status: RequestStatus.NEEDS_INFO });

  it('attaches a photo to the one request waiting for information', () => {
    const [photo] = play([sends('image')], context({ requests: [waiting] }));
    expect(photo.effects).toEqual([
      expect.objectContaining({
        type: 'PROVIDE_INFO',
        requestId: 'r1',
        attachment: expect.objectContaining({ kind: 'IMAGE', mediaRef: 'media-1' }),
      }),
    ]);
    expect(replyText(photo)).toContain('সমন্বয়কারীর কাছে পৌঁছেছে');
  });

  it('asks which request a text is for when two wait, then attaches it to the chosen one', () => {
    const other = request({
      id: 'r9',
      trackingNumber: 'BSR-05-2627-00009',
      status: RequestStatus.NEEDS_INFO,
    });
    const [which, chosen] = play(
      [says('আমার বাবার নাম রমেশ দাস'), says('২')],
      context({ requests: [waiting, other] }),
    );
    expect(which.state.step).toBe('CHOOSING_REQUEST');
    expect(chosen.effects).toEqual([
      expect.objectContaining({
        type: 'PROVIDE_INFO',
        requestId: 'r9',
        note: 'আমার বাবার নাম রমেশ দাস',
      }),
    ]);
  });

  it('flags a voice note for staff and keeps it with the draft', () => {
    const [, voice] = play([says('residence certificate'), sends('audio')]);
    expect(effectTypes(voice)).toEqual(['FLAG_FOR_STAFF']);
    expect(voice.state.data.draft?.attachments[0].kind).toBe('AUDIO');
  });

  it('tells a resident sending a voice note outside a request that staff will listen', () => {
    const [voice] = play([sends('audio')]);
    expect(effectTypes(voice)).toEqual(['FLAG_FOR_STAFF']);
    expect(replyText(voice)).toContain('ভয়েস মেসেজ');
  });

  it.each(['কারো সাথে কথা বলা যাবে?', 'কাউন্সিলরের সাথে কথা বলতে চাই', 'please call me'])(
    'hands "%s" over to a person',
    (written) => {
      const [asked] = play([says(written)]);
      expect(asked.state.status).toBe(ConversationStatus.HUMAN);
      expect(asked.effects).toEqual([{ type: 'HAND_OVER', reason: 'ASKED' }]);
    },
  );

  it('at 2 a.m. says when the coordinator answers instead of "soon"', () => {
    const [night] = play([says('please call me')], context({ now: TWO_AM_IST }));
    expect(replyText(night)).toContain('সকাল ৯টা');
  });

  it('keeps quiet during hand-over except for status, menu and cancel', () => {
    const human: MachineState = { ...IDLE, status: ConversationStatus.HUMAN };
    const [chat] = play([says('আমার কাজটা কবে হবে বলুন তো')], context(), human);
    expect(chat.replies).toEqual([]);
    const [status] = play([says('status')], context({ requests: [waiting] }), human);
    expect(replyText(status)).toContain('00015');
    expect(status.state.status).toBe(ConversationStatus.HUMAN);
    const [menu] = play([says('মেনু')], context(), human);
    expect(menu.state.status).toBe(ConversationStatus.BOT);
  });

  it('hands a message delivered after the window closed to a person, silently', () => {
    const [late] = play([says('residence certificate')], context({ windowOpen: false }));
    expect(late.replies).toEqual([]);
    expect(late.effects).toEqual([{ type: 'HAND_OVER', reason: 'WINDOW_CLOSED' }]);
  });

  it('takes a 👍 reaction on the confirmation question as a yes, and nothing else', () => {
    const outcomes = play([says('residence certificate'), says('১'), says('10')]);
    const confirming = outcomes[2].state;
    expect(confirmByReaction(confirming, context())?.effects[0]?.type).toBe('FILE_REQUEST');
    expect(confirmByReaction(IDLE, context())).toBeNull();
  });
});

describe('conversation machine: English', () => {
  it('answers in English when asked, with Latin digits', () => {
    const [, english, summary] = play([says('residence certificate'), says('English'), says('1')]);
    expect(english.effects).toEqual([{ type: 'SET_LANGUAGE', lang: 'en' }]);
    expect(replyText(english)).toContain('English');
    expect(replyText(summary)).toMatch(/How many years/);
  });
});

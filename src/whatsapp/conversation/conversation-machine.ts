import { toAsciiDigits } from '../../common/text/digits';
import { createHash } from 'node:crypto';
import { checkAttributeValues } from '../../requests/catalogue/attribute-values';
import { AttachmentSource, RequestStatus } from '../../requests/entities/request-enums';
import {
  AttributeDatatype,
  ServiceAttribute,
  ServiceDefinition,
} from '../../requests/entities/service-definition';
import type { ServiceTypeRow } from '../../requests/entities/service-type.entity';
import { ServiceHours } from '../../wards/entities/service-hours.type';
import {
  ConversationData,
  ConversationStatus,
  ConversationStep,
} from '../entities/conversation.entity';
import { SharedLocation } from '../entities/whatsapp-message.entity';
import { choiceNumber, choiceNumbers } from './answer-parsing';
import { BOT_TEXTS as T, Lang, numeral } from './bot-texts';
import { hexSha256 } from '../whatsapp-media.service';
import { Inbound } from './inbound-message';
import {
  choiceByWords,
  displayDate,
  displayNumber,
  meansSinceBirth,
  naturalDate,
  naturalNumber,
  naturalYesNo,
} from './natural-answers';
import { sayTime, staffedAt } from './service-hours';
import { Intent, intentOf, ServiceWords, understandService } from './understanding';

/**
 * The helpline bot as a pure state machine: the conversation's state and one inbound message
 * (with what the service looked up for it) go in; the new state, the replies and the effects
 * to perform come out. No database, no clock but `context.now`: every exchange can be tested
 * as a table (conversation-machine.spec.ts). `ConversationService` loads, performs and sends.
 */

const MENU_PAGE = 9;
/** What still works while a person has the conversation. */
const HUMAN_MODE_INTENTS = new Set<Intent>(['STATUS', 'MENU', 'RESTART', 'CANCEL']);
const MEDIA_KINDS: Record<string, string> = {
  image: 'IMAGE',
  document: 'DOCUMENT',
  audio: 'AUDIO',
  video: 'VIDEO',
};
/** The message types the bot reads; everything else gets one line saying what it can read. */
const READABLE_TYPES = new Set([
  'text',
  'interactive',
  'button',
  'location',
  ...Object.keys(MEDIA_KINDS),
]);
/** Requests a resident may still cancel (the workflow's CANCEL). */
const CANCELLABLE = new Set<string>([
  RequestStatus.SUBMITTED,
  RequestStatus.IN_REVIEW,
  RequestStatus.NEEDS_INFO,
]);

/** One message to the resident: its text for the thread and its Cloud API content. */
export interface Reply {
  text: string;
  content: Record<string, unknown>;
}

/** One of the resident's requests, as the bot talks about it. */
export interface ResidentRequest {
  id: string;
  trackingNumber: string;
  status: RequestStatus;
  serviceNameBn: string;
  serviceNameEn: string;
}

/** What the service looked up for this message. */
export interface MachineContext {
  now: Date;
  ward: { nameBn: string; nameEn: string; serviceHours: ServiceHours };
  /** The municipality's active services, in menu order. */
  services: ServiceTypeRow[];
  /** The service of the draft in hand (it may have been retired since), or null. */
  draftService: ServiceTypeRow | null;
  /** The resident's requests, newest first. */
  requests: ResidentRequest[];
  /** The first message ever on this helpline from this resident. */
  isNew: boolean;
  /** A draft is picked up again after a pause. */
  resumed: boolean;
  /** The resident's 24-hour window is open: free-form replies may go out. */
  windowOpen: boolean;
}

export interface MachineState {
  status: ConversationStatus;
  step: ConversationStep;
  data: ConversationData;
  lang: Lang;
}

type Draft = NonNullable<ConversationData['draft']>;
type PendingInfo = NonNullable<ConversationData['pendingInfo']>;

/** What the service does for the machine, in order, in the message's transaction. */
export type Effect =
  | { type: 'SET_LANGUAGE'; lang: Lang }
  | {
      type: 'FILE_REQUEST';
      serviceTypeId: string;
      answers: Record<string, unknown>;
      attachments: Draft['attachments'];
    }
  | { type: 'CANCEL_REQUEST'; requestId: string; trackingNumber: string }
  | {
      type: 'PROVIDE_INFO';
      requestId: string;
      trackingNumber: string;
      note: string;
      attachment: Draft['attachments'][number] | null;
    }
  /** A person takes over: `asked` by the resident, or the window closed before we could answer. */
  | { type: 'HAND_OVER'; reason: 'ASKED' | 'WINDOW_CLOSED' }
  /** Something staff must see although the bot carries on (a voice note to listen to). */
  | { type: 'FLAG_FOR_STAFF'; reason: 'VOICE_NOTE' };

export interface Outcome {
  state: MachineState;
  replies: Reply[];
  effects: Effect[];
}

export const textReply = (body: string): Reply => ({
  text: body,
  content: { type: 'text', text: { preview_url: false, body } },
});

const cut = (value: string, max: number) =>
  value.length > max ? `${value.slice(0, max - 1)}…` : value;

function buttons(body: string, choices: Array<{ id: string; title: string }>): Reply {
  return {
    text: body,
    content: {
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: body.slice(0, 1024) },
        action: {
          buttons: choices.map((c) => ({
            type: 'reply',
            reply: { id: c.id, title: cut(c.title, 20) },
          })),
        },
      },
    },
  };
}

/** A service as the matcher reads it. */
export function wordsOf(row: ServiceTypeRow): ServiceWords {
  const d = row.definition;
  return { id: row.id, nameBn: d.nameBn, nameEn: d.nameEn, keywords: d.keywords ?? [] };
}

/**
 * A tracking number in what the resident wrote, in any form — `BSR-05-2627-00015`,
 * `bsr 05 2627 15`, `BSR0526270015`, Bengali digits — or a bare serial (`১৫`); null if none.
 */
export function trackingNumberIn(written: string): string | null {
  const t = toAsciiDigits(written).toUpperCase();
  const full = /([A-Z]{2,10})[\s/_.-]*(\d{2,3})[\s/_.-]*(\d{4})[\s/_.-]*(\d{1,5})(?!\d)/.exec(t);
  if (full) return `${full[1]}-${full[2]}-${full[3]}-${full[4].padStart(5, '0')}`;
  const serial = /(?:^|\s)(\d{1,5})\s*$/.exec(t.trim());
  return serial ? serial[1] : null;
}

/** A file the resident sent, as a request keeps it (told apart by its media id until described). */
export function attachmentOf(
  inbound: Pick<Inbound, 'type' | 'media'>,
): Draft['attachments'][number] | null {
  const media = inbound.media;
  if (!media) return null;
  // WhatsApp gives the checksum in base64; until it does, a file is told apart by its id.
  const declared = hexSha256(media.sha256 ?? '');
  return {
    kind: MEDIA_KINDS[inbound.type] ?? 'DOCUMENT',
    source: AttachmentSource.WHATSAPP_MEDIA,
    mediaRef: media.id,
    mimeType: (media.mimeType || 'application/octet-stream').slice(0, 100),
    sizeBytes: 0,
    sha256: declared ?? createHash('sha256').update(`whatsapp-media:${media.id}`).digest('hex'),
    caption: media.caption?.slice(0, 1000) ?? null,
  };
}

/** A place as the resident reads it back: its name or address, their words, or the pin. */
function displayPlace(lang: Lang, value: unknown): string {
  const place = (value ?? {}) as Record<string, unknown>;
  const words = [place.name, place.address, place.description].filter(
    (part): part is string => typeof part === 'string' && part.length > 0,
  );
  if (words.length) return words.join(', ');
  const pin = `${Number(place.latitude).toFixed(5)}, ${Number(place.longitude).toFixed(5)}`;
  return `📍 ${numeral(lang, pin)}`;
}

/** A question about how many years (of residence, say): "since birth" is an answer to it. */
function isYearsQuestion(attribute: ServiceAttribute): boolean {
  return (
    attribute.datatype === AttributeDatatype.NUMBER &&
    /year|বছর/i.test(`${attribute.code} ${attribute.labelEn} ${attribute.labelBn}`)
  );
}

/** What an answer of this kind looks like, with an example that fits the question. */
function hintFor(lang: Lang, attribute: ServiceAttribute): string {
  if (attribute.datatype !== AttributeDatatype.NUMBER) return T.hints[lang][attribute.datatype];
  const example = (attribute.max ?? 1_000_000) <= 200 ? 12 : 120000;
  return T.numberHint[lang](displayNumber(lang, example));
}

/** The full, polite question for an attribute, with its choices or the way to skip it. */
export function questionFor(lang: Lang, attribute: ServiceAttribute): string {
  const label =
    (lang === 'bn' ? attribute.questionBn : attribute.questionEn) ??
    (lang === 'bn' ? attribute.labelBn : attribute.labelEn);
  const optional = attribute.required ? '' : ` ${T.optionalHint[lang]}`;
  if (!attribute.choices?.length) return `${label}${optional}`;
  const hint =
    attribute.datatype === AttributeDatatype.MULTI_CHOICE ? T.multiHint[lang] : T.chooseHint[lang];
  const options = attribute.choices.map(
    (c, i) => `${numeral(lang, i + 1)}. ${lang === 'bn' ? c.labelBn : c.labelEn}`,
  );
  return `${label}${optional}\n${hint}\n${options.join('\n')}`;
}

/** What the resident typed, as the attribute's type wants it (codes for choices, ISO dates). */
function valueOf(attribute: ServiceAttribute, written: string): unknown {
  const choices = attribute.choices ?? [];
  switch (attribute.datatype) {
    case AttributeDatatype.SINGLE_CHOICE: {
      const n = choiceNumber(written);
      return (n ? choices[n - 1]?.code : choiceByWords(written, choices)) ?? written;
    }
    case AttributeDatatype.MULTI_CHOICE: {
      const numbers = choiceNumbers(written);
      if (numbers) return numbers.map((n) => choices[n - 1]?.code ?? String(n));
      return written
        .split(/[,،]|\s+(?:ও|আর|and|ar)\s+/)
        .map((part) => choiceByWords(part, choices) ?? part.trim());
    }
    case AttributeDatatype.DATE:
      return naturalDate(written) ?? written;
    case AttributeDatatype.NUMBER:
      return naturalNumber(written) ?? written;
    default:
      return written;
  }
}

function display(lang: Lang, attribute: ServiceAttribute, value: unknown): string {
  const label = (code: unknown) => {
    const choice = attribute.choices?.find((c) => c.code === code);
    return choice ? (lang === 'bn' ? choice.labelBn : choice.labelEn) : String(code);
  };
  if (Array.isArray(value)) return value.map(label).join(', ');
  if (attribute.choices?.length) return label(value);
  if (typeof value === 'number') return displayNumber(lang, value);
  if (attribute.datatype === AttributeDatatype.LOCATION) return displayPlace(lang, value);
  if (attribute.datatype === AttributeDatatype.DATE && typeof value === 'string')
    return displayDate(lang, value);
  return String(value);
}

/** One message being worked out: the state as it changes, and what comes of it. */
class Exchange {
  readonly replies: Reply[] = [];
  readonly effects: Effect[] = [];
  state: MachineState;

  constructor(
    state: MachineState,
    public ctx: MachineContext,
  ) {
    this.state = { ...state, data: structuredClone(state.data) };
  }

  get lang(): Lang {
    return this.state.lang;
  }

  get data(): ConversationData {
    return this.state.data;
  }

  say(body: string): void {
    this.replies.push(textReply(body));
  }

  goTo(step: ConversationStep, data: ConversationData = this.state.data): void {
    this.state.step = step;
    this.state.data = data;
  }

  name(of: { nameBn: string; nameEn: string }): string {
    return this.lang === 'bn' ? of.nameBn : of.nameEn;
  }

  menuIds(): string[] {
    return this.ctx.services.map((s) => s.id);
  }

  definition(): ServiceDefinition | null {
    const draft = this.data.draft;
    if (!draft) return null;
    const row =
      this.ctx.draftService?.id === draft.serviceTypeId
        ? this.ctx.draftService
        : this.ctx.services.find((s) => s.id === draft.serviceTypeId);
    return row?.definition ?? null;
  }

  outcome(): Outcome {
    return { state: this.state, replies: this.replies, effects: this.effects };
  }
}

/** The machine's one entry: what this message does to the conversation. */
export function converse(state: MachineState, inbound: Inbound, ctx: MachineContext): Outcome {
  const x = new Exchange(state, ctx);
  if (!ctx.windowOpen) {
    // Delivered after the 24-hour window closed (WhatsApp retries for days): no free-form
    // answer may go out, and the bot's state may be stale. A person takes it from here.
    if (x.state.status === ConversationStatus.BOT) handOver(x, 'WINDOW_CLOSED', false);
    return x.outcome();
  }
  if (x.state.status === ConversationStatus.BOT) {
    if (ctx.resumed) remindWhereWeWere(x);
    if (ctx.isNew) greetFirst(x, inbound);
    else respond(x, inbound);
  } else {
    respondDuringHandOver(x, inbound);
  }
  return x.outcome();
}

/** A 👍 reaction on the "shall I submit it?" question: a yes. */
export function confirmByReaction(state: MachineState, ctx: MachineContext): Outcome | null {
  if (state.status !== ConversationStatus.BOT || state.step !== 'CONFIRMING') return null;
  const x = new Exchange(state, ctx);
  confirm(x, { choiceId: 'confirm:yes', text: '' });
  return x.outcome();
}

/** The request could not be filed (the catalogue changed, say): why, then the menu. */
export function requestRefused(state: MachineState, ctx: MachineContext, why: string): Outcome {
  const x = new Exchange(state, ctx);
  x.say(T.notUnderstood[x.lang](why));
  showMenu(x, 1);
  return x.outcome();
}

/** The workflow refused the cancellation (the request moved on meanwhile). */
export function cancellationRefused(lang: Lang, trackingNumber: string): Reply {
  return textReply(T.cannotCancel[lang](trackingNumber));
}

function greet(x: Exchange): void {
  x.say(T.welcome[x.lang](x.name(x.ctx.ward)));
  showMenu(x, 1);
}

/**
 * A first message: welcome, then what it asks for — the service it names starts at once,
 * a status question is answered — or the menu.
 */
function greetFirst(x: Exchange, inbound: Inbound): void {
  const intent = inbound.choiceId ? null : intentOf(inbound.text);
  const named = intent
    ? null
    : understandService(inbound.text, x.ctx.services.map(wordsOf)).certain;
  const asks = intent !== null && intent !== 'GREETING' && intent !== 'MENU';
  if (!named && !asks && !inbound.media) return greet(x);
  x.say(T.welcomeShort[x.lang](x.name(x.ctx.ward)));
  x.goTo(x.state.step, { menu: x.menuIds() });
  respond(x, inbound);
}

/** After a pause in the middle of a request: say which one, then carry on. */
function remindWhereWeWere(x: Exchange): void {
  const definition = x.definition();
  if (definition) x.say(T.resumed[x.lang](x.name(definition)));
}

/**
 * While a person has the conversation the bot keeps quiet — except for what the resident
 * can always do: ask the status, go back to the menu, cancel. A voice note is flagged.
 */
function respondDuringHandOver(x: Exchange, inbound: Inbound): void {
  if (inbound.type === 'audio') x.effects.push({ type: 'FLAG_FOR_STAFF', reason: 'VOICE_NOTE' });
  const intent = inbound.choiceId ? null : intentOf(inbound.text);
  if (!intent || !HUMAN_MODE_INTENTS.has(intent)) return;
  if (intent !== 'STATUS') x.state.status = ConversationStatus.BOT;
  obey(x, intent, inbound);
}

function respond(x: Exchange, inbound: Inbound): void {
  if (!READABLE_TYPES.has(inbound.type)) return x.say(T.cannotRead[x.lang]);
  if (inbound.location) {
    if (answersWithPlace(x, inbound.location)) return;
    x.say(T.locationKept[x.lang]);
    return repeatStep(x);
  }
  if (x.state.step === 'CHOOSING_REQUEST') return chooseRequestForInfo(x, inbound);
  if (inbound.media) {
    // Staff listen to a voice note: the bot cannot understand it.
    if (inbound.type === 'audio') x.effects.push({ type: 'FLAG_FOR_STAFF', reason: 'VOICE_NOTE' });
    if (x.data.draft) return keepFile(x, inbound);
    if (provideInfo(x, inbound)) return;
    return x.say(
      inbound.type === 'audio' ? T.voiceNoteForStaff[x.lang] : T.fileWithoutRequest[x.lang],
    );
  }
  const intent = inbound.choiceId ? null : intentOf(inbound.text);
  if (intent && obey(x, intent, inbound)) return;
  const named = intent ? null : requestNamedIn(x, inbound);
  if (named) return status(x, named);
  switch (x.state.step) {
    case 'CHOOSING':
      return choose(x, inbound);
    case 'ANSWERING':
      return answer(x, inbound.text, intent === 'SKIP');
    case 'CONFIRMING':
      return confirm(x, inbound);
    case 'CONFIRMING_CANCEL':
      return confirmCancel(x, inbound);
    default:
      // A message that names a service asks for it, even while another request waits for
      // information; anything else is that information.
      if (!inbound.choiceId && !namesService(x, inbound.text) && provideInfo(x, inbound)) return;
      return choose(x, inbound);
  }
}

function namesService(x: Exchange, written: string): boolean {
  return understandService(written, x.ctx.services.map(wordsOf)).certain !== null;
}

/** Acts on what the message asks for; false when the step in hand should read it instead. */
function obey(x: Exchange, intent: Intent, inbound: Inbound): boolean {
  const argument = trackingNumberIn(inbound.text);
  switch (intent) {
    case 'ENGLISH':
    case 'BENGALI':
      x.state.lang = intent === 'ENGLISH' ? 'en' : 'bn';
      x.effects.push({ type: 'SET_LANGUAGE', lang: x.lang });
      x.say(T.languageSet[x.lang]);
      repeatStep(x);
      return true;
    case 'MENU':
    case 'RESTART':
      x.goTo(x.state.step, {});
      showMenu(x, 1);
      return true;
    case 'GREETING':
      if (x.state.step === 'IDLE') greet(x);
      else {
        x.say(T.welcomeBack[x.lang]);
        repeatStep(x);
      }
      return true;
    case 'THANKS':
      x.say(T.thanks[x.lang]);
      if (x.state.step !== 'IDLE') repeatStep(x);
      return true;
    case 'STATUS':
      status(x, argument);
      return true;
    case 'CANCEL':
      cancel(x, argument);
      return true;
    case 'HUMAN':
      handOver(x, 'ASKED', true);
      return true;
    case 'SKIP':
      return false;
  }
}

function repeatStep(x: Exchange): void {
  const step = x.state.step;
  if (step === 'CONFIRMING_CANCEL' || step === 'CHOOSING_REQUEST') x.goTo('IDLE', {});
  if (step === 'CHOOSING') return showMenu(x, 1);
  if (step === 'ANSWERING') return ask(x);
  if (step === 'CONFIRMING') return summarise(x);
}

function showMenu(x: Exchange, page: number): void {
  const lang = x.lang;
  x.goTo('CHOOSING', { menu: x.menuIds() });
  const all = x.ctx.services.map((s, i) => ({ n: i + 1, name: x.name(s.definition) }));
  // WhatsApp lists hold at most 10 rows: 9 services and "more" when there are more.
  const fits = all.length <= 10;
  const shown = fits ? all : all.slice((page - 1) * MENU_PAGE, page * MENU_PAGE);
  const rows = shown.map(({ n, name }) => ({
    id: `svc:${n}`,
    title: cut(`${numeral(lang, n)}. ${name}`, 24),
    description: cut(name, 72),
  }));
  if (!fits && page * MENU_PAGE < all.length)
    rows.push({
      id: `menu:${page + 1}`,
      title: T.moreTitle[lang],
      description: T.moreDescription[lang],
    });
  const numbered = shown.map(({ n, name }) => `${numeral(lang, n)}. ${name}`).join('\n');
  const body = `${T.menuBody[lang]}\n${numbered}`;
  x.replies.push({
    text: body,
    content: {
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: body.slice(0, 4096) },
        action: { button: T.menuButton[lang], sections: [{ title: T.menuSection[lang], rows }] },
      },
    },
  });
}

/**
 * The service the resident wants: a list row or button, a menu number, or their own words
 * ("বসবাসের সার্টিফিকেট"). Words that fit several services get a short question offering
 * the likeliest ones; words that fit none get the menu again.
 */
function choose(x: Exchange, inbound: Inbound): void {
  const services = x.ctx.services;
  if (inbound.choiceId?.startsWith('menu:'))
    return showMenu(x, Number(inbound.choiceId.slice(5)) || 1);
  const number = inbound.choiceId?.startsWith('svc:')
    ? Number(inbound.choiceId.slice(4))
    : choiceNumber(inbound.text);
  const known = x.data.menu ?? x.menuIds();
  if (number) {
    const chosen = services.find((s) => s.id === known[number - 1]);
    if (chosen) return start(x, chosen);
    return x.say(T.notAChoice[x.lang](known.length));
  }
  const understood = understandService(inbound.text, services.map(wordsOf));
  const certain = services.find((s) => s.id === understood.certain);
  if (certain) return start(x, certain);
  if (understood.likely.length > 0) return offer(x, understood.likely);
  x.say(T.fallback[x.lang]);
  if (x.state.step !== 'CHOOSING') showMenu(x, 1);
}

/** "Did you mean one of these?" with a button for each (at most three). */
function offer(x: Exchange, ids: string[]): void {
  x.goTo('CHOOSING', { menu: x.menuIds() });
  const numbered = ids.map((id) => {
    const n = x.ctx.services.findIndex((s) => s.id === id) + 1;
    return { n, name: x.name(x.ctx.services[n - 1].definition) };
  });
  const body = `${T.didYouMean[x.lang]}\n${numbered.map(({ n, name }) => `${numeral(x.lang, n)}. ${name}`).join('\n')}`;
  x.replies.push(
    buttons(
      body,
      numbered.map(({ n, name }) => ({ id: `svc:${n}`, title: name })),
    ),
  );
}

/** Starts the draft of a service: its documents, then the first question. */
function start(x: Exchange, row: ServiceTypeRow): void {
  const definition = row.definition;
  x.goTo('ANSWERING', {
    menu: x.menuIds(),
    draft: {
      serviceTypeId: row.id,
      pending: [...definition.attributes].sort((a, b) => a.order - b.order).map((a) => a.code),
      answers: {},
      attachments: [],
    },
  });
  x.ctx = { ...x.ctx, draftService: row };
  const documents = definition.documents.map(
    (d) => `• ${x.name({ nameBn: d.labelBn, nameEn: d.labelEn })}`,
  );
  const name = x.name(definition);
  x.say(documents.length ? `${name}\n${T.sendPapers[x.lang]}\n${documents.join('\n')}` : name);
  ask(x);
}

function ask(x: Exchange): void {
  const draft = x.data.draft;
  const definition = x.definition();
  if (!draft || !definition) return showMenu(x, 1);
  while (
    draft.pending.length > 0 &&
    !definition.attributes.some((a) => a.code === draft.pending[0])
  )
    draft.pending.shift();
  if (draft.pending.length === 0) return summarise(x);
  const attribute = definition.attributes.find((a) => a.code === draft.pending[0])!;
  x.say(questionFor(x.lang, attribute));
}

function answer(x: Exchange, written: string, skip: boolean): void {
  const draft = x.data.draft;
  const definition = x.definition();
  if (!draft || !definition) return showMenu(x, 1);
  const attribute = definition.attributes.find((a) => a.code === draft.pending[0]);
  if (!attribute) return ask(x);
  if (skip) {
    if (attribute.required)
      return x.say(`${T.cannotSkip[x.lang]}\n\n${questionFor(x.lang, attribute)}`);
    draft.pending.shift();
    return ask(x);
  }
  if (
    draft.askAgeFor !== attribute.code &&
    isYearsQuestion(attribute) &&
    meansSinceBirth(written)
  ) {
    draft.askAgeFor = attribute.code;
    return x.say(T.askAge[x.lang]);
  }
  const checked = checkAttributeValues([attribute], {
    [attribute.code]: valueOf(attribute, written),
  });
  if (checked.errors.length > 0) {
    const hint = hintFor(x.lang, attribute);
    return x.say(`${T.notUnderstood[x.lang](hint)}\n\n${questionFor(x.lang, attribute)}`);
  }
  delete draft.askAgeFor;
  draft.answers[attribute.code] = checked.values[attribute.code];
  draft.pending.shift();
  ask(x);
}

/** A shared location answers the question in hand when it asks where. */
function answersWithPlace(x: Exchange, place: SharedLocation): boolean {
  const draft = x.data.draft;
  if (x.state.step !== 'ANSWERING' || !draft) return false;
  const attribute = x.definition()?.attributes.find((a) => a.code === draft.pending[0]);
  if (attribute?.datatype !== AttributeDatatype.LOCATION) return false;
  const checked = checkAttributeValues([attribute], { [attribute.code]: place });
  if (checked.errors.length > 0) return false;
  draft.answers[attribute.code] = checked.values[attribute.code];
  draft.pending.shift();
  ask(x);
  return true;
}

function summarise(x: Exchange): void {
  const draft = x.data.draft;
  const definition = x.definition();
  if (!draft || !definition) return showMenu(x, 1);
  x.goTo('CONFIRMING');
  const lang = x.lang;
  const lines = definition.attributes
    .filter((a) => draft.answers[a.code] !== undefined)
    .map(
      (a, i) =>
        `${numeral(lang, i + 1)}. ${lang === 'bn' ? a.labelBn : a.labelEn}: ${display(lang, a, draft.answers[a.code])}`,
    );
  const files = draft.attachments.length
    ? [`${T.files[lang]}: ${numeral(lang, draft.attachments.length)}`]
    : [];
  const body = [
    T.summaryTitle[lang],
    x.name(definition),
    ...lines,
    ...files,
    '',
    ...(lines.length ? [T.changeHint[lang]] : []),
    T.confirmQuestion[lang],
  ].join('\n');
  x.replies.push(
    buttons(body, [
      { id: 'confirm:yes', title: T.yes[lang] },
      { id: 'confirm:no', title: T.no[lang] },
    ]),
  );
}

function confirm(x: Exchange, inbound: Pick<Inbound, 'choiceId' | 'text'>): void {
  const draft = x.data.draft;
  const change = inbound.choiceId ? null : choiceNumber(inbound.text);
  if (draft && change !== null && change > 0 && Object.keys(draft.answers).length > 0)
    return changeAnswer(x, change);
  const yes = inbound.choiceId ? inbound.choiceId === 'confirm:yes' : naturalYesNo(inbound.text);
  if (yes === null) return x.say(T.yesNoHint[x.lang]);
  x.goTo('IDLE', {});
  if (!yes || !draft) return x.say(T.flowCancelled[x.lang]);
  // The acknowledgement with the tracking number and due date is the `request_received`
  // notification, planned in the same transaction: the resident gets it once.
  x.effects.push({
    type: 'FILE_REQUEST',
    serviceTypeId: draft.serviceTypeId,
    answers: draft.answers,
    attachments: draft.attachments,
  });
}

/** "২": the resident wants to change the second answer of the summary. */
function changeAnswer(x: Exchange, n: number): void {
  const draft = x.data.draft!;
  const definition = x.definition();
  if (!definition) return showMenu(x, 1);
  const answered = definition.attributes.filter((a) => draft.answers[a.code] !== undefined);
  const attribute = answered[n - 1];
  if (!attribute) return x.say(T.notAChoice[x.lang](answered.length));
  draft.pending = [attribute.code];
  x.goTo('ANSWERING');
  ask(x);
}

/** Keeps a file with the request being drafted (once, however often it is sent). */
function keepFile(x: Exchange, inbound: Inbound): void {
  const draft = x.data.draft!;
  const file = attachmentOf(inbound)!;
  if (!draft.attachments.some((a) => a.sha256 === file.sha256 || a.mediaRef === file.mediaRef))
    draft.attachments.push(file);
  x.say(T.fileKept[x.lang]);
}

/** A request of the resident's by its tracking number, or by its serial when that is unambiguous. */
function ownRequest(x: Exchange, written: string): ResidentRequest | null {
  const exact = x.ctx.requests.find((r) => r.trackingNumber === written);
  if (exact || !/^\d{1,5}$/.test(written)) return exact ?? null;
  const bySerial = x.ctx.requests.filter(
    (r) => Number(r.trackingNumber.split('-').pop()) === Number(written),
  );
  return bySerial.length === 1 ? bySerial[0] : null;
}

/**
 * A message that is only a tracking number asks about that request: a whole number in any
 * form, or a bare serial when no menu is open and exactly one of the resident's requests has it.
 */
function requestNamedIn(x: Exchange, inbound: Inbound): string | null {
  if (inbound.choiceId || (x.state.step !== 'IDLE' && x.state.step !== 'CHOOSING')) return null;
  const named = trackingNumberIn(inbound.text);
  if (!named) return null;
  if (named.includes('-')) return named;
  const bare = /^\s*[0-9০-৯]{1,5}\s*$/.test(inbound.text);
  return bare && x.state.step === 'IDLE' && !x.data.menu && ownRequest(x, named) ? named : null;
}

/** The resident's own requests (or the one named), in one message. */
function status(x: Exchange, argument: string | null): void {
  const lang = x.lang;
  const named = argument ? ownRequest(x, argument) : null;
  if (argument && !named) return x.say(T.unknownRequest[lang](argument));
  const requests = named ? [named] : x.ctx.requests.slice(0, 5);
  if (requests.length === 0) return x.say(T.noRequests[lang]);
  const lines = requests.map(
    (r) =>
      `${r.trackingNumber} — ${x.name({ nameBn: r.serviceNameBn, nameEn: r.serviceNameEn })}: ${T.statusNames[lang][r.status]}`,
  );
  const title = requests.length === 1 ? T.statusTitleOne[lang] : T.statusTitle[lang];
  x.say(`${title}\n${lines.join('\n')}`);
}

/** Cancel: which request (asked when several are open), then a yes before it is done. */
function cancel(x: Exchange, argument: string | null): void {
  const lang = x.lang;
  if (!argument && x.data.draft) {
    x.goTo('IDLE', {});
    return x.say(T.flowCancelled[lang]);
  }
  const open = x.ctx.requests.filter((r) => CANCELLABLE.has(r.status));
  const request = argument ? ownRequest(x, argument) : open.length === 1 ? open[0] : null;
  if (!request) {
    if (argument) return x.say(T.unknownRequest[lang](argument));
    if (open.length === 0) return x.say(T.nothingToCancel[lang]);
    return x.say(`${T.whichToCancel[lang]}\n${open.map((r) => r.trackingNumber).join('\n')}`);
  }
  if (!CANCELLABLE.has(request.status)) return x.say(T.cannotCancel[lang](request.trackingNumber));
  x.goTo('CONFIRMING_CANCEL', {
    cancelling: { requestId: request.id, trackingNumber: request.trackingNumber },
  });
  x.replies.push(
    buttons(T.confirmCancel[lang](request.trackingNumber), [
      { id: 'cancel:yes', title: T.yesCancel[lang] },
      { id: 'cancel:no', title: T.noKeep[lang] },
    ]),
  );
}

function confirmCancel(x: Exchange, inbound: Inbound): void {
  const pending = x.data.cancelling;
  const yes = inbound.choiceId ? inbound.choiceId === 'cancel:yes' : naturalYesNo(inbound.text);
  if (yes === null || !pending) return x.say(T.yesNoHint[x.lang]);
  x.goTo('IDLE', {});
  if (!yes) return x.say(T.keptRequest[x.lang](pending.trackingNumber));
  // The `request_cancelled` notification tells the resident.
  x.effects.push({ type: 'CANCEL_REQUEST', ...pending });
}

/**
 * While a request of the resident's waits for information (`NEEDS_INFO`), what they send
 * next is that information: a file is attached, a text kept on the timeline, the request
 * goes back to review by the workflow's own step, and they are told it reached the
 * coordinator. With several such requests, they are asked which. False when none waits.
 */
function provideInfo(x: Exchange, inbound: Inbound): boolean {
  const waiting = x.ctx.requests.filter((r) => r.status === RequestStatus.NEEDS_INFO);
  if (waiting.length === 0) return false;
  const info: Omit<PendingInfo, 'requestIds'> = {
    text: inbound.media ? null : inbound.text,
    media: inbound.media ? { ...inbound.media, type: inbound.type } : null,
  };
  if (waiting.length === 1) {
    attachInfo(x, waiting[0], info);
    return true;
  }
  x.goTo('CHOOSING_REQUEST', { pendingInfo: { ...info, requestIds: waiting.map((r) => r.id) } });
  const rows = waiting.slice(0, 10).map((r, i) => `${numeral(x.lang, i + 1)}. ${r.trackingNumber}`);
  x.say(`${T.whichRequest[x.lang]}\n${rows.join('\n')}`);
  return true;
}

function chooseRequestForInfo(x: Exchange, inbound: Inbound): void {
  const pending = x.data.pendingInfo;
  const n = choiceNumber(inbound.text);
  const request =
    pending && n ? x.ctx.requests.find((r) => r.id === pending.requestIds[n - 1]) : undefined;
  if (!pending || !request) return x.say(T.notAChoice[x.lang](pending?.requestIds.length ?? 0));
  x.goTo('IDLE', {});
  attachInfo(x, request, pending);
}

function attachInfo(
  x: Exchange,
  request: ResidentRequest,
  info: Omit<PendingInfo, 'requestIds'>,
): void {
  const attachment = info.media ? attachmentOf({ type: info.media.type, media: info.media }) : null;
  const note = info.text?.trim() || info.media?.caption?.trim() || T.sentAFile[x.lang];
  x.effects.push({
    type: 'PROVIDE_INFO',
    requestId: request.id,
    trackingNumber: request.trackingNumber,
    note: note.slice(0, 2000),
    attachment,
  });
  x.say(T.infoReceived[x.lang](request.trackingNumber));
}

/** A person takes over; the resident is told who answers and when, from the ward's hours. */
function handOver(x: Exchange, reason: 'ASKED' | 'WINDOW_CLOSED', tellResident: boolean): void {
  x.state.status = ConversationStatus.HUMAN;
  x.effects.push({ type: 'HAND_OVER', reason });
  if (!tellResident) return;
  const hours = x.ctx.ward.serviceHours;
  x.say(
    staffedAt(hours, x.ctx.now)
      ? T.handedOver[x.lang]
      : T.handedOverClosed[x.lang](sayTime(x.lang, hours.opensAt), sayTime(x.lang, hours.closesAt)),
  );
}

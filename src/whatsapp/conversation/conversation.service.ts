import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditActorRef } from '../../audit/audit-actor';
import { AuditActorType } from '../../audit/entities/audit-entry.entity';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.tokens';
import { DomainEventsService } from '../../domain-events/domain-events.service';
import { NotificationLanguage } from '../../notifications/entities/notification-enums';
import { NotificationsService } from '../../notifications/notifications.service';
import { checkAttributeValues } from '../../requests/attribute-values';
import {
  AttachmentKind,
  AttachmentSource,
  RequestAction,
  RequestChannel,
  RequestPriority,
  RequestStatus,
} from '../../requests/entities/request-enums';
import { ServiceTypeRow } from '../../requests/entities/service-type.entity';
import {
  AttributeDatatype,
  ServiceAttribute,
  ServiceDefinition,
} from '../../requests/entities/service-definition';
import { Refusal } from '../../requests/request-refusal';
import { RequestWorkflowService } from '../../requests/request-workflow.service';
import { RequestsService } from '../../requests/requests.service';
import { ServiceCatalogueService } from '../../requests/service-catalogue.service';
import { ResidentLanguage } from '../../residents/entities/resident-enums';
import { Resident } from '../../residents/entities/resident.entity';
import { ResidentsService } from '../../residents/residents.service';
import { Ward } from '../../wards/entities/ward.entity';
import {
  Conversation,
  ConversationData,
  ConversationStatus,
} from '../entities/conversation.entity';
import { createHash } from 'node:crypto';
import {
  MessageReaction,
  SharedLocation,
  WhatsAppMessage,
} from '../entities/whatsapp-message.entity';
import { hexSha256, WhatsAppMediaService } from '../whatsapp-media.service';
import { senderOf, WebhookMessage } from '../whatsapp-payload';
import { HelplineDeskService } from '../helpline-desk/helpline-desk.service';
import { choiceNumber, choiceNumbers, writesBengali } from './answer-parsing';
import {
  choiceByWords,
  displayDate,
  displayNumber,
  meansSinceBirth,
  naturalDate,
  naturalNumber,
  naturalYesNo,
} from './natural-answers';
import { Intent, intentOf, ServiceWords, understandService } from './understanding';
import { BOT_TEXTS as T, Lang, numeral } from './bot-texts';
import { sayTime, staffedAt } from './service-hours';
import { toAsciiDigits } from '../../common/text/normalize';

const MENU_PAGE = 9;
const DAY_MS = 24 * 3600_000;
/** What still works while a person has the conversation. */
const HUMAN_MODE_INTENTS = new Set<Intent>(['STATUS', 'MENU', 'RESTART', 'CANCEL']);

/** What a resident sent, reduced to what the bot reads. */
interface Inbound {
  wamid: string;
  type: string;
  text: string;
  /** The id of a chosen list row or button. */
  choiceId: string | null;
  media: { id: string; mimeType: string; sha256?: string; caption?: string } | null;
  location: SharedLocation | null;
  /** A reaction: the emoji (null when taken back) and the message it is on. */
  reaction: { emoji: string | null; messageId: string } | null;
  sentAt: Date;
}

/** One message being answered: the conversation, its resident and what to reply. */
interface Turn {
  manager: EntityManager;
  ward: Ward;
  conversation: Conversation;
  resident: Resident;
  by: AuditActorRef;
  lang: Lang;
  replies: Array<{ text: string; content: Record<string, unknown> }>;
}

interface MediaPart {
  id?: string;
  mime_type?: string;
  sha256?: string;
  caption?: string;
}

/** The variants of an inbound message the bot reads (Meta's payload, our own types). */
interface MessageParts {
  text?: { body?: string };
  interactive?: {
    list_reply?: { id?: string; title?: string };
    button_reply?: { id?: string; title?: string };
  };
  button?: { payload?: string; text?: string };
  image?: MediaPart;
  document?: MediaPart;
  audio?: MediaPart;
  video?: MediaPart;
  location?: {
    latitude?: unknown;
    longitude?: unknown;
    name?: unknown;
    address?: unknown;
    url?: unknown;
  };
  reaction?: { message_id?: unknown; emoji?: unknown };
  system?: {
    type?: unknown;
    body?: unknown;
    wa_id?: unknown;
    new_wa_id?: unknown;
    user_id?: unknown;
    new_user_id?: unknown;
  };
}

const MEDIA_TYPES = ['image', 'document', 'audio', 'video'] as const;
/** The message types the bot reads; everything else gets one line saying what it can read. */
const READABLE_TYPES = new Set(['text', 'interactive', 'button', ...MEDIA_TYPES, 'location']);
const THUMBS_UP = /^\u{1F44D}[\u{1F3FB}-\u{1F3FF}]?$/u;

const optionalText = (value: unknown, max: number): string | null =>
  typeof value === 'string' && value.trim() ? value.trim().slice(0, max) : null;

function readLocation(part: MessageParts['location']): SharedLocation | null {
  const latitude = Number(part?.latitude);
  const longitude = Number(part?.longitude);
  if (!part || !Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  return {
    latitude,
    longitude,
    name: optionalText(part.name, 300),
    address: optionalText(part.address, 500),
    url: optionalText(part.url, 1000),
  };
}

function readInbound(message: WebhookMessage): Inbound {
  const m = message as WebhookMessage & MessageParts;
  const mediaType = MEDIA_TYPES.find((type) => type === m.type);
  const media = mediaType ? m[mediaType] : undefined;
  const interactive = m.interactive?.list_reply ?? m.interactive?.button_reply ?? null;
  const location = m.type === 'location' ? readLocation(m.location) : null;
  const reactedTo = m.type === 'reaction' ? optionalText(m.reaction?.message_id, 128) : null;
  return {
    wamid: m.id,
    type: m.type,
    text: String(
      m.text?.body ??
        interactive?.title ??
        m.button?.text ??
        media?.caption ??
        [location?.name, location?.address].filter(Boolean).join(', ') ??
        '',
    ),
    choiceId: interactive?.id ?? m.button?.payload ?? null,
    media: media?.id
      ? {
          id: String(media.id),
          mimeType: String(media.mime_type ?? ''),
          sha256: media.sha256,
          caption: media.caption,
        }
      : null,
    location,
    reaction: reactedTo
      ? { emoji: optionalText(m.reaction?.emoji, 40), messageId: reactedTo }
      : null,
    sentAt: new Date(Number(m.timestamp) * 1000),
  };
}

const text = (body: string) => ({
  text: body,
  content: { type: 'text', text: { preview_url: false, body } },
});
const cut = (value: string, max: number) =>
  value.length > max ? `${value.slice(0, max - 1)}…` : value;

/** Requests a resident may still cancel (the workflow's CANCEL). */
const CANCELLABLE = new Set<string>([
  RequestStatus.SUBMITTED,
  RequestStatus.IN_REVIEW,
  RequestStatus.NEEDS_INFO,
]);

/** A service as the matcher reads it. */
function wordsOf(row: ServiceTypeRow): ServiceWords {
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

/** A place as the resident reads it back: its name or address, their words, or the pin. */
function displayPlace(lang: Lang, value: unknown): string {
  const place = (value ?? {}) as Record<string, unknown>;
  const words = [place.name, place.address, place.description].filter(
    (part): part is string => typeof part === 'string' && part.length > 0,
  );
  if (words.length) return words.join(', ');
  const pin = `${Number(place.latitude).toFixed(5)}, ${Number(place.longitude).toFixed(5)}`;
  return `📍 ${lang === 'bn' ? toBengaliDigitsOf(pin) : pin}`;
}

const toBengaliDigitsOf = (value: string) => numeral('bn', value);

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

/**
 * The helpline bot: menu, questions, confirmation, status, cancellation and hand-over,
 * in Bengali or English. Each inbound message is handled once (its wamid is unique) in one
 * transaction with everything it causes: the request, the replies, the conversation state.
 */
@Injectable()
export class ConversationService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly residents: ResidentsService,
    private readonly catalogue: ServiceCatalogueService,
    private readonly requests: RequestsService,
    private readonly workflow: RequestWorkflowService,
    private readonly notifications: NotificationsService,
    private readonly events: DomainEventsService,
    private readonly media: WhatsAppMediaService,
    private readonly desk: HelplineDeskService,
  ) {}

  /** Records a message to a number that is no ward's helpline (deduplicated), and nothing else. */
  async recordStray(manager: EntityManager, phoneNumberId: string, message: WebhookMessage) {
    const inbound = readInbound(message);
    await manager
      .createQueryBuilder()
      .insert()
      .into(WhatsAppMessage)
      .values({
        wamid: inbound.wamid,
        direction: 'IN',
        phoneNumberId,
        waId: senderOf(message),
        author: 'RESIDENT',
        type: inbound.type.slice(0, 20),
        text: inbound.text.slice(0, 4096) || null,
        location: inbound.location,
        sentAt: inbound.sentAt,
      })
      .orIgnore()
      .execute();
  }

  async handle(
    manager: EntityManager,
    ward: Ward,
    message: WebhookMessage,
    profileName: string | null,
  ): Promise<void> {
    const inbound = readInbound(message);
    const waId = senderOf(message);
    const phoneNumberId = ward.whatsappPhoneNumberId ?? '';
    const stored = await manager
      .createQueryBuilder()
      .insert()
      .into(WhatsAppMessage)
      .values({
        wamid: inbound.wamid,
        direction: 'IN',
        phoneNumberId,
        waId,
        wardId: ward.id,
        author: 'RESIDENT',
        type: inbound.type.slice(0, 20),
        text: inbound.text.slice(0, 4096) || null,
        media: inbound.media ? { ...inbound.media, fetch: 'PENDING' } : null,
        location: inbound.location,
        reaction: inbound.reaction
          ? ({ ...inbound.reaction, at: inbound.sentAt } as MessageReaction)
          : null,
        sentAt: inbound.sentAt,
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    // Seen before (WhatsApp delivers at least once): it was answered the first time.
    if (stored.raw.length === 0) return;
    const firstLanguage =
      writesBengali(inbound.text) || !inbound.text ? ResidentLanguage.BN : ResidentLanguage.EN;
    const by: AuditActorRef = {
      type: AuditActorType.RESIDENT,
      id: null,
      label: 'whatsapp',
      requestId: inbound.wamid,
    };
    const resident = await this.residents.registerFromWhatsApp(
      manager,
      by,
      { municipalityId: ward.municipalityId, wardId: ward.id },
      waId,
      profileName,
      firstLanguage,
    );
    const { conversation, isNew, resumed } = await this.conversationOf(
      manager,
      ward,
      resident,
      waId,
    );
    await manager.update(
      WhatsAppMessage,
      { id: stored.raw[0].id },
      { conversationId: conversation.id },
    );
    const turn: Turn = {
      manager,
      ward,
      conversation,
      resident: { ...resident, id: resident.id },
      by: { ...by, id: resident.id },
      lang: conversation.language === 'en' ? 'en' : 'bn',
      replies: [],
    };
    if (inbound.media) {
      await this.media.track(manager, {
        mediaId: inbound.media.id,
        phoneNumberId,
        wamid: inbound.wamid,
      });
    }
    // The help desk's messages (announcement keywords, replies to an announcement) first.
    const claimed = await this.desk.claimInbound({
      manager,
      ward,
      conversation,
      resident,
      lang: turn.lang,
      inbound: { ...inbound, contextMessageId: message.context?.id ?? null },
    });
    if (claimed) turn.replies.push(...claimed.replies);
    else if (inbound.reaction) {
      await this.react(turn, inbound.reaction, inbound.sentAt);
    } else if (!(await this.windowOpen(manager, phoneNumberId, waId))) {
      // Delivered after the 24-hour window closed (WhatsApp retries for days): no free-form
      // answer may go out, and the bot's state may be stale. A person takes it from here.
      if (conversation.status === ConversationStatus.BOT) await this.handOver(turn, false);
    } else if (conversation.status === ConversationStatus.BOT) {
      if (resumed) await this.remindWhereWeWere(turn);
      await (isNew ? this.greetFirst(turn, inbound) : this.respond(turn, inbound));
    } else {
      await this.respondDuringHandOver(turn, inbound);
    }
    await manager.update(
      Conversation,
      { id: conversation.id },
      {
        status: conversation.status,
        step: conversation.step,
        data: conversation.data as never,
        language: turn.lang,
        lastInboundAt: inbound.sentAt,
        lastActivityAt: new Date(),
        handedOverAt: conversation.handedOverAt,
      },
    );
    await this.reply(turn, inbound.wamid);
  }

  /** The conversation of this helpline and WhatsApp id, locked; an idle one starts over. */
  private async conversationOf(
    manager: EntityManager,
    ward: Ward,
    resident: Resident,
    waId: string,
  ) {
    const phoneNumberId = ward.whatsappPhoneNumberId ?? '';
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(Conversation)
      .values({
        phoneNumberId,
        waId,
        municipalityId: ward.municipalityId,
        wardId: ward.id,
        residentId: resident.id,
        language: resident.preferredLanguage === ResidentLanguage.EN ? 'en' : 'bn',
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    const conversation = await manager
      .createQueryBuilder(Conversation, 'c')
      .setLock('pessimistic_write')
      .where('c.phone_number_id = :phoneNumberId AND c.wa_id = :waId', { phoneNumberId, waId })
      .getOneOrFail();
    // After a pause a hand-over ends, but a draft lives as long as the 24-hour window: the
    // resident picks up where they were.
    const idleMs = this.config.whatsapp.conversationIdleMinutes * 60_000;
    const paused = Date.now() - conversation.lastActivityAt.getTime() > idleMs;
    const windowClosed =
      !conversation.lastInboundAt || Date.now() - conversation.lastInboundAt.getTime() > DAY_MS;
    if (paused) Object.assign(conversation, { status: ConversationStatus.BOT, handedOverAt: null });
    if (paused && windowClosed) Object.assign(conversation, { step: 'IDLE', data: {} });
    const resumed = paused && !windowClosed && Boolean(conversation.data.draft);
    return { conversation, isNew: inserted.raw.length > 0, resumed };
  }

  /** Whether the resident's 24-hour window (from their messages' own timestamps) is open. */
  private async windowOpen(manager: EntityManager, phoneNumberId: string, waId: string) {
    const rows = (await manager.query(
      `SELECT 1 FROM whatsapp_windows
        WHERE phone_number_id = $1 AND wa_id = $2 AND last_inbound_at > now() - interval '24 hours'`,
      [phoneNumberId, waId],
    )) as unknown[];
    return rows.length > 0;
  }

  /**
   * A reaction is kept on the message it is on (when that is a resident's message we hold)
   * and in the thread. A 👍 on the "shall I submit it?" question is a yes; anything else
   * gets no reply.
   */
  private async react(
    turn: Turn,
    reaction: { emoji: string | null; messageId: string },
    at: Date,
  ): Promise<void> {
    await turn.manager.query(
      `UPDATE whatsapp_messages SET reaction = $2::jsonb WHERE wamid = $1 AND direction = 'IN'`,
      [reaction.messageId, JSON.stringify({ ...reaction, at })],
    );
    const { conversation } = turn;
    if (conversation.status !== ConversationStatus.BOT || conversation.step !== 'CONFIRMING')
      return;
    if (!reaction.emoji || !THUMBS_UP.test(reaction.emoji)) return;
    const asked = await this.notifications.contentSentAs(turn.manager, reaction.messageId);
    if (!JSON.stringify(asked ?? {}).includes('"confirm:yes"')) return;
    await this.confirm(turn, { choiceId: 'confirm:yes', text: '' });
  }

  /**
   * WhatsApp's own notices about a resident: a changed number (or business-scoped id) moves
   * their conversation, window and registration to the new one; nothing is said to the old
   * number. Every notice is kept in the thread for staff.
   */
  async handleSystem(manager: EntityManager, ward: Ward, message: WebhookMessage): Promise<void> {
    const part = (message as WebhookMessage & MessageParts).system ?? {};
    const oldId = senderOf(message);
    const newId =
      optionalText(part.wa_id, 32) ??
      optionalText(part.new_wa_id, 32) ??
      optionalText(part.new_user_id, 160) ??
      optionalText(part.user_id, 160);
    const phoneNumberId = ward.whatsappPhoneNumberId ?? '';
    const kind = optionalText(part.type, 60) ?? 'system';
    const moves = newId !== null && newId !== oldId && /changed_(number|user_id)$/.test(kind);
    if (moves) {
      await manager.query(
        `UPDATE conversations SET wa_id = $3, updated_at = now()
          WHERE phone_number_id = $1 AND wa_id = $2
            AND NOT EXISTS (SELECT 1 FROM conversations WHERE phone_number_id = $1 AND wa_id = $3)`,
        [phoneNumberId, oldId, newId],
      );
      await manager.query(
        `UPDATE whatsapp_windows SET wa_id = $3
          WHERE phone_number_id = $1 AND wa_id = $2
            AND NOT EXISTS (SELECT 1 FROM whatsapp_windows WHERE phone_number_id = $1 AND wa_id = $3)`,
        [phoneNumberId, oldId, newId],
      );
      await this.residents.changeWhatsAppId(manager, ward.municipalityId, oldId, newId);
    }
    const [conversation] = (await manager.query(
      `SELECT id FROM conversations WHERE phone_number_id = $1 AND wa_id = ANY($2::varchar[])`,
      [phoneNumberId, [oldId, newId ?? oldId]],
    )) as Array<{ id: string }>;
    await manager
      .createQueryBuilder()
      .insert()
      .into(WhatsAppMessage)
      .values({
        wamid: message.id,
        direction: 'IN',
        phoneNumberId,
        waId: moves && newId ? newId : oldId,
        conversationId: conversation?.id ?? null,
        wardId: ward.id,
        author: 'SYSTEM',
        type: 'system',
        text: optionalText(part.body, 1000) ?? kind,
        sentAt: new Date(Number(message.timestamp) * 1000),
      })
      .orIgnore()
      .execute();
  }

  private async greet(turn: Turn): Promise<void> {
    const wardName = turn.lang === 'bn' ? turn.ward.nameBn : turn.ward.nameEn;
    turn.replies.push(text(T.welcome[turn.lang](wardName)));
    await this.showMenu(turn, 1);
  }

  /**
   * A first message: welcome, then what it asks for — the service it names starts at once,
   * a status question is answered — or the menu.
   */
  private async greetFirst(turn: Turn, inbound: Inbound): Promise<void> {
    const intent = inbound.choiceId ? null : intentOf(inbound.text);
    const types = await this.catalogue.activeTypes(turn.ward.municipalityId, turn.manager);
    const named = intent ? null : understandService(inbound.text, types.map(wordsOf)).certain;
    const asks = intent !== null && intent !== 'GREETING' && intent !== 'MENU';
    if (!named && !asks && !inbound.media) return this.greet(turn);
    const wardName = turn.lang === 'bn' ? turn.ward.nameBn : turn.ward.nameEn;
    turn.replies.push(text(T.welcomeShort[turn.lang](wardName)));
    turn.conversation.data = { menu: types.map((t) => t.id) };
    return this.respond(turn, inbound);
  }

  /** After a pause in the middle of a request: say which one, then carry on. */
  private async remindWhereWeWere(turn: Turn): Promise<void> {
    const definition = await this.definition(turn);
    if (!definition) return;
    turn.replies.push(
      text(T.resumed[turn.lang](turn.lang === 'bn' ? definition.nameBn : definition.nameEn)),
    );
  }

  /**
   * While a person has the conversation the bot keeps quiet — except for what the resident
   * can always do: ask the status, go back to the menu, cancel.
   */
  private async respondDuringHandOver(turn: Turn, inbound: Inbound): Promise<void> {
    const intent = inbound.choiceId ? null : intentOf(inbound.text);
    if (!intent || !HUMAN_MODE_INTENTS.has(intent)) return;
    if (intent !== 'STATUS') {
      turn.conversation.status = ConversationStatus.BOT;
      turn.conversation.handedOverAt = null;
    }
    await this.obey(turn, intent, inbound);
  }

  private async respond(turn: Turn, inbound: Inbound): Promise<void> {
    const { conversation } = turn;
    if (!READABLE_TYPES.has(inbound.type)) {
      turn.replies.push(text(T.cannotRead[turn.lang]));
      return;
    }
    if (inbound.location) {
      if (await this.answersWithPlace(turn, inbound.location)) return;
      turn.replies.push(text(T.locationKept[turn.lang]));
      return this.repeatStep(turn);
    }
    if (conversation.step === 'CHOOSING_REQUEST') return this.chooseRequestForInfo(turn, inbound);
    if (inbound.media) {
      if (conversation.data.draft) return this.keepFile(turn, inbound);
      if (await this.provideInfo(turn, inbound)) return;
      turn.replies.push(text(T.fileWithoutRequest[turn.lang]));
      return;
    }
    const intent = inbound.choiceId ? null : intentOf(inbound.text);
    if (intent && (await this.obey(turn, intent, inbound))) return;
    switch (conversation.step) {
      case 'CHOOSING':
        return this.choose(turn, inbound);
      case 'ANSWERING':
        return this.answer(turn, inbound.text, intent === 'SKIP');
      case 'CONFIRMING':
        return this.confirm(turn, inbound);
      case 'CONFIRMING_CANCEL':
        return this.confirmCancel(turn, inbound);
      default:
        // A message that names a service asks for it, even while another request waits for
        // information; anything else is that information.
        if (!inbound.choiceId && !(await this.namesService(turn, inbound.text)))
          if (await this.provideInfo(turn, inbound)) return;
        return this.choose(turn, inbound);
    }
  }

  private async namesService(turn: Turn, written: string): Promise<boolean> {
    const types = await this.catalogue.activeTypes(turn.ward.municipalityId, turn.manager);
    return understandService(written, types.map(wordsOf)).certain !== null;
  }

  /** Acts on what the message asks for; false when the step in hand should read it instead. */
  private async obey(turn: Turn, intent: Intent, inbound: Inbound): Promise<boolean> {
    const { conversation } = turn;
    const argument = trackingNumberIn(inbound.text);
    switch (intent) {
      case 'ENGLISH':
      case 'BENGALI':
        turn.lang = intent === 'ENGLISH' ? 'en' : 'bn';
        await this.residents.setLanguage(
          turn.manager,
          turn.resident.id,
          turn.lang === 'en' ? ResidentLanguage.EN : ResidentLanguage.BN,
        );
        turn.replies.push(text(T.languageSet[turn.lang]));
        await this.repeatStep(turn);
        return true;
      case 'MENU':
      case 'RESTART':
        conversation.data = {};
        await this.showMenu(turn, 1);
        return true;
      case 'GREETING':
        if (conversation.step === 'IDLE') await this.greet(turn);
        else {
          turn.replies.push(text(T.welcomeBack[turn.lang]));
          await this.repeatStep(turn);
        }
        return true;
      case 'THANKS':
        turn.replies.push(text(T.thanks[turn.lang]));
        if (conversation.step !== 'IDLE') await this.repeatStep(turn);
        return true;
      case 'STATUS':
        await this.status(turn, argument);
        return true;
      case 'CANCEL':
        await this.cancel(turn, argument);
        return true;
      case 'HUMAN':
        await this.handOver(turn);
        return true;
      case 'SKIP':
        return false;
    }
  }

  private async repeatStep(turn: Turn): Promise<void> {
    if (
      turn.conversation.step === 'CONFIRMING_CANCEL' ||
      turn.conversation.step === 'CHOOSING_REQUEST'
    ) {
      turn.conversation.step = 'IDLE';
      turn.conversation.data = {};
    }
    if (turn.conversation.step === 'CHOOSING') return this.showMenu(turn, 1);
    if (turn.conversation.step === 'ANSWERING') return this.ask(turn);
    if (turn.conversation.step === 'CONFIRMING') return this.summarise(turn);
  }

  private async showMenu(turn: Turn, page: number): Promise<void> {
    const types = await this.catalogue.activeTypes(turn.ward.municipalityId, turn.manager);
    turn.conversation.data = { menu: types.map((t) => t.id) };
    turn.conversation.step = 'CHOOSING';
    const all = types.map((t, i) => ({
      n: i + 1,
      name: turn.lang === 'bn' ? t.definition.nameBn : t.definition.nameEn,
    }));
    // WhatsApp lists hold at most 10 rows: 9 services and "more" when there are more.
    const fits = all.length <= 10;
    const shown = fits ? all : all.slice((page - 1) * MENU_PAGE, page * MENU_PAGE);
    const rows = shown.map(({ n, name }) => ({
      id: `svc:${n}`,
      title: cut(`${numeral(turn.lang, n)}. ${name}`, 24),
      description: cut(name, 72),
    }));
    const more = !fits && page * MENU_PAGE < all.length;
    if (more)
      rows.push({
        id: `menu:${page + 1}`,
        title: turn.lang === 'bn' ? 'আরও…' : 'More…',
        description: turn.lang === 'bn' ? 'আরও পরিষেবা দেখুন' : 'See more services',
      });
    const numbered = shown.map(({ n, name }) => `${numeral(turn.lang, n)}. ${name}`).join('\n');
    turn.replies.push({
      text: `${T.menuBody[turn.lang]}\n${numbered}`,
      content: {
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: `${T.menuBody[turn.lang]}\n${numbered}`.slice(0, 4096) },
          action: {
            button: T.menuButton[turn.lang],
            sections: [{ title: T.menuSection[turn.lang], rows }],
          },
        },
      },
    });
  }

  /**
   * The service the resident wants: a list row or button, a menu number, or their own words
   * ("বসবাসের সার্টিফিকেট"). Words that fit several services get a short question offering
   * the likeliest ones; words that fit none get the menu again.
   */
  private async choose(turn: Turn, inbound: Inbound): Promise<void> {
    const types = await this.catalogue.activeTypes(turn.ward.municipalityId, turn.manager);
    const menu = types.map((t) => t.id);
    if (inbound.choiceId?.startsWith('menu:'))
      return this.showMenu(turn, Number(inbound.choiceId.slice(5)) || 1);
    const number = inbound.choiceId?.startsWith('svc:')
      ? Number(inbound.choiceId.slice(4))
      : choiceNumber(inbound.text);
    const known = turn.conversation.data.menu ?? menu;
    if (number) {
      const chosen = types.find((t) => t.id === known[number - 1]);
      if (chosen) return this.start(turn, chosen);
      turn.replies.push(text(T.notAChoice[turn.lang](known.length)));
      return;
    }
    const understood = understandService(inbound.text, types.map(wordsOf));
    const certain = types.find((t) => t.id === understood.certain);
    if (certain) return this.start(turn, certain);
    if (understood.likely.length > 0) return this.offer(turn, types, understood.likely);
    turn.replies.push(text(T.fallback[turn.lang]));
    if (turn.conversation.step !== 'CHOOSING') await this.showMenu(turn, 1);
  }

  /** "Did you mean one of these?" with a button for each (at most three). */
  private offer(turn: Turn, types: ServiceTypeRow[], ids: string[]): void {
    const lang = turn.lang;
    turn.conversation.data = { menu: types.map((t) => t.id) };
    turn.conversation.step = 'CHOOSING';
    const buttons = ids.map((id) => {
      const n = types.findIndex((t) => t.id === id) + 1;
      const definition = types[n - 1].definition;
      return {
        type: 'reply',
        reply: {
          id: `svc:${n}`,
          title: cut(lang === 'bn' ? definition.nameBn : definition.nameEn, 20),
        },
      };
    });
    const names = ids.map((id) => {
      const n = types.findIndex((t) => t.id === id) + 1;
      const definition = types[n - 1].definition;
      return `${numeral(lang, n)}. ${lang === 'bn' ? definition.nameBn : definition.nameEn}`;
    });
    const body = `${T.didYouMean[lang]}\n${names.join('\n')}`;
    turn.replies.push({
      text: body,
      content: {
        type: 'interactive',
        interactive: { type: 'button', body: { text: body }, action: { buttons } },
      },
    });
  }

  /** Starts the draft of a service: its documents, then the first question. */
  private async start(turn: Turn, row: ServiceTypeRow): Promise<void> {
    const definition = row.definition;
    const types = await this.catalogue.activeTypes(turn.ward.municipalityId, turn.manager);
    turn.conversation.data = {
      menu: types.map((t) => t.id),
      draft: {
        serviceTypeId: row.id,
        pending: [...definition.attributes].sort((a, b) => a.order - b.order).map((a) => a.code),
        answers: {},
        attachments: [],
      },
    };
    turn.conversation.step = 'ANSWERING';
    const name = turn.lang === 'bn' ? definition.nameBn : definition.nameEn;
    const documents = definition.documents.map(
      (d) => `• ${turn.lang === 'bn' ? d.labelBn : d.labelEn}`,
    );
    turn.replies.push(
      text(
        documents.length ? `${name}\n${T.sendPapers[turn.lang]}\n${documents.join('\n')}` : name,
      ),
    );
    return this.ask(turn);
  }

  private async definition(turn: Turn): Promise<ServiceDefinition | null> {
    const draft = turn.conversation.data.draft;
    if (!draft) return null;
    return (await this.catalogue.getRow(draft.serviceTypeId, turn.manager))?.definition ?? null;
  }

  private async ask(turn: Turn): Promise<void> {
    const draft = turn.conversation.data.draft;
    const definition = await this.definition(turn);
    if (!draft || !definition) return this.showMenu(turn, 1);
    if (draft.pending.length === 0) return this.summarise(turn);
    const attribute = definition.attributes.find((a) => a.code === draft.pending[0]);
    if (!attribute) {
      draft.pending.shift();
      return this.ask(turn);
    }
    turn.replies.push(text(this.question(turn.lang, attribute)));
  }

  private question(lang: Lang, attribute: ServiceAttribute): string {
    const label =
      (lang === 'bn' ? attribute.questionBn : attribute.questionEn) ??
      (lang === 'bn' ? attribute.labelBn : attribute.labelEn);
    const optional = attribute.required ? '' : ` ${T.optionalHint[lang]}`;
    if (!attribute.choices?.length) return `${label}${optional}`;
    const hint =
      attribute.datatype === AttributeDatatype.MULTI_CHOICE
        ? T.multiHint[lang]
        : T.chooseHint[lang];
    const options = attribute.choices.map(
      (c, i) => `${numeral(lang, i + 1)}. ${lang === 'bn' ? c.labelBn : c.labelEn}`,
    );
    return `${label}${optional}\n${hint}\n${options.join('\n')}`;
  }

  private async answer(turn: Turn, written: string, skip: boolean): Promise<void> {
    const draft = turn.conversation.data.draft;
    const definition = await this.definition(turn);
    if (!draft || !definition) return this.showMenu(turn, 1);
    const attribute = definition.attributes.find((a) => a.code === draft.pending[0]);
    if (!attribute) return this.ask(turn);
    if (skip) {
      if (attribute.required) {
        turn.replies.push(
          text(`${T.cannotSkip[turn.lang]}\n\n${this.question(turn.lang, attribute)}`),
        );
        return;
      }
      draft.pending.shift();
      return this.ask(turn);
    }
    if (
      draft.askAgeFor !== attribute.code &&
      isYearsQuestion(attribute) &&
      meansSinceBirth(written)
    ) {
      draft.askAgeFor = attribute.code;
      turn.replies.push(text(T.askAge[turn.lang]));
      return;
    }
    const checked = checkAttributeValues([attribute], {
      [attribute.code]: this.valueOf(attribute, written),
    });
    if (checked.errors.length > 0) {
      const hint = hintFor(turn.lang, attribute);
      turn.replies.push(
        text(`${T.notUnderstood[turn.lang](hint)}\n\n${this.question(turn.lang, attribute)}`),
      );
      return;
    }
    delete draft.askAgeFor;
    draft.answers[attribute.code] = checked.values[attribute.code];
    draft.pending.shift();
    return this.ask(turn);
  }

  /** A shared location answers the question in hand when it asks where. */
  private async answersWithPlace(turn: Turn, place: SharedLocation): Promise<boolean> {
    const draft = turn.conversation.data.draft;
    if (turn.conversation.step !== 'ANSWERING' || !draft) return false;
    const definition = await this.definition(turn);
    const attribute = definition?.attributes.find((a) => a.code === draft.pending[0]);
    if (attribute?.datatype !== AttributeDatatype.LOCATION) return false;
    const checked = checkAttributeValues([attribute], { [attribute.code]: place });
    if (checked.errors.length > 0) return false;
    draft.answers[attribute.code] = checked.values[attribute.code];
    draft.pending.shift();
    await this.ask(turn);
    return true;
  }

  /** What the resident typed, as the attribute's type wants it (numbers for choices, ISO dates). */
  private valueOf(attribute: ServiceAttribute, written: string): unknown {
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

  private async summarise(turn: Turn): Promise<void> {
    const draft = turn.conversation.data.draft;
    const definition = await this.definition(turn);
    if (!draft || !definition) return this.showMenu(turn, 1);
    turn.conversation.step = 'CONFIRMING';
    const lang = turn.lang;
    const lines = definition.attributes
      .filter((a) => draft.answers[a.code] !== undefined)
      .map(
        (a, i) =>
          `${numeral(lang, i + 1)}. ${lang === 'bn' ? a.labelBn : a.labelEn}: ${this.display(lang, a, draft.answers[a.code])}`,
      );
    const files = draft.attachments.length
      ? [`${T.files[lang]}: ${numeral(lang, draft.attachments.length)}`]
      : [];
    const body = [
      T.summaryTitle[lang],
      lang === 'bn' ? definition.nameBn : definition.nameEn,
      ...lines,
      ...files,
      '',
      ...(lines.length ? [T.changeHint[lang]] : []),
      T.confirmQuestion[lang],
    ].join('\n');
    turn.replies.push({
      text: body,
      content: {
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: body.slice(0, 1024) },
          action: {
            buttons: [
              { type: 'reply', reply: { id: 'confirm:yes', title: T.yes[lang] } },
              { type: 'reply', reply: { id: 'confirm:no', title: T.no[lang] } },
            ],
          },
        },
      },
    });
  }

  private display(lang: Lang, attribute: ServiceAttribute, value: unknown): string {
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

  private async confirm(turn: Turn, inbound: Pick<Inbound, 'choiceId' | 'text'>): Promise<void> {
    const draft = turn.conversation.data.draft;
    const change = inbound.choiceId ? null : choiceNumber(inbound.text);
    if (draft && change !== null && change > 0 && Object.keys(draft.answers).length > 0)
      return this.changeAnswer(turn, change);
    const answer = inbound.choiceId
      ? inbound.choiceId === 'confirm:yes'
      : naturalYesNo(inbound.text);
    if (answer === null) {
      turn.replies.push(text(T.yesNoHint[turn.lang]));
      return;
    }
    turn.conversation.step = 'IDLE';
    turn.conversation.data = {};
    if (!answer || !draft) {
      turn.replies.push(text(T.flowCancelled[turn.lang]));
      return;
    }
    const described = await this.media.described(
      turn.manager,
      draft.attachments.map((a) => a.mediaRef),
    );
    const attachments = draft.attachments.map((a) => ({ ...a, ...described.get(a.mediaRef) }));
    const { request, errors } = await this.requests.createTrusted(
      turn.by,
      turn.ward.municipalityId,
      {
        residentId: turn.resident.id,
        serviceTypeId: draft.serviceTypeId,
        channel: RequestChannel.WHATSAPP,
        attributes: draft.answers,
        description: null,
        priority: RequestPriority.NORMAL,
        attachments: attachments.map((a) => ({
          ...a,
          kind: a.kind as AttachmentKind,
          source: a.source as AttachmentSource,
        })),
      },
      turn.manager,
    );
    // The acknowledgement with the tracking number and due date is the `request_received`
    // notification, planned in this same transaction: the resident gets it once.
    if (!request) {
      turn.replies.push(text(T.notUnderstood[turn.lang](errors.map((e) => e.message).join('; '))));
      await this.showMenu(turn, 1);
    }
  }

  /** "২": the resident wants to change the second answer of the summary. */
  private async changeAnswer(turn: Turn, n: number): Promise<void> {
    const draft = turn.conversation.data.draft;
    const definition = await this.definition(turn);
    if (!draft || !definition) return this.showMenu(turn, 1);
    const answered = definition.attributes.filter((a) => draft.answers[a.code] !== undefined);
    const attribute = answered[n - 1];
    if (!attribute) {
      turn.replies.push(text(T.notAChoice[turn.lang](answered.length)));
      return;
    }
    draft.pending = [attribute.code];
    turn.conversation.step = 'ANSWERING';
    return this.ask(turn);
  }

  /**
   * Keeps a file with the request being drafted, from what the webhook says of it; its size
   * (and a checksum the webhook lacked) is asked of WhatsApp apart from this message, so a
   * slow or failing look-up never holds up the conversation.
   */
  private async keepFile(turn: Turn, inbound: Inbound): Promise<void> {
    const draft = turn.conversation.data.draft;
    if (!draft || !inbound.media) {
      turn.replies.push(text(T.fileWithoutRequest[turn.lang]));
      return;
    }
    const media = inbound.media;
    // Until WhatsApp describes it, a file without a checksum in the webhook is told apart
    // from others by its media id.
    const sha256 =
      hexSha256(media.sha256 ?? '') ??
      createHash('sha256').update(`whatsapp-media:${media.id}`).digest('hex');
    if (!draft.attachments.some((a) => a.sha256 === sha256 || a.mediaRef === media.id)) {
      draft.attachments.push({
        kind:
          { image: 'IMAGE', document: 'DOCUMENT', audio: 'AUDIO', video: 'VIDEO' }[inbound.type] ??
          'DOCUMENT',
        source: AttachmentSource.WHATSAPP_MEDIA,
        mediaRef: media.id,
        mimeType: (media.mimeType || 'application/octet-stream').slice(0, 100),
        sizeBytes: 0,
        sha256,
        caption: media.caption?.slice(0, 1000) ?? null,
      });
    }
    turn.replies.push(text(T.fileKept[turn.lang]));
  }

  /** The resident's own requests (or the one named), in one message. */
  private async status(turn: Turn, argument: string | null): Promise<void> {
    const lang = turn.lang;
    const named = argument ? await this.ownRequest(turn, argument) : null;
    if (argument && !named) {
      turn.replies.push(text(T.unknownRequest[lang](argument)));
      return;
    }
    const requests = named
      ? [named]
      : await this.requests.latestOf(turn.resident.id, 5, turn.manager);
    if (requests.length === 0) {
      turn.replies.push(text(T.noRequests[lang]));
      return;
    }
    const lines: string[] = [];
    for (const request of requests) {
      const row = await this.catalogue.getRow(request.serviceTypeId, turn.manager);
      const name = row ? (lang === 'bn' ? row.definition.nameBn : row.definition.nameEn) : '';
      lines.push(`${request.trackingNumber} — ${name}: ${T.statusNames[lang][request.status]}`);
    }
    const title = requests.length === 1 ? T.statusTitleOne[lang] : T.statusTitle[lang];
    turn.replies.push(text(`${title}\n${lines.join('\n')}`));
  }

  /**
   * A request of the resident's by what they wrote: the tracking number in any form, or just
   * its serial when only one of theirs ends so.
   */
  private async ownRequest(turn: Turn, written: string) {
    const exact = await this.requests.lockOwn(turn.manager, turn.resident.id, written);
    if (exact || !/^\d{1,5}$/.test(written)) return exact;
    const mine = await this.requests.latestOf(turn.resident.id, 50, turn.manager);
    const bySerial = mine.filter(
      (r) => Number(r.trackingNumber.split('-').pop()) === Number(written),
    );
    return bySerial.length === 1 ? bySerial[0] : null;
  }

  /** Cancel: which request (asked when several are open), then a yes before it is done. */
  private async cancel(turn: Turn, argument: string | null): Promise<void> {
    const lang = turn.lang;
    const { conversation } = turn;
    if (!argument && conversation.data.draft) {
      conversation.step = 'IDLE';
      conversation.data = {};
      turn.replies.push(text(T.flowCancelled[lang]));
      return;
    }
    const request = argument
      ? await this.ownRequest(turn, argument)
      : await this.onlyOpenRequest(turn);
    if (!request) {
      if (argument) turn.replies.push(text(T.unknownRequest[lang](argument)));
      else await this.listCancellable(turn);
      return;
    }
    if (!CANCELLABLE.has(request.status)) {
      turn.replies.push(text(T.cannotCancel[lang](request.trackingNumber)));
      return;
    }
    conversation.step = 'CONFIRMING_CANCEL';
    conversation.data = {
      cancelling: { requestId: request.id, trackingNumber: request.trackingNumber },
    };
    const body = T.confirmCancel[lang](request.trackingNumber);
    turn.replies.push({
      text: body,
      content: {
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: body },
          action: {
            buttons: [
              { type: 'reply', reply: { id: 'cancel:yes', title: T.yesCancel[lang] } },
              { type: 'reply', reply: { id: 'cancel:no', title: T.noKeep[lang] } },
            ],
          },
        },
      },
    });
  }

  private async onlyOpenRequest(turn: Turn) {
    const open = (await this.requests.latestOf(turn.resident.id, 20, turn.manager)).filter((r) =>
      CANCELLABLE.has(r.status),
    );
    return open.length === 1 ? open[0] : null;
  }

  private async listCancellable(turn: Turn): Promise<void> {
    const open = (await this.requests.latestOf(turn.resident.id, 20, turn.manager)).filter((r) =>
      CANCELLABLE.has(r.status),
    );
    if (open.length === 0) {
      turn.replies.push(text(T.nothingToCancel[turn.lang]));
      return;
    }
    turn.replies.push(
      text(`${T.whichToCancel[turn.lang]}\n${open.map((r) => r.trackingNumber).join('\n')}`),
    );
  }

  private async confirmCancel(turn: Turn, inbound: Inbound): Promise<void> {
    const pending = turn.conversation.data.cancelling;
    const answer = inbound.choiceId
      ? inbound.choiceId === 'cancel:yes'
      : naturalYesNo(inbound.text);
    if (answer === null || !pending) {
      turn.replies.push(text(T.yesNoHint[turn.lang]));
      return;
    }
    turn.conversation.step = 'IDLE';
    turn.conversation.data = {};
    if (!answer) {
      turn.replies.push(text(T.keptRequest[turn.lang](pending.trackingNumber)));
      return;
    }
    const request = await this.requests.lockOwn(
      turn.manager,
      turn.resident.id,
      pending.trackingNumber,
    );
    if (!request) return;
    try {
      // The `request_cancelled` notification tells the resident.
      await this.workflow.apply(turn.manager, turn.by, request, RequestAction.CANCEL, null);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      turn.replies.push(text(T.cannotCancel[turn.lang](request.trackingNumber)));
    }
  }

  /**
   * While a request of the resident's waits for information (`NEEDS_INFO`), what they send
   * next is that information: a file is attached, a text kept on the timeline, the request
   * goes back to review by the workflow's own step, and they are told it reached the
   * coordinator. With several such requests, they are asked which. False when none waits.
   */
  private async provideInfo(turn: Turn, inbound: Inbound): Promise<boolean> {
    const waiting = (await this.requests.latestOf(turn.resident.id, 20, turn.manager)).filter(
      (r) => r.status === RequestStatus.NEEDS_INFO,
    );
    if (waiting.length === 0) return false;
    if (waiting.length > 1) {
      turn.conversation.step = 'CHOOSING_REQUEST';
      turn.conversation.data = {
        pendingInfo: {
          text: inbound.media ? null : inbound.text,
          media: inbound.media ? { ...inbound.media, type: inbound.type } : null,
          requestIds: waiting.map((r) => r.id),
        },
      };
      const rows = waiting
        .slice(0, 10)
        .map((r, i) => `${numeral(turn.lang, i + 1)}. ${r.trackingNumber}`);
      turn.replies.push(text(`${T.whichRequest[turn.lang]}\n${rows.join('\n')}`));
      return true;
    }
    await this.attachInfo(turn, waiting[0].id, {
      text: inbound.media ? null : inbound.text,
      media: inbound.media ? { ...inbound.media, type: inbound.type } : null,
    });
    return true;
  }

  private async chooseRequestForInfo(turn: Turn, inbound: Inbound): Promise<void> {
    const pending = turn.conversation.data.pendingInfo;
    const n = choiceNumber(inbound.text);
    const requestId = pending && n ? pending.requestIds[n - 1] : undefined;
    if (!pending || !requestId) {
      turn.replies.push(text(T.notAChoice[turn.lang](pending?.requestIds.length ?? 0)));
      return;
    }
    turn.conversation.step = 'IDLE';
    turn.conversation.data = {};
    await this.attachInfo(turn, requestId, pending);
  }

  private async attachInfo(
    turn: Turn,
    requestId: string,
    info:
      | NonNullable<ConversationData['pendingInfo']>
      | Omit<NonNullable<ConversationData['pendingInfo']>, 'requestIds'>,
  ): Promise<void> {
    const request = await this.requests.lockOwnById(turn.manager, turn.resident.id, requestId);
    if (!request || request.status !== RequestStatus.NEEDS_INFO) return;
    if (info.media) {
      const media = info.media;
      await this.requests.attachFromResident(turn.manager, request, {
        kind: ({ image: 'IMAGE', document: 'DOCUMENT', audio: 'AUDIO', video: 'VIDEO' }[
          media.type
        ] ?? 'DOCUMENT') as AttachmentKind,
        source: AttachmentSource.WHATSAPP_MEDIA,
        mediaRef: media.id,
        mimeType: (media.mimeType || 'application/octet-stream').slice(0, 100),
        sizeBytes: 0,
        sha256:
          hexSha256(media.sha256 ?? '') ??
          createHash('sha256').update(`whatsapp-media:${media.id}`).digest('hex'),
        caption: media.caption?.slice(0, 1000) ?? null,
      });
    }
    const note =
      info.text?.trim() ||
      info.media?.caption?.trim() ||
      (turn.lang === 'bn' ? 'ফাইল পাঠিয়েছেন' : 'sent a file');
    await this.workflow.apply(
      turn.manager,
      turn.by,
      request,
      RequestAction.PROVIDE_INFO,
      note.slice(0, 2000),
    );
    turn.replies.push(text(T.infoReceived[turn.lang](request.trackingNumber)));
  }

  private async handOver(turn: Turn, tellResident = true): Promise<void> {
    const { conversation } = turn;
    conversation.status = ConversationStatus.HUMAN;
    conversation.handedOverAt = new Date();
    await this.events.record(turn.manager, {
      type: 'conversation.handed_over',
      aggregateType: 'Conversation',
      aggregateId: conversation.id,
      municipalityId: conversation.municipalityId,
      wardId: conversation.wardId,
      payload: { conversationId: conversation.id, residentId: conversation.residentId },
    });
    if (!tellResident) return;
    const hours = turn.ward.serviceHours;
    turn.replies.push(
      text(
        staffedAt(hours, new Date())
          ? T.handedOver[turn.lang]
          : T.handedOverClosed[turn.lang](
              sayTime(turn.lang, hours.opensAt),
              sayTime(turn.lang, hours.closesAt),
            ),
      ),
    );
  }

  /** Queues the replies (sent by the dispatcher, in order) and keeps them in the thread. */
  private async reply(turn: Turn, replyTo: string): Promise<void> {
    if (turn.replies.length === 0) return;
    const { manager, conversation, ward } = turn;
    await this.notifications.enqueueReplies(
      manager,
      {
        municipalityId: ward.municipalityId,
        wardId: ward.id,
        residentId: turn.resident.id,
        address: conversation.waId,
        sender: conversation.phoneNumberId,
        language: turn.lang === 'en' ? NotificationLanguage.EN : NotificationLanguage.BN,
        replyTo,
      },
      turn.replies,
    );
    await manager.insert(
      WhatsAppMessage,
      turn.replies.map((reply) => ({
        direction: 'OUT',
        phoneNumberId: conversation.phoneNumberId,
        waId: conversation.waId,
        conversationId: conversation.id,
        wardId: ward.id,
        author: 'BOT',
        type: String(reply.content.type),
        text: reply.text,
        sentAt: new Date(),
      })),
    );
  }
}

export type { ConversationData };

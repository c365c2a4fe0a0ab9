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
} from '../../requests/entities/request-enums';
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
import {
  choiceNumber,
  choiceNumbers,
  commandOf,
  indianDate,
  writesBengali,
  yesNo,
} from './answer-parsing';
import { BOT_TEXTS as T, Lang, numeral } from './bot-texts';

const MENU_PAGE = 9;

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
    const { conversation, isNew } = await this.conversationOf(manager, ward, resident, waId);
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
    if (inbound.reaction) {
      await this.react(turn, inbound.reaction, inbound.sentAt);
    } else if (!(await this.windowOpen(manager, phoneNumberId, waId))) {
      // Delivered after the 24-hour window closed (WhatsApp retries for days): no free-form
      // answer may go out, and the bot's state may be stale. A person takes it from here.
      if (conversation.status === ConversationStatus.BOT) await this.handOver(turn, false);
    } else if (conversation.status === ConversationStatus.BOT) {
      await (isNew ? this.greet(turn) : this.respond(turn, inbound));
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
    const idleMs = this.config.whatsapp.conversationIdleMinutes * 60_000;
    if (Date.now() - conversation.lastActivityAt.getTime() > idleMs) {
      Object.assign(conversation, {
        status: ConversationStatus.BOT,
        step: 'IDLE',
        data: {},
        handedOverAt: null,
      });
    }
    return { conversation, isNew: inserted.raw.length > 0 };
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

  private async respond(turn: Turn, inbound: Inbound): Promise<void> {
    const { conversation } = turn;
    if (!READABLE_TYPES.has(inbound.type)) {
      turn.replies.push(text(T.cannotRead[turn.lang]));
      return;
    }
    if (inbound.location) {
      turn.replies.push(text(T.locationKept[turn.lang]));
      return this.repeatStep(turn);
    }
    if (inbound.media) return this.keepFile(turn, inbound);
    const command = inbound.choiceId ? null : commandOf(inbound.text);
    if (command && command.command !== 'SKIP') {
      switch (command.command) {
        case 'ENGLISH':
        case 'BENGALI':
          turn.lang = command.command === 'ENGLISH' ? 'en' : 'bn';
          await this.residents.setLanguage(
            turn.manager,
            turn.resident.id,
            turn.lang === 'en' ? ResidentLanguage.EN : ResidentLanguage.BN,
          );
          turn.replies.push(text(T.languageSet[turn.lang]));
          return this.repeatStep(turn);
        case 'MENU':
          conversation.data = {};
          return this.showMenu(turn, 1);
        case 'STATUS':
          return this.status(turn, command.argument);
        case 'CANCEL':
          return this.cancel(turn, command.argument);
        case 'HELP':
          return this.handOver(turn);
      }
    }
    switch (conversation.step) {
      case 'CHOOSING':
        return this.choose(turn, inbound);
      case 'ANSWERING':
        return this.answer(turn, inbound.text, command?.command === 'SKIP');
      case 'CONFIRMING':
        return this.confirm(turn, inbound);
      default:
        turn.replies.push(text(T.fallback[turn.lang]));
    }
  }

  private async repeatStep(turn: Turn): Promise<void> {
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
        description: '',
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

  private async choose(turn: Turn, inbound: Inbound): Promise<void> {
    const menu = turn.conversation.data.menu ?? [];
    if (inbound.choiceId?.startsWith('menu:'))
      return this.showMenu(turn, Number(inbound.choiceId.slice(5)) || 1);
    const n = inbound.choiceId?.startsWith('svc:')
      ? Number(inbound.choiceId.slice(4))
      : choiceNumber(inbound.text);
    const serviceTypeId = n ? menu[n - 1] : undefined;
    const row = serviceTypeId ? await this.catalogue.getRow(serviceTypeId, turn.manager) : null;
    if (!row || !row.active) {
      turn.replies.push(text(T.notAChoice[turn.lang](menu.length)));
      return;
    }
    const definition = row.definition;
    turn.conversation.data = {
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
    const photos =
      turn.lang === 'bn'
        ? 'কাগজপত্রের ছবি যেকোনো সময় পাঠাতে পারেন:'
        : 'You can send photos of these papers at any time:';
    turn.replies.push(
      text(documents.length ? `${name}\n${photos}\n${documents.join('\n')}` : name),
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
    const label = lang === 'bn' ? attribute.labelBn : attribute.labelEn;
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
    if (skip && !attribute.required) {
      draft.pending.shift();
      return this.ask(turn);
    }
    const checked = checkAttributeValues([attribute], {
      [attribute.code]: this.valueOf(attribute, written),
    });
    if (checked.errors.length > 0) {
      const hint = T.hints[turn.lang][attribute.datatype];
      turn.replies.push(
        text(`${T.notUnderstood[turn.lang](hint)}\n\n${this.question(turn.lang, attribute)}`),
      );
      return;
    }
    draft.answers[attribute.code] = checked.values[attribute.code];
    draft.pending.shift();
    return this.ask(turn);
  }

  /** What the resident typed, as the attribute's type wants it (numbers for choices, ISO dates). */
  private valueOf(attribute: ServiceAttribute, written: string): unknown {
    const choices = attribute.choices ?? [];
    const byLabel = (part: string) =>
      choices.find((c) =>
        [c.code, c.labelBn, c.labelEn].some((l) => l.toLowerCase() === part.trim().toLowerCase()),
      )?.code;
    switch (attribute.datatype) {
      case AttributeDatatype.SINGLE_CHOICE: {
        const n = choiceNumber(written);
        return (n ? choices[n - 1]?.code : byLabel(written)) ?? written;
      }
      case AttributeDatatype.MULTI_CHOICE: {
        const numbers = choiceNumbers(written);
        if (numbers) return numbers.map((n) => choices[n - 1]?.code ?? String(n));
        return written.split(/[,،]/).map((part) => byLabel(part) ?? part.trim());
      }
      case AttributeDatatype.DATE:
        return indianDate(written) ?? written;
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
        (a) =>
          `${lang === 'bn' ? a.labelBn : a.labelEn}: ${this.display(lang, a, draft.answers[a.code])}`,
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
    return lang === 'bn' && typeof value === 'number' ? numeral('bn', value) : String(value);
  }

  private async confirm(turn: Turn, inbound: Pick<Inbound, 'choiceId' | 'text'>): Promise<void> {
    const answer = inbound.choiceId ? inbound.choiceId === 'confirm:yes' : yesNo(inbound.text);
    if (answer === null) {
      turn.replies.push(text(T.yesNoHint[turn.lang]));
      return;
    }
    const draft = turn.conversation.data.draft;
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

  private async status(turn: Turn, argument: string): Promise<void> {
    const lang = turn.lang;
    const requests = argument
      ? [await this.requests.lockOwn(turn.manager, turn.resident.id, argument)].filter(
          (r) => r !== null,
        )
      : await this.requests.latestOf(turn.resident.id, 5, turn.manager);
    if (requests.length === 0) {
      turn.replies.push(text(argument ? T.unknownRequest[lang](argument) : T.noRequests[lang]));
      return;
    }
    const lines: string[] = [];
    for (const request of requests) {
      const row = await this.catalogue.getRow(request.serviceTypeId, turn.manager);
      const name = row ? (lang === 'bn' ? row.definition.nameBn : row.definition.nameEn) : '';
      lines.push(`${request.trackingNumber} — ${name}: ${T.statusNames[lang][request.status]}`);
    }
    turn.replies.push(text(`${T.statusTitle[lang]}\n${lines.join('\n')}`));
  }

  private async cancel(turn: Turn, argument: string): Promise<void> {
    const lang = turn.lang;
    if (turn.conversation.step !== 'IDLE' && !argument) {
      turn.conversation.step = 'IDLE';
      turn.conversation.data = {};
      turn.replies.push(text(T.flowCancelled[lang]));
      return;
    }
    if (!argument) {
      turn.replies.push(text(T.nothingToCancel[lang]));
      return;
    }
    const request = await this.requests.lockOwn(turn.manager, turn.resident.id, argument);
    if (!request) {
      turn.replies.push(text(T.unknownRequest[lang](argument)));
      return;
    }
    try {
      // The `request_cancelled` notification tells the resident.
      await this.workflow.apply(turn.manager, turn.by, request, RequestAction.CANCEL, null);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      turn.replies.push(text(T.cannotCancel[lang](request.trackingNumber)));
    }
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
    if (tellResident) turn.replies.push(text(T.handedOver[turn.lang]));
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

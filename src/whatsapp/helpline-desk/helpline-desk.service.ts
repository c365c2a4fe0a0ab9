import { Inject, Injectable } from '@nestjs/common';
import { Logger } from 'pino';
import { EntityManager } from 'typeorm';
import { AuditActorRef } from '../../audit/audit-actor';
import { AuditActorType } from '../../audit/entities/audit-entry.entity';
import { AnnouncementRepliesService } from '../../announcements/announcement-replies.service';
import { APP_LOGGER } from '../../config/config.tokens';
import type { Ward } from '../../wards/entities/ward.entity';
import { Conversation, ConversationStatus } from '../entities/conversation.entity';
import { HelplineEpisodesService } from './helpline-episodes.service';
import { announcementKeyword, DESK_TEXTS } from './desk-texts';
import { textReply } from '../conversation/conversation-machine';

/** A reply the helpline queues: its text and the WhatsApp message object. */
export interface DeskReply {
  text: string;
  content: Record<string, unknown>;
}

/** An inbound message as the conversation reads it, with the wamid it replies to. */
export interface DeskInbound {
  wamid: string;
  type: string;
  text: string;
  choiceId: string | null;
  media: unknown;
  sentAt: Date;
  /** `message.context.id`: the message the resident replied to. */
  contextMessageId: string | null;
}

export interface ClaimInput {
  manager: EntityManager;
  ward: Ward;
  conversation: Conversation;
  resident: { id: string; municipalityId: string; wardId: string };
  lang: 'bn' | 'en';
  inbound: DeskInbound;
}

/**
 * The help desk's part of an inbound message, asked before the bot: "বন্ধ"/"STOP" and
 * "চালু"/"START" (announcements only) and replies to an announcement are the desk's; the
 * rest is left to the conversation (null).
 */
@Injectable()
export class HelplineDeskService {
  constructor(
    private readonly announcements: AnnouncementRepliesService,
    private readonly episodes: HelplineEpisodesService,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  async claimInbound(input: ClaimInput): Promise<{ replies: DeskReply[] } | null> {
    const { manager, resident, inbound } = input;
    const by: AuditActorRef = {
      type: AuditActorType.RESIDENT,
      id: resident.id,
      label: 'whatsapp',
      requestId: inbound.wamid,
    };
    const keyword =
      inbound.type === 'text' || inbound.type === 'button'
        ? announcementKeyword(inbound.text)
        : null;
    if (keyword) {
      if (keyword.optOut) await this.announcements.optOut(manager, resident, by);
      else await this.announcements.optIn(manager, resident, by);
      this.logger.info(
        { resident: resident.id, optedOut: keyword.optOut },
        'resident changed their announcement preference on WhatsApp',
      );
      const texts = keyword.optOut ? DESK_TEXTS.optedOut : DESK_TEXTS.optedIn;
      return { replies: [textReply(texts[keyword.lang])] };
    }
    if (inbound.contextMessageId) {
      const announcement = await this.announcements.recordReply(
        manager,
        resident,
        inbound.wamid,
        inbound.contextMessageId,
      );
      if (announcement) {
        // The ward's people answer it: it waits on the help desk like a handed-over message.
        await this.episodes.openEpisode(manager, input.conversation, new Date());
        return { replies: [textReply(DESK_TEXTS.replyReceived[input.lang])] };
      }
    }
    if (input.conversation.status === ConversationStatus.HUMAN) {
      await this.episodes.openEpisode(manager, input.conversation, new Date());
    }
    return null;
  }
}

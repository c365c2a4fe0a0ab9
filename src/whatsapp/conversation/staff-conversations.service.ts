import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { auditActorOf } from '../../audit/audit-actor';
import { AuditService } from '../../audit/audit.service';
import { assertAccess, readableWards } from '../../common/access/access-control';
import { Actor } from '../../common/access/actor';
import { Permission } from '../../common/access/permission';
import { NotFoundError } from '../../common/errors/app.error';
import { UserError, UserErrorCode, userError } from '../../common/errors/user-error.type';
import { assertUuid } from '../../common/graphql/uuid';
import { ConnectionShape } from '../../common/pagination/connection.type';
import { pageByNewest } from '../../common/pagination/timestamp-page';
import { requiredText } from '../../common/validation/fields';
import { validateInput } from '../../common/validation/validate-input';
import { NotificationLanguage } from '../../notifications/entities/notification-enums';
import { NotificationsService } from '../../notifications/notifications.service';
import { ResidentLanguage } from '../../residents/entities/resident-enums';
import { ResidentsService } from '../../residents/residents.service';
import { WardsService } from '../../wards/wards.service';
import { Conversation, ConversationStatus } from '../entities/conversation.entity';
import { BOT_TEXTS } from './bot-texts';
import { WhatsAppMessage } from '../entities/whatsapp-message.entity';
import { CannedRepliesService } from '../helpline-desk/canned-replies.service';
import { MessagingWindowService } from '../../whatsapp-cloud/messaging-window.service';

/** The staff side of the helpline: threads, replies by a person, handing back to the bot. */
@Injectable()
export class StaffConversationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly residents: ResidentsService,
    private readonly wards: WardsService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly canned: CannedRepliesService,
    private readonly windows: MessagingWindowService,
  ) {}

  async list(
    actor: Actor,
    filter: { wardId?: string | null; status?: ConversationStatus | null } | null,
    first?: number | null,
    after?: string | null,
  ): Promise<ConnectionShape<Conversation>> {
    const wards = readableWards(actor, Permission.RESIDENTS_READ);
    const query = this.dataSource
      .getRepository(Conversation)
      .createQueryBuilder('c')
      .where('c.municipality_id = :m', { m: actor.municipalityId });
    if (wards !== 'ALL') query.andWhere('c.ward_id = ANY(:wards)', { wards });
    if (filter?.wardId)
      query.andWhere('c.ward_id = :wardId', { wardId: assertUuid(filter.wardId, 'filter.wardId') });
    if (filter?.status) query.andWhere('c.status = :status', { status: filter.status });
    return pageByNewest(query, 'c', 'last_activity_at', first, after);
  }

  async get(actor: Actor, id: string): Promise<Conversation> {
    const conversation = await this.dataSource
      .getRepository(Conversation)
      .findOneBy({ id: assertUuid(id, 'id') });
    if (!conversation) throw new NotFoundError('Conversation');
    assertAccess(actor, conversation, Permission.RESIDENTS_READ, 'Conversation');
    return conversation;
  }

  messagesOf(conversationIds: readonly string[]): Promise<WhatsAppMessage[]> {
    return (
      this.dataSource
        .getRepository(WhatsAppMessage)
        .createQueryBuilder('m')
        .where('m.conversation_id = ANY(:ids)', { ids: [...conversationIds] })
        // WhatsApp's timestamps first (messages may arrive out of order), then the order they
        // were written in (a message before its replies).
        .orderBy('m.sent_at', 'ASC')
        .addOrderBy('m.created_at', 'ASC')
        .addOrderBy('m.id', 'ASC')
        .getMany()
    );
  }

  /** A coordinator writes to a resident: free-form, so only inside the 24-hour window. */
  async send(
    actor: Actor,
    input: { residentId: string; text?: string | null; cannedReplyId?: string | null },
  ): Promise<{ message: WhatsAppMessage | null; errors: UserError[] }> {
    const chosen = await this.canned.textFor(actor, input);
    if (chosen.errors.length > 0) return { message: null, errors: chosen.errors };
    const checked = validateInput(z.object({ text: requiredText(4096) }), { text: chosen.text });
    if (!checked.ok) return { message: null, errors: checked.errors };
    const resident = await this.residents.getVisible(actor, input.residentId);
    assertAccess(actor, resident, Permission.RESIDENTS_WRITE, 'Resident');
    const ward = await this.wards.findInMunicipality(resident.municipalityId, resident.wardId);
    const address = resident.whatsappId ?? resident.phone?.replace(/^\+/, '');
    const refuse = (message: string) => ({
      message: null,
      errors: [userError(UserErrorCode.INVALID, 'residentId', message)],
    });
    // The chat the resident writes to (another ward's helpline, perhaps), else their ward's.
    const helpline = resident.helplinePhoneNumberId ?? ward?.whatsappPhoneNumberId;
    if (!ward || !helpline) return refuse('the resident’s ward has no WhatsApp helpline');
    if (!address) return refuse('the resident has no WhatsApp number or phone');
    if (!(await this.windows.isOpen(helpline, address))) {
      return refuse(
        'outside the 24-hour window: the resident has not written in the last 24 hours, so only an approved template can reach them (the request notifications do that)',
      );
    }
    const message = await this.dataSource.transaction(async (manager) => {
      const conversation = await manager.findOneBy(Conversation, {
        phoneNumberId: helpline,
        waId: address,
      });
      await this.notifications.enqueueReplies(
        manager,
        {
          municipalityId: resident.municipalityId,
          wardId: ward.id,
          residentId: resident.id,
          address,
          sender: helpline,
          language:
            resident.preferredLanguage === ResidentLanguage.EN
              ? NotificationLanguage.EN
              : NotificationLanguage.BN,
          replyTo: null,
        },
        [
          {
            text: checked.value.text,
            content: { type: 'text', text: { preview_url: false, body: checked.value.text } },
          },
        ],
      );
      const saved = await manager.save(
        manager.create(WhatsAppMessage, {
          direction: 'OUT',
          phoneNumberId: helpline,
          waId: address,
          conversationId: conversation?.id ?? null,
          wardId: ward.id,
          author: 'STAFF',
          authorName: actor.type === 'STAFF' ? actor.username : actor.name,
          type: 'text',
          text: checked.value.text,
          sentAt: new Date(),
        }),
      );
      if (conversation)
        await manager.update(
          Conversation,
          { id: conversation.id },
          // A person answered: nothing is waiting for staff any more.
          { lastActivityAt: new Date(), attention: null, attentionAt: null },
        );
      await this.audit.record(manager, auditActorOf(actor), {
        action: 'conversation.message_sent',
        entityType: 'Resident',
        entityId: resident.id,
        municipalityId: resident.municipalityId,
        wardId: resident.wardId,
        changes: { messageId: saved.id },
      });
      return saved;
    });
    return { message, errors: [] };
  }

  /** The coordinator is done: the bot answers again, from the start. */
  /**
   * The resident hears that the helpline's assistant answers again (when their 24-hour window
   * is open; outside it nothing free-form may go out, and nothing is owed).
   */
  private async tellHandedBack(manager: EntityManager, conversation: Conversation) {
    if (!(await this.windows.isOpen(conversation.phoneNumberId, conversation.waId, manager)))
      return;
    const lang = conversation.language === 'en' ? 'en' : 'bn';
    const body = BOT_TEXTS.handedBack[lang];
    await this.notifications.enqueueReplies(
      manager,
      {
        municipalityId: conversation.municipalityId,
        wardId: conversation.wardId,
        residentId: conversation.residentId,
        address: conversation.waId,
        sender: conversation.phoneNumberId,
        language: lang === 'en' ? NotificationLanguage.EN : NotificationLanguage.BN,
        replyTo: null,
      },
      [{ text: body, content: { type: 'text', text: { preview_url: false, body } } }],
    );
    await manager.insert(WhatsAppMessage, {
      direction: 'OUT',
      phoneNumberId: conversation.phoneNumberId,
      waId: conversation.waId,
      conversationId: conversation.id,
      wardId: conversation.wardId,
      author: 'BOT',
      type: 'text',
      text: body,
      sentAt: new Date(),
    });
  }

  async handBack(actor: Actor, conversationId: string): Promise<Conversation> {
    const conversation = await this.get(actor, conversationId);
    assertAccess(actor, conversation, Permission.RESIDENTS_WRITE, 'Conversation');
    await this.dataSource.transaction(async (manager) => {
      await manager.update(
        Conversation,
        { id: conversation.id },
        {
          status: ConversationStatus.BOT,
          step: 'IDLE',
          data: {} as never,
          handedOverAt: null,
          escalatedAt: null,
          attention: null,
          attentionAt: null,
        },
      );
      await this.tellHandedBack(manager, conversation);
      await this.audit.record(manager, auditActorOf(actor), {
        action: 'conversation.handed_back',
        entityType: 'Conversation',
        entityId: conversation.id,
        municipalityId: conversation.municipalityId,
        wardId: conversation.wardId,
        changes: {},
      });
    });
    return this.get(actor, conversationId);
  }
}

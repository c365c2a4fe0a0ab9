import { HelplineErasureReactor } from './helpline-erasure.reactor';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { AnnouncementsModule } from '../announcements/announcements.module';
import { HelplineDeskService } from './helpline-desk/helpline-desk.service';
import { AnnouncementReplyResolver } from './helpline-desk/announcement-reply.resolver';
import { CannedRepliesService } from './helpline-desk/canned-replies.service';
import { HelplineEpisodesService } from './helpline-desk/helpline-episodes.service';
import { HelpDeskResolver } from './helpline-desk/help-desk.resolver';
import { HelplineEscalationService } from './helpline-desk/helpline-escalation.service';
import { FilesModule } from '../files/files.module';
import { DomainEventsModule } from '../domain-events/domain-events.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { FeedbackModule } from '../feedback/feedback.module';
import { RequestsModule } from '../requests/requests.module';
import { ResidentsModule } from '../residents/residents.module';
import { WardsModule } from '../wards/wards.module';
import { WhatsAppCloudModule } from '../whatsapp-cloud/whatsapp-cloud.module';
import { ConversationService } from './conversation/conversation.service';
import { HandOverWatchService } from './conversation/hand-over-watch.service';
import { ConversationsResolver } from './conversation/conversations.resolver';
import { StaffConversationsService } from './conversation/staff-conversations.service';
import { Conversation } from './entities/conversation.entity';
import { WhatsAppInboxRow } from './entities/whatsapp-inbox.entity';
import { WhatsAppMessage } from './entities/whatsapp-message.entity';
import { WhatsAppInboxService } from './whatsapp-inbox.service';
import { WhatsAppMediaService } from './whatsapp-media.service';
import { WhatsAppMediaFetch } from './entities/whatsapp-media-fetch.entity';
import { WhatsAppUnmatchedStatus } from './entities/whatsapp-unmatched-status.entity';
import { HelplineInboxAdminService } from './inbox-admin/helpline-inbox-admin.service';
import { HelplineInboxResolver } from './inbox-admin/helpline-inbox.resolver';
import { WhatsAppWebhookController } from './whatsapp-webhook.controller';

/** The helpline: verified webhook intake, the conversation bot, staff threads, windows. */
@Module({
  imports: [
    AuditModule,
    AnnouncementsModule,
    DomainEventsModule,
    FeedbackModule,
    FilesModule,
    NotificationsModule,
    RequestsModule,
    ResidentsModule,
    WardsModule,
    WhatsAppCloudModule,
    TypeOrmModule.forFeature([
      WhatsAppInboxRow,
      Conversation,
      WhatsAppMessage,
      WhatsAppUnmatchedStatus,
      WhatsAppMediaFetch,
    ]),
  ],
  controllers: [WhatsAppWebhookController],
  providers: [
    WhatsAppInboxService,
    WhatsAppMediaService,
    HelplineInboxAdminService,
    HelplineInboxResolver,
    HelplineErasureReactor,
    ConversationService,
    HandOverWatchService,
    StaffConversationsService,
    ConversationsResolver,
    HelplineDeskService,
    AnnouncementReplyResolver,
    CannedRepliesService,
    HelplineEpisodesService,
    HelpDeskResolver,
    HelplineEscalationService,
  ],
  exports: [WhatsAppInboxService],
})
export class WhatsAppModule {}

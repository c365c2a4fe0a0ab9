import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { AnnouncementRepliesService } from './announcement-replies.service';
import { AnnouncementSenderService } from './announcement-sender.service';
import { AnnouncementSettingsService } from './announcement-settings.service';
import { AnnouncementsResolver } from './announcements.resolver';
import { AnnouncementsService } from './announcements.service';

/** The ward speaking first: announcements to residents through the notifications outbox. */
@Module({
  imports: [AuditModule, NotificationsModule],
  providers: [
    AnnouncementSettingsService,
    AnnouncementSenderService,
    AnnouncementsService,
    AnnouncementsResolver,
    AnnouncementRepliesService,
  ],
  exports: [AnnouncementRepliesService],
})
export class AnnouncementsModule {}

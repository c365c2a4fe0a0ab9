import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WhatsAppWindow } from './entities/messaging-window.entity';
import { MessagingWindowService } from './messaging-window.service';
import { WhatsAppCloudClient } from './whatsapp-cloud.client';

/**
 * The Cloud API alone, for the modules that send (notifications, the helpline): its client
 * and its 24-hour customer-service window.
 */
@Module({
  imports: [TypeOrmModule.forFeature([WhatsAppWindow])],
  providers: [WhatsAppCloudClient, MessagingWindowService],
  exports: [WhatsAppCloudClient, MessagingWindowService],
})
export class WhatsAppCloudModule {}

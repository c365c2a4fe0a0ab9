import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '../notifications/notifications.module';
import { WardsModule } from '../wards/wards.module';
import { WhatsAppInboxRow } from './entities/whatsapp-inbox.entity';
import { WhatsAppWindow } from './entities/whatsapp-window.entity';
import { WhatsAppInboxService } from './whatsapp-inbox.service';
import { WhatsAppWebhookController } from './whatsapp-webhook.controller';

/** The helpline's webhook: verified intake into the inbox, delivery statuses, 24-hour windows. */
@Module({
  imports: [
    NotificationsModule,
    WardsModule,
    TypeOrmModule.forFeature([WhatsAppInboxRow, WhatsAppWindow]),
  ],
  controllers: [WhatsAppWebhookController],
  providers: [WhatsAppInboxService],
  exports: [WhatsAppInboxService],
})
export class WhatsAppModule {}

import { NotificationErasureReactor } from './notification-erasure.reactor';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { DomainEventsModule } from '../domain-events/domain-events.module';
import { RequestsModule } from '../requests/requests.module';
import { ResidentsModule } from '../residents/residents.module';
import { TrackingLinksModule } from '../tracking-links/tracking-links.module';
import { WardsModule } from '../wards/wards.module';
import { WhatsAppCloudModule } from '../whatsapp-cloud/whatsapp-cloud.module';
import { NotificationOptOut } from './entities/notification-opt-out.entity';
import { NotificationTemplateRow } from './entities/notification-template.entity';
import { Notification } from './entities/notification.entity';
import { NotificationDispatcherService } from './notification-dispatcher.service';
import { NotificationLoaders } from './notification.loaders';
import { NotificationPlannerService } from './notification-planner.service';
import { NotificationTemplatesService } from './notification-templates.service';
import { NotificationsResolver, RequestNotificationsResolver } from './notifications.resolver';
import { NotificationsService } from './notifications.service';
import { SmsDeliveryReportController } from './sms/sms-delivery-report.controller';
import { SmsDeliveryReportsService } from './sms/sms-delivery-reports.service';

/** Every step told to the resident (and new work to coordinators), never lost, never twice. */
@Module({
  imports: [
    AuditModule,
    AuthModule,
    DomainEventsModule,
    RequestsModule,
    ResidentsModule,
    TrackingLinksModule,
    WardsModule,
    WhatsAppCloudModule,
    TypeOrmModule.forFeature([Notification, NotificationTemplateRow, NotificationOptOut]),
  ],
  controllers: [SmsDeliveryReportController],
  providers: [
    SmsDeliveryReportsService,
    NotificationTemplatesService,
    NotificationErasureReactor,
    NotificationPlannerService,
    NotificationDispatcherService,
    NotificationsService,
    NotificationLoaders,
    NotificationsResolver,
    RequestNotificationsResolver,
  ],
  exports: [NotificationsService, NotificationDispatcherService, NotificationPlannerService],
})
export class NotificationsModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { DomainEventsModule } from '../domain-events/domain-events.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { RequestsModule } from '../requests/requests.module';
import { ResidentsModule } from '../residents/residents.module';
import { WardsModule } from '../wards/wards.module';
import { DeliveriesResolver } from './deliveries.resolver';
import { DeliveriesService } from './deliveries.service';
import { DeliveryErasureReactor } from './delivery-erasure.reactor';
import { Delivery } from './delivery.entity';
import { DeliveryLoaders } from './delivery.loaders';
import { DeliveryRequestResolver, RequestDeliveriesResolver } from './delivery-links.resolver';
import { WardStaffDeliveriesResolver } from './ward-staff-deliveries.resolver';

/** Doorstep delivery: scheduling, one-time hand-over codes, confirmation by the field agent. */
@Module({
  imports: [
    AuditModule,
    AuthModule,
    DomainEventsModule,
    NotificationsModule,
    RequestsModule,
    ResidentsModule,
    WardsModule,
    TypeOrmModule.forFeature([Delivery]),
  ],
  providers: [
    DeliveriesService,
    DeliveriesResolver,
    DeliveryErasureReactor,
    DeliveryLoaders,
    WardStaffDeliveriesResolver,
    DeliveryRequestResolver,
    RequestDeliveriesResolver,
  ],
  exports: [DeliveriesService, DeliveryLoaders],
})
export class DeliveriesModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '../notifications/notifications.module';
import { RequestsModule } from '../requests/requests.module';
import { ResidentsModule } from '../residents/residents.module';
import { TrackingLinksModule } from '../tracking-links/tracking-links.module';
import { WardsModule } from '../wards/wards.module';
import { CallbackEscalationWorker } from './callback-escalation.worker';
import { CallbacksResolver } from './callbacks.resolver';
import { CallbacksService } from './callbacks.service';
import { CallbackAttempt } from './entities/callback-attempt.entity';
import { CallbackCall } from './entities/callback-call.entity';
import { CallbackTask } from './entities/callback-task.entity';
import { MissedCallNumber } from './entities/missed-call-number.entity';
import { ExotelWebhookController } from './exotel-webhook.controller';

/** Missed calls (Exotel) become callback tasks for the ward's coordinators. */
@Module({
  imports: [
    NotificationsModule,
    RequestsModule,
    ResidentsModule,
    TrackingLinksModule,
    WardsModule,
    TypeOrmModule.forFeature([CallbackTask, CallbackCall, CallbackAttempt, MissedCallNumber]),
  ],
  controllers: [ExotelWebhookController],
  providers: [CallbacksService, CallbacksResolver, CallbackEscalationWorker],
})
export class CallbacksModule {}

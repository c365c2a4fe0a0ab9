import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DomainEventsModule } from '../domain-events/domain-events.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { RequestsModule } from '../requests/requests.module';
import { ExotelSmsController } from './exotel-sms.controller';
import { RequestFeedbackResolver } from './feedback.resolver';
import { FeedbackService } from './feedback.service';
import { RequestFeedback } from './request-feedback.entity';
import { RequestReopening } from './request-reopening.entity';

/** Ratings after the outcome and reopened complaints (SMS replies through Exotel). */
@Module({
  imports: [
    DomainEventsModule,
    NotificationsModule,
    RequestsModule,
    TypeOrmModule.forFeature([RequestFeedback, RequestReopening]),
  ],
  controllers: [ExotelSmsController],
  providers: [FeedbackService, RequestFeedbackResolver],
  exports: [FeedbackService],
})
export class FeedbackModule {}

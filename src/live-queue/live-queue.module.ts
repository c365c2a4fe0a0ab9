import { Module } from '@nestjs/common';
import { DomainEventsModule } from '../domain-events/domain-events.module';
import { LiveEventsService } from './live-events.service';
import { LiveQueueResolver } from './live-queue.resolver';

/** The coordinators' live queue: GraphQL subscriptions fed by PostgreSQL LISTEN/NOTIFY. */
@Module({
  imports: [DomainEventsModule],
  providers: [LiveEventsService, LiveQueueResolver],
})
export class LiveQueueModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DomainEventsService } from './domain-events.service';
import { DomainEventRow } from './entities/domain-event.entity';

/**
 * The outbox of domain events (`event-map.ts` names them and types their payloads): modules
 * record, and the modules that react register handlers per event.
 */
@Module({
  imports: [TypeOrmModule.forFeature([DomainEventRow])],
  providers: [DomainEventsService],
  exports: [DomainEventsService],
})
export class DomainEventsModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DomainEventsService } from './domain-events.service';
import { DomainEventRow } from './entities/domain-event.entity';

/** The outbox of domain events; modules record, consumers (later) read. */
@Module({
  imports: [TypeOrmModule.forFeature([DomainEventRow])],
  providers: [DomainEventsService],
  exports: [DomainEventsService],
})
export class DomainEventsModule {}

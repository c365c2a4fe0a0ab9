import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainEvent } from './domain-event';
import { DomainEventRow } from './entities/domain-event.entity';

/** Records domain events in the caller's transaction (the outbox). */
@Injectable()
export class DomainEventsService {
  async record(manager: EntityManager, event: DomainEvent): Promise<string> {
    const result = await manager.insert(DomainEventRow, event as Partial<DomainEventRow> as never);
    return result.identifiers[0].id as string;
  }
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainEvent } from './domain-event';
import { DomainEventRow } from './entities/domain-event.entity';

/** A recorded event, with its id. */
export type RecordedEvent = DomainEvent & { id: string };

/**
 * Reacts to an event inside the transaction that records it, so whatever it writes (a
 * notification, a webhook delivery) commits or rolls back with the change itself.
 */
export interface DomainEventReactor {
  react(manager: EntityManager, event: RecordedEvent): Promise<void>;
}

/** Records domain events in the caller's transaction (the outbox) and runs the reactors. */
@Injectable()
export class DomainEventsService {
  private readonly reactors: DomainEventReactor[] = [];

  /** Modules that react to events register here when they start (dependencies stay one-way). */
  addReactor(reactor: DomainEventReactor): void {
    this.reactors.push(reactor);
  }

  async record(manager: EntityManager, event: DomainEvent): Promise<string> {
    const result = await manager.insert(DomainEventRow, event as Partial<DomainEventRow> as never);
    const id = result.identifiers[0].id as string;
    for (const reactor of this.reactors) await reactor.react(manager, { ...event, id });
    return id;
  }
}

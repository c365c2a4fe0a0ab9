import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainEventRow } from './entities/domain-event.entity';
import { DomainEvent, DomainEventType, RecordedEvent } from './event-map';

/**
 * Reacts to one of the events it was registered for, inside the transaction that records
 * it, so whatever it writes (a notification, a webhook delivery) commits or rolls back with
 * the change itself. The event's payload is typed by its name (`DomainEventMap`).
 */
export type DomainEventHandler<T extends DomainEventType> = (
  manager: EntityManager,
  event: RecordedEvent<T>,
) => Promise<void>;

interface Registration {
  types: ReadonlySet<DomainEventType>;
  handle: DomainEventHandler<DomainEventType>;
}

/** Records domain events in the caller's transaction (the outbox) and runs their handlers. */
@Injectable()
export class DomainEventsService {
  private readonly registrations: Registration[] = [];

  /**
   * Registers a handler for the named events. Modules that react register when they start
   * (`onModuleInit`), so dependencies stay one-way; handlers run in registration order.
   */
  on<T extends DomainEventType>(types: T | readonly T[], handler: DomainEventHandler<T>): void {
    const names: readonly DomainEventType[] = typeof types === 'string' ? [types] : types;
    this.registrations.push({
      types: new Set(names),
      // Safe: `record` calls it only with events whose name is in `types`.
      handle: handler as DomainEventHandler<DomainEventType>,
    });
  }

  async record<T extends DomainEventType>(
    manager: EntityManager,
    event: DomainEvent<T>,
  ): Promise<string> {
    const { type, aggregateType, aggregateId, municipalityId, wardId, payload } =
      event as DomainEvent;
    const row: Partial<DomainEventRow> = {
      type,
      aggregateType,
      aggregateId,
      municipalityId,
      wardId,
      payload: payload as Record<string, unknown>,
    };
    const result = await manager.insert(DomainEventRow, row as never);
    const id = result.identifiers[0].id as string;
    const recorded = { ...event, id } as RecordedEvent;
    for (const registration of this.registrations) {
      if (registration.types.has(type)) await registration.handle(manager, recorded);
    }
    return id;
  }
}

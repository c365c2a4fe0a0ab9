import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
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

/**
 * A `pg_notify` an event calls for (a channel and its payload), sent with the event's own
 * insert, so PostgreSQL delivers it to listeners only if, and when, the change commits.
 */
export interface EventNotice {
  channel: string;
  payload: string;
}

/** Says, without reading anything, which notice an event calls for (null for none). */
export type DomainEventAnnouncer<T extends DomainEventType> = (
  event: RecordedEvent<T>,
) => EventNotice | null;

interface Registration {
  types: ReadonlySet<DomainEventType>;
  handle: DomainEventHandler<DomainEventType>;
}

interface Announcement {
  types: ReadonlySet<DomainEventType>;
  announce: DomainEventAnnouncer<DomainEventType>;
}

/** Records domain events in the caller's transaction (the outbox) and runs their handlers. */
@Injectable()
export class DomainEventsService {
  private readonly registrations: Registration[] = [];
  private readonly announcements: Announcement[] = [];

  /**
   * Registers a handler for the named events. Modules that react register when they start
   * (`onModuleInit`), so dependencies stay one-way; handlers run in registration order.
   */
  on<T extends DomainEventType>(types: T | readonly T[], handler: DomainEventHandler<T>): void {
    this.registrations.push({
      types: namesOf(types),
      // Safe: `record` calls it only with events whose name is in `types`.
      handle: handler as DomainEventHandler<DomainEventType>,
    });
  }

  /**
   * Registers a notice for the named events, sent in the statement that records the event
   * (no statement of its own, as a handler's `pg_notify` would need).
   */
  announce<T extends DomainEventType>(
    types: T | readonly T[],
    announcer: DomainEventAnnouncer<T>,
  ): void {
    this.announcements.push({
      types: namesOf(types),
      // Safe: `record` calls it only with events whose name is in `types`.
      announce: announcer as DomainEventAnnouncer<DomainEventType>,
    });
  }

  async record<T extends DomainEventType>(
    manager: EntityManager,
    event: DomainEvent<T>,
  ): Promise<string> {
    const { type, aggregateType, aggregateId, municipalityId, wardId, payload } =
      event as DomainEvent;
    // The id is made here so that the notices, written before the insert runs, can name it.
    const id = randomUUID();
    const recorded = { ...event, id } as RecordedEvent;
    const notices = this.announcements
      .filter((announcement) => announcement.types.has(type))
      .map((announcement) => announcement.announce(recorded))
      .filter((notice): notice is EventNotice => notice !== null);
    await manager.query(
      `WITH recorded AS (
         INSERT INTO domain_events (id, type, aggregate_type, aggregate_id, municipality_id, ward_id, payload)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
       )
       SELECT pg_notify(notice.channel, notice.payload)
         FROM unnest($8::text[], $9::text[]) AS notice(channel, payload)`,
      [
        id,
        type,
        aggregateType,
        aggregateId,
        municipalityId,
        wardId,
        JSON.stringify(payload),
        notices.map((notice) => notice.channel),
        notices.map((notice) => notice.payload),
      ],
    );
    for (const registration of this.registrations) {
      if (registration.types.has(type)) await registration.handle(manager, recorded);
    }
    return id;
  }
}

function namesOf(
  types: DomainEventType | readonly DomainEventType[],
): ReadonlySet<DomainEventType> {
  return new Set(typeof types === 'string' ? [types] : types);
}

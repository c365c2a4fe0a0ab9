import {
  Injectable,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EventEmitter, on } from 'node:events';
import { DataSource } from 'typeorm';
import { Actor, reachOf, reaches } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { DomainEventsService, EventNotice } from '../domain-events/domain-events.service';
import { RecordedEvent } from '../domain-events/event-map';
import { PgListener } from '../database/pg-listener';

/** Events the live queue shows. */
export const LIVE_EVENT_TYPES = [
  'request.created',
  'request.status_changed',
  'request.assigned',
  'request.sla_breached',
] as const;
type LiveEventType = (typeof LIVE_EVENT_TYPES)[number];

/** What travels from the committing instance to every subscriber (no personal data). */
export interface LiveEvent {
  id: string;
  type: string;
  requestId: string;
  municipalityId: string;
  wardId: string;
  trackingNumber: string | null;
  status: string | null;
  from: string | null;
  to: string | null;
  action: string | null;
  assigneeId: string | null;
  occurredAt: string;
}

const CHANNEL = 'duare_live_events';

/**
 * The live queue's fan-out. Each request event is `pg_notify`-ed in its own transaction,
 * so PostgreSQL delivers it only if, and when, the change commits — to every app instance,
 * each of which hands it to its own subscribers, filtered by what they may read.
 */
@Injectable()
export class LiveEventsService
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly local = new EventEmitter();
  private readonly listener: PgListener;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly events: DomainEventsService,
  ) {
    // Every subscriber is one listener of this emitter.
    this.local.setMaxListeners(0);
    this.listener = new PgListener(
      (dataSource.options as { url: string }).url,
      CHANNEL,
      (payload) => {
        try {
          this.local.emit('event', JSON.parse(payload) as LiveEvent);
        } catch {
          // Not ours: ignore.
        }
      },
    );
  }

  onModuleInit(): void {
    this.events.announce(LIVE_EVENT_TYPES, (event) => this.noticeOf(event));
  }

  onApplicationBootstrap(): Promise<void> {
    return this.listener.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    this.local.emit('close');
    return this.listener.stop();
  }

  /** Sent with the event's insert: PostgreSQL delivers it only on commit. */
  private noticeOf(event: RecordedEvent<LiveEventType>): EventNotice | null {
    if (!event.wardId) return null;
    const changed = event.type === 'request.status_changed' ? event.payload : null;
    const live: LiveEvent = {
      id: event.id,
      type: event.type,
      requestId: event.aggregateId,
      municipalityId: event.municipalityId,
      wardId: event.wardId,
      trackingNumber: event.payload.trackingNumber,
      status: event.payload.status,
      from: changed?.from ?? null,
      to: changed?.to ?? null,
      action: changed?.action ?? null,
      assigneeId: event.type === 'request.assigned' ? event.payload.assigneeId : null,
      occurredAt: new Date().toISOString(),
    };
    return { channel: CHANNEL, payload: JSON.stringify(live) };
  }

  /**
   * The events one subscriber may see: their municipality, wards they may read, those asked
   * for. A hand-written iterator rather than an async generator: graphql-ws ends a
   * subscription by calling `return()`, which a generator would only honour after its next
   * event arrived, keeping the listener of a quiet ward's unsubscribed client alive until
   * the socket closed. Here `return()` removes it at once.
   */
  subscribe(
    actor: Actor,
    wardIds: string[] | null,
    socketClosed: AbortSignal,
  ): AsyncIterableIterator<LiveEvent> {
    const reach = reachOf(actor, Permission.REQUESTS_READ);
    const wanted = wardIds?.length ? new Set(wardIds) : null;
    const visible = (live: LiveEvent) =>
      live.municipalityId === actor.municipalityId &&
      reaches(reach, live.wardId) &&
      (!wanted || wanted.has(live.wardId));
    const ended = new AbortController();
    const end = () => ended.abort();
    const events = on(this.local, 'event', { signal: ended.signal });
    this.local.once('close', end);
    socketClosed.addEventListener('abort', end, { once: true });
    const done = (): IteratorReturnResult<undefined> => {
      end();
      this.local.off('close', end);
      socketClosed.removeEventListener('abort', end);
      return { value: undefined, done: true };
    };
    return {
      async next(): Promise<IteratorResult<LiveEvent>> {
        try {
          for (;;) {
            const result = await events.next();
            if (result.done) return done();
            const [live] = result.value as [LiveEvent];
            if (visible(live)) return { value: live, done: false };
          }
        } catch (error) {
          if ((error as Error).name === 'AbortError') return done();
          throw error;
        }
      },
      async return() {
        return done();
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** Open subscriptions on this instance (each is one listener). */
  subscriberCount(): number {
    return this.local.listenerCount('event');
  }
}

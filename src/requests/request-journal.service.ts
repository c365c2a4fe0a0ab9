import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditActorRef } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import {
  DomainEvent,
  DomainEventMap,
  RequestEventBase,
  RequestEventType,
} from '../domain-events/event-map';
import { DomainEventsService } from '../domain-events/domain-events.service';
import { hydrate } from '../database/hydrate';
import { TimelineEntry } from './entities/timeline-entry.entity';
import { ServiceRequest } from './entities/service-request.entity';

export interface RequestHappening<T extends RequestEventType> {
  /** The timeline entry; the request, ward and actor are filled in. */
  entry: Pick<TimelineEntry, 'kind'> &
    Partial<
      Pick<
        TimelineEntry,
        'action' | 'fromStatus' | 'toStatus' | 'note' | 'residentVisible' | 'details'
      >
    >;
  event: T;
  /** Event payload beyond the request's identity (`DomainEventMap`). */
  payload: Omit<DomainEventMap[T], keyof RequestEventBase>;
  /** Audit changes (field → value or { from, to }). */
  changes: Record<string, unknown>;
}

/**
 * Writes what happened to a request three ways, in the caller's transaction: the
 * timeline people read, the audit trail, and the domain event consumers react to.
 */
@Injectable()
export class RequestJournalService {
  constructor(
    private readonly audit: AuditService,
    private readonly events: DomainEventsService,
  ) {}

  async record<T extends RequestEventType>(
    manager: EntityManager,
    by: AuditActorRef,
    request: ServiceRequest,
    happening: RequestHappening<T>,
  ): Promise<TimelineEntry> {
    const entry = await this.writeEntry(manager, by, request, happening.entry);
    await this.audit.record(manager, by, {
      action: happening.event,
      entityType: 'ServiceRequest',
      entityId: request.id,
      municipalityId: request.municipalityId,
      wardId: request.wardId,
      changes: happening.changes,
    });
    const base: RequestEventBase = {
      requestId: request.id,
      trackingNumber: request.trackingNumber,
      residentId: request.residentId,
      serviceTypeId: request.serviceTypeId,
      definitionVersion: request.definitionVersion,
      status: request.status,
      version: request.version,
      timelineEntryId: entry.id,
    };
    // The map types each request event as the base plus its own part: the two together.
    const event = {
      type: happening.event,
      aggregateType: 'ServiceRequest',
      aggregateId: request.id,
      municipalityId: request.municipalityId,
      wardId: request.wardId,
      payload: { ...base, ...happening.payload },
    } as DomainEvent<T>;
    await this.events.record(manager, event);
    return entry;
  }

  /** A plain insert: the timeline entry is written with every change a request goes through. */
  private async writeEntry(
    manager: EntityManager,
    by: AuditActorRef,
    request: ServiceRequest,
    entry: RequestHappening<RequestEventType>['entry'],
  ): Promise<TimelineEntry> {
    const [row] = (await manager.query(
      `INSERT INTO request_events (request_id, ward_id, kind, action, from_status, to_status, note,
                                   resident_visible, actor_type, actor_id, actor_name, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb)
       RETURNING *`,
      [
        request.id,
        request.wardId,
        entry.kind,
        entry.action ?? null,
        entry.fromStatus ?? null,
        entry.toStatus ?? null,
        entry.note ?? null,
        entry.residentVisible ?? false,
        by.type,
        by.id,
        by.label ?? by.type.toLowerCase(),
        JSON.stringify(entry.details ?? {}),
      ],
    )) as Array<Record<string, unknown>>;
    return hydrate(manager, TimelineEntry, row);
  }
}

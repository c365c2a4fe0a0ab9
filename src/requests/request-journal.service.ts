import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditActorRef } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { DomainEventType } from '../domain-events/domain-event';
import { DomainEventsService } from '../domain-events/domain-events.service';
import { TimelineEntry } from './entities/timeline-entry.entity';
import { ServiceRequest } from './entities/service-request.entity';

export interface RequestHappening {
  /** The timeline entry; the request, ward and actor are filled in. */
  entry: Pick<TimelineEntry, 'kind'> &
    Partial<
      Pick<
        TimelineEntry,
        'action' | 'fromStatus' | 'toStatus' | 'note' | 'residentVisible' | 'details'
      >
    >;
  event: DomainEventType;
  /** Event payload beyond the request's identity. */
  payload?: Record<string, unknown>;
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

  async record(
    manager: EntityManager,
    by: AuditActorRef,
    request: ServiceRequest,
    happening: RequestHappening,
  ): Promise<TimelineEntry> {
    const entry = await manager.save(
      manager.create(TimelineEntry, {
        residentVisible: false,
        details: {},
        ...happening.entry,
        requestId: request.id,
        wardId: request.wardId,
        actorType: by.type,
        actorId: by.id,
        actorName: by.label ?? by.type.toLowerCase(),
      }),
    );
    await this.audit.record(manager, by, {
      action: happening.event,
      entityType: 'ServiceRequest',
      entityId: request.id,
      municipalityId: request.municipalityId,
      wardId: request.wardId,
      changes: happening.changes,
    });
    await this.events.record(manager, {
      type: happening.event,
      aggregateType: 'ServiceRequest',
      aggregateId: request.id,
      municipalityId: request.municipalityId,
      wardId: request.wardId,
      payload: {
        requestId: request.id,
        trackingNumber: request.trackingNumber,
        residentId: request.residentId,
        serviceTypeId: request.serviceTypeId,
        definitionVersion: request.definitionVersion,
        status: request.status,
        version: request.version,
        timelineEntryId: entry.id,
        ...happening.payload,
      },
    });
    return entry;
  }
}

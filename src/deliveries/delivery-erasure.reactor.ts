import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainEventsService } from '../domain-events/domain-events.service';
import { RequestsService } from '../requests/requests.service';

/**
 * A resident's erasure reaches their deliveries: the address, name and phone copied at
 * scheduling and the agents' notes are blanked (the dates, outcomes and counts stay).
 */
@Injectable()
export class DeliveryErasureReactor implements OnModuleInit {
  constructor(
    private readonly events: DomainEventsService,
    private readonly requests: RequestsService,
  ) {}

  onModuleInit(): void {
    this.events.on('resident.erased', (manager, event) => this.erase(manager, event.aggregateId));
  }

  /** In the erasure's transaction. */
  private async erase(manager: EntityManager, residentId: string): Promise<void> {
    const requestIds = await this.requests.idsOfResident(manager, residentId);
    if (requestIds.length === 0) return;
    await manager.query(
      `UPDATE deliveries SET address = '{"erased": true}'::jsonb, failure_note = NULL,
              recipient_name = NULL, recipient_phone = NULL, updated_at = now()
        WHERE request_id = ANY($1)`,
      [requestIds],
    );
  }
}

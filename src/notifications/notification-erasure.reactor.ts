import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainEventsService } from '../domain-events/domain-events.service';

/** What an erased message says instead of its text. */
export const ERASED_TEXT = '[erased]';

/**
 * A resident's erasure reaches the messages about them: the text of every notification
 * about the resident or their requests (residents' and staff's alike) and the resident's
 * address are blanked, and what was still waiting to leave is failed, never sent.
 */
@Injectable()
export class NotificationErasureReactor implements OnModuleInit {
  constructor(private readonly events: DomainEventsService) {}

  onModuleInit(): void {
    this.events.on('resident.erased', (manager, event) => this.erase(manager, event.aggregateId));
  }

  /** In the erasure's transaction. */
  private async erase(manager: EntityManager, residentId: string): Promise<void> {
    await manager.query(
      `UPDATE notifications
          SET body = $2, content = NULL, template_params = '[]', secret_values = NULL,
              address = CASE WHEN recipient_type = 'RESIDENT' THEN '' ELSE address END,
              status = CASE WHEN status IN ('QUEUED', 'SENDING') THEN 'FAILED' ELSE status END,
              failed_at = CASE WHEN status IN ('QUEUED', 'SENDING') THEN now() ELSE failed_at END,
              error_code = CASE WHEN status IN ('QUEUED', 'SENDING') THEN 'ERASED' ELSE error_code END,
              updated_at = now()
        WHERE resident_id = $1`,
      [residentId, ERASED_TEXT],
    );
  }
}

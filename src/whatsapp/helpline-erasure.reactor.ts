import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainEventsService } from '../domain-events/domain-events.service';
import { MessagingWindowService } from '../whatsapp-cloud/messaging-window.service';

/**
 * A resident's erasure reaches the helpline: their conversations lose their WhatsApp
 * number and draft answers, every message of those chats its text, files and the
 * resident's profile name and shared places, their 24-hour windows go, and so does every processed raw
 * webhook payload that names their number. Counts and times stay.
 */
@Injectable()
export class HelplineErasureReactor implements OnModuleInit {
  constructor(
    private readonly events: DomainEventsService,
    private readonly windows: MessagingWindowService,
  ) {}

  onModuleInit(): void {
    this.events.on('resident.erased', (manager, event) => this.erase(manager, event.aggregateId));
  }

  /** In the erasure's transaction. */
  private async erase(manager: EntityManager, residentId: string): Promise<void> {
    const chats = (await manager.query(
      `SELECT id, phone_number_id, wa_id FROM conversations WHERE resident_id = $1`,
      [residentId],
    )) as Array<{ id: string; phone_number_id: string; wa_id: string }>;
    if (chats.length === 0) return;
    const ids = chats.map((c) => c.id);
    // The same number may be another municipality's resident on another helpline: only
    // these helplines' traces of it go.
    const helplines = chats.map((c) => c.phone_number_id);
    const numbers = chats.map((c) => c.wa_id);
    await manager.query(
      `UPDATE whatsapp_messages
          SET text = NULL, media = NULL, location = NULL, reaction = NULL, wa_id = 'erased',
              author_name = CASE WHEN author = 'RESIDENT' THEN NULL ELSE author_name END
        WHERE conversation_id = ANY($1)
           OR (phone_number_id, wa_id) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
      [ids, helplines, numbers],
    );
    await this.windows.forget(manager, helplines, numbers);
    // A payload may hold several people's messages; once processed, it is only a record.
    await manager.query(
      `UPDATE whatsapp_inbox SET payload = '{"erased": true}'::jsonb,
              sender = CASE WHEN sender IS NULL THEN NULL ELSE 'erased' END
        WHERE status <> 'PENDING'
          AND EXISTS (SELECT 1 FROM unnest($1::text[], $2::text[]) AS p(helpline, wa)
                       WHERE jsonb_path_exists(payload, '$.** ? (@ == $wa)', jsonb_build_object('wa', wa))
                         AND jsonb_path_exists(payload, '$.**.phone_number_id ? (@ == $h)',
                                               jsonb_build_object('h', helpline)))`,
      [helplines, numbers],
    );
    // A new message from the number starts a new conversation (with a new resident).
    await manager.query(
      `UPDATE conversations
          SET wa_id = 'erased-' || left(md5(id::text), 24), data = '{}', status = 'BOT', step = 'IDLE',
              version = version + 1, updated_at = now()
        WHERE id = ANY($1)`,
      [ids],
    );
  }
}

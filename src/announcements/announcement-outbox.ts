import { EntityManager } from 'typeorm';
import { AudienceSpec } from './announcement-audience';
import { AnnouncementRow } from './announcement-row';

/** The audience an announcement row names. */
export function specOf(row: AnnouncementRow): AudienceSpec {
  return {
    municipalityId: row.municipality_id,
    wardIds: row.ward_ids,
    locality: row.locality,
    serviceTypeIds: row.service_type_ids,
  };
}

/** Holds the announcement's messages still queued in the outbox until `until`. */
export async function holdOutbox(manager: EntityManager, id: string, until: string | Date) {
  await manager.query(
    `UPDATE notifications n SET next_attempt_at = greatest(n.next_attempt_at, $2::timestamptz),
            updated_at = now()
       FROM announcement_recipients ar
      WHERE ar.announcement_id = $1 AND n.id = ar.notification_id AND n.status = 'QUEUED'`,
    [id, until],
  );
}

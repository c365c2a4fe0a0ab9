import { EntityManager } from 'typeorm';
import { AnnouncementAudience } from './dto/announcement.type';

/** Who an announcement is for: wards, and optionally a locality and open requests of services. */
export interface AudienceSpec {
  municipalityId: string;
  wardIds: string[];
  locality: string | null;
  serviceTypeIds: string[];
}

/** Request statuses after which a request is no longer open. */
const CLOSED_REQUEST_STATUSES = ['RESOLVED', 'CLOSED', 'REJECTED', 'CANCELLED', 'DELIVERED'];

/**
 * Every resident of the audience, with the channel that reaches them (`WHATSAPP` when they
 * have a WhatsApp id and their ward a helpline, else `SMS` when they have a phone, else
 * `NONE`), their language and whether they opted out (of announcements, or of every
 * non-essential message). Parameters: $1 municipality, $2 wards, $3 locality, $4 services.
 */
export const AUDIENCE_SQL = `
  SELECT r.id AS resident_id, r.ward_id,
         CASE WHEN r.preferred_language = 'EN' THEN 'en' ELSE 'bn' END AS language,
         CASE WHEN r.whatsapp_id IS NOT NULL AND w.whatsapp_phone_number_id IS NOT NULL THEN 'WHATSAPP'
              WHEN r.phone IS NOT NULL THEN 'SMS' ELSE 'NONE' END AS channel,
         (EXISTS (SELECT 1 FROM announcement_opt_outs o WHERE o.resident_id = r.id)
          OR EXISTS (SELECT 1 FROM notification_opt_outs o WHERE o.resident_id = r.id)) AS opted_out
    FROM residents r JOIN wards w ON w.id = r.ward_id
   WHERE r.municipality_id = $1 AND r.ward_id = ANY($2::uuid[]) AND r.erased_at IS NULL
     AND ($3::text IS NULL OR lower(btrim(r.locality)) = lower(btrim($3::text)))
     AND (cardinality($4::uuid[]) = 0 OR EXISTS (
          SELECT 1 FROM service_requests q
           WHERE q.resident_id = r.id AND q.ward_id = r.ward_id AND q.service_type_id = ANY($4::uuid[])
             AND q.status::text <> ALL('{${CLOSED_REQUEST_STATUSES.join(',')}}'::text[])))`;

export function audienceParams(spec: AudienceSpec): unknown[] {
  return [spec.municipalityId, spec.wardIds, spec.locality, spec.serviceTypeIds];
}

/** The exact counts an announcement would reach, per channel and language. */
export async function countAudience(
  manager: EntityManager,
  spec: AudienceSpec,
): Promise<AnnouncementAudience> {
  const rows = (await manager.query(
    `SELECT channel, language, opted_out, count(*)::int AS n FROM (${AUDIENCE_SQL}) a
      GROUP BY channel, language, opted_out`,
    audienceParams(spec),
  )) as Array<{ channel: string; language: string; opted_out: boolean; n: number }>;
  const sum = (test: (row: (typeof rows)[number]) => boolean) =>
    rows.filter(test).reduce((total, row) => total + row.n, 0);
  const reached = (channel: string, language?: string) =>
    sum((r) => !r.opted_out && r.channel === channel && (!language || r.language === language));
  return {
    whatsapp: reached('WHATSAPP'),
    sms: reached('SMS'),
    whatsappBn: reached('WHATSAPP', 'bn'),
    whatsappEn: reached('WHATSAPP', 'en'),
    smsBn: reached('SMS', 'bn'),
    smsEn: reached('SMS', 'en'),
    total: reached('WHATSAPP') + reached('SMS'),
    optedOut: sum((r) => r.opted_out),
    unreachable: sum((r) => !r.opted_out && r.channel === 'NONE'),
  };
}

import { Announcement, AnnouncementStatus } from './dto/announcement.type';

/** The columns of `announcements`, as SQL returns them. */
export interface AnnouncementRow {
  id: string;
  municipality_id: string;
  ward_ids: string[];
  whole_municipality: boolean;
  locality: string | null;
  service_type_ids: string[];
  text_bn: string;
  text_en: string;
  status: AnnouncementStatus;
  needs_approval: boolean;
  created_by_id: string | null;
  created_by_name: string;
  approved_by_name: string | null;
  approved_at: Date | null;
  send_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
  paused_until: Date | null;
  pause_reason: string | null;
  pauses: number;
  version: number;
  created_at: Date;
}

export function toAnnouncement(row: AnnouncementRow): Announcement {
  return Object.assign(new Announcement(), {
    id: row.id,
    municipalityId: row.municipality_id,
    wardIds: row.ward_ids,
    wholeMunicipality: row.whole_municipality,
    locality: row.locality,
    serviceTypeIds: row.service_type_ids,
    textBn: row.text_bn,
    textEn: row.text_en,
    status: row.status,
    needsApproval: row.needs_approval,
    createdById: row.created_by_id,
    createdByName: row.created_by_name,
    approvedByName: row.approved_by_name,
    approvedAt: row.approved_at,
    sendAt: row.send_at,
    finishedAt: row.finished_at,
    pausedUntil: row.paused_until,
    pauseReason: row.pause_reason,
    pauses: row.pauses,
    version: row.version,
    createdAt: row.created_at,
  });
}

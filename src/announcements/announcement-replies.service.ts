import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditActorRef } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { AnnouncementRow, toAnnouncement } from './announcement-row';
import { Announcement } from './dto/announcement.type';

/** A resident as the helpline knows them. */
export interface ResidentRef {
  id: string;
  municipalityId: string;
  wardId: string;
}

/** What residents do about announcements on WhatsApp: opt out or in, and reply to one. */
@Injectable()
export class AnnouncementRepliesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Opts a resident out of announcements (not of their own requests' updates); true if new. */
  async optOut(manager: EntityManager, resident: ResidentRef, by: AuditActorRef): Promise<boolean> {
    const inserted = (await manager.query(
      `INSERT INTO announcement_opt_outs (resident_id, municipality_id, ward_id, source)
       VALUES ($1, $2, $3, 'WHATSAPP') ON CONFLICT DO NOTHING RETURNING resident_id`,
      [resident.id, resident.municipalityId, resident.wardId],
    )) as unknown[];
    await this.recordChoice(manager, resident, by, true);
    return inserted.length > 0;
  }

  /** Takes announcements again; true if they had opted out. */
  async optIn(manager: EntityManager, resident: ResidentRef, by: AuditActorRef): Promise<boolean> {
    const [, deleted] = (await manager.query(
      `DELETE FROM announcement_opt_outs WHERE resident_id = $1 RETURNING resident_id`,
      [resident.id],
    )) as [unknown[], number];
    await this.recordChoice(manager, resident, by, false);
    return deleted > 0;
  }

  private recordChoice(
    manager: EntityManager,
    resident: ResidentRef,
    by: AuditActorRef,
    optedOut: boolean,
  ): Promise<void> {
    return this.audit.record(manager, by, {
      action: 'resident.announcement_preference',
      entityType: 'Resident',
      entityId: resident.id,
      municipalityId: resident.municipalityId,
      wardId: resident.wardId,
      changes: { optedOut },
    });
  }

  /**
   * When `repliedTo` (the wamid the resident answered) is an announcement's message to this
   * resident, records the reply (once per message) and answers the announcement.
   */
  async recordReply(
    manager: EntityManager,
    resident: ResidentRef,
    wamid: string,
    repliedTo: string,
  ): Promise<Announcement | null> {
    const [row] = (await manager.query(
      `SELECT a.* FROM notifications n
         JOIN announcement_recipients ar ON ar.notification_id = n.id
         JOIN announcements a ON a.id = ar.announcement_id
        WHERE n.provider_message_id = $1 AND ar.resident_id = $2`,
      [repliedTo, resident.id],
    )) as AnnouncementRow[];
    if (!row) return null;
    await manager.query(
      `INSERT INTO announcement_replies (wamid, announcement_id, ward_id, resident_id)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [wamid, row.id, resident.wardId, resident.id],
    );
    return toAnnouncement(row);
  }

  /** The announcements some inbound messages replied to, by the messages' wamids. */
  async repliedTo(wamids: readonly string[]): Promise<Map<string, Announcement>> {
    const rows = (await this.dataSource.query(
      `SELECT r.wamid AS reply_wamid, a.* FROM announcement_replies r
         JOIN announcements a ON a.id = r.announcement_id WHERE r.wamid = ANY($1::text[])`,
      [[...wamids]],
    )) as Array<AnnouncementRow & { reply_wamid: string }>;
    return new Map(rows.map((row) => [row.reply_wamid, toAnnouncement(row)]));
  }
}

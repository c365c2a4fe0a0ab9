import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Whether the window of a helpline (`phoneNumberId`) and a number (`waId`), both SQL
 * expressions of the caller's statement, is open: for a claim that wants the answer with its
 * rows instead of a statement per row (the notification dispatcher).
 */
export function windowOpenSql(phoneNumberId: string, waId: string): string {
  return `EXISTS (SELECT 1 FROM whatsapp_windows w
                   WHERE w.phone_number_id = ${phoneNumberId} AND w.wa_id = ${waId}
                     AND w.last_inbound_at > now() - interval '24 hours')`;
}

/**
 * A message from the resident (at its own timestamp, seconds since the epoch) opens or
 * extends the window; a late, older delivery never shortens it. One statement built from SQL
 * expressions of the caller's (a helpline, a number, the seconds), for a caller that runs it
 * as a CTE of its own (the conversation's upsert): it answers one row, `open` — whether the
 * window is open now (a message written over 24 hours ago, delivered late, may not open it).
 */
export function windowInboundSql(phoneNumberId: string, waId: string, sentAtSeconds: string) {
  return `INSERT INTO whatsapp_windows (phone_number_id, wa_id, last_inbound_at)
          VALUES (${phoneNumberId}, ${waId}, to_timestamp(${sentAtSeconds}))
          ON CONFLICT (phone_number_id, wa_id)
            DO UPDATE SET last_inbound_at = greatest(whatsapp_windows.last_inbound_at, EXCLUDED.last_inbound_at)
          RETURNING last_inbound_at > now() - interval '24 hours' AS open`;
}

/**
 * The Cloud API's 24-hour customer-service window: after a resident's last message to a
 * helpline, free-form messages may reach them for 24 hours; outside it only approved
 * templates. The one owner of `whatsapp_windows`, for the helpline and for notifications.
 */
@Injectable()
export class MessagingWindowService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Whether the resident wrote to this helpline in the last 24 hours. */
  async isOpen(phoneNumberId: string, waId: string, manager?: EntityManager): Promise<boolean> {
    const rows: unknown[] = await (manager ?? this.dataSource.manager).query(
      `SELECT 1 FROM whatsapp_windows
        WHERE phone_number_id = $1 AND wa_id = $2 AND last_inbound_at > now() - interval '24 hours'`,
      [phoneNumberId, waId],
    );
    return rows.length > 0;
  }

  /** The resident changed their number: the window follows, unless the new one has its own. */
  async move(
    manager: EntityManager,
    phoneNumberId: string,
    oldWaId: string,
    newWaId: string,
  ): Promise<void> {
    await manager.query(
      `UPDATE whatsapp_windows SET wa_id = $3
        WHERE phone_number_id = $1 AND wa_id = $2
          AND NOT EXISTS (SELECT 1 FROM whatsapp_windows WHERE phone_number_id = $1 AND wa_id = $3)`,
      [phoneNumberId, oldWaId, newWaId],
    );
  }

  /** Erasure: the windows of these (helpline, number) pairs, taken pairwise, are forgotten. */
  async forget(manager: EntityManager, phoneNumberIds: string[], waIds: string[]): Promise<void> {
    await manager.query(
      `DELETE FROM whatsapp_windows
        WHERE (phone_number_id, wa_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [phoneNumberIds, waIds],
    );
  }
}

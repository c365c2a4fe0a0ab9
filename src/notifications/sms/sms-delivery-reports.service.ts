import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { APP_LOGGER } from '../../config/config.tokens';
import { DeliveryStatus, NotificationsService } from '../notifications.service';

/** Gupshup's real-time delivery report, as the GET callback's query carries it. */
const queryReport = z
  .object({
    externalId: z.string().trim().min(1).max(128),
    deliveredTS: z.string().optional(),
    status: z.string().trim().min(1).max(20),
    cause: z.string().max(200).optional(),
    phoneNo: z.string().max(20).optional(),
    errCode: z.string().max(10).optional(),
  })
  .transform((r): SmsReport => ({
    messageId: r.externalId,
    status: r.status,
    timestamp: r.deliveredTS,
    phone: r.phoneNo,
    cause: r.cause,
    errorCode: r.errCode,
  }));

const text = z.union([z.string(), z.number()]).transform(String);

/** One event of the POST callback (a JSON array of at most 20 of them). */
const postedEvent = z
  .object({
    externalId: text.pipe(z.string().min(1).max(128)),
    eventType: z.string().min(1).max(20),
    eventTs: z.union([z.string(), z.number()]).optional(),
    destAddr: text.optional(),
    cause: z.string().max(200).optional(),
    errCode: text.optional(),
  })
  .transform((r): SmsReport => ({
    messageId: r.externalId,
    status: r.eventType,
    timestamp: r.eventTs,
    phone: r.destAddr,
    cause: r.cause,
    errorCode: r.errCode,
  }));
export const postedReports = z.array(z.unknown()).min(1).max(100);

/** What a report says of a message, in our words; null: nothing final yet. */
const STATUS_OF: Record<string, DeliveryStatus['status'] | null> = {
  SUCCESS: 'delivered',
  DELIVERED: 'delivered',
  FAILURE: 'failed',
  FAIL: 'failed',
  FAILED: 'failed',
  SENT: 'sent',
  UNKNOWN: null,
};

export interface SmsReport {
  messageId: string;
  status: string;
  timestamp: string | number | undefined;
  phone: string | undefined;
  cause: string | undefined;
  errorCode: string | undefined;
}

export type ReportVerdict = 'APPLIED' | 'UNCHANGED' | 'UNKNOWN_MESSAGE' | 'REFUSED';

/** A report from the GET callback's query string; null when it is not one. */
export function reportFromQuery(query: unknown): SmsReport | null {
  return queryReport.safeParse(query).data ?? null;
}

/** A report from one event of the POST callback; null when it is not one. */
export function reportFromEvent(event: unknown): SmsReport | null {
  return postedEvent.safeParse(event).data ?? null;
}

/**
 * Applies SMS delivery reports to the notifications they are about. Reports arrive again and
 * out of order: the status only moves forward (a repeated report changes nothing). A report
 * is applied only to an SMS notification, and only when the number it names is the one the
 * message went to: a report about someone else's message is refused.
 */
@Injectable()
export class SmsDeliveryReportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly notifications: NotificationsService,
  ) {}

  async apply(report: SmsReport): Promise<ReportVerdict> {
    const status = STATUS_OF[report.status.toUpperCase()];
    if (status === undefined) return 'REFUSED';
    const [row] = (await this.dataSource.query(
      `SELECT id, address, status FROM notifications
        WHERE provider_message_id = $1 AND channel = 'SMS'`,
      [report.messageId],
    )) as Array<{ id: string; address: string; status: string }>;
    if (!row) return 'UNKNOWN_MESSAGE';
    if (report.phone && !sameNumber(report.phone, row.address)) {
      this.logger.warn(
        { notification: row.id },
        'SMS delivery report refused: it names another number than the message went to',
      );
      return 'REFUSED';
    }
    if (status === null) return 'UNCHANGED';
    const before = row.status;
    await this.notifications.applyDeliveryStatus({
      messageId: report.messageId,
      status,
      timestamp: reportTime(report.timestamp),
      // Operator codes (001 absent subscriber, 006 DND…) are kept apart from WhatsApp's.
      errorCode: status === 'failed' ? `DLR_${report.errorCode || 'FAILED'}` : null,
      errorMessage:
        status === 'failed' ? (report.cause ?? 'the operator reported a failure') : null,
    });
    const [after] = (await this.dataSource.query(`SELECT status FROM notifications WHERE id = $1`, [
      row.id,
    ])) as Array<{ status: string }>;
    return after?.status === before ? 'UNCHANGED' : 'APPLIED';
  }
}

/** Last ten digits: the report may carry the country code, the message did. */
function sameNumber(a: string, b: string): boolean {
  const tail = (n: string) => n.replace(/\D/g, '').slice(-10);
  return tail(a).length === 10 && tail(a) === tail(b);
}

/** Epoch milliseconds as Gupshup sends them; a missing or absurd one reads as now. */
function reportTime(value: string | number | undefined): Date {
  const ms = Number(value);
  const now = Date.now();
  if (!Number.isFinite(ms) || ms < now - 30 * 86_400_000 || ms > now + 86_400_000) {
    return new Date(now);
  }
  return new Date(ms);
}

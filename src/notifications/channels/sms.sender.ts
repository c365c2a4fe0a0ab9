import { Logger } from 'pino';
import { EntityManager } from 'typeorm';
import { SmsProvider } from '../sms/sms-provider';
import { smsLength } from '../sms/sms-segments';
import {
  ChannelOutcome,
  maskAddress,
  NotificationSender,
  OutgoingNotification,
} from './notification-sender';

/** The code a message gets when its wording has no DLT template id (production only). */
export const DLT_TEMPLATE_MISSING = 'DLT_TEMPLATE_MISSING';

/**
 * SMS through a real gateway. Indian operators deliver only text that matches a template
 * registered on DLT under the sender's entity, so each message carries its wording's DLT
 * template id — read at send time from the municipality's saved wording, so that a corrected
 * id applies to what is still queued. In production a wording without one is not sent: the
 * operator would drop it, and we would record it as sent.
 */
export class SmsSender implements NotificationSender {
  constructor(
    private readonly provider: SmsProvider,
    private readonly manager: EntityManager,
    private readonly logger: Logger,
    private readonly requireDltTemplate: boolean,
  ) {}

  async send(notification: OutgoingNotification): Promise<ChannelOutcome> {
    const dltTemplateId = await this.dltTemplateId(notification);
    if (!dltTemplateId && this.requireDltTemplate) {
      return {
        ok: false,
        kind: 'PERMANENT',
        code: DLT_TEMPLATE_MISSING,
        message: `the ${notification.language} wording of ${notification.templateKey} has no DLT template id (save it with saveNotificationTemplate): not sent`,
      };
    }
    const length = smsLength(notification.body);
    this.logger.info(
      {
        notification: notification.id,
        to: maskAddress(notification.address),
        template: notification.templateKey,
        dltTemplateId,
        encoding: length.encoding,
        segments: length.segments,
      },
      'SMS handed to the gateway',
    );
    const outcome = await this.provider.send({
      to: notification.address.replace(/\D/g, ''),
      text: notification.body,
      encoding: length.encoding,
      dltTemplateId: dltTemplateId ?? '',
    });
    return { ...outcome, sentAs: 'TEXT' };
  }

  private async dltTemplateId(notification: OutgoingNotification): Promise<string | null> {
    if (notification.dltTemplateId) return notification.dltTemplateId;
    if (!notification.municipalityId) return null;
    const rows: Array<{ dlt_template_id: string | null }> = await this.manager.query(
      `SELECT dlt_template_id FROM notification_templates
        WHERE municipality_id = $1 AND template_key = $2 AND language = $3`,
      [notification.municipalityId, notification.templateKey, notification.language],
    );
    return rows[0]?.dlt_template_id ?? null;
  }
}

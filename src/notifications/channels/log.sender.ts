import { Logger } from 'pino';
import {
  ChannelOutcome,
  maskAddress,
  NotificationSender,
  OutgoingNotification,
} from './notification-sender';

/**
 * Writes what would be sent to the service log: the LOG channel (demo default) and the
 * default SMS provider (SMS templates need DLT registration; none is configured).
 */
export class LogSender implements NotificationSender {
  constructor(
    private readonly logger: Logger,
    private readonly channel: 'LOG' | 'SMS',
    /** The text can name people: it is logged only outside production. */
    private readonly includeText: boolean,
  ) {}

  async send(notification: OutgoingNotification): Promise<ChannelOutcome> {
    this.logger.info(
      {
        notification: notification.id,
        channel: this.channel,
        to: maskAddress(notification.address),
        template: notification.templateKey,
        language: notification.language,
        ...(this.includeText ? { text: notification.body } : {}),
      },
      `${this.channel === 'SMS' ? 'SMS (log-only provider)' : 'notification (log channel)'}`,
    );
    return {
      ok: true,
      messageId: `${this.channel.toLowerCase()}-${notification.id}`,
      sentAs: 'TEXT',
    };
  }
}

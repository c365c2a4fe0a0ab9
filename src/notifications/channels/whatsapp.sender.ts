import { EntityManager } from 'typeorm';
import { WhatsAppCloudClient } from '../../whatsapp/cloud-api/whatsapp-cloud.client';
import { ChannelOutcome, NotificationSender, OutgoingNotification } from './notification-sender';

/**
 * WhatsApp: free-form text inside the resident's 24-hour window, the approved template
 * outside it — and the template at once when the Cloud API says the window has closed.
 */
export class WhatsAppSender implements NotificationSender {
  constructor(
    private readonly client: WhatsAppCloudClient,
    private readonly manager: EntityManager,
  ) {}

  async send(notification: OutgoingNotification): Promise<ChannelOutcome> {
    const sender = notification.sender ?? '';
    if (notification.content) {
      // A reply to what the resident just wrote: inside the window by its nature.
      const outcome = await this.client.sendMessage(
        sender,
        notification.address,
        notification.content,
      );
      return outcome.ok || outcome.kind !== 'WINDOW_CLOSED'
        ? { ...outcome, sentAs: 'TEXT' }
        : {
            ok: false,
            kind: 'PERMANENT',
            code: outcome.code,
            message: outcome.message,
            sentAs: 'TEXT',
          };
    }
    const useText =
      notification.sentAs !== 'TEMPLATE' && (await this.windowOpen(sender, notification.address));
    if (useText) {
      const outcome = await this.client.sendText(sender, notification.address, notification.body);
      if (outcome.ok || outcome.kind !== 'WINDOW_CLOSED') return { ...outcome, sentAs: 'TEXT' };
    }
    const outcome = await this.client.sendTemplate(
      sender,
      notification.address,
      notification.templateName ?? '',
      notification.language,
      notification.templateParams,
    );
    // A closed window cannot close a template: anything else it answers stands.
    return outcome.ok || outcome.kind !== 'WINDOW_CLOSED'
      ? { ...outcome, sentAs: 'TEMPLATE' }
      : {
          ok: false,
          kind: 'PERMANENT',
          code: outcome.code,
          message: outcome.message,
          sentAs: 'TEMPLATE',
        };
  }

  private async windowOpen(phoneNumberId: string, waId: string): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(
      `SELECT 1 FROM whatsapp_windows
       WHERE phone_number_id = $1 AND wa_id = $2 AND last_inbound_at > now() - interval '24 hours'`,
      [phoneNumberId, waId],
    );
    return rows.length > 0;
  }
}

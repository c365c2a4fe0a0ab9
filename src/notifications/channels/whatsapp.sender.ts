import { EntityManager } from 'typeorm';
import { WhatsAppCloudClient } from '../../whatsapp-cloud/whatsapp-cloud.client';
import { ChannelOutcome, NotificationSender, OutgoingNotification } from './notification-sender';

/** The code a message gets when it cannot go out: window closed and no approved template. */
export const WINDOW_CLOSED_CODE = '131047';

/**
 * WhatsApp: free-form (text, or a helpline reply's message object) only inside the
 * resident's 24-hour window, checked on every send; outside it, or when the Cloud API says
 * the window has closed, the approved template if the message has one — and otherwise
 * nothing is sent: the notification fails with the reason (the dispatcher tells the
 * coordinators). The same free-form message is never sent again into a closed window.
 */
export class WhatsAppSender implements NotificationSender {
  constructor(
    private readonly client: WhatsAppCloudClient,
    private readonly manager: EntityManager,
  ) {}

  async send(notification: OutgoingNotification): Promise<ChannelOutcome> {
    const sender = notification.sender ?? '';
    const freeForm =
      notification.sentAs !== 'TEMPLATE' && (await this.windowOpen(sender, notification.address));
    let closedBy: { code: string; message: string } | null = null;
    if (freeForm) {
      const outcome = notification.content
        ? await this.client.sendMessage(sender, notification.address, notification.content)
        : await this.client.sendText(sender, notification.address, notification.body);
      // The blue ticks: the resident sees their message was read when the answer arrives.
      if (outcome.ok && notification.readReceiptFor)
        await this.client.markRead(sender, notification.readReceiptFor);
      if (outcome.ok || outcome.kind !== 'WINDOW_CLOSED') return { ...outcome, sentAs: 'TEXT' };
      closedBy = { code: outcome.code, message: outcome.message };
    }
    if (!notification.templateName) {
      return {
        ok: false,
        kind: 'PERMANENT',
        code: WINDOW_CLOSED_CODE,
        message: `the 24-hour window is closed${closedBy ? ` (${closedBy.message})` : ''} and this message has no approved template: not sent`,
      };
    }
    const outcome = await this.client.sendTemplate(
      sender,
      notification.address,
      notification.templateName,
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

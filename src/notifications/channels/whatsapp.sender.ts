import { EntityManager } from 'typeorm';
import { MessagingWindowService } from '../../whatsapp-cloud/messaging-window.service';
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
    private readonly windows: MessagingWindowService,
    /** The dispatcher's own (worker) connections, not the API's. */
    private readonly manager: EntityManager,
  ) {}

  async send(notification: OutgoingNotification): Promise<ChannelOutcome> {
    const sender = notification.sender ?? '';
    const freeForm =
      notification.sentAs !== 'TEMPLATE' &&
      (notification.windowOpen ??
        (await this.windows.isOpen(sender, notification.address, this.manager)));
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
}

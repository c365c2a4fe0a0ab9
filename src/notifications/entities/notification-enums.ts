import { registerEnumType } from '@nestjs/graphql';

export enum NotificationChannel {
  WHATSAPP = 'WHATSAPP',
  SMS = 'SMS',
  LOG = 'LOG',
}
registerEnumType(NotificationChannel, {
  name: 'NotificationChannel',
  description: 'How a notification travels.',
  valuesMap: {
    WHATSAPP: { description: 'The ward’s WhatsApp helpline (Cloud API).' },
    SMS: { description: 'SMS through the configured provider (log-only by default).' },
    LOG: { description: 'Written to the service log only (demo and development default).' },
  },
});

export enum NotificationStatus {
  QUEUED = 'QUEUED',
  SENDING = 'SENDING',
  SENT = 'SENT',
  DELIVERED = 'DELIVERED',
  READ = 'READ',
  FAILED = 'FAILED',
}
registerEnumType(NotificationStatus, {
  name: 'NotificationStatus',
  description: 'Where a notification is; it never moves backwards (FAILED is final).',
  valuesMap: {
    QUEUED: { description: 'Waiting to be sent (or to be retried at `nextAttemptAt`).' },
    SENDING: { description: 'Being handed to the provider.' },
    SENT: { description: 'Accepted by the provider.' },
    DELIVERED: { description: 'Reached the phone.' },
    READ: { description: 'Read by the recipient.' },
    FAILED: { description: 'Given up; `errorCode` and `errorMessage` say why.' },
  },
});

/** Ranks for "never backwards": a status only replaces a lower one. */
export const STATUS_RANK: Record<NotificationStatus, number> = {
  QUEUED: 0,
  SENDING: 0,
  SENT: 1,
  DELIVERED: 2,
  READ: 3,
  FAILED: 4,
};

export enum NotificationLanguage {
  BN = 'bn',
  EN = 'en',
}
registerEnumType(NotificationLanguage, {
  name: 'NotificationLanguage',
  description: 'Language of a message: Bengali (`bn`) or English (`en`).',
});

import { registerEnumType } from '@nestjs/graphql';

export enum RequestStatus {
  SUBMITTED = 'SUBMITTED',
  IN_REVIEW = 'IN_REVIEW',
  NEEDS_INFO = 'NEEDS_INFO',
  APPROVED = 'APPROVED',
  READY = 'READY',
  OUT_FOR_DELIVERY = 'OUT_FOR_DELIVERY',
  DELIVERED = 'DELIVERED',
  RESOLVED = 'RESOLVED',
  CLOSED = 'CLOSED',
  REJECTED = 'REJECTED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(RequestStatus, {
  name: 'RequestStatus',
  description: 'Where a request is in its workflow (see docs/workflow.md).',
  valuesMap: {
    SUBMITTED: { description: 'Received; nobody has looked at it yet.' },
    IN_REVIEW: { description: 'A coordinator is checking it.' },
    NEEDS_INFO: { description: 'Waiting for the resident; the SLA clock is paused.' },
    APPROVED: { description: 'Accepted; the certificate or service is being prepared.' },
    READY: { description: 'The certificate or outcome is ready to hand over.' },
    OUT_FOR_DELIVERY: { description: 'On its way to the resident’s door.' },
    DELIVERED: { description: 'Handed over to the resident.' },
    RESOLVED: { description: 'The complaint or service was dealt with.' },
    CLOSED: { description: 'Finished; may be reopened within the reopen period.' },
    REJECTED: { description: 'Refused, with the reason told to the resident.' },
    CANCELLED: { description: 'Withdrawn on the resident’s behalf before approval.' },
  },
});

export enum RequestPriority {
  LOW = 'LOW',
  NORMAL = 'NORMAL',
  HIGH = 'HIGH',
  URGENT = 'URGENT',
}
registerEnumType(RequestPriority, {
  name: 'RequestPriority',
  description: 'How pressing a request is; ordering by priority puts URGENT first when descending.',
});

export enum RequestChannel {
  WHATSAPP = 'WHATSAPP',
  PHONE_CALL = 'PHONE_CALL',
  WALK_IN = 'WALK_IN',
  API = 'API',
}
registerEnumType(RequestChannel, {
  name: 'RequestChannel',
  description: 'How the request reached the ward.',
  valuesMap: {
    WHATSAPP: { description: 'The ward’s WhatsApp helpline (set by the intake only).' },
    PHONE_CALL: { description: 'The resident phoned the coordinator.' },
    WALK_IN: { description: 'The resident came to the ward office.' },
    API: { description: 'Another system, through an API client.' },
  },
});

export enum RequestAction {
  START_REVIEW = 'START_REVIEW',
  REQUEST_INFO = 'REQUEST_INFO',
  PROVIDE_INFO = 'PROVIDE_INFO',
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
  CANCEL = 'CANCEL',
  MARK_READY = 'MARK_READY',
  DISPATCH = 'DISPATCH',
  RETURN_UNDELIVERED = 'RETURN_UNDELIVERED',
  HAND_OVER = 'HAND_OVER',
  RESOLVE = 'RESOLVE',
  CLOSE = 'CLOSE',
  REOPEN = 'REOPEN',
}
registerEnumType(RequestAction, {
  name: 'RequestAction',
  description: 'A step of the request workflow; the table is in docs/workflow.md.',
});

export enum TimelineEntryKind {
  CREATED = 'CREATED',
  STATUS_CHANGED = 'STATUS_CHANGED',
  ASSIGNED = 'ASSIGNED',
  PRIORITY_CHANGED = 'PRIORITY_CHANGED',
  NOTE = 'NOTE',
  COMMENT = 'COMMENT',
  ATTACHMENT_ADDED = 'ATTACHMENT_ADDED',
  SLA_BREACHED = 'SLA_BREACHED',
  DOCUMENT_WAIVED = 'DOCUMENT_WAIVED',
}
registerEnumType(TimelineEntryKind, {
  name: 'TimelineEntryKind',
  description: 'What a timeline entry records.',
  valuesMap: {
    NOTE: { description: 'An internal note for staff only.' },
    COMMENT: { description: 'A comment the resident is told.' },
  },
});

export enum AttachmentKind {
  IMAGE = 'IMAGE',
  DOCUMENT = 'DOCUMENT',
  AUDIO = 'AUDIO',
  VIDEO = 'VIDEO',
}
registerEnumType(AttachmentKind, { name: 'AttachmentKind', description: 'What a file is.' });

export enum AttachmentSource {
  WHATSAPP_MEDIA = 'WHATSAPP_MEDIA',
  UPLOAD = 'UPLOAD',
}
registerEnumType(AttachmentSource, {
  name: 'AttachmentSource',
  description: 'Where a file came from.',
  valuesMap: {
    WHATSAPP_MEDIA: { description: '`mediaRef` is a WhatsApp media id received on the helpline.' },
    UPLOAD: { description: '`mediaRef` is the storage key or URL of an uploaded file.' },
  },
});

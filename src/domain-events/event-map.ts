/**
 * Every domain event Duare records, by name, with the payload its consumers get. Recording
 * and handling are typed by this map (`DomainEventsService.record` / `.on`), so a reactor
 * reads `event.payload.to` as the string it is, with no cast. Payloads carry no personal data
 * (they are stored, sent to webhook receivers and to live subscribers).
 *
 * The values are plain strings where a feature module owns the enum (a request status, a
 * channel): this module sits below every feature and imports none of them.
 */

/** What every request event carries: the request's identity and state after the change. */
export interface RequestEventBase {
  requestId: string;
  trackingNumber: string;
  residentId: string;
  serviceTypeId: string;
  definitionVersion: number;
  /** The request's status after the change (`RequestStatus`). */
  status: string;
  version: number;
  timelineEntryId: string;
}

/** A delivery's identity and state after the change (never its hand-over code). */
export interface DeliveryEventPayload {
  deliveryId: string;
  requestId: string;
  agentId: string;
  scheduledDate: string;
  status: string;
}

export interface CertificateEventPayload {
  certificateId: string;
  number: string;
  requestId: string;
  typeCode: string;
}

/** A helpline conversation and why the event happened (`ASKED`, `VOICE_NOTE`, …). */
export interface ConversationEventPayload {
  conversationId: string;
  residentId: string;
  reason: string;
}

export interface DomainEventMap {
  'request.created': RequestEventBase & { channel: string; category: string };
  'request.status_changed': RequestEventBase & {
    /** The workflow action (`RequestAction`). */
    action: string;
    from: string;
    to: string;
    /** The note, when the transition tells the resident. */
    noteToResident: string | null;
  };
  'request.assigned': RequestEventBase & {
    assigneeId: string | null;
    previousAssigneeId: string | null;
  };
  'request.priority_changed': RequestEventBase & { from: string; to: string };
  'request.comment_added': RequestEventBase & { comment: string };
  /** An internal note: its text stays out of the event (webhooks must not see it). */
  'request.note_added': RequestEventBase;
  'request.attachment_added': RequestEventBase & { attachmentId: string; documentCode?: string };
  'request.document_waived': RequestEventBase & { documentCode: string };
  'request.sla_breached': RequestEventBase & {
    dueAt: string;
    breachedAt: string;
    /** False for breaches beyond a ward's per-sweep alerts (summarised instead). */
    alert: boolean;
  };
  'conversation.handed_over': ConversationEventPayload;
  /** Staff should look although the bot carries on (a voice note to listen to). */
  'conversation.needs_attention': ConversationEventPayload;
  /** Nobody on staff answered a hand-over in time: the administrators are told. */
  'conversation.handover_unanswered': ConversationEventPayload;
  /** A help-desk conversation's resident waited too long for a staff answer (escalated once). */
  'conversation.overdue': { residentId: string; episodeId: string };
  'notification.undelivered': { residentId: string; templateKey: string; code: string };
  'resident.erased': Record<string, never>;
  'ward.daily_digest': { day: string; open: number; dueToday: number; overdue: number };
  'ward.sla_breaches_summarised': { count: number; breachedAt: string };
  'delivery.scheduled': DeliveryEventPayload;
  'delivery.started': DeliveryEventPayload;
  'delivery.code_resent': DeliveryEventPayload;
  'delivery.completed': DeliveryEventPayload;
  'delivery.failed': DeliveryEventPayload;
  'delivery.cancelled': DeliveryEventPayload;
  'certificate.issued': CertificateEventPayload;
  'certificate.revoked': CertificateEventPayload;
  'certificate.superseded': CertificateEventPayload;
  /** A finished request's resident is asked to rate it (once). */
  'feedback.requested': { category: string };
  /** A complaint goes back to work: by the resident (WhatsApp, SMS) or by staff. */
  'request.reopened': { reason: string; byResident: boolean };
}

export type DomainEventType = keyof DomainEventMap;

/** The request events, whose payload starts with `RequestEventBase`. */
export type RequestEventType = {
  [K in DomainEventType]: DomainEventMap[K] extends RequestEventBase ? K : never;
}[DomainEventType];

export type DeliveryEventType = Extract<DomainEventType, `delivery.${string}`>;
export type CertificateEventType = Extract<DomainEventType, `certificate.${string}`>;

/** The map's names as a list (for schema descriptions and checks); the map is the source. */
const NAMES: { [K in DomainEventType]: true } = {
  'request.created': true,
  'request.status_changed': true,
  'request.assigned': true,
  'request.priority_changed': true,
  'request.comment_added': true,
  'request.note_added': true,
  'request.attachment_added': true,
  'request.document_waived': true,
  'conversation.handed_over': true,
  'conversation.needs_attention': true,
  'conversation.handover_unanswered': true,
  'conversation.overdue': true,
  'notification.undelivered': true,
  'resident.erased': true,
  'request.sla_breached': true,
  'ward.daily_digest': true,
  'ward.sla_breaches_summarised': true,
  'delivery.scheduled': true,
  'delivery.started': true,
  'delivery.code_resent': true,
  'delivery.completed': true,
  'delivery.failed': true,
  'delivery.cancelled': true,
  'certificate.issued': true,
  'certificate.revoked': true,
  'certificate.superseded': true,
  'feedback.requested': true,
  'request.reopened': true,
};
export const DOMAIN_EVENT_TYPES = Object.keys(NAMES) as DomainEventType[];

/**
 * One event as recorded: for a union of names, a union of events, so `switch (event.type)`
 * narrows the payload.
 */
export type DomainEvent<T extends DomainEventType = DomainEventType> = T extends DomainEventType
  ? {
      type: T;
      aggregateType: string;
      aggregateId: string;
      municipalityId: string;
      wardId: string | null;
      payload: DomainEventMap[T];
    }
  : never;

/** A recorded event, with its id (the `domain_events` row). */
export type RecordedEvent<T extends DomainEventType = DomainEventType> = T extends DomainEventType
  ? DomainEvent<T> & { id: string }
  : never;

/** Every domain event type Duare records; consumers switch on these names. */
export const DOMAIN_EVENT_TYPES = [
  'request.created',
  'request.status_changed',
  'request.assigned',
  'request.priority_changed',
  'request.comment_added',
  'request.note_added',
  'request.attachment_added',
  'request.document_waived',
  'conversation.handed_over',
  'conversation.overdue',
  'notification.undelivered',
  'resident.erased',
  'request.sla_breached',
  'ward.daily_digest',
  'ward.sla_breaches_summarised',
  'delivery.scheduled',
  'delivery.started',
  'delivery.code_resent',
  'delivery.completed',
  'delivery.failed',
  'delivery.cancelled',
  'certificate.issued',
  'certificate.revoked',
  'certificate.superseded',
] as const;

export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number];

export interface DomainEvent {
  type: DomainEventType;
  aggregateType: string;
  aggregateId: string;
  municipalityId: string;
  wardId: string | null;
  /** What consumers need without reading the aggregate again (no personal data). */
  payload: Record<string, unknown>;
}

import { ServiceCategory } from '../entities/service-definition';
import { RequestAction, RequestStatus } from '../entities/request-enums';

/** Who performs a step: a signed-in staff member, an API client, or Duare itself. */
export type ActorKind = 'STAFF' | 'API_CLIENT' | 'SYSTEM';

/** What a step does to the SLA clock. */
export type SlaEffect = 'PAUSE' | 'RESUME' | 'STOP' | 'RESTART';

export interface Transition {
  action: RequestAction;
  from: readonly RequestStatus[];
  to: RequestStatus;
  /** Request categories the step applies to. */
  categories: readonly ServiceCategory[];
  by: readonly ActorKind[];
  /** The step needs a note (a reason, what is missing, what was done). */
  noteRequired: boolean;
  /** The note is told to the resident (otherwise it stays internal). */
  noteToResident: boolean;
  /** Only for services that deliver to the door. */
  doorstepOnly?: boolean;
  sla?: SlaEffect;
  /** Allowed only within the reopen period after completion. */
  withinReopenPeriod?: boolean;
  summary: string;
}

const { CERTIFICATE, SERVICE, COMPLAINT } = ServiceCategory;
const ALL = [CERTIFICATE, SERVICE, COMPLAINT] as const;
const S = RequestStatus;

/**
 * The request workflow: every allowed step. Anything not in this table is refused.
 * docs/workflow.md shows the same table; a unit test keeps the two in step.
 */
export const WORKFLOW: readonly Transition[] = [
  {
    action: RequestAction.START_REVIEW,
    from: [S.SUBMITTED],
    to: S.IN_REVIEW,
    categories: ALL,
    by: ['STAFF'],
    noteRequired: false,
    noteToResident: false,
    summary: 'A coordinator starts checking the request.',
  },
  {
    action: RequestAction.REQUEST_INFO,
    from: [S.IN_REVIEW],
    to: S.NEEDS_INFO,
    categories: ALL,
    by: ['STAFF'],
    noteRequired: true,
    noteToResident: true,
    sla: 'PAUSE',
    summary: 'Ask the resident for what is missing (the note says what).',
  },
  {
    action: RequestAction.PROVIDE_INFO,
    from: [S.NEEDS_INFO],
    to: S.IN_REVIEW,
    categories: ALL,
    by: ['STAFF', 'API_CLIENT', 'SYSTEM'],
    noteRequired: false,
    noteToResident: false,
    sla: 'RESUME',
    summary: 'The resident answered; review goes on and the clock runs again.',
  },
  {
    action: RequestAction.APPROVE,
    from: [S.IN_REVIEW],
    to: S.APPROVED,
    categories: [CERTIFICATE, SERVICE],
    by: ['STAFF'],
    noteRequired: false,
    noteToResident: false,
    summary: 'The request is accepted; the certificate or service is prepared.',
  },
  {
    action: RequestAction.REJECT,
    from: [S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO],
    to: S.REJECTED,
    categories: ALL,
    by: ['STAFF'],
    noteRequired: true,
    noteToResident: true,
    sla: 'STOP',
    summary: 'Refuse, telling the resident why.',
  },
  {
    action: RequestAction.CANCEL,
    from: [S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO],
    to: S.CANCELLED,
    categories: ALL,
    by: ['STAFF', 'API_CLIENT', 'SYSTEM'],
    noteRequired: false,
    noteToResident: true,
    sla: 'STOP',
    summary: 'The resident withdraws the request before approval.',
  },
  {
    action: RequestAction.MARK_READY,
    from: [S.APPROVED],
    to: S.READY,
    categories: [CERTIFICATE],
    by: ['SYSTEM'],
    noteRequired: false,
    noteToResident: false,
    summary: 'The certificate was issued (by certificate issuance, never by hand).',
  },
  {
    action: RequestAction.MARK_READY,
    from: [S.APPROVED],
    to: S.READY,
    categories: [SERVICE],
    by: ['STAFF'],
    noteRequired: false,
    noteToResident: false,
    summary: 'The outcome of the service (a copy, a licence) is ready to hand over.',
  },
  {
    action: RequestAction.DISPATCH,
    from: [S.READY],
    to: S.OUT_FOR_DELIVERY,
    categories: [CERTIFICATE, SERVICE],
    by: ['SYSTEM'],
    noteRequired: false,
    noteToResident: false,
    doorstepOnly: true,
    summary: 'Sent out to the resident’s door (by `scheduleDelivery`, never by hand).',
  },
  {
    action: RequestAction.RETURN_UNDELIVERED,
    from: [S.OUT_FOR_DELIVERY],
    to: S.READY,
    categories: [CERTIFICATE, SERVICE],
    by: ['SYSTEM'],
    noteRequired: true,
    noteToResident: true,
    summary:
      'The hand-over failed (not at home, wrong address, refused) or the delivery was called off (by `failDelivery` or `cancelDelivery`); deliver again.',
  },
  {
    action: RequestAction.HAND_OVER,
    from: [S.READY],
    to: S.DELIVERED,
    categories: [CERTIFICATE, SERVICE],
    by: ['STAFF'],
    noteRequired: false,
    noteToResident: false,
    sla: 'STOP',
    summary: 'Handed to the resident at the office.',
  },
  {
    action: RequestAction.HAND_OVER,
    from: [S.OUT_FOR_DELIVERY],
    to: S.DELIVERED,
    categories: [CERTIFICATE, SERVICE],
    by: ['SYSTEM'],
    noteRequired: false,
    noteToResident: false,
    sla: 'STOP',
    summary:
      'Handed to the resident at the door, proved by their code (by `confirmDelivery`, never by hand).',
  },
  {
    action: RequestAction.RESOLVE,
    from: [S.IN_REVIEW, S.APPROVED],
    to: S.RESOLVED,
    categories: [SERVICE, COMPLAINT],
    by: ['STAFF'],
    noteRequired: true,
    noteToResident: true,
    sla: 'STOP',
    summary: 'The complaint or service was dealt with (the note says how).',
  },
  {
    action: RequestAction.CLOSE,
    from: [S.DELIVERED, S.RESOLVED],
    to: S.CLOSED,
    categories: ALL,
    by: ['STAFF', 'SYSTEM'],
    noteRequired: false,
    noteToResident: false,
    summary: 'Finished.',
  },
  {
    action: RequestAction.REOPEN,
    from: [S.RESOLVED, S.CLOSED, S.REJECTED],
    to: S.IN_REVIEW,
    categories: ALL,
    by: ['STAFF', 'API_CLIENT', 'SYSTEM'],
    noteRequired: true,
    noteToResident: false,
    sla: 'RESTART',
    withinReopenPeriod: true,
    summary: 'The resident is not satisfied; review again with a fresh SLA.',
  },
];

/** Statuses in which the SLA clock has stopped (an outcome was reached). */
export const COMPLETED_STATUSES: readonly RequestStatus[] = [
  S.DELIVERED,
  S.RESOLVED,
  S.CLOSED,
  S.REJECTED,
  S.CANCELLED,
];

export type TransitionCheck =
  | { ok: true; transition: Transition }
  | { ok: false; reason: 'NOT_FROM_STATUS' | 'NOT_FOR_CATEGORY' | 'NOT_BY_ACTOR' | 'NOT_DOORSTEP' };

/** The step this action takes from this request's state, or why there is none. */
export function findTransition(
  action: RequestAction,
  request: { status: RequestStatus; category: ServiceCategory; doorstepDelivery: boolean },
  by: ActorKind,
): TransitionCheck {
  const forAction = WORKFLOW.filter((t) => t.action === action);
  const fromHere = forAction.filter((t) => t.from.includes(request.status));
  if (fromHere.length === 0) return { ok: false, reason: 'NOT_FROM_STATUS' };
  const forCategory = fromHere.filter((t) => t.categories.includes(request.category));
  if (forCategory.length === 0) return { ok: false, reason: 'NOT_FOR_CATEGORY' };
  const transition = forCategory.find((t) => t.by.includes(by));
  if (!transition) return { ok: false, reason: 'NOT_BY_ACTOR' };
  if (transition.doorstepOnly && !request.doorstepDelivery) {
    return { ok: false, reason: 'NOT_DOORSTEP' };
  }
  return { ok: true, transition };
}

/** Actions this actor kind could take now (before ward, permission and period checks). */
export function availableActions(
  request: { status: RequestStatus; category: ServiceCategory; doorstepDelivery: boolean },
  by: ActorKind,
): RequestAction[] {
  const actions = new Set(WORKFLOW.map((t) => t.action));
  return [...actions].filter((action) => findTransition(action, request, by).ok);
}

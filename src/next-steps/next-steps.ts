import { canAccess } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { StaffRole } from '../common/access/staff-role';
import { RequestStatus } from '../requests/entities/request-enums';
import { ServiceCategory } from '../requests/entities/service-definition';
import { WORKFLOW } from '../requests/workflow/request-workflow';
import { NextStep, NextStepKind } from './next-step.type';

/** What the next steps of a request depend on besides the caller. */
export interface NextStepsContext {
  request: {
    municipalityId: string;
    wardId: string;
    status: RequestStatus;
    category: ServiceCategory;
  };
  doorstepDelivery: boolean;
  /** The role that signs the request's certificate; null when no active type is set up. */
  signerRole: string | null;
  /** The delivery under way, if any. */
  delivery: { id: string; status: string; agentId: string } | null;
}

const WRITERS = [StaffRole.WARD_COORDINATOR, StaffRole.MUNICIPAL_ADMIN];
const STAFF_WHO = 'a coordinator of the ward or an administrator';

function step(
  kind: NextStepKind,
  operation: string,
  toStatus: RequestStatus | null,
  takenBy: StaffRole[],
  allowed: boolean,
  who: string,
  deliveryId: string | null = null,
): NextStep {
  return Object.assign(new NextStep(), {
    step: kind,
    operation,
    toStatus,
    allowed,
    takenBy,
    why: allowed ? null : `taken by ${who}`,
    deliveryId,
  });
}

/** The workflow's own steps open to people (`transitionRequest`). */
function workflowSteps(ctx: NextStepsContext, actor: Actor): NextStep[] {
  const kind = actor.type === 'STAFF' ? 'STAFF' : 'API_CLIENT';
  const writes = canAccess(actor, ctx.request, Permission.REQUESTS_WRITE);
  return WORKFLOW.filter(
    (t) =>
      t.from.includes(ctx.request.status) &&
      t.categories.includes(ctx.request.category) &&
      (t.by.includes('STAFF') || t.by.includes('API_CLIENT')),
  ).map((t) =>
    step(
      t.action as unknown as NextStepKind,
      'transitionRequest',
      t.to,
      WRITERS,
      writes && t.by.includes(kind),
      STAFF_WHO,
    ),
  );
}

function certificateSteps(ctx: NextStepsContext, actor: Actor): NextStep[] {
  if (ctx.request.category !== ServiceCategory.CERTIFICATE) return [];
  if (ctx.request.status !== RequestStatus.APPROVED) return [];
  const signer = ctx.signerRole as StaffRole | null;
  const may =
    signer !== null &&
    actor.type === 'STAFF' &&
    canAccess(actor, ctx.request, Permission.CERTIFICATES_ISSUE) &&
    actor.grants.some(
      (g) => g.role === signer && (g.wardId === null || g.wardId === ctx.request.wardId),
    );
  const who = signer
    ? `a ${signer} (the certificate type’s signer)`
    : 'nobody yet: no active certificate type is set up';
  return [
    step(
      NextStepKind.ISSUE_CERTIFICATE,
      'issueCertificate',
      RequestStatus.READY,
      signer ? [signer] : [],
      may,
      who,
    ),
  ];
}

/** The last mile, as the delivery under way (or its absence) allows. */
function deliverySteps(ctx: NextStepsContext, actor: Actor): NextStep[] {
  if (!ctx.doorstepDelivery) return [];
  const writes = canAccess(actor, ctx.request, Permission.REQUESTS_WRITE);
  const { delivery } = ctx;
  if (!delivery) {
    if (ctx.request.status !== RequestStatus.READY) return [];
    return [
      step(
        NextStepKind.SCHEDULE_DELIVERY,
        'scheduleDelivery',
        RequestStatus.OUT_FOR_DELIVERY,
        WRITERS,
        writes,
        STAFF_WHO,
      ),
    ];
  }
  const isAgent = actor.type === 'STAFF' && actor.id === delivery.agentId;
  const agentWho = 'the delivery’s field agent';
  const agent = (kind: NextStepKind, operation: string, to: RequestStatus | null) =>
    step(kind, operation, to, [StaffRole.FIELD_AGENT], isAgent, agentWho, delivery.id);
  const coordinator = (kind: NextStepKind, operation: string, to: RequestStatus | null) =>
    step(kind, operation, to, WRITERS, writes, STAFF_WHO, delivery.id);
  const cancelTo =
    ctx.request.status === RequestStatus.OUT_FOR_DELIVERY ? RequestStatus.READY : null;
  switch (delivery.status) {
    case 'SCHEDULED':
      return [
        agent(NextStepKind.START_DELIVERY_TRIP, 'startDeliveryTrip', null),
        coordinator(NextStepKind.CANCEL_DELIVERY, 'cancelDelivery', cancelTo),
      ];
    case 'ON_THE_WAY':
      return [
        agent(NextStepKind.CONFIRM_DELIVERY, 'confirmDelivery', RequestStatus.DELIVERED),
        agent(NextStepKind.FAIL_DELIVERY, 'failDelivery', RequestStatus.READY),
        coordinator(NextStepKind.RESEND_DELIVERY_CODE, 'resendDeliveryCode', null),
        coordinator(NextStepKind.CANCEL_DELIVERY, 'cancelDelivery', cancelTo),
      ];
    case 'LOCKED':
      return [
        coordinator(NextStepKind.RESEND_DELIVERY_CODE, 'resendDeliveryCode', null),
        agent(NextStepKind.FAIL_DELIVERY, 'failDelivery', cancelTo),
        coordinator(NextStepKind.CANCEL_DELIVERY, 'cancelDelivery', cancelTo),
      ];
    default:
      return [];
  }
}

/**
 * Every step the workflow allows a request from where it stands — its own actions and the
 * operations that take Duare's (SYSTEM) steps — with whether this caller may take each.
 * `availableActions` stays the caller's own `transitionRequest` actions.
 */
export function nextSteps(ctx: NextStepsContext, actor: Actor): NextStep[] {
  const steps = [
    ...workflowSteps(ctx, actor),
    ...certificateSteps(ctx, actor),
    ...deliverySteps(ctx, actor),
  ];
  // An office hand-over while a delivery is under way would leave the delivery dangling.
  return ctx.delivery ? steps.filter((s) => s.step !== NextStepKind.HAND_OVER) : steps;
}

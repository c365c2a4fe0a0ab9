import { Actor } from '../common/access/actor';
import { AuditActorType } from './entities/audit-entry.entity';

/** Who is recorded as having made a change. */
export interface AuditActorRef {
  type: AuditActorType;
  id: string | null;
  label: string | null;
  requestId: string | null;
}

export function auditActorOf(actor: Actor): AuditActorRef {
  return actor.type === 'STAFF'
    ? {
        type: AuditActorType.STAFF,
        id: actor.id,
        // People are named as colleagues and residents know them, not by their login.
        label: actor.displayName,
        requestId: actor.requestId,
      }
    : {
        type: AuditActorType.API_CLIENT,
        id: actor.id,
        label: actor.name,
        requestId: actor.requestId,
      };
}

/** Duare itself (start-up, demo data, background jobs). */
export function systemActor(requestId: string, label = 'system'): AuditActorRef {
  return { type: AuditActorType.SYSTEM, id: null, label, requestId };
}

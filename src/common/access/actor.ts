import { Permission } from './permission';
import { ROLE_PERMISSIONS, StaffRole } from './staff-role';

export interface RoleGrant {
  role: StaffRole;
  /** Null for municipality-wide roles. */
  wardId: string | null;
}

interface ActorBase {
  municipalityId: string;
  /** The request (or job) that acts; recorded in the audit trail. */
  requestId: string;
}

export interface StaffActor extends ActorBase {
  type: 'STAFF';
  id: string;
  username: string;
  /** The name people are shown (timelines, audit, certificates): never the login. */
  displayName: string;
  sessionId: string;
  grants: RoleGrant[];
}

export interface ApiClientActor extends ActorBase {
  type: 'API_CLIENT';
  id: string;
  name: string;
  scopes: Permission[];
  /** Empty: every ward of the municipality. */
  wardIds: string[];
}

export type Actor = StaffActor | ApiClientActor;

/** Where a permission holds: every ward of the actor's municipality, or some wards. */
export type Reach = { allWards: true } | { allWards: false; wardIds: Set<string> };

export function reachOf(actor: Actor, permission: Permission): Reach | null {
  if (actor.type === 'API_CLIENT') {
    if (!actor.scopes.includes(permission)) return null;
    return actor.wardIds.length === 0
      ? { allWards: true }
      : { allWards: false, wardIds: new Set(actor.wardIds) };
  }
  const granting = actor.grants.filter((g) => ROLE_PERMISSIONS[g.role].includes(permission));
  if (granting.length === 0) return null;
  if (granting.some((g) => g.wardId === null)) return { allWards: true };
  return { allWards: false, wardIds: new Set(granting.map((g) => g.wardId as string)) };
}

/** Every ward the actor has any business in (its visibility, whatever the permission). */
export function visibleReach(actor: Actor): Reach {
  if (actor.type === 'API_CLIENT') {
    return actor.wardIds.length === 0
      ? { allWards: true }
      : { allWards: false, wardIds: new Set(actor.wardIds) };
  }
  if (actor.grants.some((g) => g.wardId === null)) return { allWards: true };
  return { allWards: false, wardIds: new Set(actor.grants.map((g) => g.wardId as string)) };
}

export function reaches(reach: Reach | null, wardId: string): boolean {
  return reach !== null && (reach.allWards || reach.wardIds.has(wardId));
}

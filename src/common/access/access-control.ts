import { AppError, NotFoundError } from '../errors/app.error';
import { ErrorCode } from '../errors/error-code';
import { Actor, reachOf, reaches, visibleReach } from './actor';
import { Permission } from './permission';

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this') {
    super(ErrorCode.FORBIDDEN, message);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in, or send a valid API key') {
    super(ErrorCode.UNAUTHENTICATED, message);
  }
}

/** Where a resource lives. `wardId` is absent for municipality-level resources. */
export interface ResourceScope {
  municipalityId: string;
  wardId?: string | null;
}

/**
 * The one place that decides access to a resource. Outside the actor's municipality or
 * wards the resource does not exist for them (NOT_FOUND, no existence leak); inside, a
 * missing permission is FORBIDDEN.
 */
export function assertAccess(
  actor: Actor,
  resource: ResourceScope,
  permission: Permission,
  entityName: string,
): void {
  if (resource.municipalityId !== actor.municipalityId) throw new NotFoundError(entityName);
  const wardId = resource.wardId;
  if (wardId && !reaches(visibleReach(actor), wardId)) throw new NotFoundError(entityName);
  const reach = reachOf(actor, permission);
  if (!reach || (wardId && !reaches(reach, wardId))) throw new ForbiddenError();
}

/** For lists: the wards whose rows the actor may read with this permission. */
export function readableWards(actor: Actor, permission: Permission): 'ALL' | string[] {
  const reach = reachOf(actor, permission);
  if (!reach) throw new ForbiddenError();
  return reach.allWards ? 'ALL' : [...reach.wardIds];
}

/** The same decision as {@link assertAccess}, as a yes or no. */
export function canAccess(actor: Actor, resource: ResourceScope, permission: Permission): boolean {
  try {
    assertAccess(actor, resource, permission, 'Resource');
    return true;
  } catch {
    return false;
  }
}

import { assertAccess } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { Permission } from '../common/access/permission';
import { NotFoundError } from '../common/errors/app.error';
import { assertUuid } from '../common/graphql/uuid';
import type { Ward } from '../wards/entities/ward.entity';
import { WardsService } from '../wards/wards.service';

/** A ward of the caller's municipality they may read with `permission`; NOT_FOUND otherwise. */
export async function visibleWard(
  wards: WardsService,
  actor: Actor,
  wardId: string,
  permission: Permission,
): Promise<Ward> {
  const ward = await wards.findInMunicipality(actor.municipalityId, assertUuid(wardId, 'wardId'));
  if (!ward) throw new NotFoundError('Ward');
  assertAccess(actor, { municipalityId: ward.municipalityId, wardId: ward.id }, permission, 'Ward');
  return ward;
}

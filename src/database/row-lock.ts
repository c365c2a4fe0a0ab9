import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { ConflictError, NotFoundError } from '../common/errors/app.error';

/** Column values to set, or SQL expressions such as `() => 'now()'`. */
export type Changes<T> = { [K in keyof T]?: T[K] | (() => string) };

/** Reads a row `FOR UPDATE` in the caller's transaction; NOT_FOUND when it is missing. */
export async function lockRow<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  id: string,
  entityName: string,
): Promise<T> {
  const row = await manager
    .createQueryBuilder(entity, 'row')
    .setLock('pessimistic_write')
    .where('row.id = :id', { id })
    .getOne();
  if (!row) throw new NotFoundError(entityName);
  return row;
}

/**
 * Applies changes only if the row still has the version the caller read, so two people
 * editing at once cannot silently overwrite each other; the loser gets CONFLICT.
 */
export async function updateAtVersion<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  id: string,
  version: number,
  changes: Changes<T>,
  entityName: string,
): Promise<T> {
  const result = await manager
    .createQueryBuilder()
    .update(entity)
    .set({ ...changes, version: () => 'version + 1', updatedAt: () => 'now()' } as never)
    .where('id = :id AND version = :version', { id, version })
    .execute();
  if (result.affected !== 1) {
    throw new ConflictError(
      `The ${entityName.toLowerCase()} changed since it was read; read it again`,
      'version',
    );
  }
  return manager.findOneByOrFail(entity, { id } as never);
}

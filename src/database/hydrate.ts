import { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { EntityRows } from '../common/sql/entity-rows';

const MAPPERS = new WeakMap<EntityMetadata, EntityRows<ObjectLiteral>>();

/** The entity's `EntityRows` mapper (its select list and row conversion), made once. */
export function entityRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
): EntityRows<T> {
  const metadata = manager.connection.getMetadata(target);
  let mapper = MAPPERS.get(metadata);
  if (!mapper) {
    mapper = new EntityRows<ObjectLiteral>(
      manager.connection,
      target as EntityTarget<ObjectLiteral>,
    );
    MAPPERS.set(metadata, mapper);
  }
  return mapper as EntityRows<T>;
}

/**
 * An entity from a row a plain statement returned (`RETURNING *`, a plain SELECT of its
 * columns), converted as TypeORM converts the rows it reads.
 */
export function hydrate<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  row: Record<string, unknown>,
): T {
  return entityRows(manager, target).hydrate(row);
}

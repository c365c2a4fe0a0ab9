import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * An entity from a row a plain statement returned (`RETURNING *`, say), converted as TypeORM
 * converts the rows it reads: for the statements TypeORM cannot write, such as an upsert
 * that locks and returns the row in one round trip.
 */
export function hydrate<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  row: Record<string, unknown>,
): T {
  const metadata = manager.connection.getMetadata(target);
  const entity = metadata.create() as T;
  for (const column of metadata.columns) {
    if (!(column.databaseName in row)) continue;
    const value = manager.connection.driver.prepareHydratedValue(row[column.databaseName], column);
    column.setEntityValue(entity, value);
  }
  return entity;
}

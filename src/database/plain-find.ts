import { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { hydrate } from './hydrate';

/** An entity's own columns, read by one plain SELECT, and how to make the entity from a row. */
interface PlainShape {
  table: string;
  /** The columns' list, converted by `hydrate` as TypeORM converts what it reads. */
  select: string;
  /** WHERE clauses already built, by the properties they compare (in the caller's order). */
  where: Map<string, string>;
}

const SHAPES = new WeakMap<EntityMetadata, PlainShape>();

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

function shapeOf(metadata: EntityMetadata): PlainShape {
  let shape = SHAPES.get(metadata);
  if (!shape) {
    // The entity's own columns: a relation's join column that is also a declared column
    // (`wardId` beside `ward`) is one column; a relation without its own property is left out,
    // as TypeORM leaves the relation unloaded.
    // Soft deletion would need its condition; no entity read this way has it.
    if (metadata.deleteDateColumn) throw new Error(`${metadata.name} is soft-deleted: use TypeORM`);
    const seen = new Set<string>();
    const columns = metadata.columns.filter((column) => {
      if (
        column.isVirtual ||
        !column.isSelect ||
        column.embeddedMetadata ||
        seen.has(column.databaseName)
      )
        return false;
      if (column.relationMetadata && column.propertyName === column.relationMetadata.propertyName)
        return false;
      seen.add(column.databaseName);
      return true;
    });
    const table = metadata.schema
      ? `${quoted(metadata.schema)}.${quoted(metadata.tableName)}`
      : quoted(metadata.tableName);
    shape = {
      table,
      select: columns.map((column) => quoted(column.databaseName)).join(', '),
      where: new Map(),
    };
    SHAPES.set(metadata, shape);
  }
  return shape;
}

function whereOf(metadata: EntityMetadata, shape: PlainShape, properties: string[]): string {
  const key = properties.join(',');
  let where = shape.where.get(key);
  if (!where) {
    where = properties
      .map((property, index) => {
        const column = metadata.findColumnWithPropertyName(property);
        if (!column) throw new Error(`${metadata.name} has no column ${property}`);
        return `${quoted(column.databaseName)} = $${index + 1}`;
      })
      .join(' AND ');
    shape.where.set(key, where);
  }
  return where;
}

/**
 * `findOneBy` for a hot read path without TypeORM's query building and result mapping (the
 * largest single CPU cost of the small lookups: bench/README.md, "Profile of the slowest
 * scenario"): one plain SELECT of the entity's own columns where each given property equals
 * its value, sent through the manager (so in the caller's transaction, and counted and logged
 * like any other statement), each value converted by the driver exactly as TypeORM converts
 * it (dates, enums, JSON: `hydrate`). Equality on non-null values only; `null` when no row matches.
 */
export async function findOnePlain<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  where: Partial<Record<keyof T & string, string | number>>,
): Promise<T | null> {
  const metadata = manager.connection.getMetadata(target);
  const shape = shapeOf(metadata);
  const properties = Object.keys(where);
  const rows = (await manager.query(
    `SELECT ${shape.select} FROM ${shape.table} WHERE ${whereOf(metadata, shape, properties)} LIMIT 1`,
    properties.map((property) => where[property as keyof T & string]),
  )) as Array<Record<string, unknown>>;
  return rows.length === 0 ? null : hydrate(manager, target, rows[0]);
}

/**
 * `findBy({ [property]: In(values) })` the same way (a DataLoader's batch): every row whose
 * column is one of the values, in no particular order.
 */
export async function findManyPlain<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  property: keyof T & string,
  values: readonly (string | number)[],
): Promise<T[]> {
  if (values.length === 0) return [];
  const metadata = manager.connection.getMetadata(target);
  const shape = shapeOf(metadata);
  const column = metadata.findColumnWithPropertyName(property);
  if (!column) throw new Error(`${metadata.name} has no column ${property}`);
  const rows = (await manager.query(
    `SELECT ${shape.select} FROM ${shape.table} WHERE ${quoted(column.databaseName)} = ANY($1)`,
    [values],
  )) as Array<Record<string, unknown>>;
  return rows.map((row) => hydrate(manager, target, row));
}

/**
 * `save` of a new entity whose id the caller made, without the SELECT `save` first sends to
 * learn whether the id exists: one INSERT, whose RETURNING fills in the database's defaults
 * (status, version, …); then, as `save` does, every nullable column left unset reads null.
 */
export async function insertNew<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  entity: T,
): Promise<T> {
  await manager.insert(target, entity as never);
  for (const column of manager.connection.getMetadata(target).columns) {
    if (column.isVirtual || !column.isNullable) continue;
    if (column.getEntityValue(entity) === undefined) column.setEntityValue(entity, null);
  }
  return entity;
}

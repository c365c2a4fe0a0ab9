import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Turns plain `pg` rows into entities of one class without TypeORM's result transformer
 * (which, on the queue page's hot path, cost more CPU than the rows' own parsing): each
 * column's value still goes through the driver's `prepareHydratedValue` (dates, JSON,
 * transformers), so an entity read here equals one read by a repository. Flat entities
 * only (no embedded columns); relations are not loaded.
 */
export class EntityRows<T extends ObjectLiteral> {
  private readonly columns: ColumnMetadata[];
  private readonly create: () => T;
  /** The table's name, quoted. */
  readonly table: string;

  constructor(
    private readonly dataSource: DataSource,
    target: EntityTarget<T>,
  ) {
    const metadata = dataSource.getMetadata(target);
    if (metadata.embeddeds.length > 0) {
      throw new Error(`${metadata.name} has embedded columns: EntityRows reads flat entities`);
    }
    const relations = new Set(metadata.relations.map((relation) => relation.propertyName));
    this.columns = metadata.columns.filter(
      (column) => column.isSelect && !relations.has(column.propertyName),
    );
    this.create = () => metadata.create() as T;
    this.table = `"${metadata.tableName}"`;
  }

  /** The select list for `alias`, each column named `<prefix><column>` (TypeORM's habit). */
  select(alias: string, prefix = ''): string {
    return this.columns
      .map((column) => `"${alias}"."${column.databaseName}" AS "${prefix}${column.databaseName}"`)
      .join(', ');
  }

  /** The entity in a row read with `select(alias, prefix)`. */
  hydrate(row: Record<string, unknown>, prefix = ''): T {
    const entity = this.create() as Record<string, unknown>;
    const driver = this.dataSource.driver;
    for (const column of this.columns) {
      entity[column.propertyName] = driver.prepareHydratedValue(
        row[prefix + column.databaseName],
        column,
      );
    }
    return entity as T;
  }
}

import { DataSource, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { EntityMetadata } from 'typeorm/metadata/EntityMetadata';

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
  private readonly target: EntityMetadata['target'];
  /** Per prefix: each column's key in the row, its property, and whether the driver converts it. */
  private readonly plans = new Map<
    string,
    Array<{ key: string; property: string; conversion: Conversion; column: ColumnMetadata }>
  >();
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
    this.target = metadata.target;
  }

  /**
   * Left-joins this entity into another module's list statement, its columns named
   * `<alias>_<column>`, so that a page of rows needs no batch of its own for it; read each
   * row's entity with `joined`.
   */
  leftJoin<Q extends ObjectLiteral>(
    query: SelectQueryBuilder<Q>,
    alias: string,
    condition: string,
  ): void {
    query.leftJoin(this.target, alias, condition).addSelect(alias);
  }

  /** The entity `leftJoin` put into a row under `alias` (null when the row had none). */
  joined(row: Record<string, unknown>, alias: string): T | null {
    return row[`${alias}_id`] == null ? null : this.hydrate(row, `${alias}_`);
  }

  /** The select list for `alias`, each column named `<prefix><column>` (TypeORM's habit). */
  select(alias: string, prefix = ''): string {
    return this.columns
      .map((column) => `"${alias}"."${column.databaseName}" AS "${prefix}${column.databaseName}"`)
      .join(', ');
  }

  /** The entity in a row read with `select(alias, prefix)`. */
  hydrate(row: Record<string, unknown>, prefix = ''): T {
    let plan = this.plans.get(prefix);
    if (!plan) {
      plan = this.columns.map((column) => ({
        key: prefix + column.databaseName,
        property: column.propertyName,
        conversion: conversionOf(column),
        column,
      }));
      this.plans.set(prefix, plan);
    }
    const entity = this.create() as Record<string, unknown>;
    const driver = this.dataSource.driver;
    for (const { key, property, conversion, column } of plan) {
      const value = row[key];
      // What the driver's prepareHydratedValue would do, without its chain of type tests for
      // the common columns (a fifth of the queue page's hydration, issue 25).
      if (conversion === 'plain') entity[property] = value;
      else if (conversion === 'date')
        entity[property] = typeof value === 'string' ? new Date(value) : value;
      else entity[property] = driver.prepareHydratedValue(value, column);
    }
    return entity as T;
  }
}

/**
 * How a column's `pg` value becomes the entity's: unchanged, a timestamp string made a Date
 * (`pg` already gives Dates; the driver only converts strings), or by the driver.
 */
type Conversion = 'plain' | 'date' | 'driver';

const DATE_TYPES = new Set<unknown>([
  Date,
  'datetime',
  'timestamp',
  'timestamptz',
  'timestamp with time zone',
  'timestamp without time zone',
]);

/** Mirrors PostgresDriver.prepareHydratedValue for the types it leaves alone or only dates. */
function conversionOf(column: ColumnMetadata): Conversion {
  if (column.transformer) return 'driver';
  if (PLAIN_TYPES.has(String(column.type))) return 'plain';
  // Booleans: `pg` gives true/false, which the driver keeps.
  if (column.type === Boolean || column.type === 'boolean' || column.type === 'bool')
    return 'plain';
  if (DATE_TYPES.has(column.type)) return 'date';
  // An enum of strings: the driver only turns numeric values of numeric enums into numbers.
  const stringEnum =
    (column.type === 'enum' || column.type === 'simple-enum') &&
    !column.isArray &&
    (column.enum ?? []).every((value) => typeof value === 'string');
  return stringEnum ? 'plain' : 'driver';
}

/** Column types whose `pg` value TypeORM's driver hands over unchanged. */
const PLAIN_TYPES = new Set([
  'uuid',
  'varchar',
  'character varying',
  'text',
  'char',
  'character',
  'int',
  'integer',
  'int4',
  'smallint',
  'int2',
  'json',
  'jsonb',
]);

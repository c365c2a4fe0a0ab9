import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { z } from 'zod';
import { ConnectionShape } from './connection.type';
import { decodeCursor } from './cursor';
import { pageSize, toConnection } from './page-window';

const timestampCursor = z.tuple([z.string().max(40), z.uuid()]);

/**
 * A keyset page, newest first, of a filtered query by a timestamp column and the id. The
 * timestamp is read as PostgreSQL prints it, exact to the microsecond (a JS Date is not),
 * so rows that share a millisecond page correctly.
 */
export async function pageByNewest<T extends ObjectLiteral & { id: string }>(
  query: SelectQueryBuilder<T>,
  alias: string,
  column: string,
  first?: number | null,
  after?: string | null,
): Promise<ConnectionShape<T>> {
  const size = pageSize(first);
  const totalCount = await query.clone().getCount();
  const sorted = `${alias}.${column}`;
  if (after) {
    const [at, id] = decodeCursor(after, timestampCursor);
    query.andWhere(`(${sorted}, ${alias}.id) < (CAST(:afterAt AS timestamptz), :afterId)`, {
      afterAt: at,
      afterId: id,
    });
  }
  const { entities, raw } = await query
    .addSelect(`${sorted}::text`, 'sort_value')
    .orderBy(sorted, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .limit(size + 1)
    .getRawAndEntities();
  const sortValues = new Map(
    raw.map((row) => [row[`${alias}_id`] as string, row.sort_value as string]),
  );
  return toConnection(
    entities,
    size,
    (row) => [sortValues.get(row.id) ?? '', row.id],
    totalCount,
    Boolean(after),
  );
}

import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { z } from 'zod';
import { ConnectionShape } from './connection.type';
import { decodeCursor } from './cursor';
import { pageSize, toConnection } from './page-window';

const textKeyCursor = z.tuple([z.string().max(200)]);

/**
 * A keyset page of a filtered query ordered by one unique text column (a code, a
 * username): the shape most small lists share.
 */
export async function pageByUniqueText<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  column: string,
  keyOf: (row: T) => string,
  first?: number | null,
  after?: string | null,
): Promise<ConnectionShape<T>> {
  const size = pageSize(first);
  const totalCount = await query.clone().getCount();
  if (after)
    query.andWhere(`${column} > :afterKey`, { afterKey: decodeCursor(after, textKeyCursor)[0] });
  const rows = await query
    .orderBy(column)
    .limit(size + 1)
    .getMany();
  return toConnection(rows, size, (row) => [keyOf(row)], totalCount, Boolean(after));
}

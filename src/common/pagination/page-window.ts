import { BadUserInputError } from '../errors/app.error';
import { ConnectionShape } from './connection.type';
import { encodeCursor } from './cursor';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `first` as asked, defaulted and capped; negative is the caller's mistake. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (first < 0) throw new BadUserInputError('`first` must not be negative', 'first');
  return Math.min(first, MAX_PAGE_SIZE);
}

/**
 * Turns `size + 1` rows fetched in keyset order into a connection: the extra row only
 * tells that another page exists.
 */
export function toConnection<T>(
  rows: T[],
  size: number,
  sortKey: (row: T) => readonly unknown[],
  totalCount: number,
  afterGiven: boolean,
): ConnectionShape<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(sortKey(node)) }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: rows.length > size,
      hasPreviousPage: afterGiven,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

function compareKeys(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const [x, y] = [a[i] as string | number, b[i] as string | number];
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return a.length - b.length;
}

/**
 * The same keyset page as the SQL lists, over rows already loaded in sort-key order
 * (small nested lists served by a DataLoader).
 */
export function pageOfLoaded<T>(
  sortedRows: T[],
  size: number,
  sortKey: (row: T) => readonly unknown[],
  afterKey: readonly unknown[] | null,
): ConnectionShape<T> {
  const start = afterKey
    ? sortedRows.findIndex((row) => compareKeys(sortKey(row), afterKey) > 0)
    : 0;
  const rest = start < 0 ? [] : sortedRows.slice(start, start + size + 1);
  return toConnection(rest, size, sortKey, sortedRows.length, afterKey !== null);
}

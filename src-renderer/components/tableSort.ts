/** Sorting a data table by one column, shared by the pages' sortable tables. */

export type SortDirection = 1 | -1;
export interface SortState<K extends string> {
  key: K;
  dir: SortDirection;
}

/** A click (or Enter/Space) on a header: the same column flips its direction, another starts ascending. */
export function nextSort<K extends string>(s: SortState<K>, key: K): SortState<K> {
  return { key, dir: s.key === key ? ((-s.dir) as SortDirection) : 1 };
}

/** The header's `aria-sort`: screen readers announce the sorted column and its direction from it. */
export function ariaSort<K extends string>(s: SortState<K>, key: K): 'ascending' | 'descending' | 'none' {
  return s.key !== key ? 'none' : s.dir === 1 ? 'ascending' : 'descending';
}

/** Ascending order of two cells; missing values (null) go last in either direction, as a person expects. */
export function compareCells(x: string | number | null, y: string | number | null, dir: SortDirection): number {
  if (x === null && y === null) return 0;
  if (x === null) return 1;
  if (y === null) return -1;
  const c = typeof x === 'string' || typeof y === 'string' ? String(x).localeCompare(String(y), 'en', { numeric: true }) : x - y;
  return dir * c;
}

/** The rows in the order of `s`, reading each row's cell with `cell`; equal cells keep their order. */
export function sortRows<T, K extends string>(rows: readonly T[], s: SortState<K>, cell: (row: T, key: K) => string | number | null): T[] {
  return [...rows].sort((a, b) => compareCells(cell(a, s.key), cell(b, s.key), s.dir));
}

import { ariaSort, nextSort, type SortState } from './tableSort.js';

/**
 * A column header that sorts its table: a real button inside the `th`, so Tab reaches it and
 * Enter or Space sorts, with `aria-sort` on the header for screen readers and the arrow hidden
 * from them (the attribute already says it).
 */
export function SortableHeader<K extends string>(props: { label: string; sortKey: K; sort: SortState<K>; onSort: (s: SortState<K>) => void; numeric?: boolean; title?: string }) {
  const { label, sortKey, sort, onSort, numeric, title } = props;
  const active = sort.key === sortKey;
  return (
    <th scope="col" className={numeric ? 'num' : undefined} aria-sort={ariaSort(sort, sortKey)}>
      <button type="button" className="th-button" title={title ?? `Sort by ${label}`} onClick={() => onSort(nextSort(sort, sortKey))}>
        {label}
        <span aria-hidden="true" className="sort-arrow">
          {active ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
        </span>
      </button>
    </th>
  );
}

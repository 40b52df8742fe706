import { useMemo, useState } from 'react';
import type { DatasetSummary } from '../../src-shared/contract/datasets.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { EmptyState } from '../components/layout/EmptyState.js';
import { formatBytes, formatInt, formatUtc } from '../format.js';
import { datasetsSelectors, useDatasetsStore } from '../stores/datasetsStore.js';

type SortKey = 'symbol' | 'timeframeMs' | 'rows' | 'firstTs' | 'lastTs' | 'healthScore' | 'bytes';
const COLUMNS: { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: 'symbol', label: 'Symbol' },
  { key: 'timeframeMs', label: 'Timeframe' },
  { key: 'rows', label: 'Rows', numeric: true },
  { key: 'firstTs', label: 'From (UTC)' },
  { key: 'lastTs', label: 'To (UTC)' },
  { key: 'healthScore', label: 'Health', numeric: true },
  { key: 'bytes', label: 'Size', numeric: true },
];

function compare(a: DatasetSummary, b: DatasetSummary, key: SortKey): number {
  const x = a[key];
  const y = b[key];
  if (x === null) return 1;
  if (y === null) return -1;
  return typeof x === 'string' ? x.localeCompare(String(y)) : x - (y as number);
}

export function DatasetsPage() {
  const datasets = useDatasetsStore((s) => s.datasets);
  const isEmpty = useDatasetsStore(datasetsSelectors.isEmpty);
  const error = useDatasetsStore((s) => s.error);
  const remove = useDatasetsStore((s) => s.remove);
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'symbol', dir: 1 });
  const [confirm, setConfirm] = useState<DatasetSummary | null>(null);

  const rows = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return datasets
      .filter((d) => !f || d.symbol.toLowerCase().includes(f) || d.timeframe.includes(f))
      .sort((a, b) => sort.dir * compare(a, b, sort.key));
  }, [datasets, filter, sort]);

  return (
    <div className="page datasets-page">
      <h1>Datasets</h1>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {isEmpty ? (
        <EmptyState title="No datasets yet">
          <p>Drag OHLCV CSV files or whole folders onto this window to import them, or import from the command line:</p>
          <pre>candela import ~/Downloads/klines/</pre>
        </EmptyState>
      ) : (
        <>
          <div className="toolbar">
            <input type="search" placeholder="Filter by symbol or timeframe" aria-label="Filter datasets" value={filter} onChange={(e) => setFilter(e.target.value)} />
            <span className="muted">{rows.length} of {datasets.length}</span>
          </div>
          <table className="data-table" aria-label="Datasets">
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th key={c.key} className={c.numeric ? 'num' : undefined} aria-sort={sort.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
                    <button className="th-button" onClick={() => setSort((s) => ({ key: c.key, dir: s.key === c.key ? ((-s.dir) as 1 | -1) : 1 }))}>
                      {c.label}
                      {sort.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
                    </button>
                  </th>
                ))}
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id} data-testid="dataset-row">
                  <td>{d.symbol}</td>
                  <td>{d.timeframe}</td>
                  <td className="num">{formatInt(d.rows)}</td>
                  <td>{formatUtc(d.firstTs)}</td>
                  <td>{formatUtc(d.lastTs)}</td>
                  <td className={`num health-${d.healthVerdict ?? 'none'}`}>{d.healthScore === null ? '—' : `${Math.round(d.healthScore)} ${d.healthVerdict}`}</td>
                  <td className="num">{formatBytes(d.bytes)}</td>
                  <td>
                    <button className="link danger" onClick={() => setConfirm(d)} aria-label={`Delete ${d.symbol} ${d.timeframe}`}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {confirm ? (
        <ConfirmDialog
          title={`Delete ${confirm.symbol} ${confirm.timeframe}?`}
          body={`This removes its ${formatInt(confirm.rows)} candles, rollups and health report from the workspace. The source files on disk are not touched.`}
          confirmLabel="Delete dataset"
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            const id = confirm.id;
            setConfirm(null);
            void remove(id);
          }}
        />
      ) : null}
    </div>
  );
}

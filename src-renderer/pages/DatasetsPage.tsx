import { useEffect, useMemo, useRef, useState } from 'react';
import type { DatasetSummary } from '../../src-shared/contract/datasets.js';
import { CandleChart } from '../components/charts/CandleChart.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ImportPreviewDialog } from '../components/import/ImportPreviewDialog.js';
import { ImportStatus } from '../components/import/ImportStatus.js';
import { HealthPanel } from '../components/HealthPanel.js';
import { RenameDatasetDialog } from '../components/RenameDatasetDialog.js';
import { saveDownload } from '../api/download.js';
import { importSelectors } from '../stores/importStore.js';
import { useDatasetsStore, useImportStore, useStores } from '../stores/stores.js';
import { EmptyState } from '../components/layout/EmptyState.js';
import { formatBytes, formatInt, formatUtc } from '../format.js';
import { datasetsSelectors } from '../stores/datasetsStore.js';
import { SortableHeader } from '../components/SortableHeader.js';
import { sortRows, type SortState } from '../components/tableSort.js';

type SortKey = 'id' | 'symbol' | 'kind' | 'venue' | 'timeframeMs' | 'rows' | 'firstTs' | 'lastTs' | 'healthScore' | 'bytes';
const COLUMNS: { key: SortKey; label: string; numeric?: boolean; title?: string }[] = [
  { key: 'id', label: 'ID', numeric: true, title: 'Sort by id: the number candela candles <id>, health <id> and train --datasets take' },
  { key: 'symbol', label: 'Symbol' },
  { key: 'kind', label: 'Contract' },
  { key: 'venue', label: 'Venue' },
  { key: 'timeframeMs', label: 'Timeframe' },
  { key: 'rows', label: 'Rows', numeric: true },
  { key: 'firstTs', label: 'From (UTC)' },
  { key: 'lastTs', label: 'To (UTC)' },
  { key: 'healthScore', label: 'Health', numeric: true },
  { key: 'bytes', label: 'Size', numeric: true },
];

/** `perpetual`, `future 2024-06-28`. */
const kindLabel = (d: DatasetSummary) => (d.kind === 'future' && d.expiry !== null ? `future ${new Date(d.expiry).toISOString().slice(0, 10)}` : d.kind);

/** Copies a dataset's id for the command line; says it did (or why not) where a screen reader hears it. */
function CopyIdButton({ d }: { d: DatasetSummary }) {
  const [said, setSaid] = useState<string | null>(null);
  useEffect(() => {
    if (!said) return;
    const t = setTimeout(() => setSaid(null), 2000);
    return () => clearTimeout(t);
  }, [said]);
  return (
    <>
      <button
        type="button"
        className="link copy-id"
        aria-label={`Copy id ${d.id} of ${d.symbol} ${d.timeframe}`}
        title="Copy the id (the CLI takes it: candela candles <id>)"
        onClick={(e) => {
          e.stopPropagation();
          // the clipboard API exists only in secure contexts (Electron, localhost); elsewhere it is undefined
          const write = navigator.clipboard?.writeText(String(d.id));
          if (!write) return setSaid('Copy is not available here: select the number instead.');
          write.then(
            () => setSaid(`Copied ${d.id}`),
            () => setSaid('Copy was refused: select the number instead.'),
          );
        }}
      >
        {said?.startsWith('Copied') ? 'copied' : 'copy'}
      </button>
      <span className="sr-only" role="status">
        {said ?? ''}
      </span>
    </>
  );
}

export function DatasetsPage() {
  const datasets = useDatasetsStore((s) => s.datasets);
  const isEmpty = useDatasetsStore(datasetsSelectors.isEmpty);
  const error = useDatasetsStore((s) => s.error);
  const remove = useDatasetsStore((s) => s.remove);
  const exporting = useDatasetsStore((s) => s.exportStatus);
  const imports = useStores().imports;
  const datasetsStore = useStores().datasets;
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<SortState<SortKey>>({ key: 'symbol', dir: 1 });
  const [confirm, setConfirm] = useState<DatasetSummary | null>(null);
  const [renaming, setRenaming] = useState<DatasetSummary | null>(null);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const busy = useImportStore(importSelectors.busy);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const selected = datasets.find((d) => d.id === selectedId) ?? null;
  const exportCsv = (d: DatasetSummary) => {
    void datasetsStore.getState().exportCsv(d).then((csv) => csv && saveDownload(csv.fileName, csv.parts, 'text/csv'));
  };

  const rows = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const shown = datasets.filter((d) => !f || String(d.id) === f || d.symbol.toLowerCase().includes(f) || d.timeframe.includes(f) || d.kind.includes(f) || (d.venue ?? '').includes(f));
    return sortRows(shown, sort, (d, key) => d[key]);
  }, [datasets, filter, sort]);

  // The chart sits above the table: bring it into view when a row far down the list opens it.
  const chartAnchor = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (selectedId !== null) chartAnchor.current?.scrollIntoView?.({ block: 'nearest' });
  }, [selectedId]);

  return (
    <div className="page datasets-page">
      <div className="page-header">
        <h1>Datasets</h1>
        <div className="actions">
          <button onClick={() => fileInput.current?.click()} disabled={busy}>Import files…</button>
          <button onClick={() => folderInput.current?.click()} disabled={busy}>Import folder…</button>
          <button onClick={() => void imports.getState().generateDemo()} disabled={busy}>Generate demo data</button>
        </div>
        <input ref={fileInput} type="file" multiple hidden accept=".csv,.tsv,.txt,.json,.gz" data-testid="file-input" onChange={(e) => { void imports.getState().importFileList(Array.from(e.target.files ?? [])); e.target.value = ''; }} />
        <input ref={folderInput} type="file" multiple hidden {...{ webkitdirectory: '' }} onChange={(e) => { void imports.getState().importFileList(Array.from(e.target.files ?? []).filter((f) => /\.(csv|tsv|txt|json)(\.gz)?$/i.test(f.name))); e.target.value = ''; }} />
      </div>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <ImportStatus />
      <ImportPreviewDialog />
      {isEmpty ? (
        <EmptyState
          title="No datasets yet"
          action={
            <button className="primary" onClick={() => void imports.getState().generateDemo()} disabled={busy}>
              Generate a demo workspace
            </button>
          }
        >
          <p>Drag OHLCV CSV files or whole folders onto this window to import them — Binance, CryptoDataDownload, TradingView, Yahoo, MetaTrader, freqtrade JSON or any headered CSV. Or import from the command line:</p>
          <pre>candela import ~/Downloads/klines/</pre>
          <p>No data at hand? Generate a demo market of four correlated symbols with a planted signal, to try training and backtests right away.</p>
        </EmptyState>
      ) : (
        <>
          <div ref={chartAnchor}>{selected ? <CandleChart key={selected.id} dataset={selected} onClose={() => setSelectedId(null)} /> : null}</div>
          <div className="toolbar">
            <input type="search" className="dataset-filter" placeholder="Filter: symbol, contract, venue, timeframe, id" aria-label="Filter datasets" value={filter} onChange={(e) => setFilter(e.target.value)} />
            <span className="muted">
              {rows.length} of {datasets.length} · Enter or click charts a row · F2 renames · the ID is what <code>candela candles &lt;id&gt;</code> takes
            </span>
          </div>
          <div className="table-wide" tabIndex={0} role="region" aria-label="Datasets table">
          <table className="data-table" aria-label="Datasets">
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <SortableHeader key={c.key} label={c.label} sortKey={c.key} sort={sort} onSort={setSort} numeric={c.numeric} title={c.title} />
                ))}
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr
                  key={d.id}
                  data-testid="dataset-row"
                  className={d.id === selectedId ? 'selected' : undefined}
                  tabIndex={0}
                  aria-selected={d.id === selectedId}
                  onClick={() => setSelectedId(d.id)}
                  onKeyDown={(e) => {
                    // keys on the row's own buttons (copy, rename …) are theirs
                    if (e.target !== e.currentTarget) return;
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      setSelectedId(d.id);
                    } else if (e.key === 'Delete') setConfirm(d);
                    else if (e.key === 'F2') {
                      e.preventDefault();
                      setRenaming(d);
                    }
                    else if (e.key === 'ArrowDown') (e.currentTarget.nextElementSibling as HTMLElement | null)?.focus();
                    else if (e.key === 'ArrowUp') (e.currentTarget.previousElementSibling as HTMLElement | null)?.focus();
                  }}
                >
                  <td className="num dataset-id">
                    <span data-testid="dataset-id">{d.id}</span> <CopyIdButton d={d} />
                  </td>
                  <td>{d.symbol}</td>
                  <td>{kindLabel(d)}</td>
                  <td>{d.venue ?? '—'}</td>
                  <td>{d.timeframe}</td>
                  <td className="num">{formatInt(d.rows)}</td>
                  <td>{formatUtc(d.firstTs)}</td>
                  <td>{formatUtc(d.lastTs)}</td>
                  <td className={`num health-${d.healthVerdict ?? 'none'}`}>{d.healthScore === null ? '—' : `${Math.round(d.healthScore)} ${d.healthVerdict}`}</td>
                  <td className="num">{formatBytes(d.bytes)}</td>
                  <td className="row-actions">
                    <button className="link" onClick={(e) => { e.stopPropagation(); setRenaming(d); }} aria-label={`Rename ${d.symbol} ${d.timeframe}`} title="Rename (F2)">
                      Rename
                    </button>
                    <button className="link" onClick={(e) => { e.stopPropagation(); exportCsv(d); }} aria-label={`Export CSV of ${d.symbol} ${d.timeframe}`} title="Export every candle as CSV">
                      CSV
                    </button>
                    <button className="link danger" onClick={(e) => { e.stopPropagation(); setConfirm(d); }} aria-label={`Delete ${d.symbol} ${d.timeframe}`}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
          {exporting ? <p className="muted" role="status">{exporting}</p> : null}
          {selected ? <HealthPanel key={`h${selected.id}`} dataset={selected} /> : null}
        </>
      )}
      {renaming ? <RenameDatasetDialog dataset={renaming} onClose={() => setRenaming(null)} /> : null}
      {confirm ? (
        <ConfirmDialog
          title={`Delete ${confirm.symbol} ${confirm.timeframe}?`}
          body={`This removes its ${formatInt(confirm.rows)} candles, rollups and health report from the workspace. The source files on disk are not touched.`}
          confirmLabel="Delete dataset"
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            const id = confirm.id;
            setConfirm(null);
            if (id === selectedId) setSelectedId(null);
            void remove(id);
          }}
        />
      ) : null}
    </div>
  );
}

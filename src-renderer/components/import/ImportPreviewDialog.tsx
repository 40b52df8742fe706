import { useEffect, useRef, useState } from 'react';
import type { ImportOverrides, ImportPreview } from '../../../src-shared/contract/datasets.js';
import { CONTRACT_KINDS, type ContractKind } from '../../../src-shared/domain/contractKind.js';
import { formatUtc } from '../../format.js';
import type { ColumnMapping, PreviewRole } from '../../stores/importStore.js';
import { useImportStore } from '../../stores/stores.js';
import { useDialogFocus } from '../useDialogFocus.js';

const ROLE_LABELS: Record<PreviewRole, string> = { time: 'Time / date', timeOfDay: 'Time of day', open: 'Open', high: 'High', low: 'Low', close: 'Close', volume: 'Volume' };
const PRICE_ROLES = ['open', 'high', 'low', 'close', 'volume'] as const;

/** `1 · open_time`: the position a person counts and the name the file gives. */
const columnLabel = (names: string[], i: number) => (names[i] === `column ${i + 1}` ? `column ${i + 1}` : `${i + 1} · ${names[i]}`);

/** The raw time as the file writes it: the date and its separate time of day joined. */
function rawTime(row: string[], m: ColumnMapping): string {
  const date = m.time === undefined ? '' : (row[m.time] ?? '');
  return m.timeOfDay === undefined ? date : `${date} ${row[m.timeOfDay] ?? ''}`;
}

/**
 * Before a single file is imported: what was detected (format, symbol, timeframe, problems), the
 * first rows as the import will read them (the UTC time parsed beside the raw value, each column
 * headed by the file's name for it), with the symbol, contract, venue, timeframe and the column
 * of each role open to correction. A remapped column previews the file again at once.
 */
export function ImportPreviewDialog() {
  const preview = useImportStore((s) => s.preview);
  const closePreview = useImportStore((s) => s.closePreview);
  const previewPath = useImportStore((s) => s.previewPath);
  const remapColumn = useImportStore((s) => s.remapColumn);
  const importPaths = useImportStore((s) => s.importPaths);
  const [symbol, setSymbol] = useState('');
  const [kind, setKind] = useState<ContractKind>('spot');
  const [venue, setVenue] = useState('');
  const [timeframe, setTimeframe] = useState('');
  const [allColumns, setAllColumns] = useState(false);
  const dialog = useRef<HTMLDivElement>(null);
  const firstField = useRef<HTMLInputElement>(null);
  const result = preview?.result;
  useDialogFocus(dialog, closePreview, preview !== null);

  // A refused re-detection says nothing about the instrument: the fields keep what the person sees.
  useEffect(() => {
    if (!result?.ok) return;
    setSymbol(result.symbol ?? '');
    setKind(result.kind ?? 'spot');
    setVenue(result.venue ?? '');
    setTimeframe(result.timeframe ?? '');
  }, [result]);
  const path = preview?.path;
  useEffect(() => {
    if (path) firstField.current?.focus();
  }, [path]);

  if (!preview || !result) return null;
  const p = result;
  const { mapping, fileColumns } = preview;
  const fieldOverrides = (): ImportOverrides => {
    const o: ImportOverrides = {};
    if (symbol.trim() && symbol.trim() !== p.symbol) o.symbol = symbol.trim();
    if (p.kind !== null && kind !== p.kind) o.kind = kind;
    // an emptied venue is an override too: no venue, whatever the file name says
    if (venue.trim() !== (p.venue ?? '')) o.venue = venue.trim();
    if (timeframe.trim() && timeframe.trim() !== p.timeframe) o.timeframe = timeframe.trim();
    return o;
  };
  const changedFields = Object.keys(fieldOverrides()).length > 0;
  const overrides = (): ImportOverrides => ({ ...preview.overrides, ...fieldOverrides() });
  const roles: PreviewRole[] = ['time', 'timeOfDay', ...PRICE_ROLES];

  return (
    <div className="modal-backdrop" onClick={closePreview}>
      <div ref={dialog} className="modal wide import-preview" role="dialog" aria-modal="true" aria-labelledby="preview-title" onClick={(e) => e.stopPropagation()}>
        <h2 id="preview-title">Import {p.file.split(/[\\/]/).pop()}</h2>
        {p.ok ? (
          <>
            <p>
              Detected <strong>{p.format}</strong>.
            </p>
            <ul className="detected" data-testid="preview-detected">
              {p.detected.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
            {p.warnings.map((w) => (
              <p key={w} className="warn">
                {w}
              </p>
            ))}
          </>
        ) : (
          <p className="error" role="alert">
            {p.error}
          </p>
        )}
        <div className="form-grid">
          <label>
            Symbol
            <input ref={firstField} type="text" value={symbol} placeholder="e.g. BTC/USDT" onChange={(e) => setSymbol(e.target.value)} />
          </label>
          <label>
            Contract
            <select value={kind} onChange={(e) => setKind(e.target.value as ContractKind)}>
              {CONTRACT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          <label>
            Venue
            <input type="text" value={venue} placeholder="none (e.g. binance)" onChange={(e) => setVenue(e.target.value)} />
          </label>
          <label>
            Timeframe
            <input type="text" value={timeframe} placeholder="from the bar spacing" onChange={(e) => setTimeframe(e.target.value)} />
          </label>
        </div>
        {/* fewer than five columns cannot hold a time and four prices: a JSON file's records, one cell each */}
        {fileColumns.length >= 5 ? (
          <fieldset className="column-map" aria-describedby="column-map-help">
            <legend>Columns</legend>
            <p id="column-map-help" className="muted small">
              Which file column holds each value (what <code>--col-time</code>, <code>--col-open</code> … do on the command line). A column taken from another value swaps with it; the rows below are read again.
            </p>
            <div className="form-grid columns">
              {roles.map((role) => (
                <label key={role}>
                  {ROLE_LABELS[role]}
                  <select
                    // never disabled while the file is read again: a disabled select drops keyboard focus to the page
                    value={mapping[role] ?? ''}
                    onChange={(e) => void remapColumn(role, e.target.value === '' ? null : Number(e.target.value))}
                  >
                    {mapping[role] === undefined || role === 'timeOfDay' ? <option value="">(none)</option> : null}
                    {fileColumns.map((_, i) => (
                      <option key={i} value={i}>
                        {columnLabel(fileColumns, i)}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
            </div>
          </fieldset>
        ) : null}
        {p.sampleRows.length ? <SampleTable p={p} mapping={mapping} fileColumns={fileColumns} all={allColumns || !PRICE_ROLES.some((r) => mapping[r] !== undefined)} /> : null}
        {p.sampleRows.length && fileColumns.length >= 5 ? (
          <button className="link small" aria-expanded={allColumns} onClick={() => setAllColumns((a) => !a)}>
            {allColumns ? 'Show the columns read as candles' : `Show all ${fileColumns.length} file columns as written`}
          </button>
        ) : null}
        <p className="muted small" role="status">
          {preview.refreshing ? 'Reading the file again…' : ''}
        </p>
        <div className="modal-actions">
          <button onClick={closePreview}>Cancel</button>
          <button onClick={() => void previewPath(preview.path, overrides())} disabled={!changedFields || preview.refreshing}>
            Detect again with these settings
          </button>
          <button className="primary" disabled={preview.refreshing} onClick={() => void importPaths([preview.path], Object.keys(overrides()).length ? overrides() : undefined)}>
            Import
          </button>
        </div>
      </div>
    </div>
  );
}

/**
 * The first rows: the line number, the UTC time the import will store (or why it would reject
 * the line), then the columns read as time and OHLCV under the file's names for them. With `all`,
 * every file column as written, each headed by its name and the value it is read as.
 */
function SampleTable({ p, mapping, fileColumns, all }: { p: ImportPreview; mapping: ColumnMapping; fileColumns: string[]; all: boolean }) {
  const roleOf = (i: number) => (Object.keys(mapping) as PreviewRole[]).find((r) => mapping[r] === i);
  const shown = all ? fileColumns.map((_, i) => i) : PRICE_ROLES.flatMap((r) => (mapping[r] === undefined ? [] : [mapping[r]]));
  // a JSON file: each row is one record in one cell, read whole by the JSON reader
  const records = fileColumns.length < 5;
  const timeSource = [mapping.time, mapping.timeOfDay].filter((i) => i !== undefined).map((i) => fileColumns[i] ?? `column ${i + 1}`).join(' + ');
  return (
    <div className="table-wide preview-rows" tabIndex={0} role="region" aria-label="First rows of the file">
      <table className="data-table compact" aria-label="First rows">
        <thead>
          <tr>
            <th className="num" scope="col">Line</th>
            <th scope="col">Time (UTC), as imported</th>
            {all ? null : (
              <th scope="col">
                Time as written
                <span className="col-source">{timeSource || '—'}</span>
              </th>
            )}
            {shown.map((i) => {
              const role = roleOf(i);
              return (
                <th key={i} scope="col" className={all && role === undefined && !records ? 'muted' : undefined}>
                  {records ? 'Record as written' : all ? fileColumns[i] : ROLE_LABELS[role!]}
                  {records ? null : <span className="col-source">{all ? (role ? `read as ${ROLE_LABELS[role].toLowerCase()}` : 'not read') : fileColumns[i]}</span>}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {p.sampleRows.map((r, k) => {
            const parsed = p.sampleParsed[k];
            return (
              <tr key={k}>
                <td className="num muted">{parsed?.line ?? ''}</td>
                {parsed?.ts != null ? <td data-testid="preview-utc">{formatUtc(parsed.ts)}</td> : <td className="warn preview-problem">{parsed?.problem ?? '—'}</td>}
                {all ? null : <td>{rawTime(r, mapping)}</td>}
                {shown.map((i) => (
                  <td key={i} className={records ? undefined : 'num'}>
                    {r[i] ?? ''}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

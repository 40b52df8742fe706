import { useEffect, useRef, useState } from 'react';
import type { ImportOverrides } from '../../../src-shared/contract/datasets.js';
import { CONTRACT_KINDS, type ContractKind } from '../../../src-shared/domain/contractKind.js';
import { useImportStore } from '../../stores/stores.js';

const ROLES = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

/**
 * Before a single file is imported: what was detected (format, mapping, symbol, timeframe,
 * first rows, problems), with the symbol, contract, venue, timeframe and columns open to correction.
 */
export function ImportPreviewDialog() {
  const preview = useImportStore((s) => s.preview);
  const closePreview = useImportStore((s) => s.closePreview);
  const previewPath = useImportStore((s) => s.previewPath);
  const importPaths = useImportStore((s) => s.importPaths);
  const [symbol, setSymbol] = useState('');
  const [kind, setKind] = useState<ContractKind>('spot');
  const [venue, setVenue] = useState('');
  const [timeframe, setTimeframe] = useState('');
  const [columns, setColumns] = useState<Partial<Record<(typeof ROLES)[number], string>>>({});
  const firstField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!preview) return;
    setSymbol(preview.result.symbol ?? '');
    setKind(preview.result.kind ?? 'spot');
    setVenue(preview.result.venue ?? '');
    setTimeframe(preview.result.timeframe ?? '');
    firstField.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && closePreview();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [preview, closePreview]);

  if (!preview) return null;
  const p = preview.result;
  const overrides = (): ImportOverrides => {
    const o: ImportOverrides = {};
    if (symbol.trim() && symbol.trim() !== p.symbol) o.symbol = symbol.trim();
    if (p.kind !== null && kind !== p.kind) o.kind = kind;
    // an emptied venue is an override too: no venue, whatever the file name says
    if (venue.trim() !== (p.venue ?? '')) o.venue = venue.trim();
    if (timeframe.trim() && timeframe.trim() !== p.timeframe) o.timeframe = timeframe.trim();
    const cols = Object.fromEntries(Object.entries(columns).filter(([, v]) => v));
    if (Object.keys(cols).length) o.columns = cols;
    return o;
  };
  const hasOverrides = () => Object.keys(overrides()).length > 0;

  return (
    <div className="modal-backdrop" onClick={closePreview}>
      <div className="modal wide" role="dialog" aria-modal="true" aria-labelledby="preview-title" onClick={(e) => e.stopPropagation()}>
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
          {p.header !== null
            ? ROLES.map((role) => (
                <label key={role}>
                  {role}
                  <select value={columns[role] ?? p.columns[role] ?? ''} onChange={(e) => setColumns((c) => ({ ...c, [role]: e.target.value }))}>
                    <option value="">{role === 'volume' ? '(none)' : '(detect)'}</option>
                    {(p.header ?? []).map((h, i) => (
                      <option key={`${h}-${i}`} value={h}>
                        {h}
                      </option>
                    ))}
                  </select>
                </label>
              ))
            : null}
        </div>
        {p.sampleRows.length ? (
          <div className="table-scroll">
            <table className="data-table compact" aria-label="First rows">
              {p.header ? (
                <thead>
                  <tr>
                    {p.header.map((h, i) => (
                      <th key={`${h}-${i}`}>{h}</th>
                    ))}
                  </tr>
                </thead>
              ) : null}
              <tbody>
                {p.sampleRows.map((r, i) => (
                  <tr key={i}>
                    {r.map((c, j) => (
                      <td key={j}>{c}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <div className="modal-actions">
          <button onClick={closePreview}>Cancel</button>
          <button onClick={() => void previewPath(preview.path, overrides())} disabled={!hasOverrides()}>
            Detect again with these settings
          </button>
          <button className="primary" onClick={() => void importPaths([preview.path], hasOverrides() ? overrides() : undefined)}>
            Import
          </button>
        </div>
      </div>
    </div>
  );
}

import { useEffect, useRef, useState } from 'react';
import { useDialogFocus } from './useDialogFocus.js';
import { describeInstrument, renamedInstrument } from '../../src-shared/compute/import/instrument.js';
import type { DatasetSummary } from '../../src-shared/contract/datasets.js';
import { CONTRACT_KINDS, type ContractKind } from '../../src-shared/domain/contractKind.js';
import { useDatasetsStore } from '../stores/stores.js';

const dateInput = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().slice(0, 10));

/**
 * Renames a dataset's instrument: symbol in any spelling, contract kind, venue and a future's
 * expiry. The same rules as the server (`renamedInstrument`) show what will be stored and refuse
 * bad input before a request; a refusal from the server (another dataset already is that
 * instrument) is shown here and the dataset stays as it was. Enter saves, Escape cancels.
 */
export function RenameDatasetDialog(props: { dataset: DatasetSummary; onClose: () => void }) {
  const d = props.dataset;
  const rename = useDatasetsStore((s) => s.rename);
  const [symbol, setSymbol] = useState(d.symbol);
  const [kind, setKind] = useState<ContractKind>(d.kind);
  const [kindTouched, setKindTouched] = useState(false);
  const [venue, setVenue] = useState(d.venue ?? '');
  const [expiry, setExpiry] = useState(dateInput(d.expiry));
  const [serverError, setServerError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const firstField = useRef<HTMLInputElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  // Escape closes, Tab stays inside, and focus goes back to the row or button that opened it
  const onClose = props.onClose;
  useDialogFocus(dialog, onClose);
  useEffect(() => firstField.current?.select(), []);

  // the kind follows what a typed symbol states (BTC-PERP) until the user picks one
  const change = {
    symbol,
    kind: kindTouched ? kind : undefined,
    venue,
    expiry: kind === 'future' && kindTouched && expiry !== '' ? Date.parse(`${expiry}T00:00:00Z`) : undefined,
  };
  const outcome = renamedInstrument(d, change);
  const problem = outcome.ok ? null : outcome.error;
  const shownKind = kindTouched ? kind : outcome.ok ? outcome.instrument.kind : kind;
  const error = problem ?? serverError;

  const submit = async () => {
    if (problem || saving) return;
    setSaving(true);
    const r = await rename(d.id, change);
    setSaving(false);
    if (r.ok) onClose();
    else setServerError(r.error);
  };

  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div ref={dialog} className="modal" role="dialog" aria-modal="true" aria-labelledby="rename-title" onClick={(e) => e.stopPropagation()}>
        <h2 id="rename-title">
          Rename {d.symbol} {d.timeframe}
        </h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <div className="form-grid">
            <label>
              Symbol
              <input
                ref={firstField}
                type="text"
                value={symbol}
                placeholder="e.g. BTC/USDT, BTCUSDT, BTC-PERP"
                aria-invalid={problem !== null}
                aria-describedby="rename-message"
                onChange={(e) => {
                  setSymbol(e.target.value);
                  setServerError(null);
                }}
              />
            </label>
            <label>
              Contract
              <select
                value={shownKind}
                onChange={(e) => {
                  setKind(e.target.value as ContractKind);
                  setKindTouched(true);
                  setServerError(null);
                }}
              >
                {CONTRACT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Venue
              <input
                type="text"
                value={venue}
                placeholder="none (e.g. binance)"
                onChange={(e) => {
                  setVenue(e.target.value);
                  setServerError(null);
                }}
              />
            </label>
            {shownKind === 'future' ? (
              <label>
                Expiry (UTC)
                <input
                  type="date"
                  value={expiry}
                  onChange={(e) => {
                    setExpiry(e.target.value);
                    setKindTouched(true);
                    setKind('future');
                    setServerError(null);
                  }}
                />
              </label>
            ) : null}
          </div>
          <p id="rename-message" className={error ? 'error' : 'muted'} role={error ? 'alert' : 'status'}>
            {error ?? (outcome.ok ? `Will be stored as ${describeInstrument(outcome.instrument)}.` : '')}
          </p>
          <div className="modal-actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={problem !== null || saving}>
              {saving ? 'Saving…' : 'Rename'}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}

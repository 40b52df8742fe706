import type { RunSummary } from '../../src-shared/contract/training.js';

/** A labelled picker of runs, as the Evaluation and Backtests pages offer them. */
export function RunSelect({ label, runs, value, onChange, allowNone }: { label: string; runs: RunSummary[]; value: number | null; onChange: (id: number | null) => void; allowNone?: boolean }) {
  return (
    <label className="check">
      {label}
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)} aria-label={label}>
        {allowNone ? <option value="">(none)</option> : null}
        {runs.map((r) => (
          <option key={r.id} value={r.id}>
            #{r.id} {r.name}
          </option>
        ))}
      </select>
    </label>
  );
}

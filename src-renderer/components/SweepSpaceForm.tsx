import { fieldHint, newSpaceRow, rowToParam, SWEEP_FIELDS, sweepFieldInfo, unusedField, withField, type SpaceRow, type SpaceRowKind } from './sweepSpaceForm.js';

// The keys of space.json, so the form and the text below it read alike (and a row fits a half-width card).
const KIND_TEXT: Record<SpaceRowKind, string> = { choice: 'choice', int: 'int', float: 'float' };

/**
 * The search space as a form: one row per searched field. It only edits rows; the Sweeps page keeps
 * them and space.json's text in step (sweepSpaceForm.ts). Every control is a labelled native input,
 * so the form is used from the keyboard like the rest of the page.
 */
export function SweepSpaceForm({ rows, onChange, problems, fixed }: { rows: SpaceRow[]; onChange: (rows: SpaceRow[]) => void; problems: string[]; fixed: readonly string[] }) {
  const set = (id: number, patch: Partial<SpaceRow>) => onChange(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const next = unusedField(rows);
  return (
    <fieldset className="space-form" aria-describedby="space-form-problems">
      <legend>Searched fields</legend>
      {rows.length === 0 ? <p className="muted small">No field is searched yet.</p> : null}
      {rows.map((r, i) => {
        const info = sweepFieldInfo(r.field);
        const n = `row ${i + 1}`;
        const p = rowToParam(r);
        const bad = 'problem' in p;
        return (
          <div key={r.id} className="space-row" data-testid="space-row" role="group" aria-label={`Searched field ${i + 1}: ${r.field}`}>
            <div className="space-controls">
              <label>
                Field
                <select value={r.field} onChange={(e) => onChange(rows.map((x) => (x.id === r.id ? withField(x, e.target.value) : x)))} aria-label={`Field of ${n}`} title={info?.description}>
                  {info ? null : <option value={r.field}>{r.field} (not searchable)</option>}
                  {SWEEP_FIELDS.map((f) => (
                    <option key={f.field} value={f.field}>
                      {f.field}
                      {fixed.includes(f.field) ? ' (fixed in base)' : ''}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Kind
                <select value={r.kind} onChange={(e) => set(r.id, { kind: e.target.value as SpaceRowKind, log: e.target.value === 'choice' ? false : r.log })} aria-label={`Kind of ${r.field}`}>
                  {(info?.kinds ?? ['choice']).map((k) => (
                    <option key={k} value={k}>
                      {KIND_TEXT[k]}
                    </option>
                  ))}
                </select>
              </label>
              {r.kind === 'choice' ? (
                <label className="space-values">
                  Values
                  <input type="text" value={r.values} onChange={(e) => set(r.id, { values: e.target.value })} aria-label={`Values of ${r.field}`} aria-invalid={bad || undefined} placeholder={info ? fieldHint(info) : ''} spellCheck={false} />
                </label>
              ) : (
                <>
                  <label>
                    Low
                    <input type="text" inputMode="decimal" value={r.low} onChange={(e) => set(r.id, { low: e.target.value })} aria-label={`Low end of ${r.field}`} aria-invalid={bad || undefined} />
                  </label>
                  <label>
                    High
                    <input type="text" inputMode="decimal" value={r.high} onChange={(e) => set(r.id, { high: e.target.value })} aria-label={`High end of ${r.field}`} aria-invalid={bad || undefined} />
                  </label>
                  {r.kind === 'int' ? (
                    <label>
                      Step
                      <input type="text" inputMode="numeric" value={r.step} onChange={(e) => set(r.id, { step: e.target.value })} aria-label={`Step of ${r.field}`} className="space-step" placeholder="1" disabled={r.log} />
                    </label>
                  ) : null}
                  <label className="check">
                    <input type="checkbox" checked={r.log} onChange={(e) => set(r.id, { log: e.target.checked, step: e.target.checked ? '' : r.step })} aria-label={`Log scale for ${r.field}`} /> log
                  </label>
                </>
              )}
            </div>
            <div className="space-foot">
              <span className="muted small">{info ? fieldHint(info) : ''}</span>
              <button type="button" className="link" onClick={() => onChange(rows.filter((x) => x.id !== r.id))} aria-label={`Remove ${r.field}`}>
                Remove
              </button>
            </div>
          </div>
        );
      })}
      <button type="button" onClick={() => next && onChange([...rows, newSpaceRow(next)])} disabled={next === null}>
        Add field
      </button>
      <div id="space-form-problems" aria-live="polite" data-testid="space-form-problems">
        {problems.map((p) => (
          <p key={p} className="error small">
            {p}
          </p>
        ))}
      </div>
    </fieldset>
  );
}

import { useEffect, useMemo, useState } from 'react';
import { OBJECTIVE_TEXT, objectiveIsMinimized, SWEEP_OBJECTIVES, SWEEP_PRUNERS, SWEEP_SAMPLERS, type SweepDetail, type SweepObjective, type SweepTrial } from '../../src-shared/contract/sweeps.js';
import { useDatasetsStore, useStores, useSweepsStore } from '../stores/stores.js';
import { useWidth } from '../components/charts/CurveChart.js';
import { ParallelCoordinates, type ParallelData } from '../components/charts/ParallelCoordinates.js';
import { OpenRunButtons } from '../components/OpenRunButtons.js';
import { SweepSpaceForm } from '../components/SweepSpaceForm.js';
import { rowsFromSpaceText, rowsToParams, spaceFileOf, spaceTextWithParams, type SpaceRow } from '../components/sweepSpaceForm.js';

const EXAMPLE_SPACE = JSON.stringify(
  { base: { model: 'mlp', window: 16, epochs: 5 }, params: { lr: { float: [0.0001, 0.01], log: true }, hidden: { choice: [16, 32, 64] }, dropout: { float: [0, 0.5] } } },
  null,
  2,
);

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : Number(v.toPrecision(4)).toString());
const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
const paramText = (v: number | string | boolean) => (typeof v === 'number' ? fmt(v) : String(v));

export function SweepsPage() {
  const stores = useStores();
  const list = useSweepsStore((s) => s.list);
  const listError = useSweepsStore((s) => s.listError);
  const selectedId = useSweepsStore((s) => s.selectedId);
  const detail = useSweepsStore((s) => s.detail);
  const detailError = useSweepsStore((s) => s.detailError);
  const actionError = useSweepsStore((s) => s.actionError);

  useEffect(() => stores.sweeps.getState().connect(), [stores]);
  useEffect(() => void stores.sweeps.getState().refresh(), [stores]);

  return (
    <div className="page sweeps-page">
      <h1>Sweeps</h1>
      <div className="cards">
        <NewSweep />
        <section className="card" aria-label="Sweeps">
          <h2>Sweeps</h2>
          {listError ? <p className="error" role="alert">{listError}</p> : null}
          {list === null ? <p className="muted">Loading…</p> : list.length === 0 ? <p className="muted">No sweep yet: define a space and start one.</p> : null}
          {list && list.length ? (
            <label className="sweep-pick">
              Sweep{' '}
              <select value={selectedId ?? ''} onChange={(e) => void stores.sweeps.getState().select(e.target.value ? Number(e.target.value) : null)}>
                {list.map((s) => (
                  <option key={s.sweepId} value={s.sweepId}>
                    {s.sweepId} · {s.name} · {s.status} · {s.trialsDone}/{s.trialsPlanned}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {detailError ? <p className="error" role="alert">{detailError}</p> : null}
          {actionError ? <p className="error" role="alert">{actionError}</p> : null}
          {detail ? <SweepControls d={detail} /> : null}
        </section>
      </div>
      {detail ? <SweepView d={detail} /> : null}
    </div>
  );
}

function NewSweep() {
  const stores = useStores();
  const datasets = useDatasetsStore((s) => s.datasets);
  const problems = useSweepsStore((s) => s.problems);
  const starting = useSweepsStore((s) => s.starting);
  const [space, setSpace] = useState(EXAMPLE_SPACE);
  const [rows, setRows] = useState<SpaceRow[]>(() => (rowsFromSpaceText(EXAMPLE_SPACE) as { rows: SpaceRow[] }).rows);
  // Why the form does not show the text (set while the text cannot be read into rows).
  const [formNote, setFormNote] = useState<string | null>(null);
  // The last text that parsed: a form edit made while the text is half typed keeps its "base".
  const [lastFile, setLastFile] = useState<Record<string, unknown>>(() => spaceFileOf(EXAMPLE_SPACE)!);
  const formParams = useMemo(() => rowsToParams(rows), [rows]);
  const formProblems = 'problems' in formParams ? formParams.problems : [];
  const fixedInBase = useMemo(() => Object.keys((lastFile.base as Record<string, unknown> | undefined) ?? {}), [lastFile]);
  const [chosen, setChosen] = useState<number[]>([]);
  const [sampler, setSampler] = useState<(typeof SWEEP_SAMPLERS)[number]>('tpe');
  const [prune, setPrune] = useState<(typeof SWEEP_PRUNERS)[number]>('median');
  const [objective, setObjective] = useState<SweepObjective>('val-logloss');
  const [trials, setTrials] = useState(8);
  const [parallel, setParallel] = useState(2);
  const [seed, setSeed] = useState(0);
  const settings = { sampler, prune, objective, trials, parallel, seed };
  // Checked as typed, so the problems are on screen before Start is pressed.
  useEffect(
    () => void stores.sweeps.getState().check(space, { sampler, prune, objective, trials, parallel, seed }, chosen),
    [stores, space, sampler, prune, objective, trials, parallel, seed, chosen],
  );
  const start = () => {
    if (formProblems.length) return;
    const spec = stores.sweeps.getState().check(space, settings, chosen);
    if (spec) void stores.sweeps.getState().start(spec);
  };
  // Text → form: the rows follow a text they can show; otherwise they stay and the form says why.
  const editText = (text: string) => {
    setSpace(text);
    const file = spaceFileOf(text);
    if (file) setLastFile(file);
    const read = rowsFromSpaceText(text);
    if ('rows' in read) {
      setRows(read.rows);
      setFormNote(null);
    } else setFormNote(read.problem);
  };
  // Form → text: a valid form rewrites the text's "params"; an invalid one leaves the text alone.
  const editRows = (next: SpaceRow[]) => {
    setRows(next);
    const p = rowsToParams(next);
    if ('params' in p) {
      const text = spaceTextWithParams(lastFile, p.params);
      setSpace(text);
      setLastFile(spaceFileOf(text)!);
      setFormNote(null);
    }
  };
  const toggle = (id: number) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));
  return (
    <section className="card" aria-label="New sweep">
      <h2>New sweep</h2>
      <fieldset className="sweep-datasets">
        <legend>Datasets</legend>
        {datasets.length === 0 ? <p className="muted small">Import a dataset first.</p> : null}
        {datasets.map((d) => (
          <label key={d.id}>
            <input type="checkbox" checked={chosen.includes(d.id)} onChange={() => toggle(d.id)} /> {d.symbol} ({d.timeframe})
          </label>
        ))}
      </fieldset>
      <SweepSpaceForm rows={rows} onChange={editRows} problems={formNote ? [formNote, ...formProblems] : formProblems} fixed={fixedInBase} />
      <label className="sweep-space">
        Search space (space.json: "base" holds fixed training settings, "params" the searched ones; the form above edits "params")
        <textarea value={space} onChange={(e) => editText(e.target.value)} rows={9} spellCheck={false} aria-describedby="sweep-problems" />
      </label>
      <div className="form-grid">
        <label>
          Sampler
          <select value={sampler} onChange={(e) => setSampler(e.target.value as typeof sampler)}>
            {SWEEP_SAMPLERS.map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
        <label>
          Pruner
          <select value={prune} onChange={(e) => setPrune(e.target.value as typeof prune)}>
            {SWEEP_PRUNERS.map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
        <label>
          Objective
          <select value={objective} onChange={(e) => setObjective(e.target.value as SweepObjective)} title={OBJECTIVE_TEXT[objective]}>
            {SWEEP_OBJECTIVES.map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
        <label>
          Trials
          <input type="number" min={1} max={1000} value={trials} onChange={(e) => setTrials(Number(e.target.value))} />
        </label>
        <label>
          In parallel
          <input type="number" min={1} max={64} value={parallel} onChange={(e) => setParallel(Number(e.target.value))} />
        </label>
        <label>
          Seed
          <input type="number" min={0} value={seed} onChange={(e) => setSeed(Number(e.target.value))} />
        </label>
      </div>
      <div id="sweep-problems" aria-live="polite">
        {problems.map((p) => (
          <p key={p} className="error small">{p}</p>
        ))}
      </div>
      <button type="button" className="primary" onClick={start} disabled={starting || problems.length > 0 || formProblems.length > 0}>
        {starting ? 'Starting…' : 'Start sweep'}
      </button>
    </section>
  );
}

function SweepControls({ d }: { d: SweepDetail }) {
  const { sweeps } = useStores();
  const active = d.status === 'running' || d.status === 'stopping';
  return (
    <div className="sweep-controls">
      <p data-testid="sweep-status">
        Status: <strong>{d.status}</strong> · {d.trialsDone} of {d.trialsPlanned} trials done · {d.parallel} at a time · {d.sampler}, {d.prune} pruning, objective {d.objective} ({OBJECTIVE_TEXT[d.objective]})
      </p>
      {d.failure ? <p className="warn small">{d.failure}</p> : null}
      <div className="toolbar">
        <button type="button" onClick={() => void sweeps.getState().pause(d.sweepId)} disabled={d.status !== 'running'}>
          Pause
        </button>
        <button type="button" onClick={() => void sweeps.getState().resume(d.sweepId)} disabled={d.status !== 'paused' && d.status !== 'interrupted'}>
          Resume
        </button>
        <button type="button" onClick={() => void sweeps.getState().stop(d.sweepId)} disabled={!active && d.status !== 'paused' && d.status !== 'interrupted'}>
          Stop
        </button>
      </div>
    </div>
  );
}

function SweepView({ d }: { d: SweepDetail }) {
  return (
    <div className="cards sweep-results">
      {d.best ? (
        <section className="card" aria-label="Winner">
          <h2>Winner</h2>
          <p>
            Run {d.best.runId} · {d.objective} {fmt(d.best.objective)} · {Object.entries(d.best.params).map(([k, v]) => `${k} ${paramText(v)}`).join(', ')}
          </p>
          {d.best.test ? (
            <p data-testid="sweep-test">
              Test accuracy {pct(d.best.test.accuracy)} against the majority baseline&apos;s {pct(d.best.test.baselineAccuracy)} ({d.best.test.samples} samples).
            </p>
          ) : null}
          <p className="muted small">{d.best.note}</p>
          <OpenRunButtons runId={d.best.runId} />
        </section>
      ) : null}
      {d.selection ? (
        <section className="card" aria-label="Selection bias">
          <h2>Selection bias</h2>
          <p>
            Deflated Sharpe ratio <strong>{fmt(d.selection.deflatedSharpe)}</strong>: {d.selection.deflatedSharpeSentence}
          </p>
          <p>
            PBO <strong>{fmt(d.selection.pbo)}</strong>: {d.selection.pboSentence}
          </p>
          <p className="muted small">Over {d.selection.trials} trials, on {d.selection.periods} validation periods after the sweep&apos;s costs.</p>
        </section>
      ) : null}
      <section className="card" aria-label="Best so far">
        <h2>Best so far</h2>
        <BestSoFar trials={d.trials} />
      </section>
      <section className="card" aria-label="Parallel coordinates">
        <h2>Parallel coordinates</h2>
        <TrialCoordinates d={d} />
      </section>
      <section className="card sweep-trials" aria-label="Trials">
        <h2>Trials</h2>
        <TrialTable d={d} />
      </section>
    </div>
  );
}

function TrialTable({ d }: { d: SweepDetail }) {
  const names = useMemo(() => [...new Set(d.trials.flatMap((t) => Object.keys(t.params)))], [d.trials]);
  return (
    <div className="table-wide">
      <table className="data-table compact">
        <thead>
          <tr>
            <th scope="col">Trial</th>
            <th scope="col">Run</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">{d.objective}</th>
            <th scope="col" className="num">Epochs</th>
            {names.map((n) => <th key={n} scope="col" className="num">{n}</th>)}
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {d.trials.map((t) => (
            <tr key={t.trialId} className={d.best?.trialId === t.trialId ? 'selected' : undefined}>
              <td>{t.index + 1}</td>
              <td>{t.runId}</td>
              <td className={`trial-${t.status}`}>{t.status}</td>
              <td className="num">{fmt(t.objective)}</td>
              <td className="num">{t.epochs}</td>
              {names.map((n) => <td key={n} className="num">{t.params[n] === undefined ? '—' : paramText(t.params[n]!)}</td>)}
              <td className="trial-note" title={t.reason ?? undefined}>{t.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const W = 460;
const H = 180;
const PAD = 28;

/** The best completed objective after each finished trial, in the order they finished. */
function BestSoFar({ trials }: { trials: SweepTrial[] }) {
  const points = trials.filter((t) => t.bestSoFar !== null && t.objective !== null);
  if (points.length === 0) return <p className="muted small">No trial has finished yet.</p>;
  const ordered = [...points].sort((a, b) => (a.finished ?? 0) - (b.finished ?? 0));
  const values = ordered.flatMap((t) => [t.objective!, t.bestSoFar!]);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const y = (v: number) => PAD + (H - 2 * PAD) * (hi === lo ? 0.5 : 1 - (v - lo) / (hi - lo));
  const x = (i: number) => PAD + ((W - 2 * PAD) * i) / Math.max(1, ordered.length - 1);
  return (
    <svg className="sweep-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Best objective after each of ${ordered.length} finished trials, from ${fmt(ordered[0]!.bestSoFar)} to ${fmt(ordered.at(-1)!.bestSoFar)}`}>
      <polyline fill="none" points={ordered.map((t, i) => `${x(i)},${y(t.bestSoFar!)}`).join(' ')} className="best-line" />
      {ordered.map((t, i) => (
        <circle key={t.trialId} cx={x(i)} cy={y(t.objective!)} r={3} className={`dot trial-${t.status}`}>
          <title>{`trial ${t.index + 1}: ${fmt(t.objective)} (${t.status})`}</title>
        </circle>
      ))}
      <text x={4} y={PAD - 8} className="axis">{fmt(hi)}</text>
      <text x={4} y={H - 6} className="axis">{fmt(lo)}</text>
    </svg>
  );
}

/**
 * The finished trials as parallel coordinates, drawn by the chart the Runs page uses: one axis per
 * searched parameter (spaced in log where the space searches it on a log scale, choices evenly)
 * and one for the objective.
 */
function TrialCoordinates({ d }: { d: SweepDetail }) {
  const { ref: box, width } = useWidth(460);
  const data = useMemo((): ParallelData | null => {
    const done = d.trials.filter((t) => t.objective !== null);
    if (done.length === 0) return null;
    const names = [...new Set(d.trials.flatMap((t) => Object.keys(t.params)))];
    const dimensions = names.map((field) => {
      const raw = done.map((t) => t.params[field]);
      const log = (d.spec.params[field] as { log?: unknown } | undefined)?.log === true;
      if (raw.every((v) => typeof v === 'number')) return { field, categories: null, values: raw as number[], log };
      const categories = [...new Set(raw.map(String))];
      return { field, categories, values: raw.map((v) => categories.indexOf(String(v))) };
    });
    return { metric: d.objective, runIds: done.map((t) => t.runId), values: done.map((t) => t.objective!), dimensions };
  }, [d]);
  const trialOf = (i: number) => d.trials.find((t) => t.runId === data!.runIds[i])!;
  // The box is always rendered, so that its width is measured from the first render on.
  return (
    <div ref={box}>
      {!data ? (
        <p className="muted small">Lines appear as trials finish.</p>
      ) : (
        <ParallelCoordinates
          data={data}
          lowerIsBetter={objectiveIsMinimized(d.objective)}
          width={width}
          height={220}
          summary={`Parallel coordinates of ${data.runIds.length} finished trials over ${data.dimensions.map((x) => x.field).join(', ')} and ${d.objective}`}
          lineTitle={(i) => `trial ${trialOf(i).index + 1} (${trialOf(i).status})`}
        />
      )}
    </div>
  );
}

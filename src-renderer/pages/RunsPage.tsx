import { useEffect, useMemo, useRef, useState } from 'react';
import { LOWER_IS_BETTER, RUN_METRIC_NAMES, type CompareRun, type HParams, type RunComparison, type RunMetricName, type RunRow, type SeedGroup } from '../../src-shared/contract/runs.js';
import { isFinishedRunStatus } from '../../src-shared/contract/training.js';
import { CurveChart, decimalsFor, useWidth, type CurveSeries } from '../components/charts/CurveChart.js';
import { saveCsv, savePng, saveSvg } from '../components/charts/exportFigure.js';
import { ParallelCoordinates } from '../components/charts/ParallelCoordinates.js';
import { OpenRunButtons } from '../components/OpenRunButtons.js';
import { SortableHeader } from '../components/SortableHeader.js';
import type { SortState } from '../components/tableSort.js';
import { useStores, useRunsStore } from '../stores/stores.js';

/** Runs shown per page of the table: hundreds of runs stay a few dozen DOM rows. */
const PAGE_SIZE = 50;
const COLORS = ['#4f9cf9', '#e0a63b', '#26a69a', '#ef5350', '#ab7df8', '#8bc34a', '#f06292', '#80deea'];

const pct = (v: number | null | undefined, d = 1) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(d)} %`);
const fix = (v: number | null | undefined, d = 4) => (v === null || v === undefined ? '—' : v.toFixed(d));
const withInterval = (e: { value: number | null; low: number | null; high: number | null }) => (e.value === null ? '—' : `${pct(e.value)}${e.low !== null && e.high !== null ? ` [${pct(e.low)}, ${pct(e.high)}]` : ''}`);

const COLUMNS: { key: string; label: string; numeric?: boolean; title?: string }[] = [
  { key: 'id', label: 'Run', numeric: true },
  { key: 'name', label: 'Name' },
  { key: 'status', label: 'Status' },
  { key: 'model', label: 'Model' },
  { key: 'accuracy', label: 'Test acc.', numeric: true, title: 'Sort by test accuracy (the newest evaluation)' },
  { key: 'majorityAccuracy', label: 'Majority', numeric: true, title: 'Sort by the majority baseline’s accuracy' },
  { key: 'macroF1', label: 'Macro F1', numeric: true },
  { key: 'logLoss', label: 'Log loss', numeric: true },
  { key: 'sharpe', label: 'Sharpe', numeric: true, title: 'Sort by the newest backtest’s annualised Sharpe ratio' },
  { key: 'sweep', label: 'Sweep', numeric: true },
];

/** A chart in a figure with its SVG and PNG export buttons. */
function Exportable({ name, children }: { name: string; children: React.ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const svg = () => box.current?.querySelector('svg') ?? null;
  return (
    <div className="runs-figure">
      <div ref={box}>{children}</div>
      <div className="row-actions">
        <button type="button" className="link" onClick={() => svg() && saveSvg(svg()!, name)} aria-label={`Export ${name} as SVG`}>
          SVG
        </button>
        <button type="button" className="link" onClick={() => svg() && void savePng(svg()!, name)} aria-label={`Export ${name} as PNG`}>
          PNG
        </button>
      </div>
    </div>
  );
}

function RunsTable({ rows, selected, sort }: { rows: RunRow[]; selected: number[]; sort: { key: string; direction: 'asc' | 'desc' } }) {
  const store = useStores().runs;
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  useEffect(() => setPage((p) => Math.min(p, pages - 1)), [pages]);
  const shown = rows.slice(page * PAGE_SIZE, page * PAGE_SIZE + PAGE_SIZE);
  const sortState: SortState<string> = { key: sort.key, dir: sort.direction === 'asc' ? 1 : -1 };
  const onSort = (s: SortState<string>) => store.getState().setSort({ key: s.key, direction: s.dir === 1 ? 'asc' : 'desc' });
  return (
    <>
      <div className="table-scroll runs-table-scroll">
        <table className="data-table compact" data-testid="runs-table">
          <thead>
            <tr>
              <th scope="col">
                <span className="sr-only">Selected</span>
              </th>
              {COLUMNS.map((c) => (
                <SortableHeader key={c.key} label={c.label} sortKey={c.key} sort={sortState} onSort={onSort} numeric={c.numeric} title={c.title} />
              ))}
              <th scope="col">Tags</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => {
              const s = r.summary;
              const checked = selected.includes(s.id);
              return (
                <tr key={s.id} data-testid="runs-row" data-run-id={s.id} className={checked ? 'selected' : undefined}>
                  <td>
                    <input type="checkbox" checked={checked} onChange={() => store.getState().toggle(s.id)} aria-label={`Select run ${s.id}`} />
                  </td>
                  <td className="num">{s.id}</td>
                  <td className="runs-name" title={s.name}>
                    {s.name}
                  </td>
                  <td>{s.status}</td>
                  <td>{s.model}</td>
                  <td className="num" title={withInterval(r.metrics.accuracy)}>
                    {pct(r.metrics.accuracy.value)}
                  </td>
                  <td className="num">{pct(r.metrics.majorityAccuracy.value)}</td>
                  <td className="num">{pct(r.metrics.macroF1)}</td>
                  <td className="num">{fix(r.metrics.logLoss)}</td>
                  <td className="num">{fix(r.metrics.sharpe, 2)}</td>
                  <td className="num">{r.sweepId ?? '—'}</td>
                  <td className="runs-tags">{r.tags.join(' ')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <div className="inline-controls" aria-label="Pages of runs">
          <button type="button" onClick={() => setPage(page - 1)} disabled={page === 0}>
            Previous
          </button>
          <span aria-live="polite">
            Page {page + 1} of {pages}
          </span>
          <button type="button" onClick={() => setPage(page + 1)} disabled={page >= pages - 1}>
            Next
          </button>
        </div>
      ) : null}
    </>
  );
}

/** The comparison's metric rows: a key (for test ids), the label, one cell per run. */
function metricRows(runs: CompareRun[]): [string, string, string[]][] {
  return [
    ['accuracy', 'Test accuracy [95 %]', runs.map((r) => withInterval(r.metrics.accuracy))],
    ['majority', 'Majority baseline [95 %]', runs.map((r) => withInterval(r.metrics.majorityAccuracy))],
    ['auc', 'Macro AUC [95 %]', runs.map((r) => (r.metrics.macroAuc.value === null ? '—' : `${fix(r.metrics.macroAuc.value, 3)}${r.metrics.macroAuc.low !== null ? ` [${fix(r.metrics.macroAuc.low, 3)}, ${fix(r.metrics.macroAuc.high, 3)}]` : ''}`))],
    ['f1', 'Macro F1', runs.map((r) => pct(r.metrics.macroF1))],
    ['logloss', 'Log loss', runs.map((r) => fix(r.metrics.logLoss))],
    ['brier', 'Brier', runs.map((r) => fix(r.metrics.brier))],
    ['sharpe', 'Backtest Sharpe', runs.map((r) => fix(r.metrics.sharpe, 2))],
    ['valloss', 'Best val loss', runs.map((r) => fix(r.metrics.bestValLoss))],
    ['verdict', 'Verdict', runs.map((r) => r.verdict ?? '—')],
  ];
}

function Comparison({ c }: { c: RunComparison }) {
  const color = (i: number) => COLORS[i % COLORS.length]!;
  const perEpoch = (r: CompareRun, pick: (e: CompareRun['epochs'][number]) => number | null) => r.epochs.flatMap((e) => (pick(e) === null ? [] : [{ x: e.epoch, y: pick(e)! }]));
  // An ensemble trained no epochs: it has no curve (and no legend entry).
  const trained = c.runs.map((r, i) => ({ r, i })).filter(({ r }) => r.epochs.length > 0);
  const loss: CurveSeries[] = trained.flatMap(({ r, i }) => [
    { name: `#${r.runId} train`, color: color(i), style: 'line' as const, points: perEpoch(r, (e) => e.trainLoss) },
    { name: `#${r.runId} val`, color: color(i), style: 'dots' as const, points: perEpoch(r, (e) => e.valLoss) },
  ]);
  const acc: CurveSeries[] = trained.flatMap(({ r, i }) => [
    { name: `#${r.runId} train`, color: color(i), style: 'line' as const, points: perEpoch(r, (e) => e.trainAcc) },
    { name: `#${r.runId} val`, color: color(i), style: 'dots' as const, points: perEpoch(r, (e) => e.valAcc) },
  ]);
  const rows = metricRows(c.runs);
  const ids = c.runs.map((r) => `#${r.runId}`);
  return (
    <section className="card" aria-label="Comparison" data-testid="runs-comparison">
      <h2>Comparison</h2>
      <div className="plots">
        <Exportable name="runs-loss">
          <CurveChart title="Loss per epoch" xTitle="epoch" yTitle="loss" xMin={1} series={loss} summary={`Training (lines) and validation (dots) loss per epoch of runs ${ids.join(', ')}.`} empty="No epochs recorded." testId="runs-loss-chart" />
        </Exportable>
        <Exportable name="runs-accuracy">
          <CurveChart
            title="Accuracy per epoch"
            xTitle="epoch"
            yTitle="accuracy"
            xMin={1}
            series={acc}
            yFormat={(v, step) => `${(v * 100).toFixed(decimalsFor(step * 100))} %`}
            summary={`Training (lines) and validation (dots) accuracy per epoch of runs ${ids.join(', ')}.`}
            empty="No epochs recorded."
            testId="runs-accuracy-chart"
          />
        </Exportable>
      </div>
      <div className="runs-side-by-side">
        <div className="table-scroll">
          <table className="data-table compact" data-testid="compare-metrics">
            <caption className="sr-only">Test metrics of the selected runs side by side, with 95 % bootstrap intervals</caption>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                {c.runs.map((r) => (
                  <th scope="col" key={r.runId} className="num" title={r.name}>
                    #{r.runId}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map(([key, label, cells]) => (
                <tr key={key}>
                  <th scope="row">{label}</th>
                  {cells.map((v, i) => (
                    <td key={c.runs[i]!.runId} className="num" data-testid={`compare-${key}-${c.runs[i]!.runId}`}>
                      {v}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" className="link" onClick={() => saveCsv('runs-metrics', ['metric', ...ids], rows.map(([, l, cells]) => [l, ...cells]))}>
            Export metrics as CSV
          </button>
        </div>
        <div className="table-scroll">
          {c.configDiff.length ? (
            <table className="data-table compact" data-testid="config-diff">
              <caption className="sr-only">Settings that differ between the selected runs</caption>
              <thead>
                <tr>
                  <th scope="col">Setting that differs</th>
                  {ids.map((id) => (
                    <th scope="col" key={id} className="num">
                      {id}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {c.configDiff.map((d) => (
                  <tr key={d.field}>
                    <th scope="row">{d.field}</th>
                    {d.values.map((v, i) => (
                      <td key={ids[i]} className="num">
                        {v === null ? '—' : String(v)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted" data-testid="config-diff">
              The selected runs share every setting.
            </p>
          )}
          {c.configDiff.length ? (
            <button type="button" className="link" onClick={() => saveCsv('runs-config-diff', ['setting', ...ids], c.configDiff.map((d) => [d.field, ...d.values]))}>
              Export settings diff as CSV
            </button>
          ) : null}
        </div>
      </div>
    </section>
  );
}

function HParamsView({ h, metric }: { h: HParams | null; metric: RunMetricName }) {
  const store = useStores().runs;
  const state = useRunsStore((s) => s.hparams);
  const { ref: box, width } = useWidth(800);
  const importance = h?.importance ? h.importance.parameters.slice().sort((a, b) => b.share - a.share) : [];
  return (
    <section className="card" aria-label="Hyperparameters" data-testid="hparams">
      <div className="page-header">
        <h2>HParams</h2>
        <label>
          Metric{' '}
          <select value={metric} onChange={(e) => void store.getState().loadHparams(e.target.value as RunMetricName)}>
            {RUN_METRIC_NAMES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
      </div>
      {state?.status === 'loading' ? <p className="muted">Loading…</p> : null}
      {state?.status === 'failed' ? (
        <p className="error" role="alert">
          {state.error}
        </p>
      ) : null}
      {/* Always mounted, so its width is followed from the start (the figures inside come and go). */}
      <div ref={box}>
      {h ? (
        <div>
          {h.leftOut.length ? <p className="muted small">Left out, without {h.metric}: runs {h.leftOut.join(', ')}.</p> : null}
          {h.dimensions.length && h.runIds.length ? (
            <Exportable name="runs-parallel-coordinates">
              <ParallelCoordinates data={h} lowerIsBetter={LOWER_IS_BETTER.includes(h.metric)} width={width} summary={`Parallel coordinates of ${h.runIds.length} runs over ${h.dimensions.map((d) => d.field).join(', ')} and ${h.metric}.`} />
            </Exportable>
          ) : (
            <p className="muted">The runs with {h.metric} share every setting: nothing to draw.</p>
          )}
          <h3>Importance for {h.metric}</h3>
          {h.importance ? (
            <>
              <table className="data-table compact" data-testid="hparams-importance">
                <thead>
                  <tr>
                    <th scope="col">Setting</th>
                    <th scope="col" className="num">
                      Share
                    </th>
                    <th scope="col">
                      <span className="sr-only">Bar</span>
                    </th>
                    <th scope="col" className="num" title="Mean increase of the forest's out-of-bag squared error when the setting is shuffled, ± its standard error across trees">
                      MSE increase ± se
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {importance.map((q) => (
                    <tr key={q.field}>
                      <th scope="row">{q.field}</th>
                      <td className="num">{pct(q.share)}</td>
                      <td>
                        <span className="importance-bar" style={{ width: `${Math.round(q.share * 160)}px` }} aria-hidden="true" />
                      </td>
                      <td className="num">
                        {q.increase.toExponential(2)} ± {q.standardError.toExponential(1)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {importance.every((q) => q.share === 0) ? (
                <p className="muted" data-testid="hparams-noise">
                  No setting explains {h.metric} beyond noise here: shuffling any of them does not make the forest’s predictions worse.
                </p>
              ) : null}
              <p className="muted small">
                Random-forest permutation importance ({h.importance.trees} trees): how much the forest’s error on runs it did not see grows when a setting is shuffled. Correlated settings share importance; with few runs the figures are rough.
              </p>
              <button type="button" className="link" onClick={() => saveCsv(`runs-importance-${h.metric}`, ['setting', 'share', 'mse_increase', 'standard_error'], importance.map((q) => [q.field, q.share, q.increase, q.standardError]))}>
                Export importance as CSV
              </button>
            </>
          ) : (
            <p className="muted" data-testid="hparams-unavailable">
              {h.importanceUnavailable}
            </p>
          )}
        </div>
      ) : null}
      </div>
    </section>
  );
}

function SeedGroups({ groups }: { groups: SeedGroup[] }) {
  if (!groups.length) return null;
  const cell = (m: SeedGroup['metrics']['accuracy'], f: (v: number) => string) => (m ? `${f(m.mean)}${m.std !== null ? ` ± ${f(m.std)}` : ''}${m.interval ? ` [${f(m.interval.low)}, ${f(m.interval.high)}]` : ''}` : '—');
  const p = (v: number) => (v * 100).toFixed(2);
  return (
    <section className="card" aria-label="Seed groups" data-testid="seed-groups">
      <h2>Seed groups</h2>
      {/* Focusable, so that a table wider than its card scrolls from the keyboard too. */}
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Seed groups table">
      <table className="data-table compact">
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">Runs</th>
            <th scope="col" className="num">
              Accuracy % (mean ± std [95 %])
            </th>
            <th scope="col" className="num">
              Majority %
            </th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.groupId} data-testid="seed-group-row">
              <td>
                #{g.groupId} · {g.name}
              </td>
              <td>{g.members.map((m) => `${m.runId ?? '…'} (${m.status})`).join(', ')}</td>
              <td className="num">{cell(g.metrics.accuracy, p)}</td>
              <td className="num">{cell(g.baselines.majority, p)}</td>
              <td title={g.sentence}>{g.verdicts.find((v) => v.baseline === 'majority')?.verdict ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      <button
        type="button"
        className="link"
        onClick={() =>
          saveCsv(
            'seed-groups',
            ['group', 'source_run', 'seeds', 'evaluated', 'accuracy_mean', 'accuracy_std', 'accuracy_low', 'accuracy_high', 'majority_mean', 'verdict', 'sentence'],
            groups.map((g) => [g.groupId, g.sourceRunId, g.seeds, g.evaluated, g.metrics.accuracy?.mean, g.metrics.accuracy?.std, g.metrics.accuracy?.interval?.low, g.metrics.accuracy?.interval?.high, g.baselines.majority?.mean, g.verdicts.find((v) => v.baseline === 'majority')?.verdict, g.sentence]),
          )
        }
      >
        Export seed groups as CSV
      </button>
    </section>
  );
}

export function RunsPage() {
  const store = useStores().runs;
  const all = useRunsStore((s) => s.all);
  const listError = useRunsStore((s) => s.listError);
  const visible = useRunsStore((s) => s.visible);
  const filter = useRunsStore((s) => s.filter);
  const filterError = useRunsStore((s) => s.filterError);
  const fields = useRunsStore((s) => s.fields);
  const sort = useRunsStore((s) => s.sort);
  const selected = useRunsStore((s) => s.selected);
  const comparison = useRunsStore((s) => s.comparison);
  const hparams = useRunsStore((s) => s.hparams);
  const metric = useRunsStore((s) => s.hparamsMetric);
  const groups = useRunsStore((s) => s.groups);
  const seeds = useRunsStore((s) => s.seeds);
  const ensemble = useRunsStore((s) => s.ensemble);
  const [k, setK] = useState(5);
  const [parallel, setParallel] = useState(1);
  const [weights, setWeights] = useState<'equal' | 'validation'>('equal');

  useEffect(() => store.getState().connect(), [store]);
  useEffect(() => void store.getState().refresh(), [store]);
  const fieldHint = useMemo(() => fields.slice(0, 40).join(', '), [fields]);
  // One finished run selected (an ensemble included): it can be opened where runs are judged.
  const only = selected.length === 1 ? all?.find((r) => r.id === selected[0]) : undefined;
  const openable = only && isFinishedRunStatus(only.status) ? only.id : null;

  const exportTable = () =>
    saveCsv(
      'runs',
      ['id', 'name', 'status', 'model', 'timeframe', 'accuracy', 'accuracy_low', 'accuracy_high', 'majority_accuracy', 'macro_f1', 'log_loss', 'brier', 'sharpe', 'sweep', 'tags'],
      visible.map((r) => [r.summary.id, r.summary.name, r.summary.status, r.summary.model, r.summary.timeframe, r.metrics.accuracy.value, r.metrics.accuracy.low, r.metrics.accuracy.high, r.metrics.majorityAccuracy.value, r.metrics.macroF1, r.metrics.logLoss, r.metrics.brier, r.metrics.sharpe, r.sweepId, r.tags.join(' ')]),
    );

  return (
    <div className="page runs-page">
      <div className="page-header">
        <h1>Runs</h1>
        <div className="actions">
          <button type="button" onClick={exportTable} disabled={!visible.length}>
            Export CSV
          </button>
        </div>
      </div>
      {listError ? (
        <p className="error" role="alert">
          {listError}
        </p>
      ) : null}
      <div className="toolbar runs-toolbar">
        <label htmlFor="runs-filter">Filter</label>
        <input
          id="runs-filter"
          type="search"
          className="runs-filter"
          value={filter}
          placeholder="e.g. model=gru lr<0.01 accuracy>=0.55 tag=best sweep=3"
          onChange={(e) => store.getState().setFilter(e.target.value)}
          aria-describedby="runs-filter-help"
          aria-invalid={filterError ? true : undefined}
          data-testid="runs-filter"
        />
        <span className="muted small" aria-live="polite" data-testid="runs-count">
          {all ? `${visible.length} of ${all.length} runs` : 'Loading…'}
        </span>
      </div>
      <p id="runs-filter-help" className={filterError ? 'error small' : 'muted small'} role={filterError ? 'alert' : undefined}>
        {filterError ?? `Clauses field op value (= != < <= > >= ~), all must hold; bare words match names and tags. Fields: ${fieldHint}${fields.length > 40 ? ', …' : ''}.`}
      </p>
      {all && all.length === 0 ? <p className="muted">No runs yet: train one on the Training page, or run `candela train`.</p> : null}
      {visible.length ? <RunsTable rows={visible} selected={selected} sort={sort} /> : null}
      <div className="inline-controls runs-actions" aria-label="Selected runs">
        <span data-testid="runs-selected">{selected.length} selected</span>
        <button type="button" className="primary" onClick={() => void store.getState().compare()} disabled={!selected.length} data-testid="compare-button">
          Compare
        </button>
        <button type="button" onClick={() => store.getState().select(visible.map((r) => r.summary.id))} disabled={!visible.length}>
          Select all shown
        </button>
        <button type="button" onClick={() => store.getState().select([])} disabled={!selected.length}>
          Clear
        </button>
        {openable !== null ? <OpenRunButtons runId={openable} what="run" /> : null}
        <span className="runs-action-group">
          <label>
            Seeds{' '}
            <input type="number" min={2} max={20} value={k} onChange={(e) => setK(Number(e.target.value))} />
          </label>
          <label>
            at once{' '}
            <input type="number" min={1} max={8} value={parallel} onChange={(e) => setParallel(Number(e.target.value))} />
          </label>
          <button type="button" onClick={() => void store.getState().repeatWithSeeds(selected[0]!, k, parallel)} disabled={selected.length !== 1 || seeds.busy} title="Repeat the selected run with K seeds in all (the run itself is the first)">
            Repeat with seeds
          </button>
        </span>
        <span className="runs-action-group">
          <label>
            Weights{' '}
            <select value={weights} onChange={(e) => setWeights(e.target.value as 'equal' | 'validation')}>
              <option value="equal">equal</option>
              <option value="validation">by validation loss</option>
            </select>
          </label>
          <button type="button" onClick={() => void store.getState().makeEnsemble(weights)} disabled={selected.length < 2 || ensemble.busy} title="Average the selected runs' test probabilities into a new run">
            Make ensemble
          </button>
        </span>
      </div>
      {seeds.error ? (
        <p className="error" role="alert">
          {seeds.error}
        </p>
      ) : seeds.groupId !== null ? (
        <p className="muted" role="status">
          Seed group #{seeds.groupId} started; its runs appear in the table as they train.
        </p>
      ) : null}
      {ensemble.error ? (
        <p className="error" role="alert">
          {ensemble.error}
        </p>
      ) : ensemble.result ? (
        <div className="ensemble-result" data-testid="ensemble-result">
          <p className="ok" role="status">
            Ensemble run #{ensemble.result.runId}: test accuracy {pct(ensemble.result.accuracy)} vs majority {pct(ensemble.result.majorityAccuracy)} ({ensemble.result.verdict ?? 'no verdict'}). It is evaluated and backtested like any run.
          </p>
          <OpenRunButtons runId={ensemble.result.runId} what="ensemble" />
        </div>
      ) : null}
      {comparison?.status === 'loading' ? <p className="muted">Comparing…</p> : null}
      {comparison?.status === 'failed' ? (
        <p className="error" role="alert">
          {comparison.error}
        </p>
      ) : null}
      {comparison?.status === 'ready' ? <Comparison c={comparison.value} /> : null}
      {selected.length >= 2 && hparams ? <HParamsView h={hparams.status === 'ready' ? hparams.value : null} metric={metric} /> : null}
      <SeedGroups groups={groups} />
    </div>
  );
}

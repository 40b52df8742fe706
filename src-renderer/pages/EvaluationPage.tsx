import { useEffect, useMemo, useRef, useState } from 'react';
import type { EvaluationReport, ReportNumber } from '../../src-shared/compute/metrics/evaluationReport.js';
import type { FeatureImportanceReport, FoldMetrics, RunAnalytics } from '../../src-shared/contract/evaluation.js';
import type { Data } from 'plotly.js-cartesian-dist-min';
import { PlotlyChart } from '../components/charts/PlotlyChart.js';
import { EmptyState } from '../components/layout/EmptyState.js';
import { HmmStatesSelect, SymbolScopeSelect } from '../components/RegimeControls.js';
import { RunSelect } from '../components/RunSelect.js';
import { breakevenText } from '../../src-shared/domain/backtestUnits.js';
import { formatInt, formatUtc } from '../format.js';
import { evaluationSelectors } from '../stores/evaluationStore.js';
import { useEvaluationStore, useStores, useTrainingStore } from '../stores/stores.js';
import { trainingSelectors } from '../stores/trainingStore.js';

const COLORS = ['#ef5350', '#e0a63b', '#26a69a', '#4f9cf9', '#ab7df8'];
const pct = (v: ReportNumber | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)} %`);
const fix = (v: ReportNumber | undefined, d = 3) => (v === null || v === undefined ? '—' : v.toFixed(d));

/** One line per metric, shown on hover: what it measures and which way is better. */
const EXPLAIN: Record<string, string> = {
  accuracy: 'Share of test samples whose most likely class is the true one. Higher is better.',
  balancedAccuracy: 'Mean recall over the classes: accuracy that a majority-class guesser cannot inflate.',
  macroF1: 'Mean over classes of the harmonic mean of precision and recall.',
  mcc: 'Matthews correlation: −1 to 1, 0 is chance; robust to class imbalance.',
  kappa: "Cohen's kappa: agreement with the truth beyond what chance alone gives.",
  logLoss: 'Mean negative log probability of the true class. Lower is better; chance for 2 classes is 0.693.',
  brier: 'Mean squared error of the probability vector against the one-hot truth (0–2). Lower is better.',
  macroAuc: 'Area under the one-vs-rest ROC curve, averaged over classes. 0.5 is chance, 1 is perfect ranking.',
  ece: 'Expected calibration error: how far stated confidence is from observed accuracy, weighted by bin size.',
};

function Metric({ label, k, value, baseline }: { label: string; k: string; value: string; baseline?: string }) {
  return (
    <div className="metric-card" title={EXPLAIN[k]}>
      <div className="metric-label-sm">{label}</div>
      <div className="metric-big">{value}</div>
      {baseline ? <div className="muted small">{baseline}</div> : null}
    </div>
  );
}

function Verdict({ r }: { r: EvaluationReport }) {
  const v = r.bootstrap.verdicts.accuracyVsMajority;
  const ci = r.bootstrap.accuracy;
  const base = r.bootstrap.majorityAccuracy;
  return (
    <p className={v === 'better' ? 'verdict ok' : 'verdict warn'} data-testid="verdict">
      {v === 'better' ? 'Better than the majority-class baseline' : 'Not better than baseline'}
      {ci && base ? ` — accuracy 95 % interval ${pct(ci.lower)}–${pct(ci.upper)} vs baseline ${pct(base.lower)}–${pct(base.upper)}` : ''}
    </p>
  );
}

/**
 * Beside the verdict, the cost side: accuracy above a baseline says nothing about fees, so the
 * newest backtest's breakeven fee says at what fee the edge is gone.
 */
function CostCheck({ runId }: { runId: number }) {
  const check = useEvaluationStore(evaluationSelectors.costCheck);
  const { evaluation } = useStores();
  useEffect(() => void evaluation.getState().loadCostCheck(runId), [evaluation, runId]);
  if (!check) return null;
  if (check.error) return <p className="warn small" data-testid="cost-check">The run’s backtests could not be read: {check.error}</p>;
  const bt = check.backtest;
  if (!bt) {
    return (
      <p className="muted small" data-testid="cost-check">
        After costs: no backtest of this run yet. <a href="#/backtests">Backtest it</a> to see the fee at which its edge is gone.
      </p>
    );
  }
  return (
    <p className="small" data-testid="cost-check">
      After costs (backtest #{bt.backtestId}, min confidence {Number((bt.settings.minConfidence * 100).toFixed(1))} %, portfolio return {bt.portfolio.totalReturn === null ? '—' : `${(bt.portfolio.totalReturn * 100).toFixed(2)} %`}): {breakevenText(bt.breakeven, bt.settings.takerFeeBps)}
    </p>
  );
}

function Plots({ r, runId }: { r: EvaluationReport; runId: number }) {
  const cm = r.classification.confusion;
  const confusion = useMemo(
    () => [
      {
        type: 'heatmap',
        z: cm.rowNormalized,
        x: r.classes.map((c) => `pred ${c}`),
        y: r.classes.map((c) => `true ${c}`),
        text: cm.counts.map((row, i) => row.map((n, j) => `${n} (${pct(cm.rowNormalized[i]![j])})`)),
        texttemplate: '%{text}',
        hovertemplate: '%{y} → %{x}: %{text}<extra></extra>',
        colorscale: 'Blues',
        zmin: 0,
        zmax: 1,
      },
    ],
    [r, cm],
  );
  const roc = useMemo(
    () => [
      ...r.roc.perClass.map((c, i) => ({ type: 'scatter', mode: 'lines', name: `${r.classes[i]} AUC ${fix(c.auc)}`, x: c.curve?.fpr ?? [], y: c.curve?.tpr ?? [], line: { color: COLORS[i % COLORS.length] } })),
      { type: 'scatter', mode: 'lines', name: 'chance', x: [0, 1], y: [0, 1], line: { dash: 'dash', color: '#8792a2' } },
    ],
    [r],
  );
  const pr = useMemo(
    () => [
      ...r.precisionRecall.perClass.map((c, i) => ({ type: 'scatter', mode: 'lines', name: `${r.classes[i]} AP ${fix(c.averagePrecision)}`, x: c.curve?.recall ?? [], y: c.curve?.precision ?? [], line: { color: COLORS[i % COLORS.length], shape: 'hv' } })),
      ...r.classes.map((c, i) => {
        const prior = r.support[i]! / Math.max(1, r.samples);
        return { type: 'scatter', mode: 'lines', name: `chance ${c} (${pct(prior)})`, x: [0, 1], y: [prior, prior], line: { dash: 'dot', color: COLORS[i % COLORS.length] }, showlegend: false };
      }),
    ],
    [r],
  );
  const reliability = useMemo(() => {
    const bins = r.calibration.bins.filter((b) => b.count > 0);
    return [
      { type: 'bar', name: 'samples', x: bins.map((b) => (b.lower + b.upper) / 2), y: bins.map((b) => b.count), yaxis: 'y2', marker: { color: '#2a313c' }, hovertemplate: '%{y} samples<extra></extra>' },
      { type: 'scatter', mode: 'lines+markers', name: 'observed accuracy', x: bins.map((b) => b.meanConfidence), y: bins.map((b) => b.accuracy), line: { color: '#4f9cf9' } },
      { type: 'scatter', mode: 'lines', name: 'perfect calibration', x: [0, 1], y: [0, 1], line: { dash: 'dash', color: '#8792a2' } },
    ];
  }, [r]);
  return (
    <div className="plots">
      <PlotlyChart testId="confusion-plot" fileName={`run-${runId}-confusion`} data={confusion} layout={{ title: { text: 'Confusion matrix (row-normalized)' }, yaxis: { autorange: 'reversed', automargin: true }, margin: { l: 90, r: 16, t: 36, b: 44 } }} />
      {/* The legend sits inside the plot's lower right, which ROC curves above the chance line leave empty, instead of under the x axis title. */}
      <PlotlyChart
        testId="roc-plot"
        fileName={`run-${runId}-roc`}
        data={roc}
        layout={{
          title: { text: `ROC (macro AUC ${fix(r.roc.macroAuc)})` },
          xaxis: { title: { text: 'false positive rate' }, range: [0, 1] },
          yaxis: { title: { text: 'true positive rate' }, range: [0, 1] },
          legend: { orientation: 'v', x: 0.98, xanchor: 'right', y: 0.02, yanchor: 'bottom', bgcolor: 'rgba(22,27,34,0.85)' },
        }}
      />
      <PlotlyChart testId="pr-plot" fileName={`run-${runId}-pr`} data={pr} layout={{ title: { text: 'Precision–recall' }, xaxis: { title: { text: 'recall' }, range: [0, 1] }, yaxis: { title: { text: 'precision' }, range: [0, 1.02] }, legend: { orientation: 'h', y: -0.3 }, margin: { l: 56, r: 16, t: 36, b: 70 } }} />
      <PlotlyChart
        testId="reliability-plot"
        fileName={`run-${runId}-reliability`}
        data={reliability}
        // The sample-count axis on the right gets its own margin (automargin: counts in the
        // thousands were clipped to "600") and the title sits left, clear of that axis.
        layout={{
          title: { text: `Reliability (ECE ${fix(r.calibration.expectedCalibrationError)})`, x: 0.02, xanchor: 'left' },
          xaxis: { title: { text: 'confidence' }, range: [0, 1] },
          yaxis: { title: { text: 'accuracy' }, range: [0, 1] },
          yaxis2: { overlaying: 'y', side: 'right', showgrid: false, title: { text: 'samples' }, automargin: true, rangemode: 'tozero', tickformat: '~s' },
          margin: { l: 56, r: 64, t: 36, b: 44 },
          legend: { orientation: 'h', y: -0.25 },
        }}
      />
    </div>
  );
}

function ThresholdExplorer({ r, runId }: { r: EvaluationReport; runId: number }) {
  const sweep = r.confidenceSweep;
  const { backtests } = useStores();
  const [i, setI] = useState(0);
  const t = sweep.thresholds[i] ?? 0;
  const backtestAt = () => {
    // Rounded: thresholds are stepped in floating point (0.6000000000000001), the form shows what is carried.
    void backtests.getState().carryFromEvaluation(runId, Number(t.toFixed(4)));
    window.location.hash = '#/backtests';
  };
  const counts = sweep.confusionCounts[i] ?? [];
  return (
    <section className="card" aria-label="Threshold explorer">
      <h2>Minimum confidence</h2>
      <label className="slider">
        <input type="range" min={0} max={sweep.thresholds.length - 1} value={i} onChange={(e) => setI(Number(e.target.value))} aria-label="Minimum confidence" />
        <span data-testid="threshold-readout">
          ≥ {(t * 100).toFixed(0)} % confidence: {formatInt(sweep.covered[i] ?? 0)} samples ({pct((sweep.covered[i] ?? 0) / Math.max(1, r.samples))} coverage), accuracy {pct(sweep.accuracy[i])}
        </span>
      </label>
      <button onClick={backtestAt} data-testid="backtest-at-threshold">
        Backtest at ≥ {(t * 100).toFixed(0)} %
      </button>
      <table className="data-table compact" aria-label="Confusion at threshold">
        <thead>
          <tr>
            <th />
            {r.classes.map((c) => (
              <th key={c} className="num">pred {c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {counts.map((row, a) => (
            <tr key={a}>
              <th>true {r.classes[a]}</th>
              {row.map((n, b) => (
                <td key={b} className="num">{n ?? '—'}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function PerSymbol({ r }: { r: EvaluationReport }) {
  const [sort, setSort] = useState<{ k: 'symbol' | 'samples' | 'accuracy' | 'macroAuc' | 'majorityAccuracy'; dir: 1 | -1 }>({ k: 'symbol', dir: 1 });
  const rows = [...(r.perSymbol ?? [])].sort((a, b) => {
    const x = a[sort.k];
    const y = b[sort.k];
    if (typeof x === 'string' && typeof y === 'string') return sort.dir * x.localeCompare(y);
    return sort.dir * ((x ?? -1) as number) - sort.dir * ((y ?? -1) as number);
  });
  const head = (k: typeof sort.k, label: string) => (
    <th scope="col" className={k === 'symbol' ? undefined : 'num'} aria-sort={sort.k === k ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="th-button" onClick={() => setSort((s) => ({ k, dir: s.k === k ? ((-s.dir) as 1 | -1) : -1 }))}>
        {label}
        <span aria-hidden="true" className="sort-arrow">
          {sort.k === k ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
        </span>
      </button>
    </th>
  );
  return (
    <table className="data-table" aria-label="Per-symbol metrics" data-testid="per-symbol">
      <thead>
        <tr>
          {head('symbol', 'Symbol')}
          {head('samples', 'Samples')}
          {head('accuracy', 'Accuracy')}
          {head('majorityAccuracy', 'Majority baseline')}
          <th className="num">Persistence</th>
          {head('macroAuc', 'Macro AUC')}
        </tr>
      </thead>
      <tbody>
        {rows.map((s) => (
          <tr key={s.symbol}>
            <td>{s.symbol}</td>
            <td className="num">{formatInt(s.samples)}</td>
            <td className="num">{pct(s.accuracy)}</td>
            <td className="num">{pct(s.majorityAccuracy)}</td>
            <td className="num">{pct(s.persistenceAccuracy)}</td>
            <td className="num">{fix(s.macroAuc)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The same model judged on consecutive quarters of the test period: does the edge hold throughout? */
function Folds({ r, walkForward }: { r: EvaluationReport & { folds?: FoldMetrics[] }; walkForward: boolean }) {
  if (!r.folds?.length) return null;
  return (
    <section className="card" aria-label="Test-period folds" data-testid="folds">
      <h2>{walkForward ? 'Walk-forward folds' : 'Across the test period'}</h2>
      <table className="data-table compact">
        <thead>
          <tr>
            <th>Fold</th>
            <th>From (UTC)</th>
            <th>To (UTC)</th>
            <th className="num">Samples</th>
            <th className="num">Accuracy</th>
            <th className="num">Majority</th>
            <th className="num">Macro AUC</th>
            <th>Verdict</th>
          </tr>
        </thead>
        <tbody>
          {r.folds.map((f) => (
            <tr key={f.fold}>
              <td>{f.fold}</td>
              <td>{formatUtc(f.fromTs)}</td>
              <td>{formatUtc(f.toTs)}</td>
              <td className="num">{formatInt(f.samples)}</td>
              <td className="num">{pct(f.accuracy)}</td>
              <td className="num">{pct(f.majorityAccuracy)}</td>
              <td className="num">{fix(f.macroAuc)}</td>
              <td className={f.verdict === 'better' ? 'ok' : 'warn'}>{f.verdict === 'better' ? 'better' : 'not better than baseline'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        {walkForward ? 'Walk-forward folds: a fresh model per fold, each judged on its own out-of-sample segment.' : 'Consecutive quarters of the test period, same model (no retraining per fold), each from its first to its last bar.'}
        {!walkForward && r.folds.length < 4 ? ' A quarter missing from the table holds fewer than 10 test samples (the test period has gaps, as between datasets of different years).' : ''}
      </p>
    </section>
  );
}

const EXTRA_COLUMN = /^extra(_diff|_pct)?:/;
/** A feature's label in the importance plot: a dataset's own extra column says so, since it is data the market's OHLCV does not carry. */
const featureLabel = (name: string) => (EXTRA_COLUMN.test(name) ? `${name} (extra column)` : name);

/** Which inputs the model leans on: permutation importance on validation, and TFT-lite's own weights. */
function Importance({ r, runId }: { r: EvaluationReport & { importance?: FeatureImportanceReport | null }; runId: number }) {
  const imp = r.importance;
  const data = useMemo(() => {
    if (!imp) return null;
    const order = imp.features.map((_, i) => i).sort((a, b) => imp.logLossIncrease[a]! - imp.logLossIncrease[b]!);
    const top = order.slice(-25);
    const names = top.map((i) => featureLabel(imp.features[i]!));
    const bars = [
      { type: 'bar', orientation: 'h', name: 'log-loss increase when shuffled', y: names, x: top.map((i) => imp.logLossIncrease[i]), marker: { color: '#4f9cf9' }, hovertemplate: '%{y}: +%{x:.4f} nats<extra></extra>' },
      { type: 'bar', orientation: 'h', name: 'accuracy drop', y: names, x: top.map((i) => imp.accuracyDrop[i]), marker: { color: '#e0a63b' }, hovertemplate: '%{y}: −%{x:.3%}<extra></extra>' },
    ];
    const vs = imp.variableSelection
      ? [{ type: 'bar', orientation: 'h', name: 'TFT variable-selection weight', y: names, x: top.map((i) => imp.variableSelection![i]), marker: { color: '#26a69a' }, hovertemplate: '%{y}: %{x:.3f}<extra></extra>' }]
      : [];
    return [...bars, ...vs];
  }, [imp]);
  if (!imp || !data) return null;
  const extras = imp.features.filter((f) => EXTRA_COLUMN.test(f));
  return (
    <section className="card" aria-label="Feature importance" data-testid="importance">
      <PlotlyChart
        testId="importance-plot"
        fileName={`run-${runId}-importance`}
        data={data}
        height={Math.max(260, 22 * Math.min(25, imp.features.length) + 90)}
        layout={{ title: { text: `Feature importance (permutation on ${formatInt(imp.samples)} validation windows)` }, barmode: 'group', margin: { l: 140, r: 16, t: 36, b: 44 }, yaxis: { automargin: true } }}
      />
      {extras.length ? (
        <p className="muted small" data-testid="extra-feature-note">
          Marked “extra column”: {extras.join(', ')}, a dataset’s own column beyond OHLCV (chosen with the run’s extras), not something computed from prices. The model ranks it like any input, so it is only as honest as the column itself
          {extras.some((f) => f.endsWith(':signal')) ? '; in the demo data, extra:signal is the generator’s planted signal, which foretells the next move by design, so it tops this plot by construction.' : '.'}
        </p>
      ) : null}
    </section>
  );
}

type RegimeRows = RunAnalytics['regimes']['trend']['rows'];

function RegimeTable({ label, rows }: { label: string; rows: RegimeRows }) {
  return (
    <>
      {rows
        .filter((r) => r.bars > 0)
        .map((r, i) => (
          <tr key={`${label}-${r.regime}`}>
            <td>{i === 0 ? label : ''}</td>
            <td>{r.regime}</td>
            <td className="num">{formatInt(r.bars)}</td>
            <td className="num">{pct(r.accuracy)}</td>
            <td className="num">{pct(r.majorityAccuracy)}</td>
            <td className="num">{pct(r.persistenceAccuracy)}</td>
          </tr>
        ))}
    </>
  );
}

/**
 * Does the score rank the returns that follow, does the model lean long on some symbols, and in
 * which markets is it right? Computed on demand: it reads the candles again, unlike the stored report.
 */
function SignalQuality({ runId }: { runId: number }) {
  const a = useEvaluationStore(evaluationSelectors.analytics);
  const { evaluation } = useStores();
  const [hmm, setHmm] = useState<2 | 3 | null>(null);
  const [scope, setScope] = useState<string>('');
  useEffect(() => void evaluation.getState().loadAnalytics(runId, hmm), [evaluation, runId, hmm]);
  // While the HMM option recomputes, the previous answer for this run stays on screen: the charts
  // keep their plots rather than being torn down mid-draw and rebuilt.
  const last = useRef<RunAnalytics | null>(null);
  if (a?.status === 'ready') last.current = a.value;
  const v = a?.status === 'ready' ? a.value : a?.status === 'loading' && last.current?.runId === runId ? last.current : null;
  const rowsOf = (kind: { rows: RegimeRows; perSymbol: { symbol: string; rows: RegimeRows }[] }) => (scope ? (kind.perSymbol.find((p) => p.symbol === scope)?.rows ?? []) : kind.rows);
  const monthly = useMemo(() => {
    if (!v) return null;
    const m = v.signalQuality.perMonth;
    return [
      { type: 'bar', name: 'IC', x: m.map((r) => r.month), y: m.map((r) => r.ic), marker: { color: COLORS[3] } },
      { type: 'bar', name: 'Rank IC', x: m.map((r) => r.month), y: m.map((r) => r.rankIc), marker: { color: COLORS[2] } },
    ] as Data[];
  }, [v]);
  const decay = useMemo(() => {
    if (!v) return null;
    const d = v.signalQuality.decay;
    return [
      { type: 'scatter', mode: 'lines+markers', name: 'IC', x: d.map((r) => r.horizon), y: d.map((r) => r.ic), line: { color: COLORS[3] } },
      { type: 'scatter', mode: 'lines+markers', name: 'Rank IC', x: d.map((r) => r.horizon), y: d.map((r) => r.rankIc), line: { color: COLORS[2] } },
    ] as Data[];
  }, [v]);
  return (
    <section className="card" aria-label="Signal quality and regimes" data-testid="signal-quality">
      <h2>Signal quality and regimes</h2>
      {!a || a.status === 'loading' ? <p className="muted">{v ? 'Recomputing with the new regime option…' : 'Computing signal quality and regimes…'}</p> : null}
      {a?.status === 'failed' ? (
        <p className="error" role="alert">
          Signal quality and regimes could not be computed: {a.error}
        </p>
      ) : null}
      {v ? (
        <>
          <div className="metric-cards">
            <div className="metric-card" title="Pearson correlation between the score and the forward log return: how linearly the score tracks the move. 0 is no skill.">
              <div className="metric-label-sm">IC</div>
              <div className="metric-big">{fix(v.signalQuality.overall.ic)}</div>
              <div className="muted small">{formatInt(v.signalQuality.overall.n)} pairs</div>
            </div>
            <div className="metric-card" title="Spearman correlation: the same on ranks, so a few large moves cannot dominate it.">
              <div className="metric-label-sm">Rank IC</div>
              <div className="metric-big">{fix(v.signalQuality.overall.rankIc)}</div>
              <div className="muted small">
                decay {v.signalQuality.decay.map((d) => `${d.horizon}: ${fix(d.rankIc)}`).join(' · ')}
              </div>
            </div>
            {v.signalQuality.magnitude ? (
              <div className="metric-card" title="The magnitude head's predicted forward log return as the score: IC (Pearson) and rank IC (Spearman) against the realised one." data-testid="magnitude-ic">
                <div className="metric-label-sm">Magnitude head IC · rank IC</div>
                <div className="metric-big">
                  {fix(v.signalQuality.magnitude.overall.ic)} · {fix(v.signalQuality.magnitude.overall.rankIc)}
                </div>
                <div className="muted small">{formatInt(v.signalQuality.magnitude.overall.n)} pairs</div>
              </div>
            ) : null}
          </div>
          <p className="muted small">
            Score {v.signalQuality.score} against the log return over the next {v.horizon} bar{v.horizon === 1 ? '' : 's'} (the label horizon). IC: does the score move with the return (Pearson). Rank IC: does it order the returns (Spearman). Decay: rank IC at 1…4 × the horizon.
          </p>
          <div className="analytics-pair">
            <PlotlyChart testId="ic-per-month" fileName={`run-${runId}-ic-per-month`} data={monthly!} layout={{ title: { text: 'IC per month (UTC)' }, barmode: 'group', legend: { orientation: 'h', y: -0.3 }, margin: { l: 56, r: 16, t: 36, b: 70 }, xaxis: { type: 'category' }, yaxis: { title: { text: 'correlation' } } }} height={280} />
            <PlotlyChart testId="ic-decay" fileName={`run-${runId}-ic-decay`} data={decay!} layout={{ title: { text: 'IC decay' }, legend: { orientation: 'h', y: -0.36 }, margin: { l: 56, r: 16, t: 36, b: 80 }, xaxis: { title: { text: 'horizon (bars)' }, dtick: v.horizon }, yaxis: { title: { text: 'correlation' } } }} height={280} />
          </div>
          <table className="data-table compact" aria-label="Signal quality per symbol" data-testid="signal-per-symbol">
            <thead>
              <tr>
                <th>Symbol</th>
                <th className="num">IC</th>
                <th className="num">Rank IC</th>
                <th className="num">UP calls</th>
                <th className="num">95 % interval</th>
                <th className="num">Went up</th>
                <th className="num">Bias</th>
              </tr>
            </thead>
            <tbody>
              {v.signalQuality.perSymbol.map((s) => {
                const b = v.bias.find((x) => x.symbol === s.symbol);
                return (
                  <tr key={s.symbol}>
                    <td>{s.symbol}</td>
                    <td className="num">{fix(s.ic)}</td>
                    <td className="num">{fix(s.rankIc)}</td>
                    <td className="num">{pct(b?.upCallShare)}</td>
                    <td className="num">{b ? `${pct(b.lower)}–${pct(b.upper)}` : '—'}</td>
                    <td className="num">{pct(b?.baseRate)}</td>
                    <td className={`num${b?.biased ? ' warn' : ''}`} title={b?.biased ? 'The share of bars that went up lies outside the interval of the share of UP calls.' : undefined}>
                      {pct(b?.bias)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="inline-controls">
            <SymbolScopeSelect label="Regimes of" allLabel="all symbols" symbols={v.signalQuality.perSymbol.map((s) => s.symbol)} value={scope} onChange={setScope} testId="regime-scope" />
            <HmmStatesSelect value={hmm} onChange={setHmm} testId="hmm-states" />
          </div>
          <table className="data-table compact" aria-label="Accuracy per regime" data-testid="regimes">
            <thead>
              <tr>
                <th>Kind</th>
                <th>Regime</th>
                <th className="num">Bars</th>
                <th className="num">Accuracy</th>
                <th className="num">Majority</th>
                <th className="num" title="The persistence baseline (the move into the bar repeats), over the samples with a previous move.">Persistence</th>
              </tr>
            </thead>
            <tbody>
              <RegimeTable label="Volatility" rows={rowsOf(v.regimes.volatility)} />
              <RegimeTable label="Trend" rows={rowsOf(v.regimes.trend)} />
              {v.regimes.hmm ? <RegimeTable label={`HMM (${v.regimes.hmm.states} states)`} rows={rowsOf(v.regimes.hmm)} /> : null}
            </tbody>
          </table>
          <p className="muted small">
            Volatility: terciles of the trailing {v.regimes.volatility.lookback}-bar volatility, cut points fitted per symbol on the bars before the test period. Trend: the trailing {v.regimes.trend.lookback}-bar return beyond ± a typical move of that length.
            {v.regimes.hmm ? ' HMM: calm to turbulent states by variance, filtered without look-ahead.' : ''} Unknown: the trailing window was not full.
            {v.regimes.hmm?.unfitted.length ? ` HMM not fitted for ${v.regimes.hmm.unfitted.join('; ')}.` : ''}
          </p>
        </>
      ) : null}
    </section>
  );
}

/**
 * The "Report" button: the run's self-contained HTML report (with its newest backtest, if any),
 * saved as a file the browser or the desktop app's save dialog names.
 */
function ReportButton({ runId }: { runId: number }) {
  const { evaluation } = useStores();
  const check = useEvaluationStore(evaluationSelectors.costCheck);
  const [state, setState] = useState<{ busy: 'html' | 'pdf' | null; error: string | null }>({ busy: null, error: null });
  const save = (bytes: BlobPart, type: string, fileName: string) => {
    const url = URL.createObjectURL(new Blob([bytes], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  async function download() {
    setState({ busy: 'html', error: null });
    const r = await evaluation.getState().report(runId, check?.backtest?.backtestId ?? null);
    if ('error' in r) return setState({ busy: null, error: `The report could not be written: ${r.error}` });
    save(r.html, 'text/html', r.fileName);
    setState({ busy: null, error: null });
  }
  async function downloadPdf() {
    setState({ busy: 'pdf', error: null });
    const r = await evaluation.getState().reportPdf(runId, check?.backtest?.backtestId ?? null);
    if ('error' in r) return setState({ busy: null, error: `The PDF could not be printed: ${r.error}` });
    save(r.pdf as Uint8Array<ArrayBuffer>, 'application/pdf', r.fileName);
    setState({ busy: null, error: null });
  }
  return (
    <>
      <button onClick={() => void download()} disabled={state.busy !== null} data-testid="report-button" title="One self-contained HTML file: config and lineage, evaluation beside baselines, regimes, signal quality, the newest backtest with Monte Carlo and cost sensitivity, and the caveats.">
        {state.busy === 'html' ? 'Writing report…' : 'Report'}
      </button>
      <button onClick={() => void downloadPdf()} disabled={state.busy !== null} data-testid="report-pdf-button" aria-label="Save the report as PDF" title="The same report printed to PDF by Chromium (the desktop app's own, or the server's), with its sections as bookmarks.">
        {state.busy === 'pdf' ? 'Printing PDF…' : 'PDF'}
      </button>
      {state.error ? (
        <span className="error" role="alert">
          {state.error}
        </span>
      ) : null}
    </>
  );
}

function Headline({ r }: { r: EvaluationReport }) {
  const b = r.baselines;
  return (
    <div className="metric-cards">
      <Metric label="Accuracy" k="accuracy" value={pct(r.classification.accuracy)} baseline={`majority ${pct(b.majority?.accuracy)} · persistence ${pct(b.persistence?.accuracy)}`} />
      <Metric label="Balanced accuracy" k="balancedAccuracy" value={pct(r.classification.balancedAccuracy)} baseline={`majority ${pct(b.majority?.balancedAccuracy)}`} />
      <Metric label="Macro F1" k="macroF1" value={pct(r.classification.macro.f1)} baseline={`majority ${pct(b.majority?.macroF1)}`} />
      <Metric label="MCC" k="mcc" value={fix(r.classification.matthewsCorrelation)} baseline="chance 0" />
      <Metric label="Macro ROC AUC" k="macroAuc" value={fix(r.roc.macroAuc)} baseline={`class prior ${fix(b.classPrior?.macroAuc)}`} />
      <Metric label="Log loss" k="logLoss" value={fix(r.probabilistic.logLoss, 4)} baseline={`class prior ${fix(b.classPrior?.logLoss, 4)}`} />
      <Metric label="Brier" k="brier" value={fix(r.probabilistic.brier, 4)} baseline={`class prior ${fix(b.classPrior?.brier, 4)}`} />
      <Metric label="Calibration error" k="ece" value={fix(r.calibration.expectedCalibrationError)} />
    </div>
  );
}

export function EvaluationPage() {
  const { training, evaluation } = useStores();
  const runs = useTrainingStore((s) => s.runs);
  const runId = useEvaluationStore((s) => s.runId);
  const compareRunId = useEvaluationStore((s) => s.compareRunId);
  const evaluating = useEvaluationStore((s) => s.evaluating);
  const error = useEvaluationStore((s) => s.error);
  const current = useEvaluationStore(evaluationSelectors.current);
  const other = useEvaluationStore(evaluationSelectors.compared);
  const finished = useMemo(() => runs.filter(trainingSelectors.isFinished), [runs]);
  useEffect(() => void training.getState().refresh(), [training]);
  useEffect(() => {
    if (runId === null && finished[0]) void evaluation.getState().select(finished[0].id);
  }, [runId, finished, evaluation]);
  if (finished.length === 0) {
    return (
      <div className="page">
        <h1>Evaluation</h1>
        <EmptyState title="Nothing to evaluate yet" action={<a href="#/training">Go to Training</a>}>
          <p>Finished runs are judged here on their test split against naive baselines: confusion matrix, ROC and PR curves, calibration, per symbol.</p>
        </EmptyState>
      </div>
    );
  }
  return (
    <div className="page evaluation-page">
      <div className="page-header">
        <h1>Evaluation</h1>
        <RunSelect label="Run to evaluate" runs={finished} value={runId} onChange={(id) => void evaluation.getState().select(id)} />
        <RunSelect label="Compare with run" runs={finished.filter((r) => r.id !== runId)} value={compareRunId} onChange={(id) => void evaluation.getState().compareWith(id)} allowNone />
        <div className="actions">
          {runId !== null ? (
            <button onClick={() => void evaluation.getState().evaluate(runId)} disabled={evaluating !== null}>
              {evaluating !== null ? 'Evaluating…' : 'Evaluate again'}
            </button>
          ) : null}
          {current ? <ReportButton runId={current.runId} /> : null}
        </div>
      </div>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {current ? (
        <>
          <p className="muted">
            {formatInt(current.report.samples)} test samples · classes {current.report.classes.join(' / ')} · bootstrap {current.report.bootstrap.resamples}× (block {current.report.bootstrap.blockLength})
          </p>
          <Verdict r={current.report} />
          <CostCheck runId={current.runId} />
          <div className={other ? 'compare' : undefined}>
            <section aria-label={`Run ${runId}`}>
              {other ? <h2>Run #{runId}</h2> : null}
              <Headline r={current.report} />
            </section>
            {other ? (
              <section aria-label={`Run ${compareRunId}`} data-testid="compare-run">
                <h2>Run #{compareRunId}</h2>
                <Headline r={other.report} />
              </section>
            ) : null}
          </div>
          <Plots r={current.report} runId={current.runId} />
          <Folds r={current.report} walkForward={finished.find((x) => x.id === runId)?.validation === 'walk-forward'} />
          <Importance r={current.report} runId={current.runId} />
          <SignalQuality runId={current.runId} />
          <div className="eval-bottom">
            <ThresholdExplorer r={current.report} runId={current.runId} />
            <section className="card" aria-label="Per symbol">
              <h2>Per symbol</h2>
              <PerSymbol r={current.report} />
            </section>
          </div>
        </>
      ) : (
        <p className="muted">{evaluating !== null ? 'Evaluating the run on its test split…' : error ? 'No evaluation to show: the request failed (see above).' : 'Loading…'}</p>
      )}
    </div>
  );
}

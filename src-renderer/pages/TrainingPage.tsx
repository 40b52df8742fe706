import { useEffect, useMemo, useState } from 'react';
import { FEATURE_SET_NAMES, MODEL_KINDS, TRAINING_DEFAULTS, batchPosition, type EpochMetrics, type RunDetail, type TrainingConfigInput, type TrainingPlan } from '../../src-shared/contract/training.js';
import { backendPreferenceSchema, type BackendPreference, type ComputeBackend } from '../../src-shared/contract/system.js';
import { resolveFeatureNames } from '../../src-shared/compute/features/feature-matrix.js';
import { suggestedGpuBatchSize, type BatchShape } from '../../src-shared/domain/gpuBatchSize.js';
import { CurveChart, decimalsFor, type CurveMarker } from '../components/charts/CurveChart.js';
import { emaSmooth } from '../components/charts/smoothing.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { EmptyState } from '../components/layout/EmptyState.js';
import { Sparkline } from '../components/Sparkline.js';
import { TrainingMemory } from '../components/TrainingMemory.js';
import { saveDownload } from '../api/download.js';
import { formatBytes, formatInt, formatUtc } from '../format.js';
import { datasetsSelectors } from '../stores/datasetsStore.js';
import { useDatasetsStore, useStores, useSystemStore, useTrainingStore } from '../stores/stores.js';
import { systemSelectors } from '../stores/systemStore.js';
import { trainingSelectors, type LiveProgress, type TrainingStore } from '../stores/trainingStore.js';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)} %`);

/**
 * The new-run form. It stays mounted while collapsed (`open` false), so what was typed survives
 * looking at a run; the page collapses it when a run is opened or started.
 */
function NewRunForm({ open, onToggle }: { open: boolean; onToggle: () => void }) {
  const datasets = useDatasetsStore((s) => s.datasets);
  const training = useStores().training;
  const { start } = training.getState();
  const busy = useTrainingStore((s) => s.busy);
  const summary = useTrainingStore((s) => s.summary);
  const summaryError = useTrainingStore((s) => s.summaryError);
  const summaryLoading = useTrainingStore((s) => s.summaryLoading);
  const [picked, setPicked] = useState<number[]>([]);
  const plan = useTrainingStore((s) => s.plan);
  const planError = useTrainingStore((s) => s.planError);
  const probed = useSystemStore((s) => s.backend);
  // The form starts from the contract's defaults, the same ones a request without these fields gets.
  const [cfg, setCfg] = useState(() => {
    const { includeExtras: _extras, timeframe: _timeframe, ...rest } = TRAINING_DEFAULTS;
    return rest;
  });
  // '' = the coarsest chosen dataset's timeframe (the service decides and the plan says which).
  const [timeframe, setTimeframe] = useState('');
  const [includeExtras, setIncludeExtras] = useState(TRAINING_DEFAULTS.includeExtras);
  const config = (): TrainingConfigInput => ({ ...cfg, datasetIds: picked, includeExtras, ...(timeframe ? { timeframe } : {}) });
  const configKey = JSON.stringify(config());
  // The plan follows the form: what the run would train on is known before Start.
  useEffect(() => {
    const t = setTimeout(() => void training.getState().loadPlan(picked.length ? (JSON.parse(configKey) as TrainingConfigInput) : null), 200);
    return () => clearTimeout(t);
  }, [configKey, picked.length]);
  // The model summary follows the form too; it starts a short-lived training process, so it waits
  // for the typing to settle a little longer than the plan.
  useEffect(() => {
    if (!picked.length) return;
    const t = setTimeout(() => void training.getState().loadSummary(JSON.parse(configKey) as TrainingConfigInput), 600);
    return () => clearTimeout(t);
  }, [configKey, picked.length]);
  const blocked = !plan || plan.problems.length > 0 || !!planError;
  const num = (k: keyof typeof cfg) => (e: React.ChangeEvent<HTMLInputElement>) => setCfg((c) => ({ ...c, [k]: Number(e.target.value) }));
  const str = (k: keyof typeof cfg) => (e: React.ChangeEvent<HTMLSelectElement>) => setCfg((c) => ({ ...c, [k]: e.target.value }));

  return (
    <section className="card new-run" aria-label="New training run">
      <h2>
        <button className="disclosure" aria-expanded={open} aria-controls="new-run-body" onClick={onToggle}>
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> New run
        </button>
        {!open ? <span className="muted new-run-hint">{picked.length ? `${picked.length} ${picked.length === 1 ? 'dataset' : 'datasets'} chosen · ${cfg.model.toUpperCase()} · ${cfg.epochs} epochs` : 'choose datasets and settings'}</span> : null}
      </h2>
      <div id="new-run-body" hidden={!open}>
      <fieldset className="dataset-pick">
        <legend>Datasets ({picked.length} chosen)</legend>
        <div className="pick-list">
          {datasets.map((d) => (
            <label key={d.id} className="check">
              <input type="checkbox" checked={picked.includes(d.id)} onChange={(e) => setPicked((p) => (e.target.checked ? [...p, d.id] : p.filter((x) => x !== d.id)))} />
              {d.symbol} {d.timeframe} <span className="muted">({formatInt(d.rows)})</span>
            </label>
          ))}
        </div>
        <button className="link" onClick={() => setPicked(datasets.map((d) => d.id))}>
          Choose all
        </button>
      </fieldset>
      <div className="form-grid">
        <label>
          Timeframe
          <select value={timeframe} onChange={(e) => setTimeframe(e.target.value)} aria-label="Timeframe">
            <option value="">coarsest chosen{plan?.timeframe && !timeframe ? ` (${plan.timeframe})` : ''}</option>
            {(plan?.timeframes ?? []).map((t) => (
              <option key={t.timeframe} value={t.timeframe}>
                {t.timeframe}
              </option>
            ))}
            {timeframe && !plan?.timeframes.some((t) => t.timeframe === timeframe) ? <option value={timeframe}>{timeframe}</option> : null}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={includeExtras} onChange={(e) => setIncludeExtras(e.target.checked)} aria-label="Use extra columns" />
          Use extra columns
        </label>
        <label>
          Model
          <select value={cfg.model} onChange={str('model')} aria-label="Model">
            {MODEL_KINDS.map((m) => (
              <option key={m} value={m}>
                {m.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        <label>
          Features
          <select value={cfg.featureSet} onChange={str('featureSet')} aria-label="Feature set">
            {FEATURE_SET_NAMES.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        </label>
        <label>
          Labels
          <select value={cfg.labels} onChange={str('labels')} aria-label="Labels">
            <option value="up-down">UP / DOWN</option>
            <option value="up-flat-down">UP / FLAT / DOWN</option>
          </select>
        </label>
        <label>
          Window (bars)
          <input type="number" min={1} max={512} value={cfg.window} onChange={num('window')} />
        </label>
        <label>
          Horizon (bars)
          <input type="number" min={1} value={cfg.horizon} onChange={num('horizon')} />
        </label>
        <label>
          Hidden units
          <input type="number" min={4} value={cfg.hidden} onChange={num('hidden')} />
        </label>
        <label>
          Epochs
          <input type="number" min={1} value={cfg.epochs} onChange={num('epochs')} aria-label="Epochs" />
        </label>
        <label>
          Batch size
          <input type="number" min={8} value={cfg.batchSize} onChange={num('batchSize')} />
          <GpuBatchHint backend={probed} preference={cfg.backend} batchSize={cfg.batchSize} shape={{ window: cfg.window, hidden: cfg.hidden, features: plan?.features.length ?? resolveFeatureNames(cfg.featureSet).length, heads: 4 }} />
        </label>
        <label>
          Learning rate
          <input type="number" step="0.0001" min={0} value={cfg.lr} onChange={num('lr')} />
        </label>
        <label>
          Seed
          <input type="number" value={cfg.seed} onChange={num('seed')} />
        </label>
        <label>
          Validation
          <select value={cfg.validation} onChange={str('validation')} aria-label="Validation">
            <option value="holdout">train / validation / test</option>
            <option value="walk-forward">purged walk-forward</option>
          </select>
        </label>
        {cfg.validation === 'walk-forward' ? (
          <label>
            Folds
            <input type="number" min={2} max={10} value={cfg.folds} onChange={num('folds')} aria-label="Folds" />
          </label>
        ) : null}
        <label>
          Backend
          <select value={cfg.backend} onChange={str('backend')} aria-label="Backend">
            {backendPreferenceSchema.options.map((b) => (
              <option key={b}>{b}</option>
            ))}
          </select>
        </label>
      </div>
      <div className="modal-actions left">
        <button className="primary" onClick={() => void start(config())} disabled={picked.length === 0 || blocked || busy}>
          Start training
        </button>
      </div>
      {picked.length ? <RunPlan plan={plan} error={planError} /> : null}
      {summaryError && picked.length ? <p className="error">{summaryError}</p> : null}
      {picked.length ? (
        <p className="muted" aria-live="polite" data-testid="model-summary-status">
          {summaryLoading ? 'Updating the model summary for these settings…' : summary ? 'Model summary of these settings:' : ''}
        </p>
      ) : null}
      {summary && picked.length ? (
        <div className={`table-scroll${summaryLoading ? ' stale' : ''}`} data-testid="model-summary">
          <table className="data-table compact" aria-label="Layers and parameters">
            <thead>
              <tr>
                <th>Layer</th>
                <th>Type</th>
                <th>Output shape</th>
                <th className="num">Parameters</th>
              </tr>
            </thead>
            <tbody>
              {summary.layers.map((l) => (
                <tr key={l.name}>
                  <td>{l.name}</td>
                  <td>{l.type}</td>
                  <td>{l.outputShape}</td>
                  <td className="num">{formatInt(l.params)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">
            {formatInt(summary.totalParams)} parameters ({formatInt(summary.trainableParams)} trainable)
          </p>
        </div>
      ) : null}
      </div>
    </section>
  );
}

/** What the run would train on, and what stops it, before Start. */
/**
 * Under the batch size, where the run would train on WebGPU: the largest batch the adapter's
 * per-tensor limit allows for this model (suggestedGpuBatchSize), flagged when the form asks for more.
 */
function GpuBatchHint({ backend, preference, batchSize, shape }: { backend: ComputeBackend | null; preference: BackendPreference; batchSize: number; shape: BatchShape }) {
  const adapter = backend?.adapter;
  const onWebGpu = preference === 'webgpu' || (preference === 'auto' && backend?.name === 'webgpu');
  if (!adapter || !onWebGpu) return null;
  const limit = suggestedGpuBatchSize(adapter, shape);
  return (
    <span className={`small ${batchSize > limit ? 'warn' : 'muted'}`} data-testid="gpu-batch-hint">
      {batchSize > limit ? 'Too large for ' : 'Fits '}
      {adapter.description.split(':')[0]}: up to {limit} for this model
    </span>
  );
}

function RunPlan({ plan, error }: { plan: TrainingPlan | null; error: string | null }) {
  if (error) return <p className="error" role="alert">{error}</p>;
  if (!plan) return <p className="muted">Checking the chosen datasets…</p>;
  const extras = plan.extraColumns.length;
  return (
    <div className="run-plan" data-testid="run-plan" aria-label="Run plan">
      {plan.problems.length ? (
        <ul className="error" role="alert">
          {plan.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      <p>
        {plan.timeframe ? (
          <>
            Trains on <strong>{plan.timeframe}</strong> bars ·{' '}
            <span title={plan.features.join(', ')}>
              {plan.features.length} input {plan.features.length === 1 ? 'column' : 'columns'}
            </span>
            {extras ? ` (${extras} extra: ${plan.extraColumns.join(', ')})` : ''}
          </>
        ) : (
          'No timeframe all chosen datasets can reach.'
        )}
      </p>
      <div className="table-scroll">
        <table className="data-table compact" aria-label="Datasets in the run">
          <thead>
            <tr>
              <th>Dataset</th>
              <th>Bars</th>
              <th className="num">Bars at {plan.timeframe ?? '—'}</th>
              <th className="num">Train / val / test samples</th>
            </tr>
          </thead>
          <tbody>
            {plan.datasets.map((d) => (
              <tr key={d.id}>
                <td>
                  {d.symbol} <span className="muted">#{d.id}</span>
                </td>
                <td>{d.rolledUp ? `${d.sourceTimeframe}, rolled up` : d.sourceTimeframe}</td>
                <td className="num">{formatInt(d.bars)}</td>
                <td className="num">{d.samples ? `${formatInt(d.samples.train)} / ${formatInt(d.samples.val)} / ${formatInt(d.samples.test)}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {plan.extrasLeftOut.length ? (
        <details>
          <summary>
            {plan.extrasLeftOut.length} extra {plan.extrasLeftOut.length === 1 ? 'column' : 'columns'} left out
          </summary>
          <ul>
            {plan.extrasLeftOut.map((x) => (
              <li key={x.column}>
                <code>{x.column}</code>: {x.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

function ResourcePanel() {
  const samples = useSystemStore((s) => s.resources);
  const latest = useSystemStore(systemSelectors.latestSample);
  const backend = useSystemStore(systemSelectors.backendLabel);
  return (
    <section className="card resources-mini" aria-label="Resources" data-testid="training-resources">
      <h2>Machine</h2>
      <p className="muted">{backend}</p>
      <div className="metric">
        <span className="metric-label">CPU</span>
        <span className="metric-value">{latest ? `${latest.cpuPct.toFixed(0)} %` : '…'}</span>
        <Sparkline values={samples.map((s) => s.cpuPct)} max={100} label="CPU usage" width={180} height={32} format={(v) => `${v.toFixed(0)} %`} />
      </div>
      <div className="metric">
        <span className="metric-label">RAM</span>
        <span className="metric-value">{latest ? formatBytes(latest.memUsedBytes) : '…'}</span>
        <Sparkline values={samples.map((s) => s.memUsedBytes)} max={latest?.memTotalBytes ?? 1} label="Memory use" width={180} height={32} format={formatBytes} />
      </div>
      <div className="metric">
        <span className="metric-label">GPU</span>
        <span className="metric-sub">{latest?.gpus?.length ? latest.gpus.map((g) => `${g.name} ${g.utilizationPct} % · ${g.memoryUsedMiB} MiB`).join(', ') : (latest?.gpuNote ?? '…')}</span>
      </div>
      <TrainingMemory samples={samples} latest={latest} compact />
    </section>
  );
}

/** Downloads the run's model.json, weights.bin and preprocessing.json (Electron shows a save dialog). */
async function exportModel(training: TrainingStore, runId: number) {
  const files = await training.getState().exportModel(runId);
  for (const f of files ?? []) saveDownload(`run-${runId}-${f.name}`, [Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))]);
}

const COLORS = { batch: '#4f9cf9', train: '#9cc9ff', val: '#e0a63b', lr: '#6cc08b', rate: '#c58af9' };

/** "2 h 05 min", "3 min 07 s", "12 s". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

const fmt = (v: number | null | undefined, digits = 3) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));

/** The wall clock, ticking once a second while `ticking`. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [ticking]);
  return ticking ? Math.max(now, Date.now() - 1000) : now;
}

/**
 * The epoch early stopping keeps: the lowest validation loss so far (of the current fold for a
 * walk-forward run, whose folds train separate models), or the run's own once it has finished.
 */
function bestEpochOf(run: RunDetail, epochs: readonly EpochMetrics[]): number | null {
  if (run.bestEpoch !== null) return run.bestEpoch;
  const last = epochs.at(-1);
  if (!last) return null;
  const perFold = run.config.epochs;
  const foldStart = run.validation === 'walk-forward' ? Math.floor((last.epoch - 1) / perFold) * perFold + 1 : 1;
  let best: EpochMetrics | null = null;
  for (const e of epochs) if (e.epoch >= foldStart && e.valLoss !== null && (best === null || e.valLoss < best.valLoss!)) best = e;
  return best?.epoch ?? null;
}

/** Seconds an epoch takes: the mean of the last three finished ones (validation included), else from the live throughput. */
function secondsPerEpoch(run: RunDetail, epochs: readonly EpochMetrics[], progress: LiveProgress | undefined): number | null {
  const timed = epochs.filter((e) => e.seconds !== null && e.seconds > 0).slice(-3);
  if (timed.length) return timed.reduce((a, e) => a + e.seconds!, 0) / timed.length;
  if (progress && progress.samplesPerSec && progress.samplesPerSec > 0) return (progress.batches * run.config.batchSize) / progress.samplesPerSec;
  return null;
}

/** "first → last" of a series, for the charts' text summaries. */
const span = (values: readonly (number | null)[]) => {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length ? `${fmt(v[0])} → ${fmt(v.at(-1))}` : null;
};

/**
 * The selected run's cockpit: what it is doing now (epoch, batch, throughput, elapsed, ETA), its
 * loss per batch (raw faint, smoothed on top) and per epoch with validation, accuracy, learning
 * rate and throughput, and the best epoch early stopping keeps.
 */
function RunCockpit({ run, smoothing, onSmoothing }: { run: RunDetail; smoothing: number; onSmoothing: (v: number) => void }) {
  const live = useTrainingStore((s) => s.progress[run.id]);
  const training = useStores().training;
  const { control, remove } = training.getState();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const epochs = useMemo(() => [...run.epochs].sort((a, b) => a.epoch - b.epoch), [run.epochs]);
  const active = trainingSelectors.isActive(run);
  const running = run.status === 'running';
  const progress = active ? live : undefined;
  const now = useNow(running);
  const best = bestEpochOf(run, epochs);
  const batches = run.batchHistory;
  const lastBatch = batches.at(-1);
  const position = progress ? batchPosition(progress) : lastBatch && active ? batchPosition(lastBatch) : epochs.at(-1)?.epoch ?? 0;

  const batchSeries = useMemo(() => {
    const pts = batches.filter((b) => b.loss !== null).map((b) => ({ x: batchPosition(b), y: b.loss! }));
    const smooth = emaSmooth(pts.map((p) => p.y), smoothing);
    return { raw: pts, smooth: pts.map((p, i) => ({ x: p.x, y: smooth[i]! })), rate: batches.filter((b) => b.samplesPerSec !== null).map((b) => ({ x: batchPosition(b), y: b.samplesPerSec! })) };
  }, [batches, smoothing]);

  const perEpoch = (pick: (e: EpochMetrics) => number | null) => epochs.filter((e) => pick(e) !== null).map((e) => ({ x: e.epoch, y: pick(e)! }));
  const markers: CurveMarker[] = best !== null ? [{ x: best, label: `${run.status === 'early-stopped' ? 'early stop · best' : 'best'} epoch ${best}` }] : [];

  const elapsedMs = run.startedAt === null ? null : (running || run.status === 'paused' ? now : (run.endedAt ?? now)) - run.startedAt;
  const perEpochSeconds = secondsPerEpoch(run, epochs, progress);
  const etaMs = running && perEpochSeconds !== null ? Math.max(0, run.epochsPlanned - position) * perEpochSeconds * 1000 : null;
  const samplesPerSec = progress?.samplesPerSec ?? epochs.at(-1)?.samplesPerSec ?? null;
  const epochNow = progress ? progress.epoch : Math.min(run.epochsDone + (active ? 1 : 0), run.epochsPlanned);
  const doneFraction = run.epochsPlanned > 0 ? Math.min(1, position / run.epochsPlanned) : 0;
  const bestMetrics = best !== null ? epochs.find((e) => e.epoch === best) : undefined;
  const c = run.config;

  const lossSummary = [
    `Loss of run ${run.name}.`,
    epochs.length ? `Per epoch: train ${span(epochs.map((e) => e.trainLoss)) ?? '—'}, validation ${span(epochs.map((e) => e.valLoss)) ?? '—'} over ${epochs.length} ${epochs.length === 1 ? 'epoch' : 'epochs'}${best !== null ? `, best epoch ${best}` : ''}.` : 'No epoch finished yet.',
    batchSeries.raw.length ? `Per batch: ${span(batchSeries.raw.map((p) => p.y))} over ${formatInt(batchSeries.raw.length)} reports, smoothed ${span(batchSeries.smooth.map((p) => p.y))}.` : '',
  ].join(' ');
  const accSummary = epochs.length
    ? `Accuracy of run ${run.name}: train ${span(epochs.map((e) => e.trainAcc))}, validation ${span(epochs.map((e) => e.valAcc))} over ${epochs.length} ${epochs.length === 1 ? 'epoch' : 'epochs'}${best !== null ? `, best epoch ${best}` : ''}.`
    : 'Accuracy: no epoch finished yet.';
  const lrSummary = epochs.length ? `Learning rate of run ${run.name}: ${epochs.map((e) => e.lr).filter((v) => v !== null).map((v) => v!.toPrecision(3)).join(', ')} over epochs 1 to ${epochs.at(-1)!.epoch}.` : 'Learning rate: no epoch finished yet.';
  const epochRates = perEpoch((e) => e.samplesPerSec);
  const rateSummary = batchSeries.rate.length
    ? `Throughput of run ${run.name}: ${formatInt(Math.round(batchSeries.rate[0]!.y))} → ${formatInt(Math.round(batchSeries.rate.at(-1)!.y))} samples per second${epochRates.length ? `; per whole epoch ${epochRates.map((p) => formatInt(Math.round(p.y))).join(', ')}` : ''}.`
    : 'Throughput: no batch reported yet.';
  const epochWait = progress ? `Measured at the end of each epoch; epoch ${progress.epoch} is ${Math.round((progress.batch / Math.max(1, progress.batches)) * 100)} % done.` : 'No epoch finished.';

  return (
    <section className="card run-panel cockpit" aria-label={`Run ${run.name}`} id="run-cockpit" data-testid="run-cockpit">
      <div className="page-header">
        <h2>
          {run.name} <span className={`status status-${run.status}`} data-testid="run-status">{run.status}</span>
        </h2>
        <div className="actions">
          {running ? <button onClick={() => void control('pause', run.id)}>Pause</button> : null}
          {run.status === 'paused' || run.resumable ? <button className="primary" onClick={() => void control('resume', run.id)}>Resume</button> : null}
          {active ? <button className="danger" onClick={() => void control('stop', run.id)}>Stop</button> : null}
          {run.test ? <button onClick={() => void exportModel(training, run.id)}>Export model</button> : null}
          {!active ? <button onClick={() => setConfirmDelete(true)}>Delete</button> : null}
        </div>
      </div>
      {run.failure ? <p className="error" role="alert">{run.failure}</p> : null}
      <p className="muted" data-testid="run-settings">
        {run.model.toUpperCase()} · {run.datasets.map((d) => `${d.symbol} ${d.timeframe}`).join(', ')} · {run.timeframe} bars · window {c.window} · batch size {formatInt(c.batchSize)} · learning rate {c.lr} ({c.schedule}) · patience {c.patience}
        {run.validation === 'walk-forward' ? ` · walk-forward, ${c.folds} folds × ${c.epochs} epochs` : ''} · backend {run.backend?.split(' — ')[0] ?? '…'} · started {formatUtc(run.startedAt)} UTC
        {run.modelSummary ? ` · ${formatInt(run.modelSummary.totalParams)} parameters` : ''}
      </p>
      <dl className="cockpit-stats" data-testid="cockpit-stats">
        <div>
          <dt>Epoch</dt>
          <dd data-testid="stat-epoch">
            {epochNow} of {run.epochsPlanned}
            {progress?.fold !== undefined ? <span className="muted"> · fold {progress.fold + 1} of {c.folds}</span> : null}
          </dd>
        </div>
        <div>
          <dt>Batch</dt>
          <dd data-testid="stat-batch">{progress ? `${formatInt(progress.batch)} of ${formatInt(progress.batches)}` : lastBatch ? `${formatInt(lastBatch.batches)} per epoch` : '—'}</dd>
        </div>
        <div>
          <dt>Loss (epoch mean)</dt>
          <dd>{progress ? fmt(progress.loss, 4) : fmt(epochs.at(-1)?.trainLoss, 4)}</dd>
        </div>
        <div>
          <dt>Samples/s</dt>
          <dd data-testid="stat-rate">{samplesPerSec !== null ? formatInt(Math.round(samplesPerSec)) : '—'}</dd>
        </div>
        <div>
          <dt>Elapsed</dt>
          <dd data-testid="stat-elapsed">{elapsedMs !== null ? formatDuration(elapsedMs) : '—'}</dd>
        </div>
        <div>
          <dt title="At the pace of the last epochs, if the run trains all its epochs; early stopping may end it sooner.">ETA</dt>
          <dd data-testid="stat-eta">{etaMs !== null ? formatDuration(etaMs) : run.status === 'paused' ? 'paused' : active ? '…' : 'finished'}</dd>
        </div>
        <div>
          <dt>Best epoch</dt>
          <dd data-testid="stat-best">{best !== null ? `${best} · val loss ${fmt(bestMetrics?.valLoss, 4)} · val acc ${pct(bestMetrics?.valAcc)}` : '—'}</dd>
        </div>
      </dl>
      {active ? (
        <div className="cockpit-progress" data-testid="epoch-progress">
          <progress max={1} value={doneFraction} aria-label="Run progress" />
          <span className="muted">{Math.round(doneFraction * 100)} % of the run</span>
        </div>
      ) : null}
      <div className="cockpit-controls">
        <label>
          Smoothing
          <input type="range" min={0} max={0.99} step={0.01} value={smoothing} onChange={(e) => onSmoothing(Number(e.target.value))} aria-valuetext={smoothing.toFixed(2)} />
          <output>{smoothing.toFixed(2)}</output>
        </label>
        <span className="muted">per-batch loss: the mean of the batches between reports (about ten a second), raw faint, smoothed as in TensorBoard</span>
      </div>
      <div className="cockpit-charts">
        <CurveChart
          title="Loss"
          testId="loss-chart"
          xTitle="epoch"
          yTitle="loss"
          xMinSpan={Math.max(0.01, position)}
          summary={lossSummary}
          empty="Waiting for the first batch…"
          markers={markers}
          series={[
            { name: 'train per batch (raw)', color: COLORS.batch, style: 'faint', points: batchSeries.raw, hideInLegend: true },
            { name: 'train per batch', color: COLORS.batch, style: 'line', points: batchSeries.smooth },
            { name: 'train (epoch)', color: COLORS.train, style: 'dots', points: perEpoch((e) => e.trainLoss) },
            { name: 'validation', color: COLORS.val, style: 'dots', points: perEpoch((e) => e.valLoss) },
          ]}
        />
        <CurveChart
          title="Accuracy"
          testId="accuracy-chart"
          xTitle="epoch"
          yTitle="accuracy"
          xMin={1}
          summary={accSummary}
          empty={epochWait}
          markers={markers}
          yFormat={(v, step) => `${(v * 100).toFixed(decimalsFor(step * 100))} %`}
          series={[
            { name: 'train', color: COLORS.train, style: 'dots', points: perEpoch((e) => e.trainAcc) },
            { name: 'validation', color: COLORS.val, style: 'dots', points: perEpoch((e) => e.valAcc) },
          ]}
        />
        <CurveChart
          title="Learning rate"
          testId="lr-chart"
          xTitle="epoch"
          yTitle="learning rate"
          xMin={1}
          height={180}
          summary={lrSummary}
          empty={epochWait}
          series={[{ name: `${c.optimizer} · ${c.schedule}`, color: COLORS.lr, style: 'dots', points: perEpoch((e) => e.lr) }]}
        />
        <CurveChart
          title="Throughput"
          testId="throughput-chart"
          xTitle="epoch"
          yTitle="samples/s"
          xMinSpan={Math.max(0.01, position)}
          height={180}
          summary={rateSummary}
          empty="Waiting for the first batch…"
          yFormat={(v) => formatInt(Math.round(v))}
          series={[
            { name: 'samples/s (epoch so far)', color: COLORS.rate, style: 'line', points: batchSeries.rate },
            // The figure the Samples/s card shows once an epoch ends: batch reports come about ten a
            // second, so a short epoch's last one can sit well before its end and well below its rate.
            { name: 'samples/s (whole epoch)', color: COLORS.rate, style: 'dots', points: epochRates },
          ]}
        />
      </div>
      {run.test ? (
        <p data-testid="run-test">
          Test accuracy <strong>{pct(run.test.accuracy)}</strong> vs majority-class baseline {pct(run.test.baselineAccuracy)} on {formatInt(run.test.samples)} samples
          {run.bestEpoch !== null ? ` · best epoch ${run.bestEpoch}` : ''}
          {run.verdict ? <span className={`badge ${run.verdict === 'better' ? 'ok' : 'warn'}`}> {run.verdict}</span> : null}
        </p>
      ) : null}
      {confirmDelete ? (
        <ConfirmDialog
          title={`Delete run ${run.name}?`}
          body="Its curves, checkpoints and results are removed from the workspace."
          confirmLabel="Delete run"
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() => {
            setConfirmDelete(false);
            void remove(run.id);
          }}
        />
      ) : null}
    </section>
  );
}

export function TrainingPage() {
  const runs = useTrainingStore((s) => s.runs);
  const selectedId = useTrainingStore((s) => s.selectedId);
  const detail = useTrainingStore((s) => s.detail);
  const error = useTrainingStore((s) => s.error);
  const noData = useDatasetsStore(datasetsSelectors.isEmpty);
  const training = useStores().training;
  useEffect(() => void training.getState().refresh(), [training]);
  // Open while no run is; opening or starting a run folds it away, so the run is what the page shows.
  const [formOpen, setFormOpen] = useState(() => selectedId === null);
  useEffect(() => {
    if (selectedId !== null) setFormOpen(false);
  }, [selectedId]);
  // TensorBoard's default weight.
  const [smoothing, setSmoothing] = useState(0.6);
  const openRun = (runId: number) => {
    void training.getState().select(runId);
    document.getElementById('run-cockpit')?.scrollIntoView({ block: 'start' });
  };

  if (noData) {
    return (
      <div className="page">
        <h1>Training</h1>
        <EmptyState title="No data to train on yet" action={<a href="#/datasets">Go to Datasets</a>}>
          <p>Import OHLCV files or generate a demo workspace on the Datasets page first.</p>
        </EmptyState>
      </div>
    );
  }
  return (
    <div className="page training-page">
      <h1>Training</h1>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {detail ? <RunCockpit run={detail} smoothing={smoothing} onSmoothing={setSmoothing} /> : null}
      <div className="training-grid">
        <NewRunForm open={formOpen} onToggle={() => setFormOpen((o) => !o)} />
        <ResourcePanel />
      </div>
      <section className="card" aria-label="Runs">
        <h2>Runs</h2>
        {runs.length === 0 ? (
          <p className="muted">No runs yet. Choose datasets under New run and start one; its loss and accuracy appear at the top of this page live.</p>
        ) : (
          <div className="table-wide" tabIndex={0} role="region" aria-label="Runs table">
          <table className="data-table" aria-label="Training runs">
            <thead>
              <tr>
                <th>Run</th>
                <th>Status</th>
                <th className="num">Epochs</th>
                <th className="num">Val acc</th>
                <th className="num">Test acc / baseline</th>
                <th>Backend</th>
                <th>Created (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} data-testid="run-row" className={r.id === selectedId ? 'selected' : undefined} onClick={() => openRun(r.id)} tabIndex={0} onKeyDown={(e) => e.key === 'Enter' && openRun(r.id)}>
                  <td>{r.name}</td>
                  <td className={`status-${r.status}`}>{r.status}</td>
                  <td className="num">
                    {r.epochsDone}/{r.epochsPlanned}
                  </td>
                  <td className="num">{pct(r.lastValAcc)}</td>
                  <td className="num">
                    {r.test ? `${pct(r.test.accuracy)} / ${pct(r.test.baselineAccuracy)}` : '—'}
                    {r.verdict === 'not better than baseline' ? <span className="badge warn"> not better than baseline</span> : r.verdict === 'better' ? <span className="badge ok"> better</span> : null}
                  </td>
                  {/* The backend's short name; why not a faster one is in the tooltip and the run panel. */}
                  <td title={r.backend ?? undefined}>{r.backend?.split(' — ')[0] ?? '—'}</td>
                  <td className="nowrap">{formatUtc(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        )}
      </section>
    </div>
  );
}

import { useEffect, useState } from 'react';
import { FEATURE_SET_NAMES, MODEL_KINDS, TRAINING_DEFAULTS, type RunDetail, type TrainingConfigInput, type TrainingPlan } from '../../src-shared/contract/training.js';
import { LineChart } from '../components/charts/LineChart.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { EmptyState } from '../components/layout/EmptyState.js';
import { Sparkline } from '../components/Sparkline.js';
import { saveDownload } from '../api/download.js';
import { formatBytes, formatInt, formatUtc } from '../format.js';
import { datasetsSelectors } from '../stores/datasetsStore.js';
import { useDatasetsStore, useStores, useSystemStore, useTrainingStore } from '../stores/stores.js';
import { systemSelectors } from '../stores/systemStore.js';
import { trainingSelectors, type TrainingStore } from '../stores/trainingStore.js';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)} %`);

function NewRunForm() {
  const datasets = useDatasetsStore((s) => s.datasets);
  const training = useStores().training;
  const { start, loadSummary } = training.getState();
  const busy = useTrainingStore((s) => s.busy);
  const summary = useTrainingStore((s) => s.summary);
  const summaryError = useTrainingStore((s) => s.summaryError);
  const [picked, setPicked] = useState<number[]>([]);
  const plan = useTrainingStore((s) => s.plan);
  const planError = useTrainingStore((s) => s.planError);
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
  const blocked = !plan || plan.problems.length > 0 || !!planError;
  const num = (k: keyof typeof cfg) => (e: React.ChangeEvent<HTMLInputElement>) => setCfg((c) => ({ ...c, [k]: Number(e.target.value) }));
  const str = (k: keyof typeof cfg) => (e: React.ChangeEvent<HTMLSelectElement>) => setCfg((c) => ({ ...c, [k]: e.target.value }));

  return (
    <section className="card" aria-label="New training run">
      <h2>New run</h2>
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
            {['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'].map((b) => (
              <option key={b}>{b}</option>
            ))}
          </select>
        </label>
      </div>
      <div className="modal-actions left">
        <button onClick={() => void loadSummary(config())} disabled={picked.length === 0}>
          Show model summary
        </button>
        <button className="primary" onClick={() => void start(config())} disabled={picked.length === 0 || blocked || busy}>
          Start training
        </button>
      </div>
      {picked.length ? <RunPlan plan={plan} error={planError} /> : null}
      {summaryError ? <p className="error">{summaryError}</p> : null}
      {summary ? (
        <div className="table-scroll" data-testid="model-summary">
          <table className="data-table compact" aria-label="Model summary">
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
    </section>
  );
}

/** What the run would train on, and what stops it, before Start. */
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
    </section>
  );
}

/** Downloads the run's model.json, weights.bin and preprocessing.json (Electron shows a save dialog). */
async function exportModel(training: TrainingStore, runId: number) {
  const files = await training.getState().exportModel(runId);
  for (const f of files ?? []) saveDownload(`run-${runId}-${f.name}`, [Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))]);
}

function RunPanel({ run }: { run: RunDetail }) {
  const progress = useTrainingStore((s) => s.progress[run.id]);
  const training = useStores().training;
  const { control, remove } = training.getState();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const epochs = [...run.epochs].sort((a, b) => a.epoch - b.epoch);
  const active = trainingSelectors.isActive(run);
  return (
    <section className="card run-panel" aria-label={`Run ${run.name}`}>
      <div className="page-header">
        <h2>
          {run.name} <span className={`status status-${run.status}`} data-testid="run-status">{run.status}</span>
        </h2>
        <div className="actions">
          {run.status === 'running' ? <button onClick={() => void control('pause', run.id)}>Pause</button> : null}
          {run.status === 'paused' || run.resumable ? <button className="primary" onClick={() => void control('resume', run.id)}>Resume</button> : null}
          {active ? <button className="danger" onClick={() => void control('stop', run.id)}>Stop</button> : null}
          {run.test ? <button onClick={() => void exportModel(training, run.id)}>Export model</button> : null}
          {!active ? <button onClick={() => setConfirmDelete(true)}>Delete</button> : null}
        </div>
      </div>
      {run.failure ? <p className="error" role="alert">{run.failure}</p> : null}
      <p className="muted">
        {run.model.toUpperCase()} · {run.datasets.map((d) => `${d.symbol} ${d.timeframe}`).join(', ')} · backend {run.backend ?? '…'} · started {formatUtc(run.startedAt)}
      </p>
      {run.status === 'running' && progress ? (
        <div data-testid="epoch-progress">
          <progress max={progress.batches} value={progress.batch} aria-label="Epoch progress" />
          <span className="muted">
            {progress.fold !== undefined ? `Fold ${progress.fold + 1} · ` : ''}Epoch {progress.epoch} of {run.epochsPlanned} · batch {progress.batch}/{progress.batches} · loss {progress.loss?.toFixed(4) ?? '—'} · {formatInt(Math.round(progress.samplesPerSec ?? 0))} samples/s
          </span>
        </div>
      ) : null}
      <div className="curves">
        <LineChart
          title="Loss"
          testId="loss-chart"
          series={[
            { name: 'train', color: '#4f9cf9', points: epochs.map((e) => ({ x: e.epoch, y: e.trainLoss })) },
            { name: 'validation', color: '#e0a63b', points: epochs.map((e) => ({ x: e.epoch, y: e.valLoss })) },
          ]}
        />
        <LineChart
          title="Accuracy"
          testId="accuracy-chart"
          series={[
            { name: 'train', color: '#4f9cf9', points: epochs.map((e) => ({ x: e.epoch, y: e.trainAcc })) },
            { name: 'validation', color: '#e0a63b', points: epochs.map((e) => ({ x: e.epoch, y: e.valAcc })) },
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
      {run.modelSummary ? <p className="muted">{formatInt(run.modelSummary.totalParams)} parameters</p> : null}
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
      <div className="training-grid">
        <NewRunForm />
        <ResourcePanel />
      </div>
      <section className="card" aria-label="Runs">
        <h2>Runs</h2>
        {runs.length === 0 ? (
          <p className="muted">No runs yet. Choose datasets above and start one; its loss and accuracy appear here live.</p>
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
                <tr key={r.id} data-testid="run-row" className={r.id === selectedId ? 'selected' : undefined} onClick={() => void training.getState().select(r.id)} tabIndex={0} onKeyDown={(e) => e.key === 'Enter' && void training.getState().select(r.id)}>
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
      {detail ? <RunPanel run={detail} /> : null}
    </div>
  );
}

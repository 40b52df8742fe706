import { useEffect } from 'react';
import { Sparkline } from '../components/Sparkline.js';
import { TrainingMemory } from '../components/TrainingMemory.js';
import { resolveFeatureNames } from '../../src-shared/compute/features/feature-matrix.js';
import { TRAINING_DEFAULTS } from '../../src-shared/contract/training.js';
import type { GpuAdapter } from '../../src-shared/contract/system.js';
import { BACKEND_REQUIREMENTS_DOC, fasterBackendHint } from '../../src-shared/domain/fasterBackendHint.js';
import { suggestedGpuBatchSize } from '../../src-shared/domain/gpuBatchSize.js';
import { formatBytes, formatPct } from '../format.js';
import { useStores, useSystemStore } from '../stores/stores.js';
import { systemSelectors } from '../stores/systemStore.js';

/** The models' default attention heads (models/config.ts), for the batch-size suggestion. */
const DEFAULT_HEADS = 4;

/** The WebGPU adapter: what it is, whether it is a real GPU, and the batch its limits allow. */
function GpuAdapterDetails({ adapter, inUse }: { adapter: GpuAdapter; inUse: boolean }) {
  const shape = { window: TRAINING_DEFAULTS.window, features: resolveFeatureNames(TRAINING_DEFAULTS.featureSet).length, hidden: TRAINING_DEFAULTS.hidden, heads: DEFAULT_HEADS };
  return (
    <dl className="kv" data-testid="gpu-adapter">
      <dt>WebGPU adapter</dt>
      <dd data-testid="gpu-adapter-description">
        {adapter.description} ({adapter.hardware ? 'hardware GPU' : 'software: computes on the CPU'}){inUse ? ', training uses it' : ', not used for training'}
      </dd>
      <dt>Vendor</dt>
      <dd>
        {adapter.vendor} · {adapter.architecture}
      </dd>
      <dt>Largest tensor</dt>
      <dd>{formatBytes(adapter.maxStorageBufferBindingSize)} per storage buffer</dd>
      <dt>Suggested batch</dt>
      <dd data-testid="gpu-batch-suggestion">
        up to {suggestedGpuBatchSize(adapter, shape)} for the default model (window {shape.window}, hidden {shape.hidden}); larger windows or models take less. WebGPU does not report total GPU memory.
      </dd>
    </dl>
  );
}

export function SystemPage() {
  const info = useSystemStore((s) => s.info);
  const backend = useSystemStore((s) => s.backend);
  const samples = useSystemStore((s) => s.resources);
  const latest = useSystemStore(systemSelectors.latestSample);
  const error = useSystemStore((s) => s.error);
  const system = useStores().system;
  // The workspace grows while the app runs: refresh its size whenever the page opens.
  useEffect(() => void system.getState().loadInfo(), [system]);

  return (
    <div className="page system-page">
      <h1>System</h1>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <div className="cards">
        <section className="card" aria-label="Resources">
          <h2>Resources</h2>
          <div className="metric">
            <span className="metric-label">CPU</span>
            <span className="metric-value" data-testid="cpu-pct">{latest ? formatPct(latest.cpuPct) : '…'}</span>
            <span className="metric-sub">{latest ? `${latest.cpuCount} cores` : ''}</span>
          </div>
          <Sparkline values={samples.map((s) => s.cpuPct)} max={100} label="CPU usage over the last two minutes" format={(v) => `${v.toFixed(0)} %`} />
          <div className="metric">
            <span className="metric-label">Memory</span>
            <span className="metric-value" data-testid="ram-used">{latest ? `${formatBytes(latest.memUsedBytes)} / ${formatBytes(latest.memTotalBytes)}` : '…'}</span>
            <span className="metric-sub">{latest ? `Candela process ${formatBytes(latest.processRssBytes)}` : ''}</span>
          </div>
          <Sparkline values={samples.map((s) => s.memUsedBytes)} max={latest?.memTotalBytes ?? 1} label="Memory use over the last two minutes" format={formatBytes} />
          <div className="metric">
            <span className="metric-label">GPU</span>
            {latest?.gpus?.length ? (
              latest.gpus.map((g) => (
                <span key={g.name} className="metric-value">
                  {g.name}: {formatPct(g.utilizationPct)} · {g.memoryUsedMiB} / {g.memoryTotalMiB} MiB
                </span>
              ))
            ) : (
              <span className="metric-sub" data-testid="gpu-note">{latest?.gpuNote ?? '…'}</span>
            )}
          </div>
          <TrainingMemory samples={samples} latest={latest} />
        </section>
        <section className="card" aria-label="Compute backend">
          <h2>Compute backend</h2>
          {backend ? (
            <>
              <p data-testid="backend-label" className={backend.gpuInUse ? 'ok' : undefined}>{backend.label}</p>
              {fasterBackendHint(backend) ? (
                <p className="muted small" data-testid="backend-hint">
                  {fasterBackendHint(backend)} Drivers and what happens without them: {BACKEND_REQUIREMENTS_DOC}.
                </p>
              ) : null}
              {backend.adapter ? <GpuAdapterDetails adapter={backend.adapter} inUse={backend.name === 'webgpu'} /> : null}
              <ul className="attempts">
                {backend.attempts.map((a) => (
                  <li key={a.backend} className={a.ok ? 'ok' : 'muted'}>
                    <strong>{a.backend}</strong> {a.ok ? 'loaded' : `— ${a.error ?? 'not tried'}`}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="muted">Probing backends (tfjs-node-gpu → webgpu → tfjs-node → wasm → cpu)…</p>
          )}
        </section>
        <section className="card" aria-label="Versions and workspace">
          <h2>Workspace</h2>
          {info ? (
            <dl className="kv">
              <dt>Folder</dt>
              <dd data-testid="workspace-path">{info.workspace.path}</dd>
              <dt>Database size</dt>
              <dd>{formatBytes(info.workspace.dbBytes)}</dd>
              <dt>Schema</dt>
              <dd>version {info.workspace.schemaVersion}</dd>
              <dt>Candela</dt>
              <dd>{info.versions.candela}</dd>
              <dt>Node</dt>
              <dd>{info.versions.node}</dd>
              {info.versions.electron ? (
                <>
                  <dt>Electron</dt>
                  <dd>{info.versions.electron}</dd>
                </>
              ) : null}
              <dt>SQLite</dt>
              <dd>{info.versions.sqlite}</dd>
              <dt>TensorFlow.js</dt>
              <dd>{info.versions.tfjs ?? 'not installed'}</dd>
              <dt>Platform</dt>
              <dd>{info.versions.platform}</dd>
            </dl>
          ) : error ? (
            <p className="muted">Not available: the request failed (see above).</p>
          ) : (
            <p className="muted">Loading…</p>
          )}
        </section>
      </div>
    </div>
  );
}

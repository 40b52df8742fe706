import type { ResourceSample } from '../../src-shared/contract/system.js';
import { formatBytes } from '../format.js';
import { Sparkline } from './Sparkline.js';

/** Bytes the running training processes hold in GPU memory, by their backends' own accounting. */
const gpuTensorBytes = (s: ResourceSample): number => (s.training ?? []).reduce((sum, t) => sum + (t.onGpu ? (t.bytesAllocated ?? t.bytesInUse) : 0), 0);

/**
 * Tensor memory of each running training process, live: WebGPU reports no device memory, so this
 * is the backend's own count (tensors in use, and GPU buffers held). Nothing while no run trains.
 */
export function TrainingMemory({ samples, latest, compact = false }: { samples: ResourceSample[]; latest: ResourceSample | null; compact?: boolean }) {
  const runs = latest?.training ?? [];
  if (!runs.length) return null;
  const onGpu = runs.some((t) => t.onGpu);
  return (
    <div className="metric" data-testid="training-memory">
      <span className="metric-label">{onGpu ? 'GPU tensors' : 'Tensors'}</span>
      {runs.map((t) => (
        <span key={t.runId} className={compact ? 'metric-sub' : 'metric-value'}>
          Run {t.runId} · {t.backend}: {formatBytes(t.bytesInUse)} in use{t.bytesAllocated !== null ? `, ${formatBytes(t.bytesAllocated)} allocated` : ''}
        </span>
      ))}
      {onGpu ? (
        <Sparkline values={samples.map(gpuTensorBytes)} max={Math.max(1, ...samples.map(gpuTensorBytes))} label="GPU memory held by training" width={compact ? 180 : undefined} height={compact ? 32 : undefined} format={formatBytes} />
      ) : null}
    </div>
  );
}

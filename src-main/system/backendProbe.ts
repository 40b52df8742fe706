import type { BackendPreference, ComputeBackend } from '../../src-shared/contract/system.js';
import { describeBackend, selectBackend } from '../training/backends/selectBackend.js';
import { describeTrainingThreads, plannedTrainingThreads } from '../training/loop/dataParallel.js';

/**
 * Loads the backends in order (tfjs-node-gpu → webgpu → tfjs-node → wasm → cpu) in THIS process and reports
 * which one training would use and why. The CLI and training processes call this; the app and the
 * server call `probeBackendInChild` (backendProbeChild.ts) so tfjs never loads into their main process.
 */
export async function probeBackendHere(preference: BackendPreference = 'auto'): Promise<ComputeBackend> {
  const chosen = await selectBackend(preference);
  const planned = plannedTrainingThreads(chosen.name);
  return {
    name: chosen.name,
    gpuInUse: chosen.gpu.inUse,
    // selectBackend already joins the reasons the GPU paths (CUDA, WebGPU) were not used.
    reason: chosen.gpu.reason,
    // With the data-parallel threads a run may train on (wasm, cpu): "… · CPU × up to 8 threads — …"
    // (a small model takes fewer), or "× 8 threads" when CANDELA_TRAIN_THREADS fixed the count.
    label: describeTrainingThreads(describeBackend(chosen), planned.threads, { upTo: !planned.fixed }),
    attempts: chosen.attempts.map((a) => ({ backend: a.backend, ok: a.ok, ...(a.error ? { error: a.error } : {}) })),
    adapter: chosen.adapter,
  };
}

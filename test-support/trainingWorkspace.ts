/**
 * A real workspace for tests that train: services on the built training worker (forked Node
 * processes, wasm backend), a dispatcher over them, and a generated market imported into it.
 * Shared by the tests that train a small run and then read it through the contract.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGeneratedMarket, type GenerateOptions } from '../src-main/datasets/writeGeneratedMarket.js';
import { buildHandlers, createDispatcher } from '../src-main/ipc/dispatch.js';
import type { Services } from '../src-main/services/createServices.js';
import type { TrainingConfigInput } from '../src-shared/contract/training.js';
import { forkTrainingProcess, type TrainingProcess } from '../src-main/training/host/trainingProcess.js';
import { repoPath } from './fixtures.js';
import { createHeadlessServices, fixedBackend } from './headlessServices.js';

/** The bundle the training tests run (`npm run build` writes it; check it with `builtFiles`). */
export const TRAINING_WORKER = 'dist/main/training-worker.mjs';

export interface TrainingWorkspace {
  /** The temporary folder; the workspace is `ws` inside it. */
  dir: string;
  services: Services;
  dispatch: ReturnType<typeof createDispatcher>;
  /** Every training process started, in order (a test may kill one). */
  spawned: TrainingProcess[];
  datasetIds: number[];
  /** Starts a run through the contract (`training.start`) and returns its id; a refusal throws its sentence. */
  start(config: TrainingConfigInput): Promise<number>;
  close(): Promise<void>;
}

/**
 * `beforeImport` may change the generated files first (rename one, say, so that its name makes it
 * a perpetual contract).
 */
export async function trainingWorkspace(prefix: string, market: Omit<GenerateOptions, 'outDir'>, beforeImport?: (generatedDir: string) => void): Promise<TrainingWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const spawned: TrainingProcess[] = [];
  const services = await createHeadlessServices(join(dir, 'ws'), {
    probeBackend: async () => fixedBackend('wasm'),
    trainingWorkerScript: repoPath(TRAINING_WORKER),
    spawnTrainingProcess: (script) => {
      const p = forkTrainingProcess(script);
      spawned.push(p);
      return p;
    },
  });
  const dispatch = createDispatcher(buildHandlers(), { services, transport: 'websocket' });
  const out = join(dir, 'gen');
  await writeGeneratedMarket({ ...market, outDir: out });
  beforeImport?.(out);
  await services.datasets.whenFinished((await services.datasets.startImport([out])).jobId);
  return {
    dir,
    services,
    dispatch,
    spawned,
    datasetIds: (await services.db.listDatasets()).map((d) => d.id),
    async start(config) {
      const started = await dispatch('training.start', { config });
      if (!started.ok) throw new Error(started.error.message);
      return (started.value as { runId: number }).runId;
    },
    async close() {
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

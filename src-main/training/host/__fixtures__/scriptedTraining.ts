/**
 * Services on a real workspace whose training processes are scripted stand-ins (no tfjs): each
 * one sends the host whatever the test's current script sends, once the host has spoken to it.
 * For tests of what the host does with a process's messages.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHeadlessServices, fixedBackend } from '../../../../test-support/headlessServices.js';
import { writeGeneratedMarket } from '../../../datasets/writeGeneratedMarket.js';
import type { Services } from '../../../services/createServices.js';
import type { TrainingProcess } from '../trainingProcess.js';

export type ProcessScript = (send: (m: unknown) => void) => void;

/** A training process that sends what the script sends, whatever the host asked. */
export function scriptedProcess(script: ProcessScript): TrainingProcess {
  let onMessage: (m: unknown) => void = () => {};
  let onExit: (code: number | null, signal: string | null) => void = () => {};
  let alive = true;
  return {
    pid: undefined,
    send: () => setImmediate(() => script((m) => alive && onMessage(m))),
    onMessage: (l) => (onMessage = l),
    onExit: (l) => (onExit = l),
    kill: () => {
      if (!alive) return;
      alive = false;
      setImmediate(() => onExit(null, 'SIGKILL'));
    },
  };
}

export interface ScriptedWorkspace {
  services: Services;
  /** One generated 1h dataset of 600 bars. */
  datasetIds: number[];
  close(): Promise<void>;
}

/** `currentScript` is read each time a process starts, so a test can change what the next run's process sends. */
export async function scriptedWorkspace(prefix: string, currentScript: () => ProcessScript): Promise<ScriptedWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const services = await createHeadlessServices(join(dir, 'ws'), {
    probeBackend: async () => fixedBackend('wasm'),
    // Never run: the scripted process stands in for it.
    trainingWorkerScript: join(dir, 'training-worker.mjs'),
    spawnTrainingProcess: () => scriptedProcess((send) => currentScript()(send)),
  });
  await writeGeneratedMarket({ symbols: 1, bars: 600, timeframe: '1h', seed: 4, signal: 0, outDir: join(dir, 'gen') });
  await services.datasets.whenFinished((await services.datasets.startImport([join(dir, 'gen')])).jobId);
  return {
    services,
    datasetIds: (await services.db.listDatasets()).map((d) => d.id),
    async close() {
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

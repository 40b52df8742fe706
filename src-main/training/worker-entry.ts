/**
 * The training process: one per run, started by the TrainingService as an Electron
 * utilityProcess (desktop) or a forked Node child (server, CLI). It reads the run's candles from
 * the workspace read-only, trains, checkpoints, and reports over the process channel; the host
 * writes everything to the workspace. A crash here ends only this process.
 */
import type { TrainingConfig } from '../../src-shared/contract/training.js';
import { resolveFeatureNames } from '../../src-shared/compute/features/index.js';
import type { FeatureSetName } from '../../src-shared/compute/features/index.js';
import { openWorkspaceDb, type Db } from '../db/connection.js';
import { extraColumnNames } from '../db/queries/datasets.js';
import { loadTrainingCandles } from '../db/queries/trainingData.js';
import { workspaceDbPath } from '../workspace/location.js';
import { timeframeToMs } from '../../src-shared/domain/timeframe.js';
import { selectBackend } from './backends/selectBackend.js';
import { buildModel, modelSummary } from './models/index.js';
import { modelConfigOf, trainingRunConfig } from './loop/runConfig.js';
import { predictTestOfRun, runTraining, type TrainingIo } from './loop/runTraining.js';
import { checkHostMessage, type ControlMessage, type HostToWorker, type MarketPathsMessage, type PredictTestMessage, type StartMessage, type WorkerToHost } from './protocol.js';
import { predictMarketPaths } from './loop/marketPaths.js';
import { THREAD_CAP_ENV } from './loop/dataParallel.js';

interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;

const send = (message: WorkerToHost): void => {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
};
/** Hands on only what passes the protocol's guard; anything else is answered, never acted on. */
const onMessage = (listener: (m: HostToWorker) => void): void => {
  const receive = (raw: unknown): void => {
    const checked = checkHostMessage(raw);
    if (checked.ok) listener(checked.message);
    else refuse(checked.error);
  };
  if (parentPort) parentPort.on('message', (e) => receive(e.data));
  else process.on('message', receive);
};

let controlHandler: ((m: ControlMessage) => void) | null = null;
let started = false;

/**
 * Before a run has started, a refused message is the only one this process will get: it says why
 * and ends. A refused control message of a running run is reported on stderr and the run goes on,
 * since one garbled pause must not cost the epochs already trained.
 */
function refuse(reason: string): void {
  if (started) {
    process.stderr.write(`candela training process: ${reason}\n`);
    return;
  }
  send({ type: 'failed', reason });
  setTimeout(() => process.exit(1), 2000).unref();
}

async function summarize(config: TrainingConfig, workspaceDir: string): Promise<void> {
  await selectBackend(config.backend === 'auto' ? 'auto' : config.backend);
  let extras = config.extraColumns?.length ?? 0;
  // A config from before runs recorded their extra columns used all of the first dataset's.
  if (config.extraColumns === undefined && config.includeExtras) {
    const db = openWorkspaceDb(workspaceDbPath(workspaceDir), { readonly: true });
    try {
      extras = extraColumnNames(db, config.datasetIds[0]!).length;
    } finally {
      db.close();
    }
  }
  const run = trainingRunConfig(config);
  const features = resolveFeatureNames(config.featureSet as FeatureSetName).length + extras;
  const classes = config.labels === 'up-flat-down' ? 3 : 2;
  const model = buildModel(modelConfigOf(run, { window: config.window, features, classes }));
  send({ type: 'summary', summary: modelSummary(model) });
  model.dispose();
}

/** Reads a run's candles at its timeframe from the workspace, read-only; the database opens on first use. */
function candleReader(m: StartMessage | PredictTestMessage | MarketPathsMessage): { loadCandles: TrainingIo['loadCandles']; close(): void } {
  let db: Db | null = null;
  return {
    loadCandles(datasetId) {
      db ??= openWorkspaceDb(workspaceDbPath(m.workspaceDir), { readonly: true });
      const timeframeMs = m.config.timeframe === undefined ? undefined : (timeframeToMs(m.config.timeframe) ?? undefined);
      const loaded = loadTrainingCandles(db, datasetId, { ...(timeframeMs === undefined ? {} : { timeframeMs }), ...(m.config.extraColumns ? { extraColumns: m.config.extraColumns } : {}) });
      if (!loaded) throw new Error(`Dataset ${datasetId} no longer exists${timeframeMs === undefined ? '' : ` or has no ${m.config.timeframe} bars`}.`);
      return loaded;
    },
    close: () => (db as Db | null)?.close(),
  };
}

async function train(m: StartMessage): Promise<void> {
  // This process trains one run: its host's cap on threads is read where the threads are chosen
  // (a cap, not a count: a small model still takes fewer); a CANDELA_TRAIN_THREADS the user set wins.
  if (m.threads !== undefined) process.env[THREAD_CAP_ENV] = String(m.threads);
  const reader = candleReader(m);
  const end = await runTraining(
    trainingRunConfig(m.config),
    {
      loadCandles: reader.loadCandles,
      send,
      onControl(handler) {
        controlHandler = handler;
      },
    },
    { checkpointDir: m.checkpointDir, resume: m.resume, ...(m.test ? { test: m.test } : {}) },
  );
  reader.close();
  // The host ends this process once it has the last message; exit anyway if it does not.
  setTimeout(() => process.exit(end.type === 'failed' ? 1 : 0), 2000).unref();
}

onMessage((m) => {
  if (m.type === 'summary') {
    summarize(m.config, m.workspaceDir).catch((e: Error) => send({ type: 'failed', reason: e.message }));
  } else if (m.type === 'predictTest') {
    if (started) return;
    started = true;
    const reader = candleReader(m);
    void predictTestOfRun(trainingRunConfig(m.config), { loadCandles: reader.loadCandles, send }, { checkpointDir: m.checkpointDir }).then((end) => {
      reader.close();
      setTimeout(() => process.exit(end.type === 'failed' ? 1 : 0), 2000).unref();
    });
  } else if (m.type === 'marketPaths') {
    if (started) return;
    started = true;
    const reader = candleReader(m);
    const { paths, seed, blockLength, noiseFraction } = m;
    void predictMarketPaths(trainingRunConfig(m.config), { loadCandles: reader.loadCandles, send }, { checkpointDir: m.checkpointDir }, { paths, seed, blockLength, noiseFraction }).then((end) => {
      reader.close();
      setTimeout(() => process.exit(end.type === 'failed' ? 1 : 0), 2000).unref();
    });
  } else if (m.type === 'start') {
    if (started) return;
    started = true;
    void train(m);
  } else if (controlHandler) {
    // A 'resume' here continues a run paused in this same process.
    controlHandler(m);
  }
});

process.on('uncaughtException', (e) => {
  send({ type: 'failed', reason: `The training process crashed: ${e.message}` });
  process.exit(1);
});

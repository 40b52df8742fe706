/**
 * One training run from config to test figures: backend, candles, data preparation, the loop
 * with its checkpoints and controls, test predictions and final artifacts. The training child
 * process entry only adapts its IPC channel and the workspace database to {@link TrainingIo}.
 */
import { join } from 'node:path';

import type { OhlcvColumns } from '../../../src-shared/compute/features/index.js';
import { sampleCount } from '../../../src-shared/compute/sampling/index.js';
import { describeBackend, selectBackend } from '../backends/selectBackend.js';
import { modelSummary } from '../models/index.js';
import { findCheckpoint } from './checkpoint.js';
import { writeFinalArtifacts } from './finalArtifacts.js';
import type { LoopOptions, LoopOutcome } from './loopTypes.js';
import { predictTest, testAccuracy } from './predictTest.js';
import { prepareTrainingData, type TrainingInput } from './prepareTrainingData.js';
import { dataSpecOf, loopSettingsOf, validateTrainingRunConfig, type TrainingRunConfig } from './runConfig.js';
import { TrainingLoop } from './trainingLoop.js';
import type { ControlMessage, WorkerToHost } from './worker-protocol.js';

/** What a run needs from its process. */
export interface TrainingIo {
  /** A dataset's candles (with its extra columns) and its symbol. */
  loadCandles(datasetId: number): Promise<{ symbol: string; candles: OhlcvColumns }> | { symbol: string; candles: OhlcvColumns };
  send(message: WorkerToHost): void;
  /** Registers the handler of pause / stop / resume messages; called once, before anything slow. */
  onControl(handler: (message: ControlMessage) => void): void;
}

/** Where the run keeps its files, and whether it continues from its newest checkpoint. */
export interface RunPlace {
  /** The run's folder: checkpoints in it, final artifacts in `final/`. */
  checkpointDir: string;
  /** Continue from the newest checkpoint; a run without one (killed before its first epoch) starts over. */
  resume?: boolean;
}

/** The last message of a run: 'finished' or 'failed' (also sent through io). */
export type RunEnd = Extract<WorkerToHost, { type: 'finished' } | { type: 'failed' }>;

const FINAL_DIR = 'final';

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Runs a training run to its end and reports through `io`: 'ready', 'prepared', then 'progress',
 * 'epoch', 'checkpoint' (and 'paused' while paused), and finally 'finished' or 'failed'. Never
 * throws: a failure is reported as 'failed' with its reason.
 */
export async function runTraining(config: TrainingRunConfig, io: TrainingIo, place: RunPlace): Promise<RunEnd> {
  let loop: TrainingLoop | null = null;
  let stopRequested = false;
  let pauseRequested = false;
  let wake: ((next: 'resume' | 'stop') => void) | null = null;
  const end = (message: RunEnd): RunEnd => {
    io.send(message);
    return message;
  };

  io.onControl((message) => {
    if (message.type === 'pause') {
      pauseRequested = true;
      loop?.pause();
    } else if (message.type === 'stop') {
      stopRequested = true;
      loop?.stop();
      wake?.('stop');
    } else {
      pauseRequested = false;
      wake?.('resume');
    }
  });

  try {
    const problems = validateTrainingRunConfig(config);
    if (problems.length > 0) return end({ type: 'failed', reason: problems.join(' ') });

    const backend = await selectBackend(config.backend);
    io.send({ type: 'ready', backend: backend.name, gpu: backend.gpu.inUse, description: describeBackend(backend) });

    // One dataset at a time: the candles of all of them never need to be held twice.
    const inputs: TrainingInput[] = [];
    for (const datasetId of config.datasets) inputs.push({ datasetId, ...(await io.loadCandles(datasetId)) });
    const data = prepareTrainingData(inputs, dataSpecOf(config));
    inputs.length = 0;

    const options: LoopOptions = {
      checkpointDir: place.checkpointDir,
      onProgress: (p) => io.send({ type: 'progress', ...p }),
      onEpoch: (metrics) => io.send({ type: 'epoch', metrics }),
      onCheckpoint: (path, epoch) => io.send({ type: 'checkpoint', path, epoch }),
    };
    loop =
      place.resume && findCheckpoint(place.checkpointDir)
        ? await TrainingLoop.resumeFromCheckpoint(place.checkpointDir, data, options)
        : new TrainingLoop(data, loopSettingsOf(config, data), options);
    io.send({
      type: 'prepared',
      samples: { train: sampleCount(data.train), val: sampleCount(data.val), test: sampleCount(data.test) },
      featureNames: data.featureNames,
      classNames: data.classNames,
      symbols: data.symbols,
      summary: modelSummary(loop.model),
    });
    // Controls that arrived while the data was being prepared.
    if (stopRequested) loop.stop();
    else if (pauseRequested) loop.pause();

    let outcome: LoopOutcome = await loop.run();
    while (outcome.status === 'paused') {
      io.send({ type: 'paused', epoch: outcome.history.length });
      const next = stopRequested ? 'stop' : await new Promise<'resume' | 'stop'>((resolve) => (wake = resolve));
      wake = null;
      if (next === 'stop') loop.stop();
      outcome = await loop.run();
    }

    const predictions = predictTest(loop.model, data);
    const test = testAccuracy(predictions, data.classes);
    const artifactsDir = await writeFinalArtifacts(join(place.checkpointDir, FINAL_DIR), loop.model, data, predictions);
    return end({ type: 'finished', status: outcome.status, bestEpoch: outcome.bestEpoch, test, artifactsDir });
  } catch (error) {
    return end({ type: 'failed', reason: reasonOf(error) });
  } finally {
    loop?.dispose();
  }
}

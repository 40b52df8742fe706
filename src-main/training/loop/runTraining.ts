/**
 * One training run from config to test figures: backend, candles, data preparation, the loop
 * with its checkpoints and controls, test predictions and final artifacts. The training child
 * process entry only adapts its IPC channel and the workspace database to {@link TrainingIo}.
 */
import { runSymbolLabels } from './runSymbols.js';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { OhlcvColumns } from '../../../src-shared/compute/features/index.js';
import { sampleCount } from '../../../src-shared/compute/sampling/index.js';
import { describeBackend, selectBackend } from '../backends/selectBackend.js';
import { recurrentKernelVariant } from '../kernels/recurrentKernels.js';
import { describeTrainingThreads, fitThreadsToWorkload, trainingThreads, type TrainingThreading } from './dataParallel.js';
import { modelSummary } from '../models/index.js';
import { NEXT_RETURN_FILE, PREDICTIONS_FILE, PREPROCESSING_FILE, readTestPredictions, VALIDATION_DIR } from './artifactFiles.js';
import { findCheckpoint, readModelFiles, writeModelFiles } from './checkpoint.js';
import { preprocessingOf, writeFinalArtifacts, writeImportance, writeTestPredictions } from './finalArtifacts.js';
import type { LoopOptions, LoopOutcome } from './loopTypes.js';
import { mergeFoldPredictions, predictTest, predictValidation, testAccuracy, type TestPredictions } from './predictTest.js';
import { prepareTrainingData, prepareWalkForwardData, type PreparedData, type TrainingInput } from './prepareTrainingData.js';
import { dataSpecOf, loopSettingsOf, type TrainingRunConfig } from './runConfig.js';
import { TrainingLoop } from './trainingLoop.js';
import type { ControlMessage, FinishStatus, WorkerToHost } from '../protocol.js';

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
  /** 'sealed' (a sweep's trial): predict the validation split, never the test split, and end with 'validated'. */
  test?: 'predict' | 'sealed';
}

/** The last message of a run: 'finished', 'validated' (sealed) or 'failed' (also sent through io). */
export type RunEnd = Extract<WorkerToHost, { type: 'finished' } | { type: 'validated' } | { type: 'failed' }>;

const FINAL_DIR = 'final';
/** Walk-forward fold k (from 0) keeps its checkpoints in `fold-<k+1>/`, its test predictions in `fold-<k+1>/test/`. */
const foldDir = (checkpointDir: string, k: number): string => join(checkpointDir, `fold-${k + 1}`);

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The run's control state, shared by the control handler and whichever loop is training. */
interface Controls {
  loop: TrainingLoop | null;
  stopRequested: boolean;
  pauseRequested: boolean;
  wake: ((next: 'resume' | 'stop') => void) | null;
}

/** Hands a new loop the controls that arrived before it existed, then runs it through pauses to its end. */
async function runLoop(loop: TrainingLoop, controls: Controls, io: TrainingIo, epochOffset: number): Promise<LoopOutcome & { status: FinishStatus }> {
  controls.loop = loop;
  if (controls.stopRequested) loop.stop();
  else if (controls.pauseRequested) loop.pause();
  let outcome: LoopOutcome = await loop.run();
  while (outcome.status === 'paused') {
    io.send({ type: 'paused', epoch: epochOffset + outcome.history.length });
    const next = controls.stopRequested ? 'stop' : await new Promise<'resume' | 'stop'>((resolve) => (controls.wake = resolve));
    controls.wake = null;
    if (next === 'stop') loop.stop();
    outcome = await loop.run();
  }
  return { ...outcome, status: outcome.status };
}

/**
 * Runs a training run to its end and reports through `io`: 'ready', 'prepared', then 'progress',
 * 'epoch', 'checkpoint' (and 'paused' while paused), and finally 'finished' or 'failed'. Never
 * throws: a failure is reported as 'failed' with its reason. A walk-forward config
 * (`data.validation`) trains one fresh model per fold, see {@link runWalkForward}.
 */
export async function runTraining(config: TrainingRunConfig, io: TrainingIo, place: RunPlace): Promise<RunEnd> {
  const controls: Controls = { loop: null, stopRequested: false, pauseRequested: false, wake: null };
  const end = (message: RunEnd): RunEnd => {
    io.send(message);
    return message;
  };

  io.onControl((message) => {
    if (message.type === 'pause') {
      controls.pauseRequested = true;
      controls.loop?.pause();
    } else if (message.type === 'stop') {
      controls.stopRequested = true;
      controls.loop?.stop();
      controls.wake?.('stop');
    } else {
      controls.pauseRequested = false;
      controls.wake?.('resume');
    }
  });

  try {
    const backend = await selectBackend(config.backend);
    const machineThreading = trainingThreads(backend.name);
    // Which recurrent kernels a run used explains its speed (and its last bits: FMA rounds once).
    const recurrentKernels = (): string => {
      if ((backend.name !== 'wasm' && backend.name !== 'cpu') || (config.model.kind !== 'lstm' && config.model.kind !== 'gru')) return '';
      const variant = recurrentKernelVariant();
      return variant ? ` · fused ${variant === 'relaxed' ? 'relaxed-SIMD (FMA)' : 'SIMD'} ${config.model.kind.toUpperCase()} kernels` : '';
    };
    const announce = (threads: number): void =>
      io.send({ type: 'ready', backend: backend.name, gpu: backend.gpu.inUse, description: describeTrainingThreads(describeBackend(backend), threads, { available: machineThreading.threads }) + recurrentKernels() });
    announce(machineThreading.threads);
    // Once the model's shape is known: the threads this model and batch are worth, told to the host when fewer.
    let fitted: TrainingThreading | null = null;
    const threadingFor = (data: Pick<PreparedData, 'window' | 'features' | 'classes'>): Pick<LoopOptions, 'threads' | 'threadScript'> => {
      if (!fitted) {
        fitted = fitThreadsToWorkload(machineThreading, loopSettingsOf(config, data).model, config.batchSize);
        if (fitted.threads !== machineThreading.threads) announce(fitted.threads);
      }
      return { threads: fitted.threads, ...(fitted.threadScript ? { threadScript: fitted.threadScript } : {}) };
    };

    // One dataset at a time: the candles of all of them never need to be held twice.
    const inputs: TrainingInput[] = [];
    for (const datasetId of config.datasets) inputs.push({ datasetId, ...(await io.loadCandles(datasetId)) });
    runSymbolLabels(inputs.map((i) => ({ id: i.datasetId, symbol: i.symbol }))).forEach((label, k) => (inputs[k]!.symbol = label));
    if (config.data.validation === 'walk-forward') {
      if (place.test === 'sealed') throw new Error('A sweep trial (sealed test split) needs a holdout split; walk-forward predicts every fold on test.');
      return end(await runWalkForward(config, inputs, io, place, controls, threadingFor));
    }
    const data = prepareTrainingData(inputs, dataSpecOf(config));
    inputs.length = 0;

    const options: LoopOptions = {
      checkpointDir: place.checkpointDir,
      onProgress: (p) => io.send({ type: 'progress', ...p }),
      onEpoch: (metrics) => io.send({ type: 'epoch', metrics }),
      onCheckpoint: (path, epoch) => io.send({ type: 'checkpoint', path, epoch }),
      ...threadingFor(data),
    };
    const loop =
      place.resume && findCheckpoint(place.checkpointDir)
        ? await TrainingLoop.resumeFromCheckpoint(place.checkpointDir, data, options)
        : new TrainingLoop(data, loopSettingsOf(config, data), options);
    controls.loop = loop;
    io.send({
      type: 'prepared',
      samples: { train: sampleCount(data.train), val: sampleCount(data.val), test: sampleCount(data.test) },
      featureNames: data.featureNames,
      classNames: data.classNames,
      symbols: data.symbols,
      summary: modelSummary(loop.model),
    });
    const outcome = await runLoop(loop, controls, io, 0);

    if (place.test === 'sealed') {
      // The test split is not touched: the validation predictions are all a sweep compares trials on.
      const dir = join(place.checkpointDir, FINAL_DIR);
      const valDir = join(dir, VALIDATION_DIR);
      await mkdir(valDir, { recursive: true });
      await writeModelFiles(dir, loop.model);
      await writeFile(join(dir, PREPROCESSING_FILE), JSON.stringify(preprocessingOf(data), null, 1));
      const val = await predictValidation(loop.model, data);
      await writeTestPredictions(valDir, data, val);
      await writeFile(join(valDir, NEXT_RETURN_FILE), new Uint8Array(data.valSamples.nextReturn.buffer));
      return end({ type: 'validated', status: outcome.status, bestEpoch: outcome.bestEpoch, validation: testAccuracy(val, data.classes), artifactsDir: dir });
    }

    const predictions = await predictTest(loop.model, data);
    const test = testAccuracy(predictions, data.classes);
    const artifactsDir = await writeFinalArtifacts(join(place.checkpointDir, FINAL_DIR), loop.model, data, predictions);
    return end({ type: 'finished', status: outcome.status, bestEpoch: outcome.bestEpoch, test, artifactsDir });
  } catch (error) {
    return end({ type: 'failed', reason: reasonOf(error) });
  } finally {
    controls.loop?.dispose();
  }
}

/**
 * Predicts the test split with a sealed run's final model (a sweep's winner, once the sweep has
 * ended): the same candles, splits and standardizer as its training (all derived from the config
 * and seed), the model read from final/. Writes the test predictions and feature importance into
 * final/, as a normal run's end does, and answers 'tested'. Never throws.
 */
export async function predictTestOfRun(config: TrainingRunConfig, io: Pick<TrainingIo, 'loadCandles' | 'send'>, place: RunPlace): Promise<Extract<WorkerToHost, { type: 'tested' } | { type: 'failed' }>> {
  let model: Awaited<ReturnType<typeof readModelFiles>> | null = null;
  try {
    const backend = await selectBackend(config.backend);
    io.send({ type: 'ready', backend: backend.name, gpu: backend.gpu.inUse, description: describeBackend(backend) });
    const inputs: TrainingInput[] = [];
    for (const datasetId of config.datasets) inputs.push({ datasetId, ...(await io.loadCandles(datasetId)) });
    runSymbolLabels(inputs.map((i) => ({ id: i.datasetId, symbol: i.symbol }))).forEach((label, k) => (inputs[k]!.symbol = label));
    const data = prepareTrainingData(inputs, dataSpecOf(config));
    const dir = join(place.checkpointDir, FINAL_DIR);
    model = await readModelFiles(dir);
    const predictions = await predictTest(model, data);
    await writeTestPredictions(dir, data, predictions);
    await writeImportance(dir, model, data);
    const message = { type: 'tested' as const, test: testAccuracy(predictions, data.classes), artifactsDir: dir };
    io.send(message);
    return message;
  } catch (error) {
    const message = { type: 'failed' as const, reason: `The test split could not be predicted: ${reasonOf(error)}` };
    io.send(message);
    return message;
  } finally {
    model?.dispose();
  }
}

/**
 * Walk-forward training (López de Prado ch. 7): per fold a standardizer fitted on the fold's
 * training rows, a FRESH model trained with the run's loop settings and early-stopped on the
 * fold's latest training rows, then predictions on the fold's test segment. The folds' test
 * predictions together are the run's out-of-sample test predictions (with a fold column); the
 * model, preprocessing and importance in final/ are those of the LAST fold trained.
 *
 * Epochs are numbered on across folds (fold k starts at k·epochs + 1) and 'progress' / 'epoch'
 * name their fold. 'prepared' reports the first fold's training and validation samples and the
 * test samples of all folds. Stop ends the current fold's training (best weights kept), still
 * predicts its test segment, skips the folds after it and finishes 'stopped'. Pause works within
 * the current fold as in holdout mode. Resume in a new process reads the folds whose test
 * predictions were saved and continues the first unsaved fold from its newest checkpoint (its
 * own folder); the last fold is always continued from its checkpoint, since final/ needs its model.
 */
async function runWalkForward(
  config: TrainingRunConfig,
  inputs: TrainingInput[],
  io: TrainingIo,
  place: RunPlace,
  controls: Controls,
  threadingFor: (data: PreparedData) => Pick<LoopOptions, 'threads' | 'threadScript'>,
): Promise<RunEnd> {
  const wf = prepareWalkForwardData(inputs, dataSpecOf(config));
  inputs.length = 0;
  const epochs = config.epochs;
  const parts: TestPredictions[] = [];
  let last: { data: PreparedData; outcome: LoopOutcome & { status: FinishStatus }; fold: number } | null = null;
  for (let k = 0; k < wf.folds; k++) {
    if (controls.stopRequested && last) break;
    const dir = foldDir(place.checkpointDir, k);
    const savedDir = join(dir, 'test');
    if (place.resume && k < wf.folds - 1 && existsSync(join(savedDir, PREDICTIONS_FILE))) {
      const saved = await readTestPredictions(savedDir);
      parts.push({ probs: saved.probs, yTrue: saved.yTrue, ts: saved.ts, symbolIndex: saved.symbolIndex, fold: saved.fold ?? new Int32Array(saved.yTrue.length).fill(k), ...(saved.magnitude ? { magnitude: saved.magnitude } : {}) });
      continue;
    }
    const data = wf.prepareFold(k);
    const offset = k * epochs;
    const options: LoopOptions = {
      checkpointDir: dir,
      onProgress: (p) => io.send({ type: 'progress', ...p, epoch: p.epoch + offset, fold: k }),
      onEpoch: (metrics) => io.send({ type: 'epoch', metrics: { ...metrics, epoch: metrics.epoch + offset }, fold: k }),
      onCheckpoint: (path, epoch) => io.send({ type: 'checkpoint', path, epoch: epoch + offset }),
      ...threadingFor(data),
    };
    // The previous fold's model is done with: its predictions are kept, its weights are not.
    controls.loop?.dispose();
    controls.loop = null;
    const loop =
      place.resume && findCheckpoint(dir)
        ? await TrainingLoop.resumeFromCheckpoint(dir, data, options)
        : new TrainingLoop(data, loopSettingsOf(config, data), options);
    controls.loop = loop;
    if (!last) {
      io.send({
        type: 'prepared',
        samples: { train: wf.samples[0].train, val: wf.samples[0].val, test: wf.samples.reduce((s, f) => s + f.test, 0) },
        featureNames: data.featureNames,
        classNames: data.classNames,
        symbols: data.symbols,
        summary: modelSummary(loop.model),
      });
    }
    const outcome = await runLoop(loop, controls, io, offset);
    const predictions: TestPredictions = { ...(await predictTest(loop.model, data)), fold: new Int32Array(sampleCount(data.test)).fill(k) };
    // Saved per fold, so that a run resumed in a new process need not train finished folds again.
    await mkdir(savedDir, { recursive: true });
    await writeTestPredictions(savedDir, data, predictions);
    parts.push(predictions);
    last = { data, outcome, fold: k };
  }
  if (!last || !controls.loop) throw new Error('The walk-forward run trained no fold.');
  const predictions = mergeFoldPredictions(parts, last.data.classes);
  const test = testAccuracy(predictions, last.data.classes);
  const artifactsDir = await writeFinalArtifacts(join(place.checkpointDir, FINAL_DIR), controls.loop.model, last.data, predictions);
  const { outcome } = last;
  const bestEpoch = outcome.bestEpoch === null ? null : outcome.bestEpoch + last.fold * epochs;
  return { type: 'finished', status: controls.stopRequested ? 'stopped' : outcome.status, bestEpoch, test, artifactsDir };
}

/**
 * The custom training loop: seeded shuffling, Adam/AdamW with clipping and a schedule, class
 * weights, early stopping on validation loss with the best weights kept, pause/stop within one
 * batch, and checkpoints that resume to the same numbers an uninterrupted run would produce.
 */
import * as tf from '@tensorflow/tfjs';

import { Mulberry32 } from '../../../src-shared/compute/random.js';
import { sampleCount, shuffleSampleIndex } from '../../../src-shared/compute/sampling/index.js';
import { buildModel } from '../models/index.js';
import { backendMemory } from '../backends/backendMemory.js';
import { readBack } from '../backends/webgpuSetup.js';
import { AdamW, clipByGlobalNorm, clipFlatByGlobalNorm } from './adamw.js';
import { BatchBuffers, disposeBatch, type BatchTensors } from './batches.js';
import { hashIndex, readCheckpoint, writeCheckpoint, type CheckpointState, type DataFingerprint } from './checkpoint.js';
import type { EpochMetrics, LoopOptions, LoopOutcome, LoopSettings, LoopStatus } from './loopTypes.js';
import { LrSchedule } from './lrSchedule.js';
import { EVAL_BATCH_SIZE, evaluateSplit } from './predictTest.js';
import type { PreparedData } from './prepareTrainingData.js';
import { correctCount, weightedLoss } from './weightedLoss.js';
import { DATA_PARALLEL_BACKENDS, DataParallel, locateTrainingThreadScript } from './dataParallel.js';

const DEFAULT_PROGRESS_INTERVAL_MS = 100;

/** Lets queued messages (pause, stop) run between two batches. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const emptyTotals = (): CheckpointState['epochTotals'] => ({ lossSum: 0, correct: 0, seen: 0, trainSeconds: 0, wallSeconds: 0 });

/** Checks that settings can drive a loop over this data; returns sentences. */
export function validateLoopSettings(settings: LoopSettings, data: PreparedData): string[] {
  const problems: string[] = [];
  const m = settings.model;
  if (m.window !== data.window || m.features !== data.features || m.classes !== data.classes) {
    problems.push(`The model expects ${m.window}×${m.features} inputs and ${m.classes} classes, the data has ${data.window}×${data.features} and ${data.classes}.`);
  }
  if (m.magnitudeHead !== (data.magnitudeTargets !== null)) problems.push('The model and the data disagree on the magnitude head.');
  if (!(Number.isInteger(settings.epochs) && settings.epochs >= 1)) problems.push('Epochs must be a whole number, at least 1.');
  if (!(Number.isInteger(settings.batchSize) && settings.batchSize >= 1)) problems.push('The batch size must be a whole number, at least 1.');
  if (!(Number.isInteger(settings.patience) && settings.patience >= 0)) problems.push('Patience must be a whole number of epochs, 0 or more.');
  if (!(settings.optimizer.lr > 0)) problems.push('The learning rate must be greater than 0.');
  if (!(settings.optimizer.weightDecay >= 0)) problems.push('Weight decay must be 0 or more.');
  if (!(settings.optimizer.clipNorm >= 0)) problems.push('The gradient clip norm must be 0 (off) or more.');
  if (!(settings.magnitudeWeight >= 0)) problems.push('The magnitude weight must be 0 or more.');
  return problems;
}

function fingerprint(data: PreparedData): DataFingerprint {
  return {
    featureNames: data.featureNames,
    window: data.window,
    classes: data.classes,
    trainSamples: sampleCount(data.train),
    valSamples: sampleCount(data.val),
    trainHash: hashIndex(data.train),
  };
}

/**
 * Trains one model on prepared data. Create it, call {@link run}; {@link pause} and {@link stop}
 * may be called at any time (they act after the current batch). Same data, settings and backend
 * give identical metrics.
 */
export class TrainingLoop {
  readonly model: tf.LayersModel;
  private readonly optimizer: AdamW;
  private readonly schedule: LrSchedule;
  /** The sample-order stream; its state goes into every checkpoint. */
  private readonly rng: Mulberry32;
  private readonly buffers: BatchBuffers;
  private readonly evalBuffers: BatchBuffers;
  private readonly trainable: tf.Variable[];
  private readonly batchesPerEpoch: number;

  private epoch = 0;
  private batch = 0;
  private epochRngState: number;
  private totals = emptyTotals();
  private history: EpochMetrics[] = [];
  private bestValLoss = Infinity;
  private bestEpoch: number | null = null;
  private bestWeights: Float32Array[] | null = null;
  private wait = 0;
  private lastCheckpoint: string | null = null;
  /** Kept across epochs, so that short epochs cannot raise the report rate above one per interval. */
  private lastProgressAt = -Infinity;
  /** Loss and samples of the batches since the last report (across an epoch's end too). */
  private recent = { lossSum: 0, seen: 0 };
  private pauseRequested = false;
  private stopRequested = false;
  private running = false;
  private finished: LoopStatus | null = null;
  /** The worker threads when the loop trains on more than one; started by the first run(). */
  private parallel: DataParallel | null = null;

  constructor(
    private readonly data: PreparedData,
    readonly settings: LoopSettings,
    private readonly options: LoopOptions = {},
  ) {
    const problems = validateLoopSettings(settings, data);
    if (problems.length > 0) throw new Error(problems.join(' '));
    this.model = buildModel(settings.model);
    this.trainable = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.optimizer = new AdamW(settings.optimizer);
    this.buffers = new BatchBuffers(data, settings.batchSize);
    this.evalBuffers = new BatchBuffers(data, Math.max(settings.batchSize, EVAL_BATCH_SIZE));
    this.batchesPerEpoch = this.buffers.batchCount(data.train);
    this.schedule = new LrSchedule(settings.schedule, settings.optimizer.lr, this.batchesPerEpoch, settings.epochs);
    this.rng = new Mulberry32(settings.seed);
    this.epochRngState = this.rng.state;
  }

  /**
   * A loop that continues from the newest checkpoint in `dir`: model weights, optimizer moments,
   * position in the epoch, shuffle RNG, schedule, early-stopping state, best weights and history.
   * `data` must be prepared again from the same datasets and spec (checked by fingerprint).
   */
  static async resumeFromCheckpoint(dir: string, data: PreparedData, options: LoopOptions = {}): Promise<TrainingLoop> {
    const saved = await readCheckpoint(dir);
    const { state } = saved;
    const expected = fingerprint(data);
    if (JSON.stringify(expected) !== JSON.stringify(state.data)) {
      throw new Error('The checkpoint was trained on different data (features, window, classes or samples differ); it cannot be resumed with this data.');
    }
    const loop = new TrainingLoop(data, state.settings, { checkpointDir: dir, ...options });
    // Shapes, not names: tfjs numbers layer names per process, so a rebuilt model's names differ.
    const shapes = JSON.stringify(loop.model.weights.map((w) => w.shape));
    if (shapes !== JSON.stringify(saved.state.weightShapes) || saved.weights.length !== loop.model.weights.length) {
      loop.dispose();
      throw new Error('The checkpoint holds the weights of a different model.');
    }
    loop.setModelWeights(saved.weights);
    loop.optimizer.importState(loop.trainable, saved.optimizer);
    loop.schedule.restore(state.schedule);
    loop.epoch = state.position.epoch;
    loop.batch = state.position.batch;
    loop.epochRngState = state.position.rngState;
    loop.totals = { ...state.epochTotals };
    loop.history = state.history.map((m) => ({ ...m }));
    loop.bestValLoss = state.best.valLoss ?? Infinity;
    loop.bestEpoch = state.best.epoch;
    loop.bestWeights = saved.bestWeights;
    loop.wait = state.earlyStoppingWait;
    loop.lastCheckpoint = saved.path;
    return loop;
  }

  /**
   * Asks the loop to pause after the current batch and write a checkpoint; run() then resolves
   * 'paused'. Asked before run(), the run pauses before its first batch.
   */
  pause(): void {
    if (!this.finished) this.pauseRequested = true;
  }

  /** Asks the loop to end after the current batch; the model keeps the best weights; run() resolves 'stopped'. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Epoch metrics so far. */
  get metrics(): readonly EpochMetrics[] {
    return this.history;
  }

  /** Trains until the last epoch, early stopping, stop() or pause(). Call again after 'paused' to continue. */
  async run(): Promise<LoopOutcome> {
    if (this.running) throw new Error('this training loop is already running');
    if (this.finished) return this.outcome(this.finished);
    this.running = true;
    try {
      await this.startThreads();
      while (this.epoch < this.settings.epochs) {
        const status = await this.runEpoch();
        if (status) return status === 'paused' ? this.outcome('paused') : await this.finish(status);
      }
      return await this.finish('completed');
    } catch (error) {
      await this.endThreads();
      throw error;
    } finally {
      this.running = false;
    }
  }

  /** Writes a checkpoint now (the loop does so itself every epoch and on pause). */
  async checkpoint(): Promise<string | null> {
    const dir = this.options.checkpointDir;
    if (!dir) return null;
    const state: CheckpointState = {
      format: 'candela-checkpoint',
      version: 1,
      savedAt: Date.now(),
      settings: this.settings,
      data: fingerprint(this.data),
      position: { epoch: this.epoch, batch: this.batch, rngState: this.epochRngState },
      epochTotals: { ...this.totals },
      optimizer: { kind: this.settings.optimizer.kind, step: this.optimizer.step, slotShapes: this.optimizer.step > 0 ? this.trainable.map((v) => v.shape) : [] },
      schedule: this.schedule.state(),
      best: { valLoss: Number.isFinite(this.bestValLoss) ? this.bestValLoss : null, epoch: this.bestEpoch, weightsFile: null },
      earlyStoppingWait: this.wait,
      history: this.history,
      weightShapes: this.model.weights.map((w) => w.shape as number[]),
    };
    const path = await writeCheckpoint(dir, { state, model: this.model, optimizer: await this.optimizer.exportState(), bestWeights: this.bestWeights });
    this.lastCheckpoint = path;
    this.options.onCheckpoint?.(path, this.epoch);
    return path;
  }

  /** Frees the model and the optimizer's tensors. */
  dispose(): void {
    void this.parallel?.dispose();
    this.parallel = null;
    this.optimizer.dispose();
    this.model.dispose();
  }

  /** One epoch from the current position; returns a status when the run must end or pause. */
  private async runEpoch(): Promise<LoopStatus | null> {
    const started = performance.now();
    // The order of an epoch depends only on the RNG state at its start, so a resumed epoch
    // replays the same order and skips the batches already done.
    this.rng.state = this.epochRngState;
    const order = shuffleSampleIndex(this.data.train.slice(), this.rng.nextUint32());
    const batches = this.batchesPerEpoch;
    const interval = this.options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
    const clock = this.options.progressClock ?? (() => performance.now());
    const trainStart = performance.now();
    while (this.batch < batches) {
      if (this.stopRequested) return 'stopped';
      if (this.pauseRequested) return this.pauseHere(started, trainStart);
      const globalStep = this.epoch * batches + this.batch;
      const lr = this.schedule.lrAt(globalStep);
      const batch = this.parallel ? null : this.buffers.tensors(order, this.batch, this.data.classWeights);
      let step: [number, number, number];
      try {
        step = batch ? [...(await this.trainStep(batch, lr)), batch.size] : await this.parallelTrainStep(this.parallel!, order, lr);
      } finally {
        if (batch) disposeBatch(batch);
      }
      const [loss, correct, size] = step;
      if (!Number.isFinite(loss)) {
        throw new Error(`Training diverged: the loss became ${loss} in epoch ${this.epoch + 1}, batch ${this.batch + 1}. Lower the learning rate or the gradient clip norm.`);
      }
      this.totals.lossSum += loss * size;
      this.totals.correct += correct;
      this.totals.seen += size;
      this.recent.lossSum += loss * size;
      this.recent.seen += size;
      this.batch++;
      const now = performance.now();
      const tick = clock();
      if (this.options.onProgress && tick - this.lastProgressAt >= interval) {
        this.lastProgressAt = tick;
        const seconds = this.totals.trainSeconds + (now - trainStart) / 1000;
        this.options.onProgress({
          epoch: this.epoch + 1,
          batch: this.batch,
          batches,
          loss: this.totals.lossSum / this.totals.seen,
          recentLoss: this.recent.lossSum / this.recent.seen,
          samplesPerSec: seconds > 0 ? this.totals.seen / seconds : 0,
          memory: backendMemory(),
        });
        this.recent = { lossSum: 0, seen: 0 };
      }
      await yieldToEventLoop();
    }
    if (this.stopRequested) return 'stopped';
    this.totals.trainSeconds += (performance.now() - trainStart) / 1000;
    return this.endEpoch(started);
  }

  private async pauseHere(started: number, trainStart: number): Promise<LoopStatus> {
    const now = performance.now();
    this.totals.trainSeconds += (now - trainStart) / 1000;
    this.totals.wallSeconds += (now - started) / 1000;
    this.pauseRequested = false;
    await this.checkpoint();
    return 'paused';
  }

  /** Validation, metrics, schedule, best weights, checkpoint and early stopping at the end of an epoch. */
  private async endEpoch(started: number): Promise<LoopStatus | null> {
    const val = await evaluateSplit(this.model, this.data, this.data.val, this.settings.magnitudeWeight, this.evalBuffers);
    const { lossSum, correct, seen, trainSeconds, wallSeconds } = this.totals;
    // The rate of the epoch's last update; reduce-on-plateau changes it only below, for the next epoch.
    const lr = this.schedule.lrAt((this.epoch + 1) * this.batchesPerEpoch - 1);
    const metrics: EpochMetrics = {
      epoch: this.epoch + 1,
      trainLoss: lossSum / seen,
      valLoss: val.loss,
      trainAcc: correct / seen,
      valAcc: val.accuracy,
      lr,
      samplesPerSec: trainSeconds > 0 ? seen / trainSeconds : 0,
      seconds: wallSeconds + (performance.now() - started) / 1000,
    };
    this.schedule.onEpochEnd(val.loss);
    if (val.loss < this.bestValLoss) {
      this.bestValLoss = val.loss;
      this.bestEpoch = metrics.epoch;
      this.bestWeights = await Promise.all(this.model.weights.map(async (w) => ((await w.read().data()) as Float32Array).slice()));
      this.wait = 0;
    } else {
      this.wait++;
    }
    this.history.push(metrics);
    this.epoch++;
    this.batch = 0;
    this.epochRngState = this.rng.state;
    this.totals = emptyTotals();
    this.options.onEpoch?.(metrics);
    await this.checkpoint();
    const patience = this.settings.patience;
    if (patience > 0 && this.wait >= patience && this.epoch < this.settings.epochs) return 'early-stopped';
    return null;
  }

  /**
   * Forward, weighted loss, gradients, global-norm clipping and the optimizer update. Returns
   * [loss, correct]. A GPU fault (out of memory, device lost) that the device reported meanwhile
   * is thrown here, so the run fails with its reason and can resume from the last checkpoint.
   */
  private async trainStep(batch: BatchTensors, lr: number): Promise<[number, number]> {
    const kept: { hits?: tf.Scalar } = {};
    const { value, grads } = tf.variableGrads(() => {
      const out = this.model.apply(batch.x, { training: true }) as tf.Tensor | tf.Tensor[];
      // Kept past the gradient scope: the accuracy of this very forward pass.
      kept.hits = tf.keep(correctCount(out, batch));
      return weightedLoss(out, batch, this.settings.magnitudeWeight);
    }, this.trainable);
    // A variable the loss does not reach gets no gradient; a zero one keeps the slots aligned.
    const ordered = tf.tidy(() => this.trainable.map((v) => grads[v.name] ?? tf.zerosLike(v)));
    const clipped = clipByGlobalNorm(ordered, this.settings.optimizer.clipNorm);
    this.optimizer.apply(this.trainable, clipped, lr);
    const hits = kept.hits ?? tf.scalar(0);
    // One read-back per step: loss and hits together.
    const packed = tf.tidy(() => tf.stack([value, hits]));
    tf.dispose([value, hits, ...ordered, ...clipped]);
    try {
      const stats = await readBack(packed);
      return [stats[0], stats[1]];
    } finally {
      packed.dispose();
    }
  }

  /** Starts the worker threads once, when `threads` asks for more than one on a data-parallel backend. */
  private async startThreads(): Promise<void> {
    const threads = this.options.threads ?? 1;
    // Native and GPU backends thread on their own: there the loop trains on one.
    if (threads <= 1 || this.parallel || !DATA_PARALLEL_BACKENDS.includes(tf.getBackend())) return;
    const script = this.options.threadScript ?? locateTrainingThreadScript();
    if (!script) throw new Error(`Training on ${threads} threads needs the built training thread (dist/main/training-thread.mjs); run \`npm run build\` or set CANDELA_TRAIN_THREADS=1.`);
    this.parallel = await DataParallel.start({
      threads,
      script,
      backend: tf.getBackend(),
      data: this.data,
      model: this.model,
      trainable: this.trainable,
      config: this.settings.model,
      magnitudeWeight: this.settings.magnitudeWeight,
      batchSize: this.settings.batchSize,
    });
  }

  /** Ends the worker threads (a finished or failed run needs them no more; a paused one keeps them). */
  private async endThreads(): Promise<void> {
    const parallel = this.parallel;
    this.parallel = null;
    await parallel?.dispose();
  }

  /** {@link trainStep} over every thread: the shards' gradients averaged, then the same clipping and update. Returns [loss, correct, samples]. */
  private async parallelTrainStep(parallel: DataParallel, order: Uint32Array, lr: number): Promise<[number, number, number]> {
    const { flat, loss, hits, size } = await parallel.step(order, this.batch, this.settings.batchSize, this.data.classWeights);
    // The combined gradients stay on the host: clipped and applied there, no tensors made for them.
    clipFlatByGlobalNorm(flat, this.settings.optimizer.clipNorm);
    this.optimizer.applyFlat(this.trainable, flat, lr);
    return [loss, hits, size];
  }

  private setModelWeights(values: readonly Float32Array[]): void {
    tf.tidy(() => this.model.setWeights(this.model.weights.map((w, i) => tf.tensor(values[i], w.shape as number[]))));
  }

  /** Puts the best weights back (when an epoch finished) and reports the end. */
  private async finish(status: Exclude<LoopStatus, 'paused'>): Promise<LoopOutcome> {
    await this.endThreads();
    if (this.bestWeights) this.setModelWeights(this.bestWeights);
    this.finished = status;
    return this.outcome(status);
  }

  private outcome(status: LoopStatus): LoopOutcome {
    return {
      status,
      bestEpoch: this.bestEpoch,
      bestValLoss: Number.isFinite(this.bestValLoss) ? this.bestValLoss : null,
      history: this.history.map((m) => ({ ...m })),
      checkpoint: this.lastCheckpoint,
    };
  }
}

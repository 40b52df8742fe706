/**
 * Data-parallel training on the wasm and cpu backends: one batch is cut into `threads` contiguous
 * shards; the main thread computes the gradients of shard 0 on its own model while each worker
 * thread computes those of one other shard on a replica (its own tfjs backend). Weights go out and
 * gradients come back through SharedArrayBuffers; the main thread averages them in shard order and
 * applies the single optimizer step, so a run is deterministic for a fixed seed and thread count
 * and checkpoints hold exactly what a one-thread run's hold.
 *
 * A step is handed over and reported done through words of shared memory ({@link StepSignal}),
 * not messages, and the waiting side spins for a while before it sleeps on the word: on a 2-core
 * VM a sleeping core took ~0.1 ms to wake (p90 1–2 ms), and messages averaged 0.2 ms there and
 * 0.7–0.9 ms back in a 2-thread MLP step of ~5 ms; spinning, the handover takes microseconds.
 * Alternating blocks in one process, 2-thread steps ran 3–9 % faster than with messages.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import * as tf from '@tensorflow/tfjs';

import { gatherLabels, gatherWindows, sampleCount } from '../../../src-shared/compute/sampling/index.js';
import { kernelOperand } from '../kernels/kernelTensors.js';
import type { ModelConfig } from '../models/index.js';
import type { BatchTensors } from './batches.js';
import type { PreparedData } from './prepareTrainingData.js';
import { threadsForWorkload } from './threadChoice.js';
import { correctCount, weightedLoss } from './weightedLoss.js';

/** The file name of the worker thread's bundle, built beside the training process's own. */
export const TRAINING_THREAD_BUNDLE = 'training-thread.mjs';

/** Backends whose training this module spreads over threads; native and GPU backends keep their own threading. */
export const DATA_PARALLEL_BACKENDS: readonly string[] = ['wasm', 'cpu'];

/** Where the host's cap on a run's threads reaches the training process (a sweep's trials share the cores). */
export const THREAD_CAP_ENV = 'CANDELA_TRAIN_THREAD_CAP';

/**
 * The number of training threads for a backend: 1 outside {@link DATA_PARALLEL_BACKENDS};
 * otherwise `CANDELA_TRAIN_THREADS` when set (a whole number ≥ 1, anything else is refused with a
 * sentence), else every core the OS offers, at most the host's cap ({@link THREAD_CAP_ENV}).
 */
export function trainingThreadCount(backend: string, env: Record<string, string | undefined> = process.env, cores = availableParallelism()): number {
  if (!DATA_PARALLEL_BACKENDS.includes(backend)) return 1;
  const raw = env.CANDELA_TRAIN_THREADS?.trim();
  if (raw === undefined || raw === '') {
    const cap = Number(env[THREAD_CAP_ENV]);
    return Math.max(1, Number.isInteger(cap) && cap >= 1 ? Math.min(cores, cap) : cores);
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new Error(`CANDELA_TRAIN_THREADS must be a whole number from 1 to 256, not '${raw}'.`);
  return n;
}

/**
 * The backend line with its training threads: "wasm · CPU × 2 threads — …" for a run; where its
 * model and batch were worth fewer threads than the machine has ({@link fitThreadsToWorkload}),
 * "× 1 of 2 threads (too little work per batch to split further)"; before any model is known
 * (the status bar) and the count is not fixed, "× up to 2 threads". The backend's own (XNNPACK)
 * thread count is left out, since data-parallel threads replace it.
 */
export function describeTrainingThreads(description: string, threads: number, context: { available?: number; upTo?: boolean } = {}): string {
  const available = context.available ?? threads;
  if (threads <= 1 && available <= 1) return description;
  const withoutKernelThreads = description.replace(/, \d+ threads?(?= —|$)/, '');
  const cut = withoutKernelThreads.indexOf(' — ');
  const label =
    available > threads
      ? ` × ${threads} of ${available} threads (too little work per batch to split further)`
      : context.upTo
        ? ` × up to ${threads} threads`
        : ` × ${threads} threads`;
  return cut < 0 ? withoutKernelThreads + label : withoutKernelThreads.slice(0, cut) + label + withoutKernelThreads.slice(cut);
}

/**
 * The worker bundle to start: `CANDELA_TRAIN_THREAD_SCRIPT` when set, else the bundle beside this
 * code once built (dist/main); null when running from source without a build.
 */
export function locateTrainingThreadScript(): string | null {
  const fromEnv = process.env.CANDELA_TRAIN_THREAD_SCRIPT;
  if (fromEnv) return fromEnv;
  if (typeof import.meta.url !== 'string' || !import.meta.url.startsWith('file:')) return null;
  const sibling = fileURLToPath(new URL(`./${TRAINING_THREAD_BUNDLE}`, import.meta.url));
  return existsSync(sibling) ? sibling : null;
}

/** The threads a run trains on, the bundle they start, and whether CANDELA_TRAIN_THREADS fixed the count. */
export interface TrainingThreading {
  threads: number;
  threadScript?: string;
  /** True when CANDELA_TRAIN_THREADS set the count: then it is kept whatever the model. */
  fixed: boolean;
}

/**
 * The threads a run trains on and the bundle they start: {@link trainingThreadCount}, dropped to 1
 * when the bundle is not built (code running from source, e.g. under vitest) unless
 * CANDELA_TRAIN_THREADS asked for more, which then fails with the reason.
 */
export function trainingThreads(backend: string, env: Record<string, string | undefined> = process.env): TrainingThreading {
  const threads = trainingThreadCount(backend, env);
  const fixed = Boolean(env.CANDELA_TRAIN_THREADS?.trim()) && DATA_PARALLEL_BACKENDS.includes(backend);
  if (threads <= 1) return { threads: 1, fixed };
  const threadScript = locateTrainingThreadScript();
  if (threadScript) return { threads, threadScript, fixed };
  if (fixed) throw new Error(`CANDELA_TRAIN_THREADS asks for ${threads} threads, but the training thread (${TRAINING_THREAD_BUNDLE}) is not built; run \`npm run build\`.`);
  return { threads: 1, fixed };
}

/**
 * The threading of a run of `model` with batches of `batchSize`: by default at most the threads
 * that model and batch are worth ({@link threadsForWorkload}, a function of their arithmetic, so a
 * seed and model always train on the same count on one machine); a count CANDELA_TRAIN_THREADS
 * fixed is kept.
 */
export function fitThreadsToWorkload(threading: TrainingThreading, model: ModelConfig, batchSize: number): TrainingThreading {
  if (threading.fixed || threading.threads <= 1) return threading;
  const threads = threadsForWorkload(model, batchSize, threading.threads);
  if (threads === threading.threads) return threading;
  return threads > 1 ? { ...threading, threads } : { threads: 1, fixed: false };
}

/**
 * The most threads a run on `backend` would train on now, for labels such as the status bar's,
 * and whether CANDELA_TRAIN_THREADS fixed it (else each run's model may take fewer). Never
 * throws: a bad CANDELA_TRAIN_THREADS fails the run itself, with its sentence.
 */
export function plannedTrainingThreads(backend: string): { threads: number; fixed: boolean } {
  try {
    const { threads, fixed } = trainingThreads(backend);
    return { threads, fixed };
  } catch {
    return { threads: 1, fixed: false };
  }
}

/** Shard k of a batch of n samples over `threads` shards: [offset, size); the first n mod threads shards get one more. */
export function shardRange(n: number, threads: number, k: number): [number, number] {
  const base = Math.floor(n / threads);
  const extra = n % threads;
  const size = base + (k < extra ? 1 : 0);
  const offset = k * base + Math.min(k, extra);
  return [offset, size];
}

/** What the shards are gathered from: the prepared data's matrices and targets. */
export type ShardSource = Pick<PreparedData, 'matrices' | 'labels' | 'magnitudeTargets' | 'window' | 'features'>;

/** Host-side inputs of one shard (views over shared memory for a worker's). */
export interface ShardInputs {
  x: Float32Array;
  labels: Int32Array;
  weights: Float32Array;
  magnitude: Float32Array | null;
}

/** What a worker needs to build its replica and read its shard; everything is cloneable. */
export interface TrainingThreadData {
  kind: 'candela-training-thread';
  backend: string;
  model: ModelConfig;
  magnitudeWeight: number;
  shardCapacity: number;
  /** The {@link StepSignal} shared with the main thread. */
  signal: SharedArrayBuffer;
  /** How long the thread spins for its next step before it sleeps (0 when threads outnumber cores). */
  spinMs: number;
  /** Trainable weights, concatenated in trainableWeights order. */
  weights: SharedArrayBuffer;
  /** This worker's gradients, same layout as `weights`. */
  grads: SharedArrayBuffer;
  x: SharedArrayBuffer;
  labels: SharedArrayBuffer;
  sampleWeights: SharedArrayBuffer;
  magnitude: SharedArrayBuffer | null;
}

export type ThreadToMain = { type: 'ready'; shapes: number[][] } | { type: 'failed'; reason: string };

/** Int32 slots of a thread's {@link StepSignal}. */
const STEP = 0;
const DONE = 1;
const SIZE = 2;
const FAILED = 3;
/** Float64 slots after them: the shard's loss and hits. */
const RESULT_AT = 16;

/**
 * How long a waiting side spins before it sleeps: about the main thread's own work between two
 * steps (averaging, the optimizer step, gathering the next shards: ~1 ms for the MLP) and a
 * shard's imbalance, so that a step usually finds the other side awake.
 */
export const SPIN_MS = 2;
/** A main thread asleep on a thread's word wakes this often to let the event loop report the thread's error or exit. */
const WAIT_SLICE_MS = 20;

/**
 * The shared words through which the main thread hands one worker thread its steps: it writes
 * the shard size, then the step number (STEP); the thread writes loss and hits, then the step
 * number into DONE, or 1 into FAILED before it reports why in a message.
 */
export class StepSignal {
  readonly words: Int32Array;
  readonly results: Float64Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(RESULT_AT + 16)) {
    this.words = new Int32Array(buffer, 0, 4);
    this.results = new Float64Array(buffer, RESULT_AT, 2);
  }

  /** Main thread: hands over step `step` of `size` samples and wakes the thread. */
  post(step: number, size: number): void {
    Atomics.store(this.words, SIZE, size);
    Atomics.store(this.words, STEP, step);
    Atomics.notify(this.words, STEP);
  }

  /** Worker thread: waits for the step after `seen` (spinning up to `spinMs`, then asleep) and returns its number and size. */
  next(seen: number, spinMs: number): { step: number; size: number } {
    spinWhile(() => Atomics.load(this.words, STEP) === seen, spinMs);
    while (Atomics.load(this.words, STEP) === seen) Atomics.wait(this.words, STEP, seen);
    return { step: Atomics.load(this.words, STEP), size: Atomics.load(this.words, SIZE) };
  }

  /** Worker thread: step `step` is done with this loss and these hits. */
  done(step: number, loss: number, hits: number): void {
    this.results[0] = loss;
    this.results[1] = hits;
    Atomics.store(this.words, DONE, step);
    Atomics.notify(this.words, DONE);
  }

  /** Worker thread: it failed (the reason follows as a message). */
  fail(): void {
    Atomics.store(this.words, FAILED, 1);
    Atomics.notify(this.words, DONE);
  }

  get failed(): boolean {
    return Atomics.load(this.words, FAILED) !== 0;
  }

  /**
   * Main thread: whether step `step` is done, after spinning up to `spinMs` and sleeping up to
   * `sleepMs` more (where this thread may block: not in a browser-like main thread); false when
   * the thread failed or time ran out.
   */
  awaitDone(step: number, spinMs: number, sleepMs: number): boolean {
    const pending = (): boolean => Atomics.load(this.words, DONE) !== step && !this.failed;
    spinWhile(pending, spinMs);
    if (pending() && mayBlock()) Atomics.wait(this.words, DONE, Atomics.load(this.words, DONE), sleepMs);
    return Atomics.load(this.words, DONE) === step;
  }

  /** The loss and hits of the step last done. */
  result(): { loss: number; hits: number } {
    return { loss: this.results[0], hits: this.results[1] };
  }
}

let blocking: boolean | null = null;
/**
 * Whether Atomics.wait may block this thread: Node's threads may; a runtime that forbids it on its
 * main thread throws, and then the main thread waits by returning to its event loop instead.
 */
function mayBlock(): boolean {
  if (blocking === null) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      blocking = true;
    } catch {
      blocking = false;
    }
  }
  return blocking;
}

/** Busy-waits while `condition` holds, up to `ms`. */
function spinWhile(condition: () => boolean, ms: number): void {
  if (ms <= 0) return;
  const until = performance.now() + ms;
  while (condition() && performance.now() < until);
}

/** The tensors of one shard, like {@link BatchBuffers.tensors} makes for a whole batch. */
export function shardTensors(inputs: ShardInputs, size: number, model: ModelConfig): BatchTensors {
  const block = model.window * model.features;
  // A tensor must not alias memory that the next step overwrites: the cpu backend keeps the array
  // it is given, so it gets a copy; wasm copies into its heap anyway (a megabyte a step saved).
  const copy = tf.getBackend() === 'cpu';
  const own = (a: Float32Array, n: number): Float32Array => (copy ? a.slice(0, n) : a.subarray(0, n));
  const labels = inputs.labels.slice(0, size);
  const weights = own(inputs.weights, size);
  const out: BatchTensors = {
    x: tf.tensor3d(own(inputs.x, size * block), [size, model.window, model.features]),
    oneHot: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), model.classes).toFloat() as tf.Tensor2D),
    weights: tf.tensor1d(weights),
    labels,
    size,
  };
  if (inputs.magnitude) out.magnitude = tf.tensor2d(inputs.magnitude.slice(0, size), [size, 1]);
  return out;
}

/**
 * Loss (the shard's mean), correct count and gradients of one shard, written into `out` (the
 * trainable weights concatenated). The same function runs on the main thread and in the workers,
 * so every shard is computed the same way.
 */
export function shardGradients(
  model: tf.LayersModel,
  trainable: readonly tf.Variable[],
  batch: BatchTensors,
  magnitudeWeight: number,
  out: Float32Array,
): { loss: number; hits: number } {
  const kept: { hits?: tf.Scalar } = {};
  const { value, grads } = tf.variableGrads(() => {
    const outputs = model.apply(batch.x, { training: true }) as tf.Tensor | tf.Tensor[];
    kept.hits = tf.keep(correctCount(outputs, batch));
    return weightedLoss(outputs, batch, magnitudeWeight);
  }, trainable as tf.Variable[]);
  let at = 0;
  for (const v of trainable) {
    const g = grads[v.name];
    if (g) out.set(kernelOperand(g), at);
    else out.fill(0, at, at + v.size);
    at += v.size;
  }
  const loss = value.dataSync()[0];
  const hits = kept.hits ? kept.hits.dataSync()[0] : 0;
  tf.dispose([value, kept.hits ?? [], ...Object.values(grads)]);
  return { loss, hits };
}

/** Copies the trainable weights into one flat array, in order. */
export function writeWeights(trainable: readonly tf.Variable[], out: Float32Array): void {
  let at = 0;
  for (const v of trainable) {
    out.set(kernelOperand(v), at);
    at += v.size;
  }
}

/** Sets the trainable weights from one flat array, in order. */
export function readWeights(trainable: readonly tf.Variable[], from: Float32Array): void {
  // Shared memory that the next step overwrites: copied for the cpu backend, which keeps the array a tensor is made from.
  const copy = tf.getBackend() === 'cpu';
  let at = 0;
  for (const v of trainable) {
    const values = copy ? from.slice(at, at + v.size) : from.subarray(at, at + v.size);
    tf.tidy(() => v.assign(tf.tensor(values, v.shape, 'float32')));
    at += v.size;
  }
}

/** One batch's combined result: the batch-mean gradients, loss and hits. */
export interface ParallelStep {
  /**
   * Every trainable weight's gradient, concatenated in trainable order (the layout of
   * AdamW.applyFlat). Owned by the DataParallel and overwritten by its next step.
   */
  flat: Float32Array;
  loss: number;
  hits: number;
  size: number;
}

interface ThreadHandle {
  worker: Worker;
  signal: StepSignal;
  grads: Float32Array;
  inputs: ShardInputs;
  /** Why the thread failed or stopped, once its message or exit has arrived. */
  failure: Error | null;
}

/**
 * The worker threads of one training loop and the shared memory they work in. Start it with
 * {@link DataParallel.start}; {@link step} computes one batch's gradients over every thread;
 * {@link dispose} ends the threads. A thread that throws or exits fails the step (and so the run)
 * with its reason.
 */
export class DataParallel {
  private readonly total: number;
  private readonly ownGrads: Float32Array;
  private readonly combined: Float32Array;
  private readonly ownInputs: ShardInputs;
  private readonly sharedWeights: Float32Array;
  private readonly block: number;
  private readonly spinMs: number;
  private stepNumber = 0;
  private disposed = false;

  private constructor(
    readonly threads: number,
    private readonly data: ShardSource,
    private readonly model: tf.LayersModel,
    private readonly trainable: readonly tf.Variable[],
    private readonly config: ModelConfig,
    private readonly magnitudeWeight: number,
    private readonly handles: ThreadHandle[],
    weights: SharedArrayBuffer,
    shardCapacity: number,
    spinMs: number,
  ) {
    this.spinMs = spinMs;
    this.total = trainable.reduce((s, v) => s + v.size, 0);
    this.ownGrads = new Float32Array(this.total);
    this.combined = new Float32Array(this.total);
    this.block = config.window * config.features;
    this.ownInputs = allocateInputs(shardCapacity, this.block, data.magnitudeTargets !== null, false);
    this.sharedWeights = new Float32Array(weights);
  }

  /**
   * Starts `threads − 1` worker threads from `script`, each with a replica of `config` on
   * `backend`, and waits until all of them are ready. Throws with the reason when one fails to start.
   */
  static async start(opts: {
    threads: number;
    script: string | URL;
    backend: string;
    data: ShardSource;
    model: tf.LayersModel;
    trainable: readonly tf.Variable[];
    config: ModelConfig;
    magnitudeWeight: number;
    batchSize: number;
  }): Promise<DataParallel> {
    const { threads, trainable, config } = opts;
    if (!(Number.isInteger(threads) && threads >= 2)) throw new Error(`data-parallel training needs at least 2 threads, not ${threads}`);
    const total = trainable.reduce((s, v) => s + v.size, 0);
    const shardCapacity = Math.ceil(opts.batchSize / threads);
    const block = config.window * config.features;
    const hasMagnitude = opts.data.magnitudeTargets !== null;
    const weights = new SharedArrayBuffer(total * 4);
    const handles: ThreadHandle[] = [];
    const shapes = JSON.stringify(trainable.map((v) => v.shape));
    // Spinning only pays while every thread has a core of its own; otherwise it takes one from a thread that computes.
    const spinMs = threads <= availableParallelism() ? SPIN_MS : 0;
    const ready: Promise<void>[] = [];
    for (let k = 1; k < threads; k++) {
      const grads = new SharedArrayBuffer(total * 4);
      const inputs = allocateInputs(shardCapacity, block, hasMagnitude, true);
      const signal = new StepSignal();
      const workerData: TrainingThreadData = {
        kind: 'candela-training-thread',
        backend: opts.backend,
        model: config,
        magnitudeWeight: opts.magnitudeWeight,
        shardCapacity,
        signal: signal.buffer,
        spinMs,
        weights,
        grads,
        x: inputs.x.buffer as SharedArrayBuffer,
        labels: inputs.labels.buffer as SharedArrayBuffer,
        sampleWeights: inputs.weights.buffer as SharedArrayBuffer,
        magnitude: inputs.magnitude ? (inputs.magnitude.buffer as SharedArrayBuffer) : null,
      };
      const worker = new Worker(opts.script, { workerData });
      const handle: ThreadHandle = { worker, signal, grads: new Float32Array(grads), inputs, failure: null };
      handles.push(handle);
      ready.push(
        new Promise<void>((resolve, reject) => {
          const fail = (error: Error): void => {
            handle.failure ??= error;
            reject(handle.failure);
          };
          worker.on('message', (m: ThreadToMain) => {
            if (m.type === 'ready') {
              if (JSON.stringify(m.shapes) !== shapes) fail(new Error(`training thread ${k} built a model with different weights than the main thread's`));
              else resolve();
            } else if (m.type === 'failed') fail(new Error(`training thread ${k} failed: ${m.reason}`));
          });
          worker.on('error', (e) => fail(new Error(`training thread ${k} failed: ${e.message}`)));
          worker.on('exit', (code) => fail(new Error(`training thread ${k} stopped (exit code ${code})`)));
        }),
      );
    }
    try {
      await Promise.all(ready);
    } catch (error) {
      await Promise.all(handles.map((h) => h.worker.terminate()));
      throw error;
    }
    return new DataParallel(threads, opts.data, opts.model, trainable, config, opts.magnitudeWeight, handles, weights, shardCapacity, spinMs);
  }

  /**
   * Gradients of batch `batch` of `order` over every thread, each shard weighted by its share of
   * the batch so that the sum is the gradient of the batch-mean loss. The workers first take the
   * main model's current weights.
   */
  async step(order: Uint32Array, batch: number, batchSize: number, classWeights: Float32Array | null): Promise<ParallelStep> {
    if (this.disposed) throw new Error('the training threads have been ended');
    const start = batch * batchSize;
    const n = Math.max(0, Math.min(batchSize, sampleCount(order) - start));
    for (const h of this.handles) if (h.failure) throw h.failure;
    writeWeights(this.trainable, this.sharedWeights);
    const step = ++this.stepNumber;
    for (let k = 1; k < this.threads; k++) {
      const [offset, size] = shardRange(n, this.threads, k);
      const handle = this.handles[k - 1];
      if (size === 0) continue;
      this.gather(order, start + offset, size, classWeights, handle.inputs);
      handle.signal.post(step, size);
    }
    const [, ownSize] = shardRange(n, this.threads, 0);
    this.gather(order, start, ownSize, classWeights, this.ownInputs);
    const batchTensors = shardTensors(this.ownInputs, ownSize, this.config);
    let own: { loss: number; hits: number };
    try {
      own = shardGradients(this.model, this.trainable, batchTensors, this.magnitudeWeight, this.ownGrads);
    } finally {
      tf.dispose([batchTensors.x, batchTensors.oneHot, batchTensors.weights, batchTensors.magnitude ?? []]);
    }
    const parts: Array<{ share: number; grads: Float32Array }> = [];
    let loss = 0;
    let hits = 0;
    for (let k = 0; k < this.threads; k++) {
      const size = shardRange(n, this.threads, k)[1];
      if (size === 0) continue;
      const share = size / n;
      const r = k === 0 ? own : await this.collect(this.handles[k - 1], step);
      parts.push({ share, grads: k === 0 ? this.ownGrads : this.handles[k - 1].grads });
      loss += share * r.loss;
      hits += r.hits;
    }
    weightedSum(parts, this.combined);
    return { flat: this.combined, loss, hits, size: n };
  }

  /** Ends the worker threads. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const h of this.handles) h.failure ??= new Error('the training threads have been ended');
    await Promise.all(this.handles.map((h) => h.worker.terminate()));
  }

  /**
   * The loss and hits of `handle`'s shard of step `step`, once its thread is done; throws its
   * failure (which arrives as a message or an exit, so the event loop runs between waits).
   */
  private async collect(handle: ThreadHandle, step: number): Promise<{ loss: number; hits: number }> {
    let spin = this.spinMs;
    for (;;) {
      if (handle.failure) throw handle.failure;
      if (handle.signal.awaitDone(step, spin, handle.signal.failed ? 0 : WAIT_SLICE_MS)) return handle.signal.result();
      spin = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private gather(order: Uint32Array, start: number, size: number, classWeights: Float32Array | null, into: ShardInputs): void {
    const { data } = this;
    gatherWindows(data.matrices, order, start, size, data.window, data.features, into.x);
    gatherLabels(data.labels, order, start, size, into.labels);
    for (let b = 0; b < size; b++) into.weights[b] = classWeights ? classWeights[into.labels[b]] : 1;
    if (into.magnitude && data.magnitudeTargets) gatherLabels(data.magnitudeTargets, order, start, size, into.magnitude);
  }
}

/**
 * out = Σ share_k · g_k in shard order, two shards a pass in doubles (one rounding per pair): the
 * same sum on every run with this thread count, in half the passes over the gradients that one
 * per shard took.
 */
export function weightedSum(parts: ReadonlyArray<{ share: number; grads: Float32Array }>, out: Float32Array): void {
  const n = out.length;
  if (parts.length === 0) out.fill(0);
  // The first pair (or lone part) sets out; each later pair, and a last odd part, adds to it.
  for (let k = 0; k < parts.length; k += 2) {
    const { share: s0, grads: g0 } = parts[k];
    const next = parts[k + 1];
    if (next) {
      if (k === 0) setPair(s0, g0, next.share, next.grads, out);
      else addPair(s0, g0, next.share, next.grads, out);
    } else if (k === 0) {
      for (let i = 0; i < n; i++) out[i] = s0 * g0[i];
    } else {
      for (let i = 0; i < n; i++) out[i] += s0 * g0[i];
    }
  }
}

// The pair loops go four elements an iteration: V8 does not vectorise them, and unrolled, a pass
// over an MLP's 131k gradients took 0.19 ms instead of 0.27 ms.

/** out[i] = s0·g0[i] + s1·g1[i], in doubles. */
function setPair(s0: number, g0: Float32Array, s1: number, g1: Float32Array, out: Float32Array): void {
  const n = out.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    out[i] = s0 * g0[i] + s1 * g1[i];
    out[i + 1] = s0 * g0[i + 1] + s1 * g1[i + 1];
    out[i + 2] = s0 * g0[i + 2] + s1 * g1[i + 2];
    out[i + 3] = s0 * g0[i + 3] + s1 * g1[i + 3];
  }
  for (; i < n; i++) out[i] = s0 * g0[i] + s1 * g1[i];
}

/** out[i] += s0·g0[i] + s1·g1[i], in doubles. */
function addPair(s0: number, g0: Float32Array, s1: number, g1: Float32Array, out: Float32Array): void {
  const n = out.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    out[i] += s0 * g0[i] + s1 * g1[i];
    out[i + 1] += s0 * g0[i + 1] + s1 * g1[i + 1];
    out[i + 2] += s0 * g0[i + 2] + s1 * g1[i + 2];
    out[i + 3] += s0 * g0[i + 3] + s1 * g1[i + 3];
  }
  for (; i < n; i++) out[i] += s0 * g0[i] + s1 * g1[i];
}

function allocateInputs(capacity: number, block: number, magnitude: boolean, shared: boolean): ShardInputs {
  const make = (bytes: number): ArrayBuffer | SharedArrayBuffer => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  return {
    x: new Float32Array(make(capacity * block * 4)),
    labels: new Int32Array(make(capacity * 4)),
    weights: new Float32Array(make(capacity * 4)),
    magnitude: magnitude ? new Float32Array(make(capacity * 4)) : null,
  };
}

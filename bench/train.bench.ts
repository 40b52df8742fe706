/**
 * Training throughput of the model zoo on the wasm backend, single-threaded, and on webgpu, with the shapes of
 * ../shared/anchors/torch_train_anchor.py (sequence 64, 16 features, batch 256, 3 classes,
 * hidden 64) so the figure can be read beside PyTorch's on the same machine.
 *
 * Each anchor model maps to the zoo model closest to its reference definition:
 *   mlp → flatten, Dense(128, relu), head         (anchor: Linear(T·F→128), ReLU, Linear)
 *   conv → one causal conv block, 32 filters, k 5 (anchor: Conv1d(F→32, 5), ReLU, mean, Linear)
 *   lstm / gru → one layer of 64 units, last state (anchor: nn.LSTM / nn.GRU, last step)
 *   transformer → d 32, 4 heads, FFN 64, 1 layer   (anchor: TransformerEncoderLayer(32, 4, 64))
 * The zoo adds what the app needs (residual projection in the conv block, positions in the
 * transformer), so parameter counts differ slightly; they are reported beside the figure.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';

import { selectBackend } from '../src-main/training/backends/selectBackend.js';
import { findGpuAdapter, type GpuAdapterDescription } from '../src-main/training/backends/webgpuSetup.js';
import { buildModel } from '../src-main/training/models/buildModel.js';
import type { ModelConfig } from '../src-main/training/models/config.js';
import { modelSummary } from '../src-main/training/models/inspect.js';
import { kernelFmaPeakGflops } from '../src-main/training/kernels/recurrentKernels.js';
import { AdamW } from '../src-main/training/loop/adamw.js';
import type { BatchTensors } from '../src-main/training/loop/batches.js';
import { DataParallel, type ShardSource } from '../src-main/training/loop/dataParallel.js';
import { threadsForWorkload } from '../src-main/training/loop/threadChoice.js';
import { weightedLoss } from '../src-main/training/loop/weightedLoss.js';
import { builtCliScript, builtTrainingThread } from './paths.js';
import { anchorEnvironment, coresBusy, CPU_WRAPPER } from './anchorThreads.js';
import { torchBlas } from './torchBlas.js';
import { ceilingSamplesPerSec, isCeilingModel } from './trainCeiling.js';
import { result, type Benchmark } from './types.js';

const SEQ = 64;
const FEATURES = 16;
const BATCH = 256;
const CLASSES = 3;

/** The middle value (the upper one of an even count). */
const middle = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Anchor runs as the notes list them: "105,127, 74,899, 100,923". */
const listRuns = (runs: readonly number[]): string => runs.map((v) => Math.round(v).toLocaleString('en-US')).join(', ');

/** Anchor model name → zoo configuration. */
const MODELS: Record<string, Omit<ModelConfig, 'window' | 'features' | 'classes' | 'seed' | 'magnitudeHead' | 'dropout'>> = {
  mlp: { kind: 'mlp', hidden: 128, layers: 1 },
  conv: { kind: 'cnn', hidden: 32, layers: 1, kernelSize: 5 },
  lstm: { kind: 'lstm', hidden: 64, layers: 1 },
  gru: { kind: 'gru', hidden: 64, layers: 1 },
  transformer: { kind: 'transformer', hidden: 32, layers: 1, heads: 4 },
  tft: { kind: 'tft', hidden: 32, layers: 1, heads: 4 },
};

/** Models of the PyTorch anchor script (tft has no anchor). */
export const ANCHORED_MODELS = ['mlp', 'conv', 'lstm', 'gru', 'transformer'];

/** One benchmark figure. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
}

function configFor(model: string): ModelConfig {
  const base = MODELS[model];
  if (!base) throw new Error(`unknown benchmark model '${model}' (known: ${Object.keys(MODELS).join(', ')})`);
  return { ...base, window: SEQ, features: FEATURES, classes: CLASSES, dropout: 0, magnitudeHead: false, seed: 0 };
}

/** Step times of a timed training session, wall clock and CPU (this process, all its threads). */
interface StepTimes {
  wall: number[];
  cpu: number[];
}

/**
 * A model set up to train the way a run does; `time(seconds)` trains on for about that long (at
 * least 3 steps) and adds each step's times to `times`, so blocks of steps can alternate with the
 * anchor's runs; `dispose()` frees it.
 */
interface TimedTraining {
  readonly times: StepTimes;
  readonly params: number;
  time(seconds: number): Promise<void>;
  dispose(): Promise<void>;
}

/** Times `step` for about `seconds` (at least 3 steps) into `times`. */
async function timeSteps(step: () => Promise<void>, seconds: number, times: StepTimes): Promise<void> {
  const start = performance.now();
  for (let n = 0; n < 3 || performance.now() - start < seconds * 1000; n++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await step();
    const cpu = process.cpuUsage(c0);
    times.wall.push((performance.now() - t0) / 1000);
    times.cpu.push((cpu.user + cpu.system) / 1e6);
  }
}

/**
 * `model` trained on one random batch, each step as a run's one-thread step takes it
 * (trainingLoop.ts: gradients of the weighted loss, the AdamW update, the loss read back), after
 * two warm-up steps.
 */
async function oneThreadTraining(model: string): Promise<TimedTraining> {
  const net = buildModel(configFor(model));
  const trainable = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = new AdamW({ kind: 'adam', lr: 1e-3, weightDecay: 0, clipNorm: 0 });
  const labels = Int32Array.from(tf.tidy(() => tf.randomUniform([BATCH], 0, CLASSES, 'int32', 2).dataSync()));
  const batch: BatchTensors = {
    x: tf.randomNormal([BATCH, SEQ, FEATURES], 0, 1, 'float32', 1),
    oneHot: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES).toFloat() as tf.Tensor2D),
    weights: tf.ones([BATCH]),
    labels,
    size: BATCH,
  };
  const trainStep = async (): Promise<void> => {
    const { value, grads } = tf.variableGrads(() => weightedLoss(net.apply(batch.x, { training: true }) as tf.Tensor, batch, 0), trainable);
    optimizer.apply(trainable, trainable.map((v) => grads[v.name]), 1e-3);
    await value.data();
    tf.dispose([value, ...Object.values(grads)]);
  };
  // The warm-up also compiles the webgpu backend's shaders, which costs seconds on a software device.
  await trainStep();
  await trainStep();
  const times: StepTimes = { wall: [], cpu: [] };
  return {
    times,
    params: modelSummary(net).trainableParams,
    time: (seconds) => timeSteps(trainStep, seconds, times),
    async dispose() {
      tf.dispose([batch.x, batch.oneHot, batch.weights]);
      optimizer.dispose();
      net.dispose();
    },
  };
}

/**
 * Like {@link oneThreadTraining}, but data-parallel over `threads` threads exactly as a training
 * run does it (dataParallel.ts: shards gathered from a feature matrix, gradients averaged, one
 * AdamW step). The samples are one random batch of windows over a random matrix, labels random.
 */
async function dataParallelTraining(model: string, threads: number, script: string): Promise<TimedTraining> {
  const config = configFor(model);
  const net = buildModel(config);
  const trainable = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const rows = BATCH + SEQ - 1;
  const matrix = tf.tidy(() => tf.randomNormal([rows * FEATURES], 0, 1, 'float32', 1).dataSync() as Float32Array);
  const labels = Int8Array.from(tf.tidy(() => tf.randomUniform([rows], 0, CLASSES, 'int32', 2).dataSync()));
  const source: ShardSource = { matrices: [matrix], labels: [labels], magnitudeTargets: null, window: SEQ, features: FEATURES };
  // The index holds (dataset, end row) pairs: sample b ends at row SEQ − 1 + b.
  const order = new Uint32Array(2 * BATCH);
  for (let b = 0; b < BATCH; b++) order[2 * b + 1] = SEQ - 1 + b;
  const optimizer = new AdamW({ kind: 'adam', lr: 1e-3, weightDecay: 0, clipNorm: 0 });
  const parallel = await DataParallel.start({ threads, script, backend: tf.getBackend(), data: source, model: net, trainable, config, magnitudeWeight: 0, batchSize: BATCH });
  const dispose = async (): Promise<void> => {
    await parallel.dispose();
    optimizer.dispose();
    net.dispose();
  };
  const step = async (): Promise<void> => {
    const { flat } = await parallel.step(order, 0, BATCH, null);
    optimizer.applyFlat(trainable, flat, 1e-3);
  };
  try {
    await step();
    await step();
  } catch (e) {
    await dispose();
    throw e;
  }
  const times: StepTimes = { wall: [], cpu: [] };
  return { times, params: modelSummary(net).trainableParams, time: (seconds) => timeSteps(step, seconds, times), dispose };
}

/**
 * Samples/s from the MEDIAN step time (wall clock and per CPU-second): on a shared machine a
 * neighbour's burst then moves the figure less than it would move a mean.
 */
const throughput = (times: StepTimes): { samplesPerSec: number; cpuSamplesPerSec: number } => ({ samplesPerSec: BATCH / middle(times.wall), cpuSamplesPerSec: BATCH / middle(times.cpu) });

/** Trains `model` for about `seconds` in one block (see {@link oneThreadTraining}). */
async function measure(model: string, seconds: number): Promise<{ samplesPerSec: number; cpuSamplesPerSec: number; params: number }> {
  const session = await oneThreadTraining(model);
  try {
    await session.time(seconds);
    return { ...throughput(session.times), params: session.params };
  } finally {
    await session.dispose();
  }
}

/** The load average over the last minute, for the note beside a figure measured on a shared machine. */
export const loadNote = (): string => `load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`;

/**
 * How an anchor run sizes its BLAS's thread pool. `held`: to PyTorch's thread count, so that the
 * 1-thread figure is one core (anchorThreads.ts: OpenBLAS's pthread build otherwise multiplies on
 * every core at `--threads 1`). `installed`: as the BLAS sizes it itself, what a researcher gets
 * from `torch.set_num_threads(n)` alone; the whole-machine anchor's best count is searched this way
 * (on 2 cores here its best was 1 PyTorch thread with OpenBLAS on both cores, ~8k LSTM samples/s; 2
 * PyTorch threads, each calling a 2-thread OpenBLAS, ran ~1.9k).
 */
export type BlasPools = 'held' | 'installed';

/** The 1-thread figures' anchor: one core, BLAS included. */
const ONE_THREAD_ANCHOR = 'PyTorch CPU, 1 thread (its BLAS on 1 thread too; same shapes)';

/**
 * Samples and timed epochs of one anchor run, so that each times at least ~0.3 s: at 2,048
 * samples and one epoch (8 steps) the MLP's run lasted 20 ms and the conv's 50 ms, and five runs
 * of the MLP spread 63k–115k samples/s on this machine, against 71k–97k at 8,192 × 4.
 */
const ANCHOR_RUN: Record<string, { samples: number; epochs: number }> = {
  mlp: { samples: 8192, epochs: 4 },
  conv: { samples: 4096, epochs: 4 },
};

/**
 * One run of the anchor script for the same model (`threads` threads, default 1, its BLAS's pool
 * held to the same count or left as installed: see {@link BlasPools}; {@link ANCHOR_RUN}'s samples
 * and epochs, same shapes), with the cores its process kept busy, or null with the reason when Debian's
 * python3-torch or the script is missing. One run times well under a second, so a neighbour's
 * burst on a shared machine moves it by a third: the benchmark takes the median of several runs
 * alternating with ours (see alternateWithAnchor).
 */
export function torchAnchor(model: string, anchorScript: string | null, threads = 1, pools: BlasPools = 'held'): { value: number | null; cores?: number | null; note?: string } {
  if (!ANCHORED_MODELS.includes(model)) return { value: null, note: 'no PyTorch reference for this model' };
  if (!anchorScript || !existsSync(anchorScript)) return { value: null, note: 'anchor script not found (../shared/anchors)' };
  const run = ANCHOR_RUN[model] ?? { samples: 2048, epochs: 1 };
  const child = spawnSync(
    '/usr/bin/python3',
    ['-c', CPU_WRAPPER, anchorScript, '--model', model, '--samples', String(run.samples), '--epochs', String(run.epochs), '--threads', String(threads), '--seq', String(SEQ), '--features', String(FEATURES), '--batch', String(BATCH)],
    { encoding: 'utf8', timeout: 180_000, env: pools === 'held' ? anchorEnvironment(threads) : process.env },
  );
  if (child.status !== 0) return { value: null, note: `anchor failed (needs Debian python3-torch): ${(child.stderr || String(child.error)).trim().split('\n').at(-1)}` };
  const anchorLine = child.stdout.trim().split('\n').find((line) => line.includes('samples_per_s'));
  const parsed = JSON.parse(anchorLine ?? '{}') as { samples_per_s?: number };
  if (parsed.samples_per_s === undefined) return { value: null, note: 'the anchor printed no samples_per_s' };
  return { value: parsed.samples_per_s, cores: coresBusy(child.stdout) };
}

/**
 * Training samples per second on wasm (1 thread) for each model: `train.<model>.samplesPerSec`
 * (wall clock), `train.<model>.cpuSamplesPerSec` (per CPU-second, steadier on a busy machine) and
 * `train.<model>.params`. `quick` measures ~2 s per model instead of ~15 s. With `backend: 'webgpu'` the figures are
 * named `train.<model>.webgpu.*` and there is no per-CPU-second figure (Dawn computes on its own
 * threads or on the GPU).
 */
export async function benchTraining(
  opts: { models?: string[]; quick?: boolean; backend?: 'wasm' | 'webgpu' } = {},
): Promise<BenchFigure[]> {
  const models = opts.models ?? ANCHORED_MODELS;
  models.forEach(configFor);
  const webgpu = opts.backend === 'webgpu';
  await selectBackend(webgpu ? 'webgpu' : 'wasm', { wasmThreads: 1 });
  const prefix = (model: string) => (webgpu ? `train.${model}.webgpu` : `train.${model}`);
  const figures: BenchFigure[] = [];
  for (const model of models) {
    const { samplesPerSec, cpuSamplesPerSec, params } = await measure(model, opts.quick ? 2 : 15);
    figures.push({ name: `${prefix(model)}.samplesPerSec`, value: Math.round(samplesPerSec * 10) / 10, unit: 'samples/s' });
    // Per CPU-second of this (single-threaded) process: what wall time would be on an idle core.
    if (!webgpu) figures.push({ name: `train.${model}.cpuSamplesPerSec`, value: Math.round(cpuSamplesPerSec * 10) / 10, unit: 'samples/cpu-s' });
    figures.push({ name: `${prefix(model)}.params`, value: params, unit: 'params' });
  }
  return figures;
}

/** Goals per model, as multiples of PyTorch's throughput (see the task notes in the report). */
const GOALS: Record<string, number> = { mlp: 0.25, conv: 0.25, lstm: 1, gru: 1, transformer: 0.25 };

/**
 * The webgpu figure of one model, with a note naming the adapter; null with the reason where no
 * adapter is found. A software adapter (llvmpipe) gets the short measurement: its figure shows the
 * WebGPU path's overhead on the CPU, not GPU speed.
 */
async function webgpuFigure(model: string): Promise<{ value: number; note: string } | { value: null; note: string }> {
  let adapter: GpuAdapterDescription;
  try {
    adapter = (await findGpuAdapter()).description;
  } catch (error) {
    return { value: null, note: `no WebGPU adapter: ${(error as Error).message}` };
  }
  const figures = await benchTraining({ models: [model], backend: 'webgpu', quick: !adapter.hardware });
  const value = figures.find((f) => f.name === `train.${model}.webgpu.samplesPerSec`)?.value ?? 0;
  const kind = adapter.hardware ? 'GPU' : 'software adapter on the CPU: overhead, not GPU speed';
  return { value, note: `WebGPU on ${adapter.description} (${kind})` };
}

/** Rounds of the training benchmark: each runs the anchor once per thread count, then a block of our steps. */
const ROUNDS = 5;
/** Seconds of our steps in a round. */
const BLOCK_SECONDS = 3;

/** PyTorch's thread counts tried for its best on this machine: 1, 2, 4, … below every core, and every core. */
export function torchThreadCounts(cores: number): number[] {
  const counts = new Set<number>([cores]);
  for (let t = 1; t < cores; t *= 2) counts.add(t);
  return [...counts].sort((a, b) => a - b);
}

/** PyTorch's figure at its best thread count among those tried, with every run at that count. */
interface AnchorFigure {
  value: number | null;
  threads: number;
  runs: number[];
  /** CPU-seconds per wall-second of each run's whole process (Python's start and warm-up included). */
  cores: number[];
  note?: string;
}

/** "PyTorch's processes kept 0.99–1.01 cores busy": the check that a 1-thread anchor used one core. */
const coresNote = (cores: readonly number[]): string | null => {
  if (cores.length === 0) return null;
  const lo = Math.min(...cores).toFixed(2);
  const hi = Math.max(...cores).toFixed(2);
  return `PyTorch's processes kept ${lo === hi ? lo : `${lo}–${hi}`} cores busy (CPU-s per wall-s, start-up included)`;
};

/**
 * Our blocks of steps (`session`, when given) and the anchor's runs at each of `threadCounts`, in
 * {@link ROUNDS} alternating rounds: a slow or quick spell of a shared machine then falls on both
 * figures, where one figure measured after the other could catch it alone (the machine here
 * swings by up to 40 % from minute to minute). PyTorch's figure is the median of its runs at the
 * count whose median is highest; ours is the median step over all blocks (`session.times`).
 */
async function alternateWithAnchor(session: TimedTraining | null, model: string, script: string | null, threadCounts: number[], pools: BlasPools): Promise<AnchorFigure> {
  const runs = new Map<number, number[]>(threadCounts.map((t) => [t, []]));
  const cores = new Map<number, number[]>(threadCounts.map((t) => [t, []]));
  let failed: string | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    for (const threads of threadCounts) {
      if (failed) break;
      const run = torchAnchor(model, script, threads, pools);
      if (run.value === null) failed = run.note;
      else {
        runs.get(threads)!.push(run.value);
        if (run.cores != null) cores.get(threads)!.push(run.cores);
      }
    }
    if (session) await session.time(BLOCK_SECONDS);
  }
  let best: AnchorFigure = { value: null, threads: threadCounts[0] ?? 1, runs: [], cores: [], note: failed };
  for (const [threads, values] of runs) {
    if (values.length > 0 && (best.value === null || middle(values) > best.value)) best = { value: middle(values), threads, runs: values, cores: cores.get(threads)! };
  }
  return best;
}

/** The training benchmark in the shape `candela bench` runs: each figure beside PyTorch's, measured in alternating rounds. */
export const trainBenchmark: Benchmark = {
  prefix: 'train',
  description:
    'Training samples/s on wasm at 1 thread (with the ceiling its matrix products allow at the kernels\' multiply-add peak, for mlp, lstm and gru) and data-parallel over the threads a run would use (as many as the model and batch are worth, up to every core), and on webgpu (Dawn: a GPU, or the software device llvmpipe), batch 256 × 64 steps × 16 features, beside PyTorch CPU at 1 thread (its BLAS held to 1 thread too) and at its best thread count (its BLAS\'s pool as installed) on the same shapes, the two alternating in rounds',
  async run(ctx) {
    const script = ctx.anchorsDir ? join(ctx.anchorsDir, 'torch_train_anchor.py') : null;
    const cores = availableParallelism();
    const blas = script && existsSync(script) ? torchBlas() : null;
    if (blas && !blas.fair) ctx.log(`  warning: PyTorch runs on ${blas.name}`);
    const blasNote = blas ? `PyTorch's BLAS: ${blas.name}` : null;
    const results = [];
    const peak = kernelFmaPeakGflops();
    if (peak !== null) results.push(result('train.wasmFmaPeak.gflops', Math.round(peak * 10) / 10, 'GFLOP/s', undefined, `the kernels' 128-bit multiply-add peak on one thread, registers only; ${loadNote()}`));
    for (const model of ANCHORED_MODELS) {
      // The webgpu figure of the model before selects its own backend.
      await selectBackend('wasm', { wasmThreads: 1 });
      ctx.log(`  train.${model}: wasm at 1 thread beside PyTorch at 1 thread (BLAS too), ${ROUNDS} alternating rounds…`);
      const one = await oneThreadTraining(model);
      const anchor = await alternateWithAnchor(one, model, script, [1], 'held').finally(() => one.dispose());
      const single = throughput(one.times);
      // Start-up and warm-up are single-threaded, so a second core's work shows as well above 1.
      if (anchor.cores.some((c) => c > 1.25)) ctx.log(`  warning: PyTorch's 1-thread ${model} runs used more than one core (${coresNote(anchor.cores)}): a thread pool its environment does not hold`);
      const load = loadNote();
      const anchorNote = anchor.value === null ? anchor.note : [`PyTorch median of ${anchor.runs.length} runs (${listRuns(anchor.runs)}), alternating with ${ROUNDS} blocks of ours`, coresNote(anchor.cores)].filter(Boolean).join('; ');
      const note = [`goal ≥ ${GOALS[model]}× PyTorch`, `${one.params} params`, load, anchorNote, blasNote].filter(Boolean).join('; ');
      results.push(result(`train.${model}.samplesPerSec`, Math.round(single.samplesPerSec * 10) / 10, 'samples/s', { name: ONE_THREAD_ANCHOR, value: anchor.value }, note));
      if (peak !== null && isCeilingModel(model)) {
        const shape = { batch: BATCH, steps: SEQ, features: FEATURES, hidden: MODELS[model].hidden, classes: CLASSES };
        const ceiling = ceilingSamplesPerSec(model, shape, peak);
        const ceilingNote = `the step's matrix products alone at the kernels' multiply-add peak (${peak.toFixed(1)} GFLOP/s, measured in this run): no 128-bit WebAssembly step is faster; ours reached ${Math.round((100 * single.samplesPerSec) / ceiling)} % of it`;
        results.push(result(`train.${model}.wasmCeiling.samplesPerSec`, Math.round(ceiling), 'samples/s', { name: ONE_THREAD_ANCHOR, value: anchor.value }, [ceilingNote, anchorNote, blasNote].filter(Boolean).join('; ')));
      }

      // The whole machine as a run uses it by default: the threads this model and batch are worth (threadChoice.ts).
      const threads = threadsForWorkload(configFor(model), BATCH, cores);
      const counts = torchThreadCounts(cores);
      ctx.log(`  train.${model}: wasm at ${threads} thread${threads === 1 ? '' : 's'} beside PyTorch at ${counts.join(', ')} threads, ${ROUNDS} alternating rounds…`);
      const parallel = threads > 1 ? await dataParallelTraining(model, threads, builtTrainingThread()) : null;
      const best = await alternateWithAnchor(parallel, model, script, counts, 'installed').finally(() => parallel?.dispose());
      // One core: the whole machine is the one thread.
      const machine = parallel ? throughput(parallel.times) : single;
      // Samples per CPU-second over all threads beside one thread's: the work the threads add, which a busy machine's wall clock hides.
      const efficiency = parallel ? `per CPU-second ${Math.round(machine.cpuSamplesPerSec)} vs ${Math.round(single.cpuSamplesPerSec)} at 1 thread (${Math.round((100 * machine.cpuSamplesPerSec) / single.cpuSamplesPerSec)} %)` : null;
      const bestRuns = best.value === null ? best.note : [`PyTorch at ${best.threads} thread${best.threads === 1 ? '' : 's'}: median of ${listRuns(best.runs)}, alternating with ${parallel ? `${ROUNDS} blocks of ours` : 'nothing (ours is the 1-thread figure)'}`, coresNote(best.cores)].filter(Boolean).join('; ');
      const machineNote = [threads > 1 ? `${threads} of ${cores} threads, data-parallel` : `1 of ${cores} threads: a run's default for this model and batch (too little work to split)`, efficiency, `goal ≥ ${MACHINE_GOALS[model]}× PyTorch`, loadNote(), bestRuns, blasNote].filter(Boolean).join('; ');
      results.push(result(`train.${model}.machine.samplesPerSec`, Math.round(machine.samplesPerSec * 10) / 10, 'samples/s', { name: `PyTorch CPU at its best thread count (${best.threads} of 1…${cores}; its BLAS's pool as installed)`, value: best.value }, machineNote));

      ctx.log(`  train.${model}: webgpu…`);
      const gpu = await webgpuFigure(model);
      if (gpu.value === null) ctx.log(`  train.${model}.webgpu: ${gpu.note}`);
      else {
        const gpuNote = [gpu.note, anchorNote].filter(Boolean).join('; ');
        results.push(result(`train.${model}.webgpu.samplesPerSec`, gpu.value, 'samples/s', { name: ONE_THREAD_ANCHOR, value: anchor.value }, gpuNote));
      }
    }
    return results;
  },
};

/** Goals of the whole-machine figures, as multiples of PyTorch at its best thread count (issue 14). */
const MACHINE_GOALS: Record<string, number> = { mlp: 0.5, conv: 0.5, lstm: 1, gru: 1, transformer: 0.5 };

/** Runs one whole process; rejects with the end of its stderr when it exits non-zero. */
function runProcess(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.slice(1, 4).join(' ')} failed (${code}): ${err.slice(-300)}`))));
  });
}

/**
 * Adds a second extra column to a generated CSV: turnover = close × volume, a real quantity of
 * the same bars, so that the run has 16 input columns (the 14 of the regimes set and 2 extras).
 */
function addTurnover(file: string): void {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  const header = lines[0].split(',');
  const close = header.indexOf('close');
  const volume = header.indexOf('volume');
  if (close < 0 || volume < 0) throw new Error(`${file} has no close and volume columns`);
  const out = [`${lines[0]},turnover`];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(',');
    out.push(`${lines[i]},${(Number(cells[close]) * Number(cells[volume])).toPrecision(10)}`);
  }
  writeFileSync(file, out.join('\n') + '\n');
}

/** The end-to-end figure: a whole `candela train` process on a real workload, by default threads and at 1 thread. */
export const trainEndToEndBenchmark: Benchmark = {
  prefix: 'train.e2e',
  description:
    '`candela train` as a whole process: 4 generated symbols (12,000 5m bars each), window 64, 16 input columns (regimes + 2 extras), GRU 64, one epoch on wasm; samples/s of the epoch at every core and at 1 thread',
  async run(ctx) {
    const cli = builtCliScript();
    const data = join(ctx.tmpDir, 'train-e2e');
    const ws = join(ctx.tmpDir, 'train-e2e-ws');
    ctx.log('  generate and import…');
    await runProcess([cli, 'generate', '--out', data, '--symbols', '4', '--bars', '12000', '--timeframe', '5m', '--signal', '0.2']);
    for (const name of readdirSync(data)) addTurnover(join(data, name));
    await runProcess([cli, '--workspace', ws, 'import', data, '--json']);
    const args = [cli, '--workspace', ws, 'train', '--datasets', 'all', '--features', 'regimes', '--extras', '--window', '64', '--model', 'gru', '--hidden', '64', '--epochs', '1', '--backend', 'wasm', '--json'];
    const cores = availableParallelism();
    const figures = [];
    for (const threads of [cores, 1]) {
      ctx.log(`  candela train, ${threads} thread${threads === 1 ? '' : 's'}…`);
      const run = JSON.parse(await runProcess(args, { ...process.env, CANDELA_TRAIN_THREADS: String(threads) })) as { backend?: string; epochs?: { samplesPerSec: number }[] };
      const epoch = run.epochs?.[0];
      if (!epoch) throw new Error('candela train reported no epoch');
      figures.push({ threads, value: Math.round(epoch.samplesPerSec), note: `${run.backend ?? 'wasm'}; ${loadNote()}` });
    }
    const [all, one] = figures;
    return [
      result('train.e2e.samplesPerSec', all.value, 'samples/s', { name: 'the same run at 1 thread', value: one.value }, `${cores} threads: ${all.note}`),
      result('train.e2e.oneThread.samplesPerSec', one.value, 'samples/s', undefined, one.note),
    ];
  },
};

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
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';

import { selectBackend } from '../src-main/training/backends/selectBackend.js';
import { findGpuAdapter, type GpuAdapterDescription } from '../src-main/training/backends/webgpuSetup.js';
import { buildModel } from '../src-main/training/models/buildModel.js';
import type { ModelConfig } from '../src-main/training/models/config.js';
import { modelSummary } from '../src-main/training/models/inspect.js';
import { trainStep } from '../src-main/training/models/objective.js';
import { result, type Benchmark } from './types.js';

const SEQ = 64;
const FEATURES = 16;
const BATCH = 256;
const CLASSES = 3;

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

/**
 * Trains `model` on one random batch for about `seconds` after two warm-up steps and returns
 * samples/s from the MEDIAN step time: on a shared machine a neighbour's burst then moves the
 * figure less than it would move a mean.
 */
async function measure(model: string, seconds: number): Promise<{ samplesPerSec: number; cpuSamplesPerSec: number; params: number }> {
  const net = buildModel(configFor(model));
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomNormal([BATCH, SEQ, FEATURES], 0, 1, 'float32', 1);
  const direction = tf.oneHot(tf.randomUniform([BATCH], 0, CLASSES, 'int32', 2), CLASSES).toFloat();
  // The warm-up also compiles the webgpu backend's shaders, which costs seconds on a software device.
  await trainStep(net, optimizer, x, { direction });
  await trainStep(net, optimizer, x, { direction });
  const stepSeconds: number[] = [];
  const cpuSeconds: number[] = [];
  const start = performance.now();
  while (stepSeconds.length < 3 || performance.now() - start < seconds * 1000) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await trainStep(net, optimizer, x, { direction });
    const cpu = process.cpuUsage(c0);
    stepSeconds.push((performance.now() - t0) / 1000);
    cpuSeconds.push((cpu.user + cpu.system) / 1e6);
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const params = modelSummary(net).trainableParams;
  tf.dispose([x, direction]);
  optimizer.dispose();
  net.dispose();
  return { samplesPerSec: BATCH / median(stepSeconds), cpuSamplesPerSec: BATCH / median(cpuSeconds), params };
}


/**
 * PyTorch's figure for the same model from the anchor script (1 thread, 2048 samples, same
 * shapes), or null with the reason when Debian's python3-torch or the script is missing.
 */
export function torchAnchor(model: string, anchorScript: string | null): { value: number | null; note?: string } {
  if (!ANCHORED_MODELS.includes(model)) return { value: null, note: 'no PyTorch reference for this model' };
  if (!anchorScript || !existsSync(anchorScript)) return { value: null, note: 'anchor script not found (../shared/anchors)' };
  const run = spawnSync(
    '/usr/bin/python3',
    [anchorScript, '--model', model, '--samples', '2048', '--epochs', '1', '--threads', '1', '--seq', String(SEQ), '--features', String(FEATURES), '--batch', String(BATCH)],
    { encoding: 'utf8', timeout: 180_000 },
  );
  if (run.status !== 0) return { value: null, note: `anchor failed (needs Debian python3-torch): ${(run.stderr || String(run.error)).trim().split('\n').at(-1)}` };
  const parsed = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { samples_per_s?: number };
  return { value: parsed.samples_per_s ?? null };
}

/**
 * Training samples per second on wasm (1 thread) for each model: `train.<model>.samplesPerSec`
 * (wall clock), `train.<model>.cpuSamplesPerSec` (per CPU-second, steadier on a busy machine) and
 * `train.<model>.params`. With `anchors`, also PyTorch's figure and the ratio to it.
 * `quick` measures ~2 s per model instead of ~15 s. With `backend: 'webgpu'` the figures are
 * named `train.<model>.webgpu.*` and there is no per-CPU-second figure (Dawn computes on its own
 * threads or on the GPU).
 */
export async function benchTraining(opts: { models?: string[]; quick?: boolean; anchorScript?: string | null; backend?: 'wasm' | 'webgpu' } = {}): Promise<BenchFigure[]> {
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
    if (opts.anchorScript) {
      const torch = torchAnchor(model, opts.anchorScript).value;
      if (torch !== null) {
        figures.push({ name: `train.${model}.torchSamplesPerSec`, value: torch, unit: 'samples/s' });
        figures.push({ name: `${prefix(model)}.vsTorch`, value: Math.round((samplesPerSec / torch) * 1000) / 1000, unit: '×' });
      }
    }
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

/** The training benchmark in the shape `candela bench` runs: each figure beside PyTorch's. */
export const trainBenchmark: Benchmark = {
  prefix: 'train',
  description:
    'Training samples/s on wasm (1 thread) and on webgpu (Dawn: a GPU, or the software device llvmpipe), batch 256 × 64 steps × 16 features, beside PyTorch CPU (1 thread) on the same shapes',
  async run(ctx) {
    const script = ctx.anchorsDir ? join(ctx.anchorsDir, 'torch_train_anchor.py') : null;
    const results = [];
    for (const model of ANCHORED_MODELS) {
      ctx.log(`  train.${model}: PyTorch anchor…`);
      const anchor = torchAnchor(model, script);
      ctx.log(`  train.${model}: wasm…`);
      const figures = await benchTraining({ models: [model] });
      const value = figures.find((f) => f.name.endsWith('.samplesPerSec'))?.value ?? 0;
      const params = figures.find((f) => f.name.endsWith('.params'))?.value;
      const note = [`goal ≥ ${GOALS[model]}× PyTorch`, `${params} params`, anchor.note].filter(Boolean).join('; ');
      results.push(result(`train.${model}.samplesPerSec`, value, 'samples/s', { name: 'PyTorch CPU, 1 thread (same shapes)', value: anchor.value }, note));
      ctx.log(`  train.${model}: webgpu…`);
      const gpu = await webgpuFigure(model);
      if (gpu.value === null) ctx.log(`  train.${model}.webgpu: ${gpu.note}`);
      else {
        const gpuNote = [gpu.note, anchor.note].filter(Boolean).join('; ');
        results.push(result(`train.${model}.webgpu.samplesPerSec`, gpu.value, 'samples/s', { name: 'PyTorch CPU, 1 thread (same shapes)', value: anchor.value }, gpuNote));
      }
    }
    return results;
  },
};

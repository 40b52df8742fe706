/**
 * Training throughput of the model zoo on the wasm backend, single-threaded, with the shapes of
 * /work/shared/anchors/torch_train_anchor.py (sequence 64, 16 features, batch 256, 3 classes,
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

import * as tf from '@tensorflow/tfjs';

import { selectBackend } from '../src-main/training/backends/selectBackend.js';
import { buildModel } from '../src-main/training/models/buildModel.js';
import type { ModelConfig } from '../src-main/training/models/config.js';
import { modelSummary } from '../src-main/training/models/inspect.js';
import { trainStep } from '../src-main/training/models/objective.js';

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
function measure(model: string, seconds: number): { samplesPerSec: number; cpuSamplesPerSec: number; params: number } {
  const net = buildModel(configFor(model));
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomNormal([BATCH, SEQ, FEATURES], 0, 1, 'float32', 1);
  const direction = tf.oneHot(tf.randomUniform([BATCH], 0, CLASSES, 'int32', 2), CLASSES).toFloat();
  trainStep(net, optimizer, x, { direction });
  trainStep(net, optimizer, x, { direction });
  const stepSeconds: number[] = [];
  const cpuSeconds: number[] = [];
  const start = performance.now();
  while (stepSeconds.length < 3 || performance.now() - start < seconds * 1000) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    trainStep(net, optimizer, x, { direction });
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
 * PyTorch's figure for the same model from the anchor script, or null when Debian's
 * python3-torch is not installed. Runs 1 thread, 2048 samples, like the zoo side.
 */
export function torchAnchor(model: string, anchorScript = '/work/shared/anchors/torch_train_anchor.py'): number | null {
  if (!ANCHORED_MODELS.includes(model) || !existsSync(anchorScript)) return null;
  const run = spawnSync(
    '/usr/bin/python3',
    [anchorScript, '--model', model, '--samples', '2048', '--epochs', '1', '--threads', '1', '--seq', String(SEQ), '--features', String(FEATURES), '--batch', String(BATCH)],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (run.status !== 0) return null;
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  const parsed = JSON.parse(line) as { samples_per_s?: number };
  return parsed.samples_per_s ?? null;
}

/**
 * Training samples per second on wasm (1 thread) for each model: `train.<model>.samplesPerSec`
 * (wall clock), `train.<model>.cpuSamplesPerSec` (per CPU-second, steadier on a busy machine) and
 * `train.<model>.params`. With `anchors`, also PyTorch's figure and the ratio to it.
 * `quick` measures ~2 s per model instead of ~15 s.
 */
export async function benchTraining(opts: { models?: string[]; quick?: boolean; anchors?: boolean } = {}): Promise<BenchFigure[]> {
  const models = opts.models ?? ANCHORED_MODELS;
  models.forEach(configFor);
  await selectBackend('wasm', { wasmThreads: 1 });
  const figures: BenchFigure[] = [];
  for (const model of models) {
    const { samplesPerSec, cpuSamplesPerSec, params } = measure(model, opts.quick ? 2 : 15);
    figures.push({ name: `train.${model}.samplesPerSec`, value: Math.round(samplesPerSec * 10) / 10, unit: 'samples/s' });
    // Per CPU-second of this (single-threaded) process: what wall time would be on an idle core.
    figures.push({ name: `train.${model}.cpuSamplesPerSec`, value: Math.round(cpuSamplesPerSec * 10) / 10, unit: 'samples/cpu-s' });
    figures.push({ name: `train.${model}.params`, value: params, unit: 'params' });
    if (opts.anchors) {
      const torch = torchAnchor(model);
      if (torch !== null) {
        figures.push({ name: `train.${model}.torchSamplesPerSec`, value: torch, unit: 'samples/s' });
        figures.push({ name: `train.${model}.vsTorch`, value: Math.round((samplesPerSec / torch) * 1000) / 1000, unit: '×' });
      }
    }
  }
  return figures;
}

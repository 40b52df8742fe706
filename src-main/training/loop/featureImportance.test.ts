import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { mulberry32 } from '../../../src-shared/compute/random.js';
import { selectBackend } from '../backends/selectBackend.js';
import { buildModel } from '../models/buildModel.js';
import type { DataSpec } from './dataSpec.js';
import { meanVariableSelection, permutationImportance } from './featureImportance.js';
import type { LoopSettings } from './loopTypes.js';
import { prepareTrainingData, type PreparedData } from './prepareTrainingData.js';
import { nextBarSpec, syntheticTrainingInputs } from './__fixtures__/syntheticInputs.js';
import { TrainingLoop } from './trainingLoop.js';

const SPEC: DataSpec = nextBarSpec(7);

/** The generator's planted signal as `extra:signal`, beside `extra:noise`: seeded uniform noise with no link to prices or labels. */
function signalAndNoiseData(): PreparedData {
  const inputs = syntheticTrainingInputs({ symbols: 2, bars: 4000, signal: 0.4, seed: 2024 });
  const rng = mulberry32(99);
  for (const input of inputs) {
    const noise = Float64Array.from(input.candles.ts, () => rng() - 0.5);
    input.candles = { ...input.candles, extras: { ...input.candles.extras, noise } };
  }
  return prepareTrainingData(inputs, SPEC);
}

let data: PreparedData;
let loop: TrainingLoop;
beforeAll(async () => {
  await selectBackend('cpu');
  data = signalAndNoiseData();
  const settings: LoopSettings = {
    model: { kind: 'mlp', window: SPEC.window, features: data.features, classes: data.classes, hidden: 32, layers: 1, dropout: 0, magnitudeHead: false, seed: 3 },
    optimizer: { kind: 'adamw', lr: 2e-3, weightDecay: 1e-4, clipNorm: 1 },
    schedule: { kind: 'constant' },
    epochs: 4,
    batchSize: 128,
    patience: 0,
    magnitudeWeight: 0,
    seed: 11,
  };
  loop = new TrainingLoop(data, settings);
  await loop.run();
});
afterAll(() => loop.dispose());

describe('permutationImportance (2 symbols × 4000 bars, planted signal 0.4, MLP)', () => {
  it('ranks the planted signal first, and puts a pure-noise feature near 0', async () => {
    const r = await permutationImportance(loop.model, data, { split: 'val', seed: 5 });
    const line = r.features.map((f, i) => `${f} ${(100 * r.importance[i]).toFixed(2)}`).join(', ');
    expect(r.features).toEqual(data.featureNames);
    expect(r.samples).toBe(Math.min(4096, data.val.length / 2));
    const signal = r.features.indexOf('extra:signal');
    const noise = r.features.indexOf('extra:noise');
    console.log(`baseline ${(100 * r.baseline.accuracy).toFixed(2)}% on ${r.samples} windows; accuracy drop (points): ${line}; log loss increase: signal ${r.logLossIncrease[signal].toFixed(4)}, noise ${r.logLossIncrease[noise].toFixed(4)}`);
    expect(signal).toBeGreaterThanOrEqual(0);
    expect(noise).toBeGreaterThanOrEqual(0);
    const byDrop = r.features.map((_, i) => i).sort((a, b) => r.importance[b] - r.importance[a]);
    expect(byDrop[0]).toBe(signal);
    expect(r.importance[signal]).toBeGreaterThan(0.05);
    expect(Math.max(...r.logLossIncrease)).toBe(r.logLossIncrease[signal]);
    // Near 0: within 1.5 points, about one binomial standard error of an accuracy on ~1600 windows.
    expect(Math.abs(r.importance[noise])).toBeLessThan(0.015);
    expect(Math.abs(r.logLossIncrease[noise])).toBeLessThan(0.01);
    expect(r.logLossIncrease[signal]).toBeGreaterThan(0.02);
  });

  it('gives the same figures for the same seed, and caps the windows it measures', async () => {
    const options = { split: 'val', seed: 1, repeats: 2, maxSamples: 300, batchSize: 64 } as const;
    const a = await permutationImportance(loop.model, data, options);
    const b = await permutationImportance(loop.model, data, options);
    expect(b).toEqual(a);
    expect(a.samples).toBe(300);
    const other = await permutationImportance(loop.model, data, { ...options, seed: 2 });
    expect(other.importance).not.toEqual(a.importance);
  });

  it('leaves the tensor count where it was', async () => {
    await permutationImportance(loop.model, data, { split: 'val', seed: 1, repeats: 1, maxSamples: 200, batchSize: 64 });
    const before = tf.memory().numTensors;
    await permutationImportance(loop.model, data, { split: 'val', seed: 2, repeats: 2, maxSamples: 300, batchSize: 64 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses nonsense settings', async () => {
    await expect(permutationImportance(loop.model, data, { split: 'val', seed: 1, repeats: 0 })).rejects.toThrow(/repeats/);
    await expect(permutationImportance(loop.model, data, { split: 'val', seed: 1, maxSamples: 0 })).rejects.toThrow(/maxSamples/);
  });
});

describe('meanVariableSelection', () => {
  it('is null for a model without variable selection', async () => {
    expect(await meanVariableSelection(loop.model, data, { split: 'val', seed: 1 })).toBeNull();
  });

  it('averages the TFT selection weights over the windows (summing to 1), without leaking tensors', async () => {
    const tft = buildModel({ kind: 'tft', window: SPEC.window, features: data.features, classes: data.classes, hidden: 8, layers: 1, heads: 2, dropout: 0, magnitudeHead: false, seed: 4 });
    const options = { split: 'val', seed: 1, maxSamples: 150, batchSize: 64 } as const;
    await meanVariableSelection(tft, data, options);
    const before = tf.memory().numTensors;
    const weights = await meanVariableSelection(tft, data, options);
    expect(tf.memory().numTensors).toBe(before);
    expect(weights).toHaveLength(data.features);
    expect(weights?.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 5);
    tft.dispose();
  });
});

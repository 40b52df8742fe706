/**
 * The default thread count follows from the model and batch alone: the training benchmark's MLP
 * (each weight used once per sample) splits only while every shard keeps about a hundred samples,
 * the conv block, the transformer and the recurrent models are split (the default GRU run's too),
 * and the count never depends on anything but its inputs.
 */
import { describe, expect, it } from 'vitest';

import type { ModelConfig } from '../models/index.js';
import { MIN_SHARD_MULTIPLY_ADDS, SHARD_MULTIPLY_ADDS_PER_WEIGHT, matrixWeights, minShardMultiplyAdds, multiplyAddsPerSample, threadsForWorkload } from './threadChoice.js';

/** The training benchmark's shapes (bench/train.bench.ts): window 64, 16 features, 3 classes. */
const bench = (model: Pick<ModelConfig, 'kind' | 'hidden' | 'layers'> & Partial<ModelConfig>): ModelConfig => ({
  window: 64,
  features: 16,
  classes: 3,
  dropout: 0,
  magnitudeHead: false,
  seed: 0,
  ...model,
});

const mlp = bench({ kind: 'mlp', hidden: 128, layers: 1 });
const conv = bench({ kind: 'cnn', hidden: 32, layers: 1, kernelSize: 5 });
const transformer = bench({ kind: 'transformer', hidden: 32, layers: 1, heads: 4 });
const lstm = bench({ kind: 'lstm', hidden: 64, layers: 1 });
const gru = bench({ kind: 'gru', hidden: 64, layers: 1 });

describe('multiply-adds per sample', () => {
  it('counts the matrix products of each architecture', () => {
    // Flattened window into 128 units, then the 3-class head.
    expect(multiplyAddsPerSample(mlp)).toBe(64 * 16 * 128 + 128 * 3);
    // 5 taps of 16 channels into 32 filters, the residual projection 16 → 32, the head.
    expect(multiplyAddsPerSample(conv)).toBe(64 * 5 * 16 * 32 + 64 * 16 * 32 + 32 * 3);
    expect(multiplyAddsPerSample(lstm)).toBe(64 * 4 * 64 * (16 + 64) + 64 * 3);
    expect(multiplyAddsPerSample(gru)).toBe(64 * 3 * 64 * (16 + 64) + 64 * 3);
    expect(multiplyAddsPerSample({ ...mlp, magnitudeHead: true })).toBe(multiplyAddsPerSample(mlp) + 128);
  });

  it('counts the weights of those products: once per sample in the MLP, once per step of the window elsewhere', () => {
    expect(matrixWeights(mlp)).toBe(64 * 16 * 128 + 128 * 3);
    expect(matrixWeights(conv)).toBe(5 * 16 * 32 + 16 * 32 + 32 * 3);
    expect(matrixWeights(lstm)).toBe(4 * 64 * (16 + 64) + 64 * 3);
    expect(multiplyAddsPerSample(mlp)).toBe(matrixWeights(mlp));
    // Sequence layers apply every weight at each of the 64 steps (the head's once).
    for (const model of [conv, lstm, gru, transformer]) expect(multiplyAddsPerSample(model) / matrixWeights(model)).toBeGreaterThan(50);
  });

  it('grows with depth, width and window', () => {
    for (const model of [mlp, conv, transformer, lstm, gru, bench({ kind: 'tft', hidden: 32, layers: 1, heads: 4 })]) {
      const base = multiplyAddsPerSample(model);
      expect(base).toBeGreaterThan(0);
      expect(multiplyAddsPerSample({ ...model, layers: 2 })).toBeGreaterThan(base);
      expect(multiplyAddsPerSample({ ...model, hidden: model.hidden * 2 })).toBeGreaterThan(base);
      expect(multiplyAddsPerSample({ ...model, window: 128 })).toBeGreaterThan(base);
    }
  });
});

describe('threads for a workload', () => {
  /** `candela train`'s defaults: the minimal feature set (8 columns), window 32, 32 units, 2 classes. */
  const defaults = (kind: ModelConfig['kind']): ModelConfig => ({ ...bench({ kind, hidden: 32, layers: 1, kernelSize: 5, heads: 4 }), window: 32, features: 8, classes: 2, dropout: 0.1 });

  it('splits the benchmark MLP in two (its batch holds two shards of work), the conv block, the transformer and the recurrent models over 2 cores', () => {
    expect(threadsForWorkload(mlp, 256, 2)).toBe(2);
    expect(threadsForWorkload(mlp, 256, 32)).toBe(2);
    expect(threadsForWorkload(mlp, 128, 2)).toBe(1);
    expect(threadsForWorkload(conv, 256, 2)).toBe(2);
    expect(threadsForWorkload(transformer, 256, 2)).toBe(2);
    expect(threadsForWorkload(lstm, 256, 2)).toBe(2);
    expect(threadsForWorkload(gru, 256, 2)).toBe(2);
  });

  it('splits a default run of the sequence models, but not an MLP whose weights outweigh its work', () => {
    // Measured 2 threads against 1 (threadChoice.ts): GRU 1.12× (median of six runs), LSTM 1.52×, conv 1.30–1.47×.
    for (const kind of ['gru', 'lstm', 'cnn', 'transformer', 'tft'] as const) expect(threadsForWorkload(defaults(kind), 256, 2)).toBe(2);
    // The default GRU is worth several threads on a workstation, not just two.
    expect(threadsForWorkload(defaults('gru'), 256, 32)).toBeGreaterThanOrEqual(6);
    // An MLP of 64 units over the benchmark's window (0.97×) and the default MLP (0.79×) stay on one.
    expect(threadsForWorkload(bench({ kind: 'mlp', hidden: 64, layers: 1 }), 256, 2)).toBe(1);
    expect(threadsForWorkload(defaults('mlp'), 256, 2)).toBe(1);
    // Small shards do not pay for their thread: the GRU at window and hidden 16 (1.02×), the conv block at batch 64 (0.94×).
    expect(threadsForWorkload({ ...defaults('gru'), window: 16, hidden: 16 }, 256, 2)).toBe(1);
    expect(threadsForWorkload(defaults('cnn'), 64, 2)).toBe(1);
  });

  it('gives every thread at least the minimum shard of work, and never more threads than cores or samples', () => {
    for (const model of [mlp, conv, transformer, lstm, gru, defaults('gru'), defaults('cnn')]) {
      for (const batch of [1, 32, 256, 4096]) {
        for (const cores of [1, 2, 8, 32]) {
          const threads = threadsForWorkload(model, batch, cores);
          expect(threads).toBeGreaterThanOrEqual(1);
          expect(threads).toBeLessThanOrEqual(Math.min(cores, batch));
          const shard = (multiplyAddsPerSample(model) * batch) / threads;
          if (threads > 1) expect(shard).toBeGreaterThanOrEqual(MIN_SHARD_MULTIPLY_ADDS + SHARD_MULTIPLY_ADDS_PER_WEIGHT * matrixWeights(model));
          // One thread more would have cut a shard below the minimum, unless cores or samples ran out first.
          if (threads < Math.min(cores, batch)) expect((multiplyAddsPerSample(model) * batch) / (threads + 1)).toBeLessThan(minShardMultiplyAdds(model));
        }
      }
    }
    // A bigger batch is worth more threads: the MLP splits once its batch is large enough.
    expect(threadsForWorkload(mlp, 4096, 32)).toBeGreaterThan(threadsForWorkload(mlp, 256, 32));
    // On many cores the LSTM's split stops where a shard's work would fall below the minimum…
    expect(threadsForWorkload(lstm, 256, 256)).toBe(Math.floor((multiplyAddsPerSample(lstm) * 256) / minShardMultiplyAdds(lstm)));
    expect(threadsForWorkload(lstm, 256, 256)).toBeLessThan(256);
    // …and a wide MLP's sooner than its work alone would say, for its weights.
    const wide = bench({ kind: 'mlp', hidden: 512, layers: 1 });
    expect(threadsForWorkload(wide, 4096, 256)).toBe(Math.floor((multiplyAddsPerSample(wide) * 4096) / minShardMultiplyAdds(wide)));
    expect(threadsForWorkload(wide, 4096, 256)).toBeLessThan(Math.floor((multiplyAddsPerSample(wide) * 4096) / MIN_SHARD_MULTIPLY_ADDS) / 2);
  });
});

/**
 * Data-parallel training over worker threads on wasm: the averaged shard gradients equal the
 * one-thread gradient of the whole batch, a run is repeatable for a seed and thread count, pause
 * and resume land on the uninterrupted run's numbers, and a thread that dies fails the run with why.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sampleCount } from '../../../src-shared/compute/sampling/index.js';
import { selectBackend } from '../backends/selectBackend.js';
import { buildModel } from '../models/index.js';
import { BatchBuffers, disposeBatch } from './batches.js';
import { DataParallel, describeTrainingThreads, fitThreadsToWorkload, shardRange, THREAD_CAP_ENV, trainingThreadCount, trainingThreads, weightedSum } from './dataParallel.js';
import type { EpochMetrics, LoopSettings } from './loopTypes.js';
import { prepareTrainingData, type PreparedData } from './prepareTrainingData.js';
import { nextBarSpec, syntheticTrainingInputs } from './__fixtures__/syntheticInputs.js';
import { trainingThreadScript } from './__fixtures__/trainingThreadScript.js';
import { TrainingLoop } from './trainingLoop.js';
import { weightedLoss } from './weightedLoss.js';

let dir: string;
let script: string;
let data: PreparedData;
let settings: LoopSettings;

beforeAll(async () => {
  await selectBackend('wasm');
  dir = mkdtempSync(join(tmpdir(), 'candela-threads-'));
  script = await trainingThreadScript();
  data = prepareTrainingData(syntheticTrainingInputs({ symbols: 2, bars: 1000, signal: 0.3, seed: 3 }), nextBarSpec(1));
  settings = {
    model: { kind: 'gru', window: 8, features: data.features, classes: 2, hidden: 8, layers: 1, dropout: 0.1, magnitudeHead: false, seed: 2 },
    optimizer: { kind: 'adamw', lr: 3e-3, weightDecay: 1e-2, clipNorm: 1 },
    schedule: { kind: 'cosine', warmupEpochs: 0.5 },
    epochs: 2,
    batchSize: 64,
    patience: 0,
    magnitudeWeight: 0,
    seed: 9,
  };
}, 60_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await tf.setBackend('cpu');
});

/** The figures of a history that do not depend on timing. */
const figures = (history: readonly EpochMetrics[]) => history.map(({ trainLoss, valLoss, trainAcc, valAcc, lr }) => ({ trainLoss, valLoss, trainAcc, valAcc, lr }));

describe('thread count and shards', () => {
  it('defaults to every core on wasm and cpu, 1 elsewhere, and refuses a bad CANDELA_TRAIN_THREADS', () => {
    expect(trainingThreadCount('wasm', {}, 12)).toBe(12);
    expect(trainingThreadCount('cpu', { CANDELA_TRAIN_THREADS: '3' }, 12)).toBe(3);
    expect(trainingThreadCount('tensorflow', { CANDELA_TRAIN_THREADS: '3' }, 12)).toBe(1);
    expect(trainingThreadCount('webgpu', {}, 12)).toBe(1);
    expect(() => trainingThreadCount('wasm', { CANDELA_TRAIN_THREADS: 'many' }, 12)).toThrow(/CANDELA_TRAIN_THREADS must be a whole number/);
    expect(() => trainingThreadCount('wasm', { CANDELA_TRAIN_THREADS: '0' }, 12)).toThrow(/from 1 to 256/);
  });

  it('keeps within the host cap (a sweep trial gets its share of the cores), which CANDELA_TRAIN_THREADS overrides', () => {
    expect(trainingThreadCount('wasm', { [THREAD_CAP_ENV]: '3' }, 12)).toBe(3);
    expect(trainingThreadCount('wasm', { [THREAD_CAP_ENV]: '20' }, 12)).toBe(12);
    expect(trainingThreadCount('wasm', { [THREAD_CAP_ENV]: '3', CANDELA_TRAIN_THREADS: '5' }, 12)).toBe(5);
    expect(trainingThreadCount('webgpu', { [THREAD_CAP_ENV]: '3' }, 12)).toBe(1);
    // A cap is no fixed count: a small model may still take fewer threads.
    expect(trainingThreads('cpu', { [THREAD_CAP_ENV]: '1' })).toEqual({ threads: 1, fixed: false });
    expect(trainingThreads('cpu', { CANDELA_TRAIN_THREADS: '1' })).toEqual({ threads: 1, fixed: true });
  });

  it('sums shard gradients weighted by their shares, for any number of shards', () => {
    const n = 37;
    for (const count of [1, 2, 3, 4, 5]) {
      const parts = Array.from({ length: count }, (_, k) => ({ share: (k + 1) / ((count * (count + 1)) / 2), grads: Float32Array.from({ length: n }, (_, i) => Math.sin(i * (k + 2)) * 10 ** (k % 3)) }));
      const out = new Float32Array(n).fill(NaN);
      weightedSum(parts, out);
      for (let i = 0; i < n; i++) {
        const expected = parts.reduce((sum, p) => sum + p.share * p.grads[i], 0);
        expect(Math.abs(out[i] - expected), `${count} shards, value ${i}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
      }
    }
    const none = new Float32Array(3).fill(1);
    weightedSum([], none);
    expect([...none]).toEqual([0, 0, 0]);
  });

  it('cuts a batch into contiguous shards that cover it once', () => {
    expect([0, 1, 2].map((k) => shardRange(10, 3, k))).toEqual([[0, 4], [4, 3], [7, 3]]);
    expect([0, 1, 2].map((k) => shardRange(2, 3, k))).toEqual([[0, 1], [1, 1], [2, 0]]);
  });

  it('names the training threads in the backend line instead of the kernel threads', () => {
    expect(describeTrainingThreads('WebAssembly (SIMD) · CPU, 1 thread — no GPU', 4)).toBe('WebAssembly (SIMD) · CPU × 4 threads — no GPU');
    expect(describeTrainingThreads('WebAssembly (SIMD) · CPU, 1 thread — no GPU', 1)).toBe('WebAssembly (SIMD) · CPU, 1 thread — no GPU');
    expect(describeTrainingThreads('WebAssembly (SIMD) · CPU, 1 thread — no GPU', 1, { available: 2 })).toBe(
      'WebAssembly (SIMD) · CPU × 1 of 2 threads (too little work per batch to split further) — no GPU',
    );
    expect(describeTrainingThreads('WebAssembly (SIMD) · CPU, 1 thread — no GPU', 8, { upTo: true })).toBe('WebAssembly (SIMD) · CPU × up to 8 threads — no GPU');
  });

  it('fits the default count to the model and batch, but keeps a count CANDELA_TRAIN_THREADS fixed', () => {
    const small = { kind: 'mlp', window: 64, features: 16, classes: 3, hidden: 128, layers: 1, dropout: 0, magnitudeHead: false, seed: 0 } as const;
    const large = { ...small, kind: 'lstm', hidden: 64 } as const;
    expect(fitThreadsToWorkload({ threads: 2, threadScript: 'thread.mjs', fixed: false }, small, 64)).toEqual({ threads: 1, fixed: false });
    expect(fitThreadsToWorkload({ threads: 2, threadScript: 'thread.mjs', fixed: true }, small, 64)).toEqual({ threads: 2, threadScript: 'thread.mjs', fixed: true });
    expect(fitThreadsToWorkload({ threads: 8, threadScript: 'thread.mjs', fixed: false }, small, 256)).toEqual({ threads: 2, threadScript: 'thread.mjs', fixed: false });
    expect(fitThreadsToWorkload({ threads: 2, threadScript: 'thread.mjs', fixed: false }, large, 256)).toEqual({ threads: 2, threadScript: 'thread.mjs', fixed: false });
    expect(fitThreadsToWorkload({ threads: 8, threadScript: 'thread.mjs', fixed: false }, large, 256).threads).toBe(8);
    expect(fitThreadsToWorkload({ threads: 32, threadScript: 'thread.mjs', fixed: false }, large, 256).threads).toBe(32);
    expect(fitThreadsToWorkload({ threads: 256, threadScript: 'thread.mjs', fixed: false }, large, 256).threads).toBe(57);
  });
});

describe('data-parallel training on wasm', () => {
  // One thread per core, waits spinning first; and more threads than cores, where every wait sleeps on its shared word (and a lone third shard is summed).
  it.each([2, availableParallelism() + 1])('averages shard gradients over %i threads to the one-thread gradient of the whole batch', async (threads) => {
    const config = { ...settings.model, dropout: 0 };
    const model = buildModel(config);
    const trainable = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const order = data.train.slice();
    const batchSize = 61; // odd, so the shards differ in size
    const parallel = await DataParallel.start({ threads, script, backend: 'wasm', data, model, trainable, config, magnitudeWeight: 0, batchSize });
    try {
      const buffers = new BatchBuffers(data, batchSize);
      for (const batch of [0, buffers.batchCount(order) - 1]) {
        const whole = buffers.tensors(order, batch, data.classWeights);
        const { value, grads } = tf.variableGrads(() => weightedLoss(model.apply(whole.x, { training: true }) as tf.Tensor, whole, 0), trainable);
        const step = await parallel.step(order, batch, batchSize, data.classWeights);
        expect(step.size).toBe(whole.size);
        expect(Math.abs(step.loss - value.dataSync()[0])).toBeLessThan(1e-5);
        let at = 0;
        trainable.forEach((v) => {
          const expected = grads[v.name].dataSync();
          const got = step.flat.subarray(at, at + v.size);
          at += v.size;
          const scale = Math.max(1e-3, ...Array.from(expected, Math.abs));
          let worst = 0;
          for (let j = 0; j < expected.length; j++) worst = Math.max(worst, Math.abs(got[j] - expected[j]) / scale);
          expect(worst, `gradient of ${v.name}, batch ${batch}`).toBeLessThan(1e-4);
        });
        expect(at).toBe(step.flat.length);
        tf.dispose([value, ...Object.values(grads)]);
        disposeBatch(whole);
      }
      expect(sampleCount(order)).toBeGreaterThan(batchSize);
    } finally {
      await parallel.dispose();
      model.dispose();
    }
  }, 60_000);

  it('repeats a run exactly for a seed and thread count, and stays near the one-thread run', async () => {
    const runs: ReturnType<typeof figures>[] = [];
    for (const threads of [2, 2, 1]) {
      const loop = new TrainingLoop(data, settings, { threads, threadScript: script });
      runs.push(figures((await loop.run()).history));
      loop.dispose();
    }
    expect(runs[1]).toEqual(runs[0]);
    runs[0].forEach((m, i) => {
      expect(Math.abs(m.trainLoss - runs[2][i].trainLoss), `epoch ${i + 1} train loss`).toBeLessThan(0.02);
      expect(Math.abs(m.valLoss - runs[2][i].valLoss), `epoch ${i + 1} val loss`).toBeLessThan(0.02);
    });
  }, 120_000);

  it('pauses and resumes on 2 threads to the uninterrupted run\'s numbers', async () => {
    const straight = new TrainingLoop(data, settings, { threads: 2, threadScript: script });
    const reference = figures((await straight.run()).history);
    straight.dispose();

    const checkpoints = join(dir, 'pause');
    const first = new TrainingLoop(data, settings, {
      checkpointDir: checkpoints,
      threads: 2,
      threadScript: script,
      progressIntervalMs: 0,
      onProgress: (p) => p.epoch === 2 && p.batch === 3 && first.pause(),
    });
    expect((await first.run()).status).toBe('paused');
    first.dispose();
    const second = await TrainingLoop.resumeFromCheckpoint(checkpoints, data, { threads: 2, threadScript: script });
    const resumed = figures((await second.run()).history);
    second.dispose();
    expect(resumed).toEqual(reference);
  }, 120_000);

  // The real thread with a fault in its third step, as it reports the step done (the one Atomics.notify a step makes).
  const faultyThread = (name: string, fault: string): string => {
    const file = join(dir, name);
    writeFileSync(
      file,
      `const notify = Atomics.notify.bind(Atomics);\nlet notified = 0;\n` +
        `Atomics.notify = (words, index, count) => { if (++notified === 3) { ${fault} } return notify(words, index, count); };\n` +
        `await import(${JSON.stringify(pathToFileURL(script).href)});\n`,
    );
    return file;
  };

  it('fails the run with the reason when a training thread throws', async () => {
    const loop = new TrainingLoop(data, settings, { threads: 2, threadScript: faultyThread('throwing-thread.mjs', "throw new Error('simulated fault in the thread');") });
    await expect(loop.run()).rejects.toThrow(/training thread 1 failed: simulated fault in the thread/);
    loop.dispose();
  }, 60_000);

  it('fails the run with the reason when a training thread dies', async () => {
    const loop = new TrainingLoop(data, settings, { threads: 2, threadScript: faultyThread('dying-thread.mjs', 'process.exit(70);') });
    await expect(loop.run()).rejects.toThrow(/training thread 1 stopped \(exit code 70\)/);
    loop.dispose();
  }, 60_000);
});

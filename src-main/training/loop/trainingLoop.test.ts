import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../backends/selectBackend.js';
import type { DataSpec } from './dataSpec.js';
import type { EpochMetrics, LoopSettings } from './loopTypes.js';
import { evaluateSplit } from './predictTest.js';
import { prepareTrainingData, type PreparedData } from './prepareTrainingData.js';
import { syntheticTrainingInputs } from './__fixtures__/syntheticInputs.js';
import { TrainingLoop } from './trainingLoop.js';

const SPEC: DataSpec = {
  featureSet: 'minimal',
  extras: 'raw',
  window: 8,
  horizon: 1,
  labels: { kind: 'direction', bandBps: 2, classes: 'up-flat-down' },
  split: { train: 0.6, val: 0.2, test: 0.2 },
  balancePerSymbol: true,
  magnitudeHead: true,
  seed: 5,
};

const prepare = (signal = 0.3, bars = 1500): PreparedData => prepareTrainingData(syntheticTrainingInputs({ symbols: 2, bars, signal, seed: 99 }), SPEC);

function settings(data: PreparedData, overrides: Partial<LoopSettings> = {}): LoopSettings {
  return {
    model: { kind: 'mlp', window: data.window, features: data.features, classes: data.classes, hidden: 16, layers: 2, dropout: 0.1, magnitudeHead: true, seed: 4 },
    optimizer: { kind: 'adamw', lr: 3e-3, weightDecay: 1e-2, clipNorm: 0.5 },
    schedule: { kind: 'cosine', warmupEpochs: 1, minLr: 1e-4 },
    epochs: 4,
    batchSize: 64,
    patience: 0,
    magnitudeWeight: 0.5,
    seed: 21,
    ...overrides,
  };
}

/** The metrics that must reproduce (timings never do). */
const reproducible = (history: readonly EpochMetrics[]) => history.map(({ epoch, trainLoss, valLoss, trainAcc, valAcc, lr }) => ({ epoch, trainLoss, valLoss, trainAcc, valAcc, lr }));

/** On the cpu backend a resumed run reproduces the uninterrupted one bit for bit. */
function expectSameMetrics(a: readonly EpochMetrics[], b: readonly EpochMetrics[]): void {
  expect(reproducible(b)).toEqual(reproducible(a));
}

let dir: string;
beforeAll(async () => {
  await selectBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'candela-loop-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('TrainingLoop', () => {
  it('is deterministic: same seed, same backend → identical metrics; another seed differs', async () => {
    const data = prepare();
    const runs: EpochMetrics[][] = [];
    for (const seed of [21, 21, 22]) {
      const loop = new TrainingLoop(data, settings(data, { epochs: 2, seed }));
      runs.push((await loop.run()).history);
      loop.dispose();
    }
    expect(reproducible(runs[1])).toEqual(reproducible(runs[0]));
    expect(reproducible(runs[2])).not.toEqual(reproducible(runs[0]));
    expect(runs[0].every((m) => m.samplesPerSec > 0 && m.seconds > 0)).toBe(true);
  });

  it('resumes from a checkpoint to the same metrics as an uninterrupted run (epoch boundary and mid-epoch)', async () => {
    const straight = new TrainingLoop(prepare(), settings(prepare()), { checkpointDir: join(dir, 'straight') });
    const reference = await straight.run();
    straight.dispose();
    expect(reference.status).toBe('completed');
    expect(reference.history).toHaveLength(4);

    // Pause at the end of epoch 2, then continue in a fresh loop built from the checkpoint alone.
    const data = prepare();
    const first = new TrainingLoop(data, settings(data), {
      checkpointDir: join(dir, 'split'),
      onEpoch: (m) => m.epoch === 2 && first.pause(),
    });
    expect((await first.run()).status).toBe('paused');
    first.dispose();
    const second = await TrainingLoop.resumeFromCheckpoint(join(dir, 'split'), prepare());
    const resumed = await second.run();
    second.dispose();
    expect(resumed.status).toBe('completed');
    expectSameMetrics(reference.history, resumed.history);

    // Pause in the middle of epoch 3 (batch 5): position, RNG and running sums must carry over.
    const third = new TrainingLoop(data, settings(data), {
      checkpointDir: join(dir, 'mid'),
      progressIntervalMs: 0,
      onProgress: (p) => p.epoch === 3 && p.batch === 5 && third.pause(),
    });
    expect((await third.run()).status).toBe('paused');
    expect(third.metrics).toHaveLength(2);
    third.dispose();
    const fourth = await TrainingLoop.resumeFromCheckpoint(join(dir, 'mid'), data);
    const midResumed = await fourth.run();
    fourth.dispose();
    expectSameMetrics(reference.history, midResumed.history);
    expect(midResumed.bestEpoch).toBe(reference.bestEpoch);
  });

  it('pauses before the first batch when asked before run(), and resumes from that checkpoint', async () => {
    const data = prepare();
    const early = new TrainingLoop(data, settings(data, { epochs: 2 }), { checkpointDir: join(dir, 'early') });
    early.pause();
    expect((await early.run()).status).toBe('paused');
    early.dispose();
    const resumed = await TrainingLoop.resumeFromCheckpoint(join(dir, 'early'), data);
    const history = (await resumed.run()).history;
    resumed.dispose();
    const straight = new TrainingLoop(data, settings(data, { epochs: 2 }));
    expectSameMetrics((await straight.run()).history, history);
    straight.dispose();
  });

  it('refuses a checkpoint made on different data', async () => {
    const data = prepare();
    const loop = new TrainingLoop(data, settings(data, { epochs: 1 }), { checkpointDir: join(dir, 'other') });
    await loop.run();
    loop.dispose();
    await expect(TrainingLoop.resumeFromCheckpoint(join(dir, 'other'), prepare(0.3, 1400))).rejects.toThrow(/different data/);
  });

  it('stops early on a rising validation loss and keeps the best epoch’s weights', async () => {
    // A random walk and a wide, fast-learning model: it can only overfit, so validation loss rises.
    const data = prepare(0, 1500);
    const s = settings(data, {
      model: { ...settings(data).model, hidden: 64, dropout: 0 },
      optimizer: { kind: 'adam', lr: 1e-2, weightDecay: 0, clipNorm: 0 },
      schedule: { kind: 'constant' },
      epochs: 30,
      patience: 2,
    });
    const loop = new TrainingLoop(data, s);
    const outcome = await loop.run();
    expect(outcome.status).toBe('early-stopped');
    const losses = outcome.history.map((m) => m.valLoss);
    const best = losses.indexOf(Math.min(...losses)) + 1;
    expect(outcome.bestEpoch).toBe(best);
    expect(outcome.history).toHaveLength(best + 2);
    const now = await evaluateSplit(loop.model, data, data.val, s.magnitudeWeight);
    expect(Math.abs(now.loss - losses[best - 1])).toBeLessThan(1e-6);
    expect(Math.abs(now.loss - losses[losses.length - 1])).toBeGreaterThan(1e-4);
    loop.dispose();
  });

  it('keeps the tensor count flat across epochs and frees everything on dispose', async () => {
    const data = prepare();
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    // A clock that moves 40 ms per batch: a report every third batch if reports keep 100 ms apart.
    let clockMs = 0;
    const reports: { at: number; batches: number }[] = [];
    const loop = new TrainingLoop(data, settings(data, { epochs: 4, schedule: { kind: 'plateau', factor: 0.5, patience: 1 } }), {
      onEpoch: () => counts.push(tf.memory().numTensors),
      progressClock: () => (clockMs += 40),
      onProgress: (p) => reports.push({ at: clockMs, batches: p.batches }),
    });
    await loop.run();
    expect(counts).toEqual([counts[0], counts[0], counts[0], counts[0]]);
    // Progress reports: at most one per 100 ms (≤ 10 per second), across epoch boundaries too.
    const totalBatches = 4 * reports[0].batches;
    expect(reports).toHaveLength(Math.ceil(totalBatches / 3));
    for (let i = 1; i < reports.length; i++) expect(reports[i].at - reports[i - 1].at).toBe(120);
    loop.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stop() ends within a batch, keeping the best weights', async () => {
    const data = prepare();
    const loop = new TrainingLoop(data, settings(data, { epochs: 10 }), {
      progressIntervalMs: 0,
      onProgress: (p) => p.epoch === 2 && p.batch === 3 && loop.stop(),
    });
    const outcome = await loop.run();
    expect(outcome.status).toBe('stopped');
    expect(outcome.history).toHaveLength(1);
    expect(outcome.bestEpoch).toBe(1);
    const now = await evaluateSplit(loop.model, data, data.val, 0.5);
    expect(Math.abs(now.loss - outcome.history[0].valLoss)).toBeLessThan(1e-6);
    loop.dispose();
  });

  it("reports each batch's own loss beside the epoch's running mean, which it averages to", async () => {
    const data = prepare();
    const reports: { epoch: number; batch: number; loss: number; recentLoss: number }[] = [];
    const loop = new TrainingLoop(data, settings(data, { epochs: 1, batchSize: 64 }), { progressIntervalMs: 0, onProgress: (p) => reports.push(p) });
    const outcome = await loop.run();
    // Every batch reported: recentLoss is that batch's loss, and the running mean is their mean
    // weighted by batch size (all full but the last, which ends the epoch and is not in this prefix).
    const full = reports.slice(0, -1);
    full.forEach((r, i) => {
      const mean = full.slice(0, i + 1).reduce((a, q) => a + q.recentLoss, 0) / (i + 1);
      expect(r.loss).toBeCloseTo(mean, 5);
    });
    expect(new Set(full.map((r) => r.recentLoss.toFixed(6))).size).toBeGreaterThan(1);
    expect(reports.at(-1)!.loss).toBeCloseTo(outcome.history[0]!.trainLoss!, 5);
    loop.dispose();
  });
});

/**
 * Checkpoints on the wasm backend, where no tfjs file handler exists: pause, write, resume in a
 * fresh loop, and land on the metrics of an uninterrupted run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../backends/selectBackend.js';
import type { LoopSettings } from './loopTypes.js';
import { prepareTrainingData } from './prepareTrainingData.js';
import { nextBarSpec, syntheticTrainingInputs } from './__fixtures__/syntheticInputs.js';
import { TrainingLoop } from './trainingLoop.js';

let dir: string;
beforeAll(async () => {
  await selectBackend('wasm');
  dir = mkdtempSync(join(tmpdir(), 'candela-wasm-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await tf.setBackend('cpu');
});

describe('checkpoints on wasm', () => {
  it('resume to within 1e-6 of an uninterrupted run', async () => {
    expect(tf.getBackend()).toBe('wasm');
    const data = prepareTrainingData(syntheticTrainingInputs({ symbols: 2, bars: 1200, signal: 0.3, seed: 3 }), nextBarSpec(1));
    const settings: LoopSettings = {
      model: { kind: 'gru', window: 8, features: data.features, classes: 2, hidden: 8, layers: 1, dropout: 0, magnitudeHead: false, seed: 2 },
      optimizer: { kind: 'adamw', lr: 3e-3, weightDecay: 1e-2, clipNorm: 1 },
      schedule: { kind: 'cosine', warmupEpochs: 0.5 },
      epochs: 3,
      batchSize: 64,
      patience: 0,
      magnitudeWeight: 0,
      seed: 9,
    };
    const straight = new TrainingLoop(data, settings);
    const reference = (await straight.run()).history;
    straight.dispose();

    const first = new TrainingLoop(data, settings, { checkpointDir: dir, progressIntervalMs: 0, onProgress: (p) => p.epoch === 2 && p.batch === 3 && first.pause() });
    expect((await first.run()).status).toBe('paused');
    first.dispose();
    const second = await TrainingLoop.resumeFromCheckpoint(dir, data);
    const resumed = (await second.run()).history;
    second.dispose();
    expect(resumed).toHaveLength(3);
    resumed.forEach((m, i) => {
      for (const key of ['trainLoss', 'valLoss', 'trainAcc', 'valAcc', 'lr'] as const) {
        expect(Math.abs(m[key] - reference[i][key]), `epoch ${m.epoch} ${key}`).toBeLessThanOrEqual(1e-6);
      }
    });
  });
});

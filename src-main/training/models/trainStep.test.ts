import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { initWasmBackend } from '../backends/wasmSetup.js';
import { buildModel } from './buildModel.js';
import { MODEL_KINDS, type ModelConfig, type ModelKind } from './config.js';
import { directionMagnitudeLoss, trainStep, type Targets } from './objective.js';

const WINDOW = 16;
const FEATURES = 4;
const BATCH = 32;

function config(kind: ModelKind): ModelConfig {
  return { kind, window: WINDOW, features: FEATURES, classes: 3, hidden: 16, layers: 2, dropout: 0.1, heads: 2, magnitudeHead: true, seed: 11 };
}

/**
 * A batch whose labels follow from the inputs: the direction is the sign of feature 0's mean over
 * the last 4 steps (down / flat / up), the magnitude that mean.
 */
function learnableBatch(): { x: tf.Tensor; targets: Targets } {
  return tf.tidy(() => {
    const x = tf.randomNormal([BATCH, WINDOW, FEATURES], 0, 1, 'float32', 5);
    const signal = tf.mean(tf.slice(x, [0, WINDOW - 4, 0], [BATCH, 4, 1]), [1, 2]);
    const label = tf.add(tf.cast(tf.greater(signal, 0.25), 'int32'), tf.cast(tf.greater(signal, -0.25), 'int32'));
    return { x, targets: { direction: tf.oneHot(label, 3).toFloat(), magnitude: tf.reshape(signal, [BATCH, 1]) } };
  });
}

async function lossesOn(backend: 'wasm' | 'cpu', kind: ModelKind, steps: number): Promise<{ losses: number[]; tensorCounts: number[] }> {
  if (backend === 'wasm') await initWasmBackend();
  else await tf.setBackend('cpu');
  const model = buildModel(config(kind));
  const { x, targets } = learnableBatch();
  const optimizer = tf.train.adam(0.01);
  const losses: number[] = [];
  const tensorCounts: number[] = [];
  for (let i = 0; i < steps; i++) {
    losses.push(await trainStep(model, optimizer, x, targets));
    tensorCounts.push(tf.memory().numTensors);
  }
  optimizer.dispose();
  model.dispose();
  tf.dispose([x, targets.direction, targets.magnitude]);
  return { losses, tensorCounts };
}

describe('training steps', () => {
  beforeAll(async () => {
    await initWasmBackend();
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(MODEL_KINDS)('%s trains on wasm (loss falls over 3 steps) and matches the cpu backend', async (kind) => {
    const wasm = await lossesOn('wasm', kind, 3);
    expect(wasm.losses.every(Number.isFinite)).toBe(true);
    expect(wasm.losses[2]).toBeLessThan(wasm.losses[0]);
    const cpu = await lossesOn('cpu', kind, 3);
    cpu.losses.forEach((loss, i) => expect(Math.abs(loss - wasm.losses[i])).toBeLessThan(2e-3 * (1 + Math.abs(loss))));
  });

  it.each(MODEL_KINDS)('%s keeps the tensor count flat across steps on wasm', async (kind) => {
    const { tensorCounts } = await lossesOn('wasm', kind, 4);
    // The first step creates the optimizer's slots; after that nothing may accumulate.
    expect(tensorCounts.slice(1)).toEqual([tensorCounts[1], tensorCounts[1], tensorCounts[1]]);
  });

  it('adds 0.5 · MSE of the magnitude head to the cross-entropy', () => {
    tf.tidy(() => {
      const direction = tf.tensor2d([[0.5, 0.25, 0.25]]);
      const magnitude = tf.tensor2d([[2]]);
      const loss = directionMagnitudeLoss([direction, magnitude], { direction: tf.tensor2d([[0, 1, 0]]), magnitude: tf.tensor2d([[1]]) });
      expect(loss.dataSync()[0]).toBeCloseTo(-Math.log(0.25) + 0.5 * 1, 5);
      expect(directionMagnitudeLoss(direction, { direction: tf.tensor2d([[1, 0, 0]]) }).dataSync()[0]).toBeCloseTo(-Math.log(0.5), 5);
    });
  });
});

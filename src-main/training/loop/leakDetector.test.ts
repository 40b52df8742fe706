/**
 * The leak detector: on a pure random walk nothing is predictable, so a leak-free pipeline must
 * score within noise of the majority-class baseline on the test set; with a planted signal the
 * same pipeline must clearly beat it (so the null result is not just a model that cannot learn).
 */
import { beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../backends/selectBackend.js';
import type { DataSpec } from './dataSpec.js';
import type { LoopSettings } from './loopTypes.js';
import { predictTest, testAccuracy } from './predictTest.js';
import { prepareTrainingData } from './prepareTrainingData.js';
import { nextBarSpec, syntheticTrainingInputs } from './__fixtures__/syntheticInputs.js';
import { TrainingLoop } from './trainingLoop.js';

const SPEC: DataSpec = nextBarSpec(7);

async function trainAndTest(signal: number): Promise<{ accuracy: number; baselineAccuracy: number; samples: number; bestEpoch: number | null }> {
  // Independent symbols (correlation 0) so that test samples are independent draws and the
  // binomial standard error below is the right yardstick.
  const inputs = syntheticTrainingInputs({ symbols: 3, bars: 6000, signal, seed: 2024, correlation: 0 });
  const data = prepareTrainingData(inputs, SPEC);
  const settings: LoopSettings = {
    model: { kind: 'mlp', window: SPEC.window, features: data.features, classes: data.classes, hidden: 32, layers: 1, dropout: 0, magnitudeHead: false, seed: 3 },
    optimizer: { kind: 'adamw', lr: 2e-3, weightDecay: 1e-4, clipNorm: 1 },
    schedule: { kind: 'constant' },
    epochs: 6,
    batchSize: 128,
    patience: 2,
    magnitudeWeight: 0,
    seed: 11,
  };
  const loop = new TrainingLoop(data, settings);
  const outcome = await loop.run();
  const result = testAccuracy(await predictTest(loop.model, data), data.classes);
  loop.dispose();
  return { ...result, bestEpoch: outcome.bestEpoch };
}

describe('leak detector (synthetic market, 3 symbols × 6000 bars of 5m, MLP)', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('scores within 3 binomial standard errors of the majority baseline on a pure random walk', async () => {
    const r = await trainAndTest(0);
    const se = Math.sqrt((r.baselineAccuracy * (1 - r.baselineAccuracy)) / r.samples);
    console.log(`null: test accuracy ${(100 * r.accuracy).toFixed(2)}% vs majority ${(100 * r.baselineAccuracy).toFixed(2)}% (n = ${r.samples}, 3 SE = ${(300 * se).toFixed(2)} points)`);
    expect(Math.abs(r.accuracy - r.baselineAccuracy)).toBeLessThan(3 * se);
  });

  it('beats the majority baseline by more than 5 points with a planted signal of 0.4', async () => {
    const r = await trainAndTest(0.4);
    console.log(`signal 0.4: test accuracy ${(100 * r.accuracy).toFixed(2)}% vs majority ${(100 * r.baselineAccuracy).toFixed(2)}% (n = ${r.samples})`);
    expect(r.accuracy - r.baselineAccuracy).toBeGreaterThan(0.05);
  });
});

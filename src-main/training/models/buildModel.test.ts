import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { buildModel } from './buildModel.js';
import { MODEL_KINDS, validateModelConfig, type ModelConfig, type ModelKind } from './config.js';
import { featureImportance, hasFeatureImportance, modelSummary } from './inspect.js';
import { loadModelArtifacts, saveModelArtifacts } from './persistence.js';

function config(kind: ModelKind, overrides: Partial<ModelConfig> = {}): ModelConfig {
  return { kind, window: 12, features: 5, classes: 3, hidden: 8, layers: 2, dropout: 0.1, heads: 2, magnitudeHead: true, seed: 7, ...overrides };
}

const x = (): tf.Tensor => tf.randomNormal([4, 12, 5], 0, 1, 'float32', 3);

describe('buildModel', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(MODEL_KINDS)('%s maps [B, window, features] to direction probabilities and a magnitude', (kind) => {
    const model = buildModel(config(kind));
    tf.tidy(() => {
      const [direction, magnitude] = model.predict(x()) as tf.Tensor[];
      expect(direction.shape).toEqual([4, 3]);
      expect(magnitude.shape).toEqual([4, 1]);
      const rowSums = Array.from(tf.sum(direction, 1).dataSync());
      rowSums.forEach((s) => expect(s).toBeCloseTo(1, 5));
    });
    expect(model.outputNames).toEqual(['direction', 'magnitude']);
    model.dispose();
  });

  it('omits the magnitude head when not asked for', () => {
    const model = buildModel(config('lstm', { magnitudeHead: false }));
    expect(model.outputs).toHaveLength(1);
    tf.tidy(() => {
      expect((model.predict(x()) as tf.Tensor).shape).toEqual([4, 3]);
    });
    model.dispose();
  });

  it('is reproducible from its seed and differs across seeds', () => {
    const weightsOf = (seed: number): number[] => {
      const model = buildModel(config('gru', { seed }));
      const values = model.getWeights().flatMap((w) => Array.from(w.dataSync().slice(0, 5)));
      model.dispose();
      return values;
    };
    expect(weightsOf(1)).toEqual(weightsOf(1));
    expect(weightsOf(1)).not.toEqual(weightsOf(2));
  });

  it('rejects an invalid config with the reasons', () => {
    expect(validateModelConfig(config('transformer', { hidden: 10, heads: 4 }))).toEqual(['heads (4) must be a positive integer dividing hidden (10)']);
    expect(() => buildModel(config('mlp', { dropout: 1, window: 0 }))).toThrow(/window must be a positive integer.*dropout must be in \[0, 1\)/);
  });

  it('summarises layers with output shapes and parameter counts', () => {
    const model = buildModel(config('lstm', { layers: 1, hidden: 6, magnitudeHead: false }));
    const summary = modelSummary(model);
    const lstm = summary.layers.find((l) => l.type === 'LSTM');
    // kernel 5×24 + recurrent 6×24 + bias 24
    expect(lstm).toMatchObject({ outputShapes: [[null, 6]], params: 5 * 24 + 6 * 24 + 24 });
    expect(summary.layers.at(-1)).toMatchObject({ name: 'direction', outputShapes: [[null, 3]], params: 6 * 3 + 3 });
    expect(summary.totalParams).toBe(summary.layers.reduce((s, l) => s + l.params, 0));
    expect(summary.trainableParams).toBe(summary.totalParams);
    model.dispose();
  });

  it.each(MODEL_KINDS)('%s survives a save/load round trip with identical predictions', async (kind) => {
    const model = buildModel(config(kind, { positions: 'sinusoidal' }));
    const artifacts = await saveModelArtifacts(model);
    const loaded = await loadModelArtifacts(artifacts);
    tf.tidy(() => {
      const input = x();
      const before = model.predict(input) as tf.Tensor[];
      const after = loaded.predict(input) as tf.Tensor[];
      before.forEach((t, i) => expect(Array.from(after[i].dataSync())).toEqual(Array.from(t.dataSync())));
    });
    expect(modelSummary(loaded).totalParams).toBe(modelSummary(model).totalParams);
    model.dispose();
    loaded.dispose();
  });

  it('exposes the TFT feature importance as mean variable-selection weights', async () => {
    const model = buildModel(config('tft'));
    expect(hasFeatureImportance(model)).toBe(true);
    expect(hasFeatureImportance(buildModel(config('mlp')))).toBe(false);
    const importance = await featureImportance(model, x());
    expect(importance).toHaveLength(5);
    expect(importance.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    importance.forEach((w) => expect(w).toBeGreaterThan(0));
    model.dispose();
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { CandelaMultiHeadSelfAttention } from './attention.js';
import { CandelaCausalConv1D } from './causalConv1d.js';
import { denseOp, type DenseActivation } from './denseOp.js';
import { CandelaLayerNorm, CandelaWeightedFeatureEmbedding } from './sequenceLayers.js';

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('custom layers', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('causal conv equals a dilated valid conv1d on the front-padded input', () => {
    tf.tidy(() => {
      const layer = new CandelaCausalConv1D({ filters: 3, kernelSize: 3, dilation: 2, activation: 'linear', seed: 1 });
      const x = tf.randomNormal([2, 9, 4], 0, 1, 'float32', 2);
      const y = layer.apply(x) as tf.Tensor;
      const [kernel, bias] = layer.getWeights();
      const expected = tf.add(
        tf.conv1d(tf.pad(x, [[0, 0], [4, 0], [0, 0]]) as tf.Tensor3D, tf.reshape(kernel, [3, 4, 3]) as tf.Tensor3D, 1, 'valid', 'NWC', 2),
        bias,
      );
      expect(maxAbsDiff(y, expected)).toBeLessThan(1e-5);
    });
  });

  it('causal conv output at step t ignores inputs after t', () => {
    tf.tidy(() => {
      const layer = new CandelaCausalConv1D({ filters: 2, kernelSize: 5, dilation: 1, activation: 'relu', seed: 3 });
      const x = tf.randomNormal([1, 10, 3], 0, 1, 'float32', 4);
      const changedFuture = tf.concat([tf.slice(x, [0, 0, 0], [1, 6, 3]), tf.fill([1, 4, 3], 9)], 1);
      const a = tf.slice(layer.apply(x) as tf.Tensor, [0, 0, 0], [1, 6, 2]);
      const b = tf.slice(layer.apply(changedFuture) as tf.Tensor, [0, 0, 0], [1, 6, 2]);
      expect(maxAbsDiff(a, b)).toBe(0);
    });
  });

  it.each<DenseActivation>(['linear', 'relu', 'sigmoid', 'elu'])('denseOp (%s) has the gradients of the plain ops', (activation) => {
    tf.tidy(() => {
      const x = tf.randomNormal([5, 4], 0, 1, 'float32', 5) as tf.Tensor2D;
      const w = tf.randomNormal([4, 3], 0, 1, 'float32', 6) as tf.Tensor2D;
      const b = tf.randomNormal([3], 0, 1, 'float32', 7) as tf.Tensor1D;
      const mask = tf.randomNormal([5, 3], 0, 1, 'float32', 8);
      const plain = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor): tf.Tensor => {
        const z = tf.add(tf.matMul(xi as tf.Tensor2D, wi as tf.Tensor2D), bi);
        const act = { linear: z, relu: tf.relu(z), sigmoid: tf.sigmoid(z), elu: tf.elu(z) }[activation];
        return tf.sum(tf.mul(act, mask));
      };
      const fused = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor): tf.Tensor =>
        tf.sum(tf.mul(denseOp(xi as tf.Tensor2D, wi as tf.Tensor2D, bi as tf.Tensor1D, activation, true), mask));
      const expected = tf.grads(plain)([x, w, b]);
      tf.grads(fused)([x, w, b]).forEach((g, i) => expect(maxAbsDiff(g, expected[i])).toBeLessThan(1e-5));
      const [dx] = tf.grads((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
        tf.sum(denseOp(xi as tf.Tensor2D, wi as tf.Tensor2D, bi as tf.Tensor1D, activation, false)),
      )([x, w, b]);
      expect(tf.max(tf.abs(dx)).dataSync()[0]).toBe(0);
    });
  });

  it('attention with a causal mask ignores later steps; without it, it does not', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([1, 6, 8], 0, 1, 'float32', 9);
      const changedLast = tf.concat([tf.slice(x, [0, 0, 0], [1, 5, 8]), tf.fill([1, 1, 8], 3)], 1);
      const firstFive = (layer: tf.layers.Layer, input: tf.Tensor): tf.Tensor => tf.slice(layer.apply(input) as tf.Tensor, [0, 0, 0], [1, 5, 8]);
      const causal = new CandelaMultiHeadSelfAttention({ heads: 2, causal: true, seed: 1 });
      expect(maxAbsDiff(firstFive(causal, x), firstFive(causal, changedLast))).toBeLessThan(1e-6);
      const full = new CandelaMultiHeadSelfAttention({ heads: 2, seed: 1 });
      expect(maxAbsDiff(firstFive(full, x), firstFive(full, changedLast))).toBeGreaterThan(1e-3);
    });
  });

  it('layer norm normalises the last axis and matches tf.layers.layerNormalization', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([2, 3, 6], 2, 3, 'float32', 10);
      const ours = new CandelaLayerNorm({ epsilon: 1e-3 }).apply(x) as tf.Tensor;
      const theirs = tf.layers.layerNormalization({ epsilon: 1e-3 }).apply(x) as tf.Tensor;
      expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-4);
    });
  });

  it('weighted feature embedding is Σ_f v_f·(x_f·w_f + b_f)', () => {
    tf.tidy(() => {
      const layer = new CandelaWeightedFeatureEmbedding({ units: 2, seed: 4 });
      const x = tf.tensor3d([[[1, 2, 3]]]);
      const v = tf.tensor3d([[[0.2, 0.3, 0.5]]]);
      const y = (layer.apply([x, v]) as tf.Tensor).arraySync() as number[][][];
      const [w, b] = layer.getWeights().map((t) => t.arraySync() as number[][]);
      const expected = [0, 1].map((u) => [1, 2, 3].reduce((s, xf, f) => s + [0.2, 0.3, 0.5][f] * (xf * w[f][u] + b[f][u]), 0));
      expect(y[0][0][0]).toBeCloseTo(expected[0], 5);
      expect(y[0][0][1]).toBeCloseTo(expected[1], 5);
    });
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { CandelaMultiHeadSelfAttention } from './attention.js';
import { initWasmBackend } from '../../backends/wasmSetup.js';
import { kernelCausalConvRun, relaidConvActivations, setRecurrentKernels } from '../../kernels/recurrentKernels.js';
import { CandelaCausalConv1D, causalConvOp } from './causalConv1d.js';
import { denseOp, type DenseActivation } from './denseOp.js';
import { CandelaLayerNorm, CandelaMeanOverTime, CandelaWeightedFeatureEmbedding, layerNormOp, repeatOverTime } from './sequenceLayers.js';

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

  it.each([
    ['cpu', true],
    ['cpu', false],
    ['wasm', true],
    ['wasm', false],
  ] as const)('causal conv values and gradients (weights, bias, input) match autodiff of im2col on %s (kernels %s)', async (backend, kernels) => {
    if (backend === 'wasm') await initWasmBackend();
    const previous = setRecurrentKernels(kernels);
    try {
      // Dilated with relu, and undilated linear with a wider filter (one k = taps·channels product in the kernels).
      for (const [k, d, activation] of [[3, 2, 'relu'], [5, 1, 'linear']] as const) {
        tf.tidy(() => {
          const [c, f] = [4, 5];
          const x = tf.randomNormal([2, 9, c], 0, 1, 'float32', 11);
          const w = tf.randomNormal([k * c, f], 0, 0.5, 'float32', 12);
          const b = tf.randomNormal([f], 0, 0.5, 'float32', 13);
          const mask = tf.randomNormal([2, 9, f], 0, 1, 'float32', 14);
          const reference = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor): tf.Tensor => {
            const padded = tf.pad(xi, [[0, 0], [d * (k - 1), 0], [0, 0]]);
            const columns = tf.concat(Array.from({ length: k }, (_, j) => tf.slice(padded, [0, j * d, 0], [2, 9, c])), 2);
            const z = tf.add(tf.matMul(tf.reshape(columns, [18, k * c]), wi), bi);
            return tf.sum(tf.mul(tf.reshape(activation === 'relu' ? tf.relu(z) : z, [2, 9, f]), mask));
          };
          const ours = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor): tf.Tensor =>
            tf.sum(tf.mul(causalConvOp(xi, wi, bi, { kernelSize: k, dilation: d, activation, inputGradient: true }), mask));
          expect(Math.abs(ours(x, w, b).dataSync()[0] - reference(x, w, b).dataSync()[0])).toBeLessThan(1e-4);
          const expected = tf.grads(reference)([x, w, b]);
          tf.grads(ours)([x, w, b]).forEach((g, i) => expect(maxAbsDiff(g, expected[i]), `k ${k} d ${d} gradient ${i}`).toBeLessThan(1e-4));
          // Without the input gradient the weights get the same gradients, and asking for x's anyway fails loudly.
          const noInput = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor): tf.Tensor =>
            tf.sum(tf.mul(causalConvOp(xi, wi, bi, { kernelSize: k, dilation: d, activation, inputGradient: false }), mask));
          const [dw, db] = tf.grads((wi: tf.Tensor, bi: tf.Tensor) => noInput(x, wi, bi))([w, b]);
          expect(maxAbsDiff(dw, expected[1])).toBeLessThan(1e-4);
          expect(maxAbsDiff(db, expected[2])).toBeLessThan(1e-4);
          expect(() => tf.grads(noInput)([x, w, b])).toThrow(/gradient of input/);
        });
      }
    } finally {
      setRecurrentKernels(previous);
      await tf.setBackend('cpu');
    }
  });

  it('causal conv on the kernels equals the tfjs-op path at a training batch’s size (256 × 64 × 16, 32 filters, 5 taps)', async () => {
    await initWasmBackend();
    try {
      const run = (kernels: boolean): Float32Array[] => {
        const previous = setRecurrentKernels(kernels);
        try {
          return tf.tidy(() => {
            const x = tf.randomNormal([256, 64, 16], 0, 1, 'float32', 21);
            const w = tf.randomNormal([80, 32], 0, 0.3, 'float32', 22);
            const b = tf.randomNormal([32], 0, 0.3, 'float32', 23);
            const mask = tf.randomNormal([256, 64, 32], 0, 1, 'float32', 24);
            const f = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor): tf.Tensor =>
              tf.sum(tf.mul(causalConvOp(xi, wi, bi, { kernelSize: 5, dilation: 1, activation: 'relu', inputGradient: true }), mask));
            return tf.grads(f)([x, w, b]).map((g) => g.dataSync() as Float32Array);
          });
        } finally {
          setRecurrentKernels(previous);
        }
      };
      const fast = run(true);
      const reference = run(false);
      fast.forEach((g, i) => {
        let worst = 0;
        let scale = 0;
        for (let j = 0; j < g.length; j++) {
          worst = Math.max(worst, Math.abs(g[j] - reference[i][j]));
          scale = Math.max(scale, Math.abs(reference[i][j]));
        }
        expect(worst / scale, `gradient ${i}`).toBeLessThan(1e-5);
      });
    } finally {
      await tf.setBackend('cpu');
    }
  });

  it('causal conv on the kernels keeps its activations for the backward pass, or lays them out again with the same gradients', () => {
    const d = { batch: 3, steps: 7, channels: 4, taps: 3, dilation: 2, filters: 5 };
    const random = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7.1 + i * 1.3));
    const [x, w, b, dy] = [random(3 * 7 * 4, 1), random(12 * 5, 2), random(5, 3), random(3 * 7 * 5, 4)];
    const grads = (keep: boolean): Float32Array[] => {
      const y = new Float32Array(3 * 7 * 5);
      const run = kernelCausalConvRun(x, w, b, d, true, y, keep);
      const into = { dx: new Float32Array(x.length), dW: new Float32Array(w.length), db: new Float32Array(5) };
      run.backward(dy, true, into, () => ({ x, w, y }));
      expect(() => run.backward(dy, true, into, () => ({ x, w, y }))).toThrow(/differentiated twice/);
      return [y, into.dx, into.dW, into.db];
    };
    const before = relaidConvActivations();
    const kept = grads(true);
    expect(relaidConvActivations()).toBe(before);
    const relaid = grads(false);
    expect(relaidConvActivations()).toBe(before + 1);
    relaid.forEach((g, i) => expect(Array.from(g)).toEqual(Array.from(kept[i])));
    // Training records gradients, so its steps never lay activations out again.
    tf.tidy(() => {
      const f = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor): tf.Tensor => tf.sum(causalConvOp(xi, wi, bi, { kernelSize: 3, dilation: 2, activation: 'relu', inputGradient: true }));
      tf.grads(f)([tf.tensor3d(x, [3, 7, 4]), tf.tensor2d(w, [12, 5]), tf.tensor1d(b)]);
    });
    expect(relaidConvActivations()).toBe(before + 1);
  });

  it('causal conv on the kernels leaves no tensors or backend memory behind on wasm', async () => {
    await initWasmBackend();
    try {
      const x = tf.randomNormal([8, 12, 3], 0, 1, 'float32', 31);
      const w = tf.randomNormal([9, 4], 0, 0.3, 'float32', 32);
      const b = tf.zeros([4]);
      const step = (): void =>
        tf.tidy(() => {
          const f = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor): tf.Tensor => tf.sum(causalConvOp(xi, wi, bi, { kernelSize: 3, dilation: 1, activation: 'relu', inputGradient: true }));
          tf.grads(f)([x, w, b]).forEach((g) => g.dataSync());
        });
      step();
      const before = tf.memory();
      const dataIds = tf.engine().backend.numDataIds();
      for (let i = 0; i < 3; i++) step();
      expect(tf.memory().numTensors).toBe(before.numTensors);
      expect(tf.memory().numBytes).toBe(before.numBytes);
      // The results allocated straight in the wasm heap are freed with their tensors.
      expect(tf.engine().backend.numDataIds()).toBe(dataIds);
      tf.dispose([x, w, b]);
    } finally {
      await tf.setBackend('cpu');
    }
  });

  it.each(
    (['linear', 'relu', 'sigmoid', 'elu'] as DenseActivation[]).flatMap((activation) => [
      [activation, 'cpu'],
      [activation, 'wasm'],
    ]),
  )('denseOp (%s) has the gradients of the plain ops on %s (linear and relu on the kernels)', async (activation, backend) => {
    if (backend === 'wasm') await initWasmBackend();
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
      // Without the input gradient: the weights' gradients are the same; asking for x's anyway fails loudly.
      const noInput = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor): tf.Tensor => tf.sum(tf.mul(denseOp(xi as tf.Tensor2D, wi as tf.Tensor2D, bi as tf.Tensor1D, activation, false), mask));
      tf.grads((wi: tf.Tensor, bi: tf.Tensor) => noInput(x, wi, bi))([w, b]).forEach((g, i) => expect(maxAbsDiff(g, expected[i + 1])).toBeLessThan(1e-5));
      expect(() => tf.grads(noInput)([x, w, b])).toThrow(/gradient of input/);
    });
    await tf.setBackend('cpu');
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

  it('layer norm matches tf.layers.layerNormalization, and its gradients match autodiff', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([2, 3, 6], 2, 3, 'float32', 10);
      const ours = new CandelaLayerNorm({ epsilon: 1e-3 }).apply(x) as tf.Tensor;
      const theirs = tf.layers.layerNormalization({ epsilon: 1e-3 }).apply(x) as tf.Tensor;
      expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-4);
      const gamma = tf.randomNormal([6], 1, 0.3, 'float32', 15);
      const beta = tf.randomNormal([6], 0, 0.3, 'float32', 16);
      const mask = tf.randomNormal([2, 3, 6], 0, 1, 'float32', 17);
      const plain = (xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => {
        const { mean, variance } = tf.moments(xi, 2, true);
        return tf.sum(tf.mul(tf.add(tf.mul(tf.div(tf.sub(xi, mean), tf.sqrt(tf.add(variance, 1e-3))), g), b), mask));
      };
      const fused = (xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => tf.sum(tf.mul(layerNormOp(xi, g, b, 1e-3), mask));
      const expected = tf.grads(plain)([x, gamma, beta]);
      tf.grads(fused)([x, gamma, beta]).forEach((g, i) => expect(maxAbsDiff(g, expected[i])).toBeLessThan(1e-4));
    });
  });

  it('mean over time has the gradient of tf.mean', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 18);
      const mask = tf.randomNormal([2, 3], 0, 1, 'float32', 19);
      const layer = new CandelaMeanOverTime();
      expect(maxAbsDiff(layer.apply(x) as tf.Tensor, tf.mean(x, 1))).toBeLessThan(1e-6);
      const [ours] = tf.grads((xi: tf.Tensor) => tf.sum(tf.mul(layer.apply(xi) as tf.Tensor, mask)))([x]);
      const [theirs] = tf.grads((xi: tf.Tensor) => tf.sum(tf.mul(tf.mean(xi, 1), mask)))([x]);
      expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-6);
    });
  });

  it.each(['cpu', 'wasm'])('repeats rows along time on %s as a broadcast does, for any step count', async (backend) => {
    if (backend === 'wasm') await initWasmBackend();
    else await tf.setBackend(backend);
    try {
      tf.tidy(() => {
        const rows = tf.randomNormal([3, 5], 0, 1, 'float32', 20) as tf.Tensor2D;
        for (const steps of [1, 2, 7, 64]) {
          const ours = repeatOverTime(rows, steps);
          expect(ours.shape).toEqual([3, steps, 5]);
          expect(Array.from(ours.dataSync())).toEqual(Array.from(tf.tile(tf.expandDims(rows, 1), [1, steps, 1]).dataSync()));
        }
      });
    } finally {
      await tf.setBackend('cpu');
    }
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

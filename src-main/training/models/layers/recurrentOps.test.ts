import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { initWasmBackend } from '../../backends/wasmSetup.js';
import { gruSequence } from './gruOp.js';
import { lstmSequence } from './lstmOp.js';
import { gruSequenceReference, lstmSequenceReference } from './__fixtures__/recurrentReferences.js';

type Weights = { kernel: tf.Tensor; recurrent: tf.Tensor; bias: tf.Tensor };
type Fused = (x: tf.Tensor, w: Weights, o: { returnSequences: boolean; inputGradient: boolean }) => tf.Tensor;
type Reference = (x: tf.Tensor, w: Weights, returnSequences: boolean) => tf.Tensor;

const cases: Array<[string, Fused, Reference, (f: number, h: number) => Weights]> = [
  [
    'lstm',
    lstmSequence,
    lstmSequenceReference,
    (f, h) => ({
      kernel: tf.randomNormal([f, 4 * h], 0, 0.6, 'float32', 2),
      recurrent: tf.randomNormal([h, 4 * h], 0, 0.6, 'float32', 3),
      bias: tf.randomNormal([4 * h], 0, 0.6, 'float32', 4),
    }),
  ],
  [
    'gru',
    gruSequence,
    gruSequenceReference,
    (f, h) => ({
      kernel: tf.randomNormal([f, 3 * h], 0, 0.6, 'float32', 2),
      recurrent: tf.randomNormal([h, 3 * h], 0, 0.6, 'float32', 3),
      bias: tf.randomNormal([2, 3 * h], 0, 0.6, 'float32', 4),
    }),
  ],
];

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe.each(['cpu', 'wasm'])('fused recurrent ops on %s', (backend) => {
  beforeAll(async () => {
    if (backend === 'wasm') await initWasmBackend();
    else await tf.setBackend(backend);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(cases)('%s matches the autodiff reference in value and in every gradient', (_, fused, reference, makeWeights) => {
    tf.tidy(() => {
      const x = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 1);
      const w = makeWeights(4, 6);
      // A weighted sum so that every output position gets a different upstream gradient.
      for (const returnSequences of [false, true]) {
        const mask = tf.randomNormal(returnSequences ? [3, 5, 6] : [3, 6], 0, 1, 'float32', 9);
        const loss = (f: (...t: tf.Tensor[]) => tf.Tensor) => (...t: tf.Tensor[]) => tf.sum(tf.mul(f(...t), mask));
        const viaFused = loss((xi, k, r, b) => fused(xi, { kernel: k, recurrent: r, bias: b }, { returnSequences, inputGradient: true }));
        const viaReference = loss((xi, k, r, b) => reference(xi, { kernel: k, recurrent: r, bias: b }, returnSequences));
        const args = [x, w.kernel, w.recurrent, w.bias];
        expect(maxAbsDiff(viaFused(...args), viaReference(...args))).toBeLessThan(1e-5);
        const gFused = tf.grads(viaFused)(args);
        const gReference = tf.grads(viaReference)(args);
        gFused.forEach((g, i) => expect(maxAbsDiff(g, gReference[i])).toBeLessThan(1e-5));
        // Without an input gradient (x a constant) the weights' gradients are the same; asking for ∂x anyway fails loudly.
        const noInput = (xi: tf.Tensor) => loss((k, r, b) => fused(xi, { kernel: k, recurrent: r, bias: b }, { returnSequences, inputGradient: false }));
        const noInputGrad = tf.grads(noInput(x))(args.slice(1));
        noInputGrad.forEach((g, i) => expect(maxAbsDiff(g, gReference[i + 1])).toBeLessThan(1e-5));
        expect(() => tf.grads(loss((xi, k, r, b) => fused(xi, { kernel: k, recurrent: r, bias: b }, { returnSequences, inputGradient: false })))(args)).toThrow(/gradient of input/);
      }
    });
  });

  it('lstm agrees with tf.layers.lstm given the same weights', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([2, 7, 3], 0, 1, 'float32', 5);
      const w = cases[0][3](3, 4);
      const layer = tf.layers.lstm({ units: 4, recurrentActivation: 'sigmoid', returnSequences: true });
      layer.apply(tf.zeros([1, 7, 3]));
      layer.setWeights([w.kernel, w.recurrent, w.bias]);
      const expected = layer.apply(x) as tf.Tensor;
      expect(maxAbsDiff(lstmSequence(x, w, { returnSequences: true, inputGradient: false }), expected)).toBeLessThan(1e-5);
      layer.dispose();
    });
  });

  it('leaves no tensors behind after forward and backward passes', () => {
    for (const [, fused, , makeWeights] of cases) {
      const w = makeWeights(4, 6);
      const x = tf.randomNormal([3, 5, 4]);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) {
        tf.tidy(() => {
          tf.grads((k: tf.Tensor) => fused(x, { ...w, kernel: k }, { returnSequences: true, inputGradient: false }).sum())([w.kernel]);
          fused(x, w, { returnSequences: false, inputGradient: false });
        });
      }
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, w.kernel, w.recurrent, w.bias]);
    }
  });
});

/**
 * The fused LSTM and GRU ops (lstmOp.ts, gruOp.ts) restated step by step with ordinary tfjs ops,
 * so autodiff checks their hand-written backward passes. Test-only: it sits in __fixtures__ so
 * product code cannot reach it (eslint refuses the import).
 */
import * as tf from '@tensorflow/tfjs';
import type { GruWeights } from '../gruOp.js';
import type { LstmWeights } from '../lstmOp.js';

/**
 * The same LSTM written with ordinary differentiable ops, the tests' reference for values
 * and gradients (tfjs autodiff differentiates it independently of lstmOp.ts).
 */
export function lstmSequenceReference(x: tf.Tensor, weights: LstmWeights, returnSequences: boolean): tf.Tensor {
  return tf.tidy(() => {
    const [batch, steps] = x.shape;
    const units = weights.recurrent.shape[0];
    let h: tf.Tensor = tf.zeros([batch, units]);
    let c: tf.Tensor = tf.zeros([batch, units]);
    const outputs: tf.Tensor[] = [];
    for (let t = 0; t < steps; t++) {
      const xt = tf.reshape(tf.slice(x, [0, t, 0], [batch, 1, -1]), [batch, -1]);
      const z = tf.add(tf.add(tf.matMul(xt, weights.kernel), tf.matMul(h, weights.recurrent)), weights.bias);
      const [i, f, g, o] = tf.split(z, 4, 1);
      c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
      h = tf.mul(tf.sigmoid(o), tf.tanh(c));
      outputs.push(h);
    }
    return returnSequences ? tf.stack(outputs, 1) : h;
  });
}

/** The same GRU with ordinary differentiable ops: the tests' reference for values and gradients (autodiff, independent of gruOp.ts). */
export function gruSequenceReference(x: tf.Tensor, weights: GruWeights, returnSequences: boolean): tf.Tensor {
  return tf.tidy(() => {
    const [batch, steps] = x.shape;
    const units = weights.recurrent.shape[0];
    const [bIn, bRec] = tf.split(weights.bias, 2, 0);
    let h: tf.Tensor = tf.zeros([batch, units]);
    const outputs: tf.Tensor[] = [];
    for (let t = 0; t < steps; t++) {
      const xt = tf.reshape(tf.slice(x, [0, t, 0], [batch, 1, -1]), [batch, -1]);
      const [xz, xr, xn] = tf.split(tf.add(tf.matMul(xt, weights.kernel), bIn), 3, 1);
      const [hz, hr, hn] = tf.split(tf.add(tf.matMul(h, weights.recurrent), bRec), 3, 1);
      const z = tf.sigmoid(tf.add(xz, hz));
      const r = tf.sigmoid(tf.add(xr, hr));
      const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
      h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), n));
      outputs.push(h);
    }
    return returnSequences ? tf.stack(outputs, 1) : h;
  });
}

/**
 * A whole GRU sequence as one differentiable op with a hand-written backward pass (see
 * lstmOp.ts for why). Formulation "reset after" (PyTorch nn.GRU, Keras reset_after=True):
 *
 *   z = σ(x·K_z + h·R_z + b_z),  r = σ(x·K_r + h·R_r + b_r)
 *   n = tanh(x·K_n + b_in + r ⊙ (h·R_n + b_hn)),  h' = z ⊙ h + (1 − z) ⊙ n
 *
 * Gate order z, r, n (Keras); kernel [F, 3H], recurrent [H, 3H], bias [2, 3H] (input row,
 * recurrent row). Each step is one matMul of [x_t, h, 1] against a block matrix whose columns
 * are [z r | x-part of n | h-part of n], so the reset gate can scale only the recurrent part.
 */
import * as tf from '@tensorflow/tfjs';

import { fusedRecurrent, useRecurrentKernels } from '../../kernels/fusedRecurrentOp.js';
import { unreadGradient } from '../../kernels/kernelTensors.js';

/** Weights of one GRU layer: kernel [F, 3H], recurrent [H, 3H], bias [2, 3H]. */
export interface GruWeights {
  kernel: tf.Tensor;
  recurrent: tf.Tensor;
  bias: tf.Tensor;
}

/** Tensors saved per time step for the backward pass: σ([z r]), z, r, h-part of n (·2), n, h₋₁. */
const PER_STEP = 6;

/** Builds the [F + H + 1, 4H] block matrix; n's columns are scaled by 2 for tanh via sigmoid. */
function blockWeights(kernel: tf.Tensor, recurrent: tf.Tensor, bias: tf.Tensor, features: number, units: number): tf.Tensor {
  return tf.tidy(() => {
    const h2 = 2 * units;
    const kZr = tf.slice(kernel, [0, 0], [features, h2]);
    const kN = tf.mul(tf.slice(kernel, [0, h2], [features, units]), 2);
    const rZr = tf.slice(recurrent, [0, 0], [units, h2]);
    const rN = tf.mul(tf.slice(recurrent, [0, h2], [units, units]), 2);
    const bIn = tf.slice(bias, [0, 0], [1, 3 * units]);
    const bRec = tf.slice(bias, [1, 0], [1, 3 * units]);
    const bZr = tf.add(tf.slice(bIn, [0, 0], [1, h2]), tf.slice(bRec, [0, 0], [1, h2]));
    const bN = tf.mul(tf.slice(bIn, [0, h2], [1, units]), 2);
    const bHn = tf.mul(tf.slice(bRec, [0, h2], [1, units]), 2);
    return tf.concat(
      [
        tf.concat([kZr, kN, tf.zeros([features, units])], 1),
        tf.concat([rZr, tf.zeros([units, units]), rN], 1),
        tf.concat([bZr, bN, bHn], 1),
      ],
      0,
    );
  });
}

/**
 * Runs a GRU over `x` [B, T, F] from zero state; returns the last state [B, H] or all states
 * [B, T, H]. `inputGradient: false` computes no ∂/∂x (the model input needs none; {@link unreadGradient}).
 */
export function gruSequence(
  x: tf.Tensor,
  weights: GruWeights,
  options: { returnSequences: boolean; inputGradient: boolean },
): tf.Tensor {
  // On wasm/cpu one call into the WebAssembly kernels replaces thousands of small tfjs kernels.
  if (useRecurrentKernels()) return fusedRecurrent('gru', x, weights, options);
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, kernel, recurrent, bias] = args as tf.Tensor[];
    const save = args[4] as tf.GradSaveFunc;
    const [batch, steps, features] = xIn.shape;
    const units = recurrent.shape[0];
    const block = blockWeights(kernel, recurrent, bias, features, units);
    const xSteps = tf.unstack(tf.transpose(xIn, [1, 0, 2]));
    const ones = tf.ones([batch, 1]);
    const one = tf.scalar(1);
    const two = tf.scalar(2);
    let h: tf.Tensor = tf.zeros([batch, units]);
    const joinedPerStep: tf.Tensor[] = [];
    const perStep: tf.Tensor[] = [];
    const outputs: tf.Tensor[] = [];
    for (let t = 0; t < steps; t++) {
      const [joined, zr, z, r, hn2, n, hNext] = tf.tidy(() => {
        const j = tf.concat([xSteps[t], h, ones], 1);
        const [zrPre, xn2, hPart] = tf.split(tf.matMul(j, block), [2 * units, units, units], 1);
        const gates = tf.sigmoid(zrPre);
        const [gz, gr] = tf.split(gates, 2, 1);
        const candidate = tf.sub(tf.mul(tf.sigmoid(tf.add(xn2, tf.mul(gr, hPart))), two), one);
        const next = tf.add(candidate, tf.mul(gz, tf.sub(h, candidate)));
        return [j, gates, gz, gr, hPart, candidate, next];
      });
      joinedPerStep.push(joined);
      perStep.push(zr, z, r, hn2, n, h);
      outputs.push(hNext);
      h = hNext;
    }
    save([tf.concat(joinedPerStep, 0), block, ...perStep]);
    const value = options.returnSequences ? tf.stack(outputs, 1) : h;
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [joinedAll, blockW, ...rest] = saved;
          const one = tf.scalar(1);
          const half = tf.scalar(0.5);
          const recurrentT = tf.transpose(tf.slice(blockW, [features, 0], [units, 4 * units]));
          const dySteps = options.returnSequences ? tf.unstack(tf.transpose(dy, [1, 0, 2])) : null;
          let dh: tf.Tensor = dySteps ? dySteps[steps - 1] : dy;
          const dSteps: tf.Tensor[] = new Array(steps);
          for (let t = steps - 1; t >= 0; t--) {
            const [zr, z, r, hn2, n, hPrev] = rest.slice(PER_STEP * t, PER_STEP * (t + 1));
            const [dA, dhPrev] = tf.tidy(() => {
              const dn = tf.mul(dh, tf.sub(one, z));
              const dz = tf.mul(dh, tf.sub(hPrev, n));
              // n = 2σ(v) − 1 with v = xn·2 + r ⊙ hn·2, so ∂n/∂v = (1 − n²) / 2.
              const dv = tf.mul(tf.mul(dn, tf.sub(one, tf.square(n))), half);
              const dzr = tf.mul(tf.concat([dz, tf.mul(dv, hn2)], 1), tf.mul(zr, tf.sub(one, zr)));
              const d = tf.concat([dzr, dv, tf.mul(dv, r)], 1);
              return [d, tf.add(tf.mul(dh, z), tf.matMul(d, recurrentT))];
            });
            dSteps[t] = dA;
            dh = t > 0 && dySteps ? tf.add(dhPrev, dySteps[t - 1]) : dhPrev;
          }
          const dAll = tf.concat(dSteps, 0);
          const dBlock = tf.matMul(joinedAll, dAll, true, false);
          const h2 = 2 * units;
          const part = (row: number, rows: number, col: number, scale = 1): tf.Tensor => {
            const s = tf.slice(dBlock, [row, col], [rows, col < h2 ? h2 : units]);
            return scale === 1 ? s : tf.mul(s, scale);
          };
          const dKernel = tf.concat([part(0, features, 0), part(0, features, h2, 2)], 1);
          const dRecurrent = tf.concat([part(features, units, 0), part(features, units, 3 * units, 2)], 1);
          const biasZr = part(features + units, 1, 0);
          const dBias = tf.concat(
            [tf.concat([biasZr, part(features + units, 1, h2, 2)], 1), tf.concat([biasZr, part(features + units, 1, 3 * units, 2)], 1)],
            0,
          );
          let dx: tf.Tensor;
          if (options.inputGradient) {
            const kernelT = tf.transpose(tf.slice(blockW, [0, 0], [features, 4 * units]));
            dx = tf.transpose(tf.reshape(tf.matMul(dAll, kernelT), [steps, batch, features]), [1, 0, 2]);
          } else {
            dx = unreadGradient();
          }
          return [dx, dKernel, dRecurrent, dBias];
        }),
    };
  });
  return op(x, weights.kernel, weights.recurrent, weights.bias);
}

/**
 * A whole LSTM sequence as one differentiable op with a hand-written backward pass.
 *
 * Why not tf.layers.lstm: on wasm its autodiff records ~30 small kernels per step and its
 * gradient matMuls all take the backend's slow transposed path. Here each step is one matMul of
 * [x_t, h, 1] against the stacked weights [kernel; recurrent; bias] (bias folded in as a row),
 * one sigmoid over all four gates (the cell gate uses tanh(z) = 2σ(2z) − 1, with its columns
 * pre-scaled by 2), and a few element-wise ops; the backward pass forms every weight gradient
 * in one matMul over all steps.
 *
 * Gate order i, f, c, o (Keras); h = o ⊙ tanh(c), c = f ⊙ c₋₁ + i ⊙ tanh(z_c).
 */
import * as tf from '@tensorflow/tfjs';

import { fusedRecurrent, useRecurrentKernels } from '../../kernels/fusedRecurrentOp.js';
import { unreadGradient } from '../../kernels/kernelTensors.js';

/** Weights of one LSTM layer: kernel [F, 4H], recurrent [H, 4H], bias [4H]. */
export interface LstmWeights {
  kernel: tf.Tensor;
  recurrent: tf.Tensor;
  bias: tf.Tensor;
}

/** Tensors saved per time step for the backward pass: σ(z), i, f, g, o, c₋₁, tanh(c). */
const PER_STEP = 7;

/** Column scale: 2 for the cell gate (tanh through sigmoid), 1 elsewhere. */
function gateScale(units: number): tf.Tensor1D {
  const scale = new Float32Array(4 * units).fill(1);
  scale.fill(2, 2 * units, 3 * units);
  return tf.tensor1d(scale);
}

/**
 * Runs an LSTM over `x` [B, T, F] from zero state. Returns the last hidden state [B, H], or all
 * of them [B, T, H] with `returnSequences`. `inputGradient: false` skips computing ∂/∂x (the
 * model input needs none), returning {@link unreadGradient} in its place.
 */
export function lstmSequence(
  x: tf.Tensor,
  weights: LstmWeights,
  options: { returnSequences: boolean; inputGradient: boolean },
): tf.Tensor {
  // On wasm/cpu one call into the WebAssembly kernels replaces thousands of small tfjs kernels.
  if (useRecurrentKernels()) return fusedRecurrent('lstm', x, weights, options);
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, kernel, recurrent, bias] = args as tf.Tensor[];
    const save = args[4] as tf.GradSaveFunc;
    const [batch, steps, features] = xIn.shape;
    const units = recurrent.shape[0];
    const scale = gateScale(units);
    // [kernel; recurrent; bias] · gate scale, so one matMul of [x_t, h, 1] gives all gates.
    const stacked = tf.mul(tf.concat([kernel, recurrent, tf.reshape(bias, [1, 4 * units])], 0), scale);
    const timeMajor = tf.transpose(xIn, [1, 0, 2]);
    const xSteps = tf.unstack(timeMajor);
    const ones = tf.ones([batch, 1]);
    // Scalars made once: on wasm, creating a tensor from JS costs more than a small kernel.
    const one = tf.scalar(1);
    const two = tf.scalar(2);
    let h: tf.Tensor = tf.zeros([batch, units]);
    let c: tf.Tensor = tf.zeros([batch, units]);
    const inputsPerStep: tf.Tensor[] = [];
    const perStep: tf.Tensor[] = [];
    const outputs: tf.Tensor[] = [];
    for (let t = 0; t < steps; t++) {
      const [input, sig, i, f, g, o, tanhC, hNext, cNext] = tf.tidy(() => {
        const joined = tf.concat([xSteps[t], h, ones], 1);
        const s = tf.sigmoid(tf.matMul(joined, stacked));
        const [gi, gf, g2, go] = tf.split(s, 4, 1);
        const gc = tf.sub(tf.mul(g2, two), one);
        const cN = tf.add(tf.mul(gf, c), tf.mul(gi, gc));
        const tc = tf.sub(tf.mul(tf.sigmoid(tf.mul(cN, two)), two), one);
        return [joined, s, gi, gf, gc, go, tc, tf.mul(go, tc), cN];
      });
      inputsPerStep.push(input);
      perStep.push(sig, i, f, g, o, c, tanhC);
      outputs.push(hNext);
      h = hNext;
      c = cNext;
    }
    const joinedAll = tf.concat(inputsPerStep, 0);
    save([joinedAll, stacked, scale, ...perStep]);
    const value = options.returnSequences ? tf.stack(outputs, 1) : h;
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [joined, stackedW, scaleV, ...rest] = saved;
          const one = tf.scalar(1);
          const two = tf.scalar(2);
          const recurrentT = tf.transpose(tf.slice(stackedW, [features, 0], [units, 4 * units]));
          const dySteps = options.returnSequences ? tf.unstack(tf.transpose(dy, [1, 0, 2])) : null;
          let dh: tf.Tensor = dySteps ? dySteps[steps - 1] : dy;
          let dc: tf.Tensor = tf.zerosLike(dh);
          const dzSteps: tf.Tensor[] = new Array(steps);
          for (let t = steps - 1; t >= 0; t--) {
            const [sig, i, f, g, o, cPrev, tanhC] = rest.slice(PER_STEP * t, PER_STEP * (t + 1));
            const [dzScaled, dhPrev, dcPrev] = tf.tidy(() => {
              const dcTotal = tf.add(dc, tf.mul(tf.mul(dh, o), tf.sub(one, tf.square(tanhC))));
              // ∂L/∂σ for each gate; the cell gate's σ enters as g = 2σ − 1.
              const dSig = tf.concat([tf.mul(dcTotal, g), tf.mul(dcTotal, cPrev), tf.mul(tf.mul(dcTotal, i), two), tf.mul(dh, tanhC)], 1);
              const dz = tf.mul(dSig, tf.mul(sig, tf.sub(one, sig)));
              return [dz, tf.matMul(dz, recurrentT), tf.mul(dcTotal, f)];
            });
            dzSteps[t] = dzScaled;
            dh = t > 0 && dySteps ? tf.add(dhPrev, dySteps[t - 1]) : dhPrev;
            dc = dcPrev;
          }
          const dzAll = tf.concat(dzSteps, 0);
          // Gradients of the stacked, scaled weights; undo the gate scale for the raw ones.
          const dStacked = tf.mul(tf.matMul(joined, dzAll, true, false), scaleV);
          const dKernel = tf.slice(dStacked, [0, 0], [features, 4 * units]);
          const dRecurrent = tf.slice(dStacked, [features, 0], [units, 4 * units]);
          const dBias = tf.reshape(tf.slice(dStacked, [features + units, 0], [1, 4 * units]), [4 * units]);
          let dx: tf.Tensor;
          if (options.inputGradient) {
            const kernelT = tf.transpose(tf.slice(stackedW, [0, 0], [features, 4 * units]));
            dx = tf.transpose(tf.reshape(tf.matMul(dzAll, kernelT), [steps, batch, features]), [1, 0, 2]);
          } else {
            dx = unreadGradient();
          }
          return [dx, dKernel, dRecurrent, dBias];
        }),
    };
  });
  return op(x, weights.kernel, weights.recurrent, weights.bias);
}

/**
 * act(x·W + b) as one differentiable op whose input gradient is optional.
 *
 * tf.fused.matMul's gradient always computes ∂/∂x as well, one full matMul per step that is
 * thrown away when x is the model input (or im2col columns of it). For the MLP's first layer
 * that is a third of the step's arithmetic.
 */
import * as tf from '@tensorflow/tfjs';

import { fusedCausalConv } from '../../kernels/fusedConvOp.js';
import { useRecurrentKernels } from '../../kernels/fusedRecurrentOp.js';
import { unreadGradient } from '../../kernels/kernelTensors.js';

/** Activations whose derivative can be read off the output y. */
export type DenseActivation = 'linear' | 'relu' | 'sigmoid' | 'elu';

function activationGrad(activation: DenseActivation, dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  switch (activation) {
    case 'linear':
      return dy;
    case 'relu':
      return tf.mul(dy, tf.step(y));
    case 'sigmoid':
      return tf.mul(dy, tf.mul(y, tf.sub(tf.scalar(1), y)));
    case 'elu':
      // y > 0: 1; otherwise y + 1 (= e^x for α = 1).
      return tf.mul(dy, tf.where(tf.greater(y, 0), tf.onesLike(y), tf.add(y, tf.scalar(1))));
  }
}

function forward(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor, activation: DenseActivation): tf.Tensor2D {
  // The wasm backend fuses only linear and relu into its matMul.
  if (activation === 'linear' || activation === 'relu') return tf.fused.matMul({ a: x, b: kernel, bias, activation }) as tf.Tensor2D;
  const z = tf.add(tf.matMul(x, kernel), bias);
  return (activation === 'sigmoid' ? tf.sigmoid(z) : tf.elu(z)) as tf.Tensor2D;
}

/**
 * y = act(x·kernel + bias) for x [N, in]; with `inputGradient: false` no gradient is computed for
 * x ({@link unreadGradient}: only valid when nothing upstream of x is trained).
 */
export function denseOp(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D, activation: DenseActivation, inputGradient: boolean): tf.Tensor2D {
  if ((activation === 'linear' || activation === 'relu') && useRecurrentKernels()) return kernelDenseOp(x, kernel, bias, activation === 'relu', inputGradient);
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, w, b] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const save = args[3] as tf.GradSaveFunc;
    const y = forward(xIn, w, b, activation);
    save([xIn, w, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [xs, ws, ys] = saved;
          const dz = activationGrad(activation, dy, ys);
          const dw = tf.matMul(xs, dz, true, false);
          const db = tf.sum(dz, 0);
          const dx = inputGradient ? tf.matMul(dz, ws, false, true) : unreadGradient();
          return [dx, dw, db];
        }),
    };
  });
  return op(x, kernel, bias) as tf.Tensor2D;
}

/**
 * {@link denseOp} on the wasm and cpu backends for linear and relu: the kernels' causal conv with
 * one tap over one sequence of rows (fusedConvOp.ts), so forward and backward are one call each,
 * bias and db included. The tfjs-op path ran a conv block's 16 → 32 skip projection
 * ([16384, 16]·[16, 32]) through XNNPACK at a third of the kernels' speed and its gradient as
 * four kernels.
 */
function kernelDenseOp(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D, relu: boolean, inputGradient: boolean): tf.Tensor2D {
  return fusedCausalConv(x, kernel, bias, { taps: 1, dilation: 1, relu, inputGradient }) as tf.Tensor2D;
}

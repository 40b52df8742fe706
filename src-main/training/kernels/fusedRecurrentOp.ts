/**
 * The recurrent ops' fast path on the wasm and cpu backends: a tf.customGrad op whose forward and
 * backward passes each make one call into the WebAssembly kernels (recurrentKernels.ts). Inputs
 * are read with dataSync, results come back as new tensors; the activations stay in the kernels'
 * memory between the two passes.
 */
import * as tf from '@tensorflow/tfjs';

import { kernelOperand, onHostBackend, recordingGradients, unreadGradient } from './kernelTensors.js';
import { gruKernelRun, lstmKernelRun, recurrentKernelsAvailable, type RecurrentRun } from './recurrentKernels.js';

/** Whether {@link fusedRecurrent} should serve the active backend. */
export function useRecurrentKernels(): boolean {
  return onHostBackend() && recurrentKernelsAvailable();
}

/** LSTM or GRU over x [B, T, F] from zero state, with the weights of lstmOp.ts / gruOp.ts. */
export function fusedRecurrent(
  cell: 'lstm' | 'gru',
  x: tf.Tensor,
  weights: { kernel: tf.Tensor; recurrent: tf.Tensor; bias: tf.Tensor },
  options: { returnSequences: boolean; inputGradient: boolean },
): tf.Tensor {
  const keep = recordingGradients();
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, kernel, recurrent, bias] = args as tf.Tensor[];
    const [batch, steps, features] = xIn.shape;
    const units = recurrent.shape[0];
    const dims = { batch, steps, features, units };
    // Without recorded gradients a backward pass would recompute the forward from these arrays later, so they must be copies.
    const read = keep ? kernelOperand : (t: tf.Tensor) => t.dataSync() as Float32Array;
    const inputs = { x: read(xIn), kernel: read(kernel), recurrent: read(recurrent), bias: read(bias) };
    const run: RecurrentRun = (cell === 'lstm' ? lstmKernelRun : gruKernelRun)(dims, inputs, options.returnSequences, keep);
    const value = tf.tensor(run.output, options.returnSequences ? [batch, steps, units] : [batch, units], 'float32');
    return {
      value,
      gradFunc: (dy: tf.Tensor) => {
        const g = run.backward(kernelOperand(dy), options.inputGradient);
        return [
          g.dx ? tf.tensor(g.dx, xIn.shape, 'float32') : unreadGradient(),
          tf.tensor(g.dKernel, kernel.shape, 'float32'),
          tf.tensor(g.dRecurrent, recurrent.shape, 'float32'),
          tf.tensor(g.dBias, bias.shape, 'float32'),
        ];
      },
    };
  });
  return op(x, weights.kernel, weights.recurrent, weights.bias);
}

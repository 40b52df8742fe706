/**
 * The causal conv and dense layers' fast path on the wasm and cpu backends: a tf.customGrad op
 * whose forward and backward passes are one call each into the kernels (recurrentKernels.ts:
 * convForward/convBackward), with operands read from and results written into tfjs' heap
 * (kernelTensors.ts). A dense layer is the same op with one tap over one sequence of rows.
 */
import * as tf from '@tensorflow/tfjs';

import { kernelOperand, kernelResults, recordingGradients, unreadGradient } from './kernelTensors.js';
import { kernelCausalConvRun, type CausalConvDims, type CausalConvRun } from './recurrentKernels.js';

/** How {@link fusedCausalConv} convolves. */
export interface FusedConvOptions {
  taps: number;
  dilation: number;
  relu: boolean;
  /** False when nothing upstream of x is trained: ∂x is then never computed ({@link unreadGradient}). */
  inputGradient: boolean;
}

/**
 * act(bias + causal dilated conv(x)) with kernel [taps·C, F] (tap-major): x [B, T, C] → [B, T, F],
 * or x [N, C] → [N, F] (one sequence of N rows; with one tap, a dense layer).
 */
export function fusedCausalConv(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor, options: FusedConvOptions): tf.Tensor {
  const { taps, dilation, relu, inputGradient } = options;
  // The activations stay in the kernels' memory only when a backward pass can follow.
  const keep = recordingGradients();
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, w, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const [batch, steps, channels] = xIn.rank === 2 ? [1, ...xIn.shape] : xIn.shape;
    const filters = w.shape[1] as number;
    const dims: CausalConvDims = { batch, steps, channels, taps, dilation, filters };
    const outShape = [...xIn.shape.slice(0, -1), filters];
    let run: CausalConvRun | null = null;
    const [y] = kernelResults([outShape], ([out]) => {
      run = kernelCausalConvRun(kernelOperand(xIn), kernelOperand(w), kernelOperand(b), dims, relu, out, keep);
    });
    save([xIn, w, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws, ys] = saved;
        const shapes = [w.shape, b.shape, ...(inputGradient ? [xIn.shape] : [])];
        const [dW, db, dx] = kernelResults(shapes, ([dWOut, dbOut, dxOut]) => {
          run!.backward(kernelOperand(dy), inputGradient, { dx: dxOut ?? null, dW: dWOut, db: dbOut }, () => ({ x: kernelOperand(xs), w: kernelOperand(ws), y: kernelOperand(ys) }));
        });
        return [dx ?? unreadGradient(), dW, db];
      },
    };
  });
  return op(x, kernel, bias);
}

/**
 * Dilated causal 1-D convolution with a hand-written backward pass.
 *
 * tf.layers.conv1d cannot do this: it rejects 'causal' padding with bias, tfjs has no gradient
 * for dilated convolutions, and on wasm the conv weight gradient is missing. Forward is one
 * tf.conv2d with explicit front padding (on wasm, large ones run on the recurrent kernels' gemm:
 * backends/wasmFastKernels.ts). Backward works time-major, where a shift in time is a contiguous
 * block: ∂W = [X_0; …; X_{k−1}]ᵀ·∂Z is one matMul; ∂x, when needed, is Σ_j shift_j(∂Z·W_jᵀ).
 *
 * Output at step t sees inputs t − d·(k−1) … t only, so nothing leaks from the future.
 */
import * as tf from '@tensorflow/tfjs';

import { fusedCausalConv } from '../../kernels/fusedConvOp.js';
import { useRecurrentKernels } from '../../kernels/fusedRecurrentOp.js';
import { unreadGradient } from '../../kernels/kernelTensors.js';
import { LAYER_PACKAGE, singleInput, singleShape, type BaseLayerArgs } from './layerArgs.js';

/** Options of {@link CandelaCausalConv1D}. */
export interface CausalConv1DArgs extends BaseLayerArgs {
  filters: number;
  kernelSize: number;
  dilation?: number;
  activation?: 'relu' | 'linear';
  /** False when the input is the model input: skips ∂/∂x (and the im2col gradient chain). */
  inputGradient?: boolean;
  seed?: number;
}

/** y[b, t, :] = act(bias + Σ_j x[b, t − d·(k−1−j), :] · W_j), zero before the sequence start. */
export class CandelaCausalConv1D extends tf.layers.Layer {
  static className = 'CandelaCausalConv1D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly dilation: number;
  readonly activation: 'relu' | 'linear';
  readonly inputGradient: boolean;
  readonly seed: number;
  private kernel!: tf.LayerVariable;
  private bias!: tf.LayerVariable;

  constructor(args: CausalConv1DArgs) {
    super(args);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.dilation = args.dilation ?? 1;
    this.activation = args.activation ?? 'linear';
    this.inputGradient = args.inputGradient ?? true;
    this.seed = args.seed ?? 0;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const channels = singleShape(inputShape)[2] as number;
    // Rows ordered tap-major (tap j, then channel), matching the im2col concat below.
    this.kernel = this.addWeight(
      'kernel',
      [this.kernelSize * channels, this.filters],
      'float32',
      tf.initializers.heUniform({ seed: this.seed }),
    );
    this.bias = this.addWeight('bias', [this.filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, steps] = singleShape(inputShape);
    return [batch, steps, this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return causalConvOp(singleInput(inputs), this.kernel.read(), this.bias.read(), {
      kernelSize: this.kernelSize,
      dilation: this.dilation,
      activation: this.activation,
      inputGradient: this.inputGradient,
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      dilation: this.dilation,
      activation: this.activation,
      inputGradient: this.inputGradient,
      seed: this.seed,
    };
  }
}

/** How {@link causalConvOp} convolves. */
interface CausalConvOptions {
  kernelSize: number;
  dilation: number;
  activation: 'relu' | 'linear';
  inputGradient: boolean;
}

/** act(causal dilated conv(x [B, T, C]) with kernel [k·C, F] (tap-major) + bias [F]) → [B, T, F]. */
export function causalConvOp(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor, options: CausalConvOptions): tf.Tensor {
  return useRecurrentKernels() ? kernelCausalConvOp(x, kernel, bias, options) : tfCausalConvOp(x, kernel, bias, options);
}

/**
 * {@link causalConvOp} on the wasm and cpu backends: forward and backward are one call each into
 * the WebAssembly kernels (recurrentKernels.ts), where the tfjs-op path below runs about fifteen
 * kernels and copies (padding, transposes, the im2col concat) that cost more than the products.
 */
function kernelCausalConvOp(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor, options: CausalConvOptions): tf.Tensor {
  const { kernelSize: taps, dilation, activation, inputGradient } = options;
  return fusedCausalConv(x, kernel, bias, { taps, dilation, relu: activation === 'relu', inputGradient });
}

/** {@link causalConvOp} as tfjs ops, for the other backends (and the reference the kernel path is tested against). */
function tfCausalConvOp(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor, options: CausalConvOptions): tf.Tensor {
  const { kernelSize: k, dilation: d, activation, inputGradient } = options;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, w, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const [batch, steps, channels] = xIn.shape as number[];
    const filters = w.shape[1] as number;
    const reach = d * (k - 1);
    const y = tf.tidy(() => {
      const image = tf.reshape(xIn, [batch, steps, 1, channels]) as tf.Tensor4D;
      const filter = tf.reshape(w, [k, 1, channels, filters]) as tf.Tensor4D;
      const padding: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [reach, 0], [0, 0], [0, 0]];
      const out = tf.fused.conv2d({ x: image, filter, strides: 1, pad: padding, dilations: [d, 1], bias: b, activation });
      return tf.reshape(out, [batch, steps, filters]);
    });
    save([xIn, w, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [xs, ws, ys] = saved;
          const dz = activation === 'relu' ? tf.mul(dy, tf.step(ys)) : dy;
          const dzRows = tf.reshape(tf.transpose(dz, [1, 0, 2]), [steps * batch, filters]);
          const padded = reach > 0 ? tf.pad(xs, [[0, 0], [reach, 0], [0, 0]]) : xs;
          // [C, (T + reach)·B]: time-major columns, so tap j (x at t + j·d − reach) is the column
          // block starting at j·d·B.
          const xColumns = tf.reshape(tf.transpose(padded, [2, 1, 0]), [channels, (steps + reach) * batch]);
          const tapColumns = Array.from({ length: k }, (_, j) => tf.slice(xColumns, [0, j * d * batch], [channels, steps * batch]));
          // One [k·C, T·B]·[T·B, F] product for all taps (rows tap-major, as the kernel).
          const dW = tf.matMul(k === 1 ? tapColumns[0] : tf.concat(tapColumns, 0), dzRows);
          // Σ over rows as ones·∂Z: one more product, which the wasm backend's gemm takes whole.
          const db = tf.reshape(tf.matMul(tf.ones([1, steps * batch]), dzRows), [filters]);
          let dx: tf.Tensor;
          if (inputGradient) {
            const taps = tf.split(ws, k, 0);
            let dPadded: tf.Tensor | null = null;
            for (let j = 0; j < k; j++) {
              const contribution = tf.reshape(tf.matMul(dzRows, taps[j], false, true), [steps, batch, channels]);
              const placed = tf.pad(contribution, [[j * d, reach - j * d], [0, 0], [0, 0]]);
              dPadded = dPadded ? tf.add(dPadded, placed) : placed;
            }
            dx = tf.transpose(tf.slice(dPadded as tf.Tensor, [reach, 0, 0], [steps, batch, channels]), [1, 0, 2]);
          } else {
            dx = unreadGradient();
          }
          return [dx, dW, db];
        }),
    };
  });
  return op(x, kernel, bias);
}

tf.serialization.registerClass(CandelaCausalConv1D, LAYER_PACKAGE);

/**
 * Dilated causal 1-D convolution written as pad + slices + one matMul (im2col).
 *
 * tf.layers.conv1d cannot do this: it rejects 'causal' padding with bias, tfjs has no gradient
 * for dilated convolutions, and on wasm conv weight gradients fall back to a slow kernel. The
 * im2col form (pad, slices, concat, matMul) differentiates with kernels every backend has.
 *
 * Output at step t sees inputs t − d·(k−1) … t only, so nothing leaks from the future.
 */
import * as tf from '@tensorflow/tfjs';

import { denseOp } from './denseOp.js';
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
    return tf.tidy(() => {
      const x = singleInput(inputs);
      const [batch, steps, channels] = x.shape;
      const reach = this.dilation * (this.kernelSize - 1);
      const padded = reach > 0 ? tf.pad(x, [[0, 0], [reach, 0], [0, 0]]) : x;
      // im2col: columns[b, t, j, :] = padded[b, t + j·d, :] (slices + concat; wasm's native
      // gather is ~10× slower here).
      const taps = Array.from({ length: this.kernelSize }, (_, j) => tf.slice(padded, [0, j * this.dilation, 0], [batch, steps, channels]));
      const columns = taps.length === 1 ? taps[0] : tf.concat(taps, 2);
      const y = denseOp(
        tf.reshape(columns, [batch * steps, this.kernelSize * channels]) as tf.Tensor2D,
        this.kernel.read() as tf.Tensor2D,
        this.bias.read() as tf.Tensor1D,
        this.activation,
        this.inputGradient,
      );
      return tf.reshape(y, [batch, steps, this.filters]);
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

tf.serialization.registerClass(CandelaCausalConv1D, LAYER_PACKAGE);

/**
 * Small sequence layers the zoo needs and tfjs-layers lacks: positional encodings, taking the
 * last steps of a sequence, and TFT's variable-weighted feature embedding.
 */
import * as tf from '@tensorflow/tfjs';

import { kernelOperand, kernelResults, onHostBackend } from '../../kernels/kernelTensors.js';
import { LAYER_PACKAGE, singleInput, singleShape, type BaseLayerArgs } from './layerArgs.js';

/** Options of {@link CandelaPositionalEncoding}. */
export interface PositionalEncodingArgs extends BaseLayerArgs {
  mode: 'learned' | 'sinusoidal';
  seed?: number;
}

/**
 * Adds a position signal to [B, T, d]: a learned [T, d] table, or the fixed sinusoids of
 * Vaswani et al. (2017), PE(t, 2i) = sin(t / 10000^(2i/d)), PE(t, 2i+1) = cos(…).
 * The sinusoids are stored as a non-trainable weight so a saved model carries them.
 */
export class CandelaPositionalEncoding extends tf.layers.Layer {
  static className = 'CandelaPositionalEncoding';
  readonly mode: 'learned' | 'sinusoidal';
  readonly seed: number;
  private table!: tf.LayerVariable;

  constructor(args: PositionalEncodingArgs) {
    super(args);
    this.mode = args.mode;
    this.seed = args.seed ?? 0;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const [, steps, model] = singleShape(inputShape) as number[];
    if (this.mode === 'learned') {
      this.table = this.addWeight('positions', [steps, model], 'float32', tf.initializers.randomNormal({ stddev: 0.02, seed: this.seed }));
    } else {
      this.table = this.addWeight('positions', [steps, model], 'float32', tf.initializers.zeros(), undefined, false);
      const values = new Float32Array(steps * model);
      for (let t = 0; t < steps; t++) {
        for (let i = 0; i < model; i++) {
          const angle = t / Math.pow(10000, (2 * Math.floor(i / 2)) / model);
          values[t * model + i] = i % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
        }
      }
      const table = tf.tensor2d(values, [steps, model]);
      this.table.write(table);
      table.dispose();
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return singleShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.add(singleInput(inputs), this.table.read());
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), mode: this.mode, seed: this.seed };
  }
}

/** Options of {@link CandelaLastSteps}. */
export interface LastStepsArgs extends BaseLayerArgs {
  steps: number;
  /** With steps = 1, return [B, F] instead of [B, 1, F]. */
  squeeze?: boolean;
}

/** Keeps the last `steps` time steps of [B, T, F]. */
export class CandelaLastSteps extends tf.layers.Layer {
  static className = 'CandelaLastSteps';
  readonly steps: number;
  readonly squeeze: boolean;

  constructor(args: LastStepsArgs) {
    super(args);
    this.steps = args.steps;
    this.squeeze = args.squeeze ?? false;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, , features] = singleShape(inputShape);
    return this.squeeze && this.steps === 1 ? [batch, features] : [batch, this.steps, features];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = singleInput(inputs);
    const [batch, steps, features] = x.shape;
    const last = tf.slice(x, [0, steps - this.steps, 0], [batch, this.steps, features]);
    return this.squeeze && this.steps === 1 ? tf.reshape(last, [batch, features]) : last;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), steps: this.steps, squeeze: this.squeeze };
  }
}

/** Options of {@link CandelaWeightedFeatureEmbedding}. */
export interface WeightedFeatureEmbeddingArgs extends BaseLayerArgs {
  units: number;
  seed?: number;
}

/**
 * TFT's variable selection, combine step: each scalar feature x_f gets its own linear embedding
 * e_f = x_f·w_f + b_f ∈ ℝ^d, and the step's representation is Σ_f v_f·e_f with the selection
 * weights v (softmax over features). Inputs [x, v], both [B, T, F]; output [B, T, d].
 * Computed as (v ⊙ x)·W + v·B, two matMuls instead of a [B, T, F, d] tensor.
 */
export class CandelaWeightedFeatureEmbedding extends tf.layers.Layer {
  static className = 'CandelaWeightedFeatureEmbedding';
  readonly units: number;
  readonly seed: number;
  private embedding!: tf.LayerVariable;
  private offsets!: tf.LayerVariable;

  constructor(args: WeightedFeatureEmbeddingArgs) {
    super(args);
    this.units = args.units;
    this.seed = args.seed ?? 0;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const features = singleShape(inputShape)[2] as number;
    this.embedding = this.addWeight('embedding', [features, this.units], 'float32', tf.initializers.glorotUniform({ seed: this.seed }));
    this.offsets = this.addWeight('offsets', [features, this.units], 'float32', tf.initializers.glorotUniform({ seed: this.seed + 1 }));
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, steps] = singleShape(inputShape);
    return [batch, steps, this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, weights] = inputs as tf.Tensor[];
      const [batch, steps, features] = x.shape;
      const flatWeights = tf.reshape(weights, [batch * steps, features]);
      const weighted = tf.reshape(tf.mul(x, weights), [batch * steps, features]);
      const out = tf.add(tf.matMul(weighted, this.embedding.read()), tf.matMul(flatWeights, this.offsets.read()));
      return tf.reshape(out, [batch, steps, this.units]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, seed: this.seed };
  }
}

/** Options of {@link CandelaLayerNorm}. */
export interface LayerNormArgs extends BaseLayerArgs {
  epsilon?: number;
}

/**
 * Layer normalisation over the last axis (Ba et al., 2016) with learned scale and offset.
 * tf.layers.layerNormalization tiles its statistics to the input shape, and the gradient of
 * tf.tile is one slice + add per tile, tens of thousands of kernels per step here. This version
 * broadcasts instead.
 */
export class CandelaLayerNorm extends tf.layers.Layer {
  static className = 'CandelaLayerNorm';
  readonly epsilon: number;
  private gamma!: tf.LayerVariable;
  private beta!: tf.LayerVariable;

  constructor(args: LayerNormArgs = {}) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-5;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = singleShape(inputShape);
    const width = shape[shape.length - 1] as number;
    this.gamma = this.addWeight('gamma', [width], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [width], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return singleShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return layerNormOp(singleInput(inputs), this.gamma.read(), this.beta.read(), this.epsilon);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}

/**
 * y = γ·x̂ + β with x̂ = (x − μ)/σ over the last axis, with the analytic gradient
 * ∂x = (∂x̂ − mean(∂x̂) − x̂·mean(∂x̂·x̂)) / σ, ∂x̂ = ∂y·γ. Autodiff of tf.moments would build a
 * ones tensor of the input's size in JavaScript for every mean, on every step.
 */
export function layerNormOp(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, g, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const axis = xIn.shape.length - 1;
    const { mean, variance } = tf.moments(xIn, axis, true);
    const inverseStd = tf.rsqrt(tf.add(variance, tf.scalar(epsilon)));
    const normalised = tf.mul(tf.sub(xIn, mean), inverseStd);
    save([normalised, inverseStd, g]);
    return {
      value: tf.add(tf.mul(normalised, g), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [xHat, invStd, gs] = saved;
          const outer = [...Array(axis).keys()];
          const dGamma = tf.sum(tf.mul(dy, xHat), outer);
          const dBeta = tf.sum(dy, outer);
          const dxHat = tf.mul(dy, gs);
          const centred = tf.sub(dxHat, tf.mean(dxHat, axis, true));
          const dx = tf.mul(tf.sub(centred, tf.mul(xHat, tf.mean(tf.mul(dxHat, xHat), axis, true))), invStd);
          return [dx, dGamma, dBeta];
        }),
    };
  });
  return op(x, gamma, beta);
}

/**
 * rows [B, F] repeated along a new time axis: [B, T, F]. On the host backends each sequence's
 * first row is written, then doubled in place (log₂ T copies): 0.11 ms on wasm for a conv
 * block's [256, 64, 32], where a broadcasting add against [1, T, 1] zeros took 0.34 ms. Elsewhere
 * that add (a native broadcast; a Tile walks element by element).
 */
export function repeatOverTime(rows: tf.Tensor2D, steps: number): tf.Tensor3D {
  const [batch, features] = rows.shape;
  if (!onHostBackend()) return tf.add(tf.expandDims(rows, 1), tf.zeros([1, steps, 1]));
  const [out] = kernelResults([[batch, steps, features]], ([values]) => {
    const src = kernelOperand(rows);
    const block = steps * features;
    for (let b = 0; b < batch; b++) {
      const at = b * block;
      values.set(src.subarray(b * features, (b + 1) * features), at);
      for (let filled = features; filled < block; filled *= 2) values.copyWithin(at + filled, at, at + Math.min(filled, block - filled));
    }
  });
  return out as tf.Tensor3D;
}

/**
 * Mean over the time axis, [B, T, F] → [B, F] (global average pooling), with its gradient as a
 * broadcast of ∂y/T ({@link repeatOverTime}); tf.mean's own gradient fills a ones tensor of the input's size in JS.
 */
export class CandelaMeanOverTime extends tf.layers.Layer {
  static className = 'CandelaMeanOverTime';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, , features] = singleShape(inputShape);
    return [batch, features];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [x] = args as tf.Tensor[];
      const steps = x.shape[1] as number;
      return {
        value: tf.mean(x, 1),
        gradFunc: (dy: tf.Tensor) => tf.tidy(() => repeatOverTime(tf.div(dy, tf.scalar(steps)) as tf.Tensor2D, steps)),
      };
    });
    return op(singleInput(inputs));
  }
}

tf.serialization.registerClass(CandelaLayerNorm, LAYER_PACKAGE);
tf.serialization.registerClass(CandelaMeanOverTime, LAYER_PACKAGE);
tf.serialization.registerClass(CandelaPositionalEncoding, LAYER_PACKAGE);
tf.serialization.registerClass(CandelaLastSteps, LAYER_PACKAGE);
tf.serialization.registerClass(CandelaWeightedFeatureEmbedding, LAYER_PACKAGE);

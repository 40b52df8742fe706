/**
 * Multi-head self-attention (Vaswani et al., 2017) as a serialisable tfjs layer; tfjs-layers 4.22
 * has no attention layer.
 */
import * as tf from '@tensorflow/tfjs';

import { LAYER_PACKAGE, singleInput, singleShape, type BaseLayerArgs } from './layerArgs.js';

/** Options of {@link CandelaMultiHeadSelfAttention}. */
export interface MultiHeadSelfAttentionArgs extends BaseLayerArgs {
  heads: number;
  /** Each step attends only to itself and earlier steps (TFT's decoder masking). */
  causal?: boolean;
  seed?: number;
}

/** softmax(QKᵀ/√d_h + mask)·V per head, heads concatenated and projected back to d. */
export class CandelaMultiHeadSelfAttention extends tf.layers.Layer {
  static className = 'CandelaMultiHeadSelfAttention';
  readonly heads: number;
  readonly causal: boolean;
  readonly seed: number;
  private qkv!: tf.LayerVariable;
  private qkvBias!: tf.LayerVariable;
  private outputKernel!: tf.LayerVariable;
  private outputBias!: tf.LayerVariable;

  constructor(args: MultiHeadSelfAttentionArgs) {
    super(args);
    this.heads = args.heads;
    this.causal = args.causal ?? false;
    this.seed = args.seed ?? 0;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const model = singleShape(inputShape)[2] as number;
    if (model % this.heads !== 0) throw new Error(`attention width ${model} is not divisible by ${this.heads} heads`);
    // Q, K and V projections stored side by side: one matMul computes all three.
    this.qkv = this.addWeight('qkv_kernel', [model, 3 * model], 'float32', tf.initializers.glorotUniform({ seed: this.seed }));
    this.qkvBias = this.addWeight('qkv_bias', [3 * model], 'float32', tf.initializers.zeros());
    this.outputKernel = this.addWeight('output_kernel', [model, model], 'float32', tf.initializers.glorotUniform({ seed: this.seed + 1 }));
    this.outputBias = this.addWeight('output_bias', [model], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return singleShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = singleInput(inputs);
      const [batch, steps, model] = x.shape;
      const headWidth = model / this.heads;
      const flat = tf.reshape(x, [batch * steps, model]);
      const projected = tf.fused.matMul({ a: flat, b: this.qkv.read() as tf.Tensor2D, bias: this.qkvBias.read() });
      // Split before moving heads forward: a 4-D transpose is ~100× faster than a 5-D one on wasm.
      const [q, k, v] = tf
        .split(projected, 3, 1)
        .map((t) => tf.reshape(tf.transpose(tf.reshape(t, [batch, steps, this.heads, headWidth]), [0, 2, 1, 3]), [batch * this.heads, steps, headWidth]));
      let scores = tf.mul(tf.matMul(q, k, false, true), tf.scalar(1 / Math.sqrt(headWidth)));
      if (this.causal) scores = tf.add(scores, causalMask(steps));
      const context = tf.matMul(tf.softmax(scores), v);
      const merged = tf.reshape(tf.transpose(tf.reshape(context, [batch, this.heads, steps, headWidth]), [0, 2, 1, 3]), [batch * steps, model]);
      const out = tf.fused.matMul({ a: merged, b: this.outputKernel.read() as tf.Tensor2D, bias: this.outputBias.read() });
      return tf.reshape(out, [batch, steps, model]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heads: this.heads, causal: this.causal, seed: this.seed };
  }
}

/** [T, T] additive mask: 0 on and below the diagonal, −1e9 above (future steps). */
function causalMask(steps: number): tf.Tensor {
  const values = new Float32Array(steps * steps);
  for (let i = 0; i < steps; i++) values.fill(-1e9, i * steps + i + 1, (i + 1) * steps);
  return tf.tensor2d(values, [steps, steps]);
}

tf.serialization.registerClass(CandelaMultiHeadSelfAttention, LAYER_PACKAGE);

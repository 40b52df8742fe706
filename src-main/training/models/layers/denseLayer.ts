/**
 * Dense layer over the last axis built on {@link denseOp}, so a layer that reads the model input
 * can skip the input gradient.
 */
import * as tf from '@tensorflow/tfjs';

import { denseOp, type DenseActivation } from './denseOp.js';
import { LAYER_PACKAGE, singleInput, singleShape, type BaseLayerArgs } from './layerArgs.js';

/** Options of {@link CandelaDense}. */
export interface CandelaDenseArgs extends BaseLayerArgs {
  units: number;
  activation?: DenseActivation;
  /** False when the input is the model input (no gradient needed upstream). */
  inputGradient?: boolean;
  seed?: number;
}

/** act(x·W + b) over the last axis of a rank-2 or rank-3 input. */
export class CandelaDense extends tf.layers.Layer {
  static className = 'CandelaDense';
  readonly units: number;
  readonly activation: DenseActivation;
  readonly inputGradient: boolean;
  readonly seed: number;
  private kernel!: tf.LayerVariable;
  private bias!: tf.LayerVariable;

  constructor(args: CandelaDenseArgs) {
    super(args);
    this.units = args.units;
    this.activation = args.activation ?? 'linear';
    this.inputGradient = args.inputGradient ?? true;
    this.seed = args.seed ?? 0;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = singleShape(inputShape);
    const width = shape[shape.length - 1] as number;
    const init = this.activation === 'relu' ? tf.initializers.heUniform({ seed: this.seed }) : tf.initializers.glorotUniform({ seed: this.seed });
    this.kernel = this.addWeight('kernel', [width, this.units], 'float32', init);
    this.bias = this.addWeight('bias', [this.units], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [...singleShape(inputShape).slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = singleInput(inputs);
      const width = x.shape[x.shape.length - 1];
      const flat = tf.reshape(x, [-1, width]) as tf.Tensor2D;
      const y = denseOp(flat, this.kernel.read() as tf.Tensor2D, this.bias.read() as tf.Tensor1D, this.activation, this.inputGradient);
      return tf.reshape(y, [...x.shape.slice(0, -1), this.units]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, activation: this.activation, inputGradient: this.inputGradient, seed: this.seed };
  }
}

tf.serialization.registerClass(CandelaDense, LAYER_PACKAGE);

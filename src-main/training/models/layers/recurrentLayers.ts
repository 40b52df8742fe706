/**
 * LSTM and GRU layers backed by the fused sequence ops (lstmOp.ts, gruOp.ts). Weight layouts
 * match tf.layers.lstm / tf.layers.gru (Keras gate order; GRU with reset_after).
 */
import * as tf from '@tensorflow/tfjs';

import { gruSequence } from './gruOp.js';
import { LAYER_PACKAGE, singleInput, singleShape, type BaseLayerArgs } from './layerArgs.js';
import { lstmSequence } from './lstmOp.js';

/** Options shared by the recurrent layers. */
export interface RecurrentLayerArgs extends BaseLayerArgs {
  units: number;
  /** Output every step [B, T, H] instead of the last one [B, H]. */
  returnSequences?: boolean;
  /**
   * Whether gradients must flow into the layer's input. False for a layer fed directly by the
   * model input, which saves one large matMul per training step.
   */
  inputGradient?: boolean;
  seed?: number;
}

abstract class FusedRecurrent extends tf.layers.Layer {
  readonly units: number;
  readonly returnSequences: boolean;
  readonly inputGradient: boolean;
  readonly seed: number;
  protected kernel!: tf.LayerVariable;
  protected recurrent!: tf.LayerVariable;
  protected bias!: tf.LayerVariable;
  /** Gates per unit: 4 for LSTM, 3 for GRU. */
  protected abstract readonly gates: number;

  constructor(args: RecurrentLayerArgs) {
    super(args);
    this.units = args.units;
    this.returnSequences = args.returnSequences ?? false;
    this.inputGradient = args.inputGradient ?? true;
    this.seed = args.seed ?? 0;
  }

  protected abstract biasShape(): number[];
  protected abstract initialBias(): tf.Tensor;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const features = singleShape(inputShape)[2] as number;
    const width = this.gates * this.units;
    this.kernel = this.addWeight('kernel', [features, width], 'float32', tf.initializers.glorotUniform({ seed: this.seed }));
    // PyTorch's recurrent init, U(±1/√H): no QR at build time (tfjs' orthogonal warns above 2000 values).
    const limit = 1 / Math.sqrt(this.units);
    this.recurrent = this.addWeight(
      'recurrent_kernel',
      [this.units, width],
      'float32',
      tf.initializers.randomUniform({ minval: -limit, maxval: limit, seed: this.seed + 1 }),
    );
    this.bias = this.addWeight('bias', this.biasShape(), 'float32', tf.initializers.zeros());
    const bias = this.initialBias();
    this.bias.write(bias);
    bias.dispose();
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, steps] = singleShape(inputShape);
    return this.returnSequences ? [batch, steps, this.units] : [batch, this.units];
  }

  protected weights_(): { kernel: tf.Tensor; recurrent: tf.Tensor; bias: tf.Tensor } {
    return { kernel: this.kernel.read(), recurrent: this.recurrent.read(), bias: this.bias.read() };
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      returnSequences: this.returnSequences,
      inputGradient: this.inputGradient,
      seed: this.seed,
    };
  }
}

/** LSTM over a [B, T, F] sequence; forget-gate bias starts at 1 (Jozefowicz et al., 2015). */
export class CandelaLSTM extends FusedRecurrent {
  static className = 'CandelaLSTM';
  protected readonly gates = 4;

  protected biasShape(): number[] {
    return [4 * this.units];
  }

  protected initialBias(): tf.Tensor {
    const values = new Float32Array(4 * this.units);
    values.fill(1, this.units, 2 * this.units);
    return tf.tensor1d(values);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return lstmSequence(singleInput(inputs), this.weights_(), { returnSequences: this.returnSequences, inputGradient: this.inputGradient });
  }
}

/** GRU ("reset after", as PyTorch) over a [B, T, F] sequence. */
export class CandelaGRU extends FusedRecurrent {
  static className = 'CandelaGRU';
  protected readonly gates = 3;

  protected biasShape(): number[] {
    return [2, 3 * this.units];
  }

  protected initialBias(): tf.Tensor {
    return tf.zeros([2, 3 * this.units]);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return gruSequence(singleInput(inputs), this.weights_(), { returnSequences: this.returnSequences, inputGradient: this.inputGradient });
  }
}

tf.serialization.registerClass(CandelaLSTM, LAYER_PACKAGE);
tf.serialization.registerClass(CandelaGRU, LAYER_PACKAGE);

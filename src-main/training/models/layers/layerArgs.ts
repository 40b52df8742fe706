/**
 * Shared typing for the project's custom tfjs layers.
 */
import * as tf from '@tensorflow/tfjs';

/** tfjs-layers' LayerArgs (name, trainable, inputShape…), which the package does not export by name. */
export type BaseLayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** The package name custom layers are registered under ("Candela>ClassName" in saved models). */
export const LAYER_PACKAGE = 'Candela';

/** Input shape of a single-input layer, whatever tfjs passes to build/computeOutputShape. */
export function singleShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
}

/** The tensor of a single-input call. */
export function singleInput(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

/** Reads `training` from a layer call's kwargs. */
export function isTraining(kwargs: Record<string, unknown> | undefined): boolean {
  return kwargs?.training === true;
}

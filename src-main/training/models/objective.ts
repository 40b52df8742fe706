/**
 * The training objective shared by every model of the zoo, and one optimisation step with it.
 */
import * as tf from '@tensorflow/tfjs';

/** Targets of a batch. */
export interface Targets {
  /** One-hot direction labels [B, classes]. */
  direction: tf.Tensor;
  /** Magnitude targets [B, 1]; required when the model has a magnitude head. */
  magnitude?: tf.Tensor;
}

/** Weight of the magnitude MSE in the total loss. */
export const MAGNITUDE_LOSS_WEIGHT = 0.5;

/** Smallest probability fed to log(): keeps the loss finite when a softmax saturates. */
const EPSILON = 1e-7;

/**
 * Categorical cross-entropy of the direction head, plus 0.5 · MSE of the magnitude head when the
 * model has one. `outputs` is what the model returns: one tensor, or [direction, magnitude].
 */
export function directionMagnitudeLoss(outputs: tf.Tensor | tf.Tensor[], targets: Targets): tf.Scalar {
  return tf.tidy(() => {
    const [direction, magnitude] = Array.isArray(outputs) ? outputs : [outputs];
    const probabilities = tf.clipByValue(direction, EPSILON, 1);
    const crossEntropy = tf.neg(tf.mean(tf.sum(tf.mul(targets.direction, tf.log(probabilities)), -1)));
    if (!magnitude) return crossEntropy as tf.Scalar;
    if (!targets.magnitude) throw new Error('the model has a magnitude head but the batch has no magnitude targets');
    const mse = tf.mean(tf.squaredDifference(magnitude, targets.magnitude));
    return tf.add(crossEntropy, tf.mul(mse, MAGNITUDE_LOSS_WEIGHT)) as tf.Scalar;
  });
}

/**
 * One optimiser step on a batch (dropout active) and its loss before the update. Only the
 * model's trainable weights are touched, so several models can live in one process.
 */
export async function trainStep(model: tf.LayersModel, optimizer: tf.Optimizer, x: tf.Tensor, targets: Targets): Promise<number> {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const loss = optimizer.minimize(
    () => directionMagnitudeLoss(model.apply(x, { training: true }) as tf.Tensor | tf.Tensor[], targets),
    true,
    variables,
  );
  if (!loss) throw new Error('the optimizer returned no loss');
  const value = (await loss.data())[0];
  loss.dispose();
  return value;
}

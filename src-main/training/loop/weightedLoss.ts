/**
 * The training objective with class weights: weighted categorical cross-entropy, plus
 * magnitudeWeight × MSE of the magnitude head when the model has one.
 */
import * as tf from '@tensorflow/tfjs';

import type { BatchTensors } from './batches.js';

/** Smallest probability fed to log(), as in models/objective.ts: keeps the loss finite when a softmax saturates. */
const EPSILON = 1e-7;

/**
 * loss = (1/B) Σ_i w_{y_i} · (−log p_i[y_i]) + magnitudeWeight · (1/B) Σ_i (m̂_i − m_i)².
 * Dividing by the batch size, not by Σw, matches Keras' `class_weight`: with balanced weights
 * (mean 1 over the training set) the loss keeps the scale of the unweighted one.
 */
export function weightedLoss(outputs: tf.Tensor | tf.Tensor[], batch: BatchTensors, magnitudeWeight: number): tf.Scalar {
  return tf.tidy(() => {
    const [direction, magnitude] = Array.isArray(outputs) ? outputs : [outputs];
    const logP = tf.log(tf.clipByValue(direction, EPSILON, 1));
    const perSample = tf.neg(tf.sum(tf.mul(batch.oneHot, logP), -1));
    const crossEntropy = tf.mean(tf.mul(perSample, batch.weights));
    if (!magnitude || !batch.magnitude || magnitudeWeight === 0) return crossEntropy as tf.Scalar;
    const mse = tf.mean(tf.squaredDifference(magnitude, batch.magnitude));
    return tf.add(crossEntropy, tf.mul(mse, magnitudeWeight)) as tf.Scalar;
  });
}

/** Number of samples whose arg-max class equals the label, as a scalar tensor. */
export function correctCount(outputs: tf.Tensor | tf.Tensor[], batch: BatchTensors): tf.Scalar {
  return tf.tidy(() => {
    const direction = Array.isArray(outputs) ? outputs[0] : outputs;
    return tf.sum(tf.cast(tf.equal(tf.argMax(direction, -1), tf.argMax(batch.oneHot, -1)), 'float32')) as tf.Scalar;
  });
}

/**
 * Builds a model of the zoo from its {@link ModelConfig}.
 */
import * as tf from '@tensorflow/tfjs';

import { ARCHITECTURES } from './architectures.js';
import { heads, SeedSequence } from './blocks.js';
import { validateModelConfig, type ModelConfig } from './config.js';

/**
 * Returns an uncompiled functional tf.LayersModel with input [batch, window, features] and
 * outputs `direction` (softmax over classes) and, when `magnitudeHead`, `magnitude` (linear).
 * Same config, same seed → same initial weights, on every backend.
 */
export function buildModel(config: ModelConfig): tf.LayersModel {
  const problems = validateModelConfig(config);
  if (problems.length > 0) throw new Error(`invalid model config: ${problems.join('; ')}`);
  const seeds = new SeedSequence(config.seed);
  const input = tf.input({ shape: [config.window, config.features], name: 'window' });
  const body = ARCHITECTURES[config.kind](config, seeds, input);
  return tf.model({ inputs: input, outputs: heads(config, seeds, body), name: `candela_${config.kind}` });
}

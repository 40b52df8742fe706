/**
 * Building blocks shared by the architectures: seeded initialisers, output heads, gated
 * residual networks.
 */
import * as tf from '@tensorflow/tfjs';

import type { ModelConfig } from './config.js';
import { CandelaLayerNorm } from './layers/sequenceLayers.js';

/** A symbolic tensor in a functional-API graph. */
export type Node = tf.SymbolicTensor;

/** Applies a layer to one symbolic input and returns its one output. */
export function apply(layer: tf.layers.Layer, input: Node | Node[]): Node {
  return layer.apply(input) as Node;
}

/**
 * Hands out distinct seeds derived from the config's seed, so that every layer of a model is
 * initialised differently but the whole model is reproducible.
 */
export class SeedSequence {
  private next: number;

  constructor(seed: number) {
    // Spread consecutive user seeds apart: layer k of seed s must not equal layer k−1 of seed s+1.
    this.next = (Math.imul(seed, 7919) + 17) >>> 0;
  }

  take(): number {
    this.next = (this.next + 1013) >>> 0;
    return this.next;
  }
}

/** Output names, in order: the direction head always, the magnitude head when configured. */
export const DIRECTION_OUTPUT = 'direction';
export const MAGNITUDE_OUTPUT = 'magnitude';

/** Dense layer with a seeded Glorot initialiser. */
export function dense(seeds: SeedSequence, units: number, options: { activation?: 'relu' | 'elu' | 'sigmoid' | 'softmax' | 'linear'; name?: string } = {}): tf.layers.Layer {
  return tf.layers.dense({
    units,
    activation: options.activation ?? 'linear',
    kernelInitializer: tf.initializers.glorotUniform({ seed: seeds.take() }),
    name: options.name,
  });
}

/** Dropout with a seeded mask; a no-op layer is skipped entirely when the rate is 0. */
export function dropout(seeds: SeedSequence, rate: number, input: Node): Node {
  return rate > 0 ? apply(tf.layers.dropout({ rate, seed: seeds.take() }), input) : input;
}

/** Attaches the direction head (softmax over classes) and the optional magnitude head. */
export function heads(config: ModelConfig, seeds: SeedSequence, features: Node): Node[] {
  const outputs = [apply(dense(seeds, config.classes, { activation: 'softmax', name: DIRECTION_OUTPUT }), features)];
  if (config.magnitudeHead) outputs.push(apply(dense(seeds, 1, { name: MAGNITUDE_OUTPUT }), features));
  return outputs;
}

/** GLU(γ) = σ(W₄γ + b₄) ⊙ (W₅γ + b₅) (Dauphin et al., 2017), TFT's gate. */
export function gatedLinearUnit(seeds: SeedSequence, units: number, input: Node): Node {
  const gate = apply(dense(seeds, units, { activation: 'sigmoid' }), input);
  const value = apply(dense(seeds, units), input);
  return apply(tf.layers.multiply(), [gate, value]);
}

/** LayerNorm(skip + GLU(x)): TFT's "gate, add & norm". */
export function gateAddNorm(seeds: SeedSequence, units: number, input: Node, skip: Node, rate: number): Node {
  const gated = gatedLinearUnit(seeds, units, dropout(seeds, rate, input));
  return apply(new CandelaLayerNorm(), apply(tf.layers.add(), [skip, gated]));
}

/**
 * Gated residual network (Lim et al., 2021, eq. 2–4):
 * GRN(a) = LayerNorm(a' + GLU(W₁·ELU(W₂a + b₂) + b₁)), a' = a or a linear projection of it.
 */
export function gatedResidualNetwork(seeds: SeedSequence, units: number, input: Node, rate: number, outputUnits = units): Node {
  const width = input.shape[input.shape.length - 1];
  const skip = width === outputUnits ? input : apply(dense(seeds, outputUnits), input);
  const hidden = apply(dense(seeds, units, { activation: 'elu' }), input);
  const projected = apply(dense(seeds, units), hidden);
  return gateAddNorm(seeds, outputUnits, projected, skip, rate);
}

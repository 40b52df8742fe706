/**
 * The zoo's architectures: each maps the input [B, window, features] to a feature vector
 * [B, width] that the output heads read.
 */
import * as tf from '@tensorflow/tfjs';

import { apply, dense, dropout, gateAddNorm, gatedResidualNetwork, type Node, type SeedSequence } from './blocks.js';
import type { ModelConfig } from './config.js';
import { CandelaMultiHeadSelfAttention } from './layers/attention.js';
import { CandelaCausalConv1D } from './layers/causalConv1d.js';
import { CandelaDense } from './layers/denseLayer.js';
import { CandelaGRU, CandelaLSTM } from './layers/recurrentLayers.js';
import {
  CandelaLastSteps,
  CandelaLayerNorm,
  CandelaMeanOverTime,
  CandelaPositionalEncoding,
  CandelaWeightedFeatureEmbedding,
} from './layers/sequenceLayers.js';

/** Name of the layer whose output is TFT's variable-selection weights [B, T, F]. */
export const VARIABLE_SELECTION_LAYER = 'variable_selection_weights';

type Body = (config: ModelConfig, seeds: SeedSequence, input: Node) => Node;

/** MLP on the flattened window (or its last `lastSteps` steps): `layers` × Dense(hidden, relu). */
const mlp: Body = (config, seeds, input) => {
  let x = config.lastSteps ? apply(new CandelaLastSteps({ steps: config.lastSteps }), input) : input;
  x = apply(tf.layers.flatten(), x);
  for (let i = 0; i < config.layers; i++) {
    // The first layer reads the model input: no input gradient needed.
    const layer = new CandelaDense({ units: config.hidden, activation: 'relu', inputGradient: i > 0, seed: seeds.take() });
    x = dropout(seeds, config.dropout, apply(layer, x));
  }
  return x;
};

/**
 * Temporal convolutional network (Bai et al., 2018, simplified to one convolution per block):
 * residual blocks of a causal convolution with dilation 2^i, then the mean over time.
 */
const cnn: Body = (config, seeds, input) => {
  let x = input;
  for (let i = 0; i < config.layers; i++) {
    const conv = new CandelaCausalConv1D({
      filters: config.hidden,
      kernelSize: config.kernelSize ?? 5,
      dilation: 2 ** i,
      activation: 'relu',
      inputGradient: i > 0,
      seed: seeds.take(),
    });
    const y = dropout(seeds, config.dropout, apply(conv, x));
    const width = x.shape[2];
    // 1×1 projection on the skip path when the channel count changes (first block).
    const skip = width === config.hidden ? x : apply(new CandelaDense({ units: config.hidden, inputGradient: i > 0, seed: seeds.take() }), x);
    x = apply(tf.layers.add(), [skip, y]);
  }
  return apply(new CandelaMeanOverTime(), x);
};

/** Stacked recurrent layers; the last returns its final state. */
function recurrent(kind: 'lstm' | 'gru'): Body {
  return (config, seeds, input) => {
    let x = input;
    for (let i = 0; i < config.layers; i++) {
      const args = {
        units: config.hidden,
        returnSequences: i < config.layers - 1,
        // The first layer reads the model input, which needs no gradient.
        inputGradient: i > 0,
        seed: seeds.take(),
      };
      x = dropout(seeds, config.dropout, apply(kind === 'lstm' ? new CandelaLSTM(args) : new CandelaGRU(args), x));
    }
    return x;
  };
}

/**
 * Transformer encoder (post-norm, as PyTorch's TransformerEncoderLayer): input projection to
 * d = hidden, positions, then `layers` × [x = LN(x + MHSA(x)); x = LN(x + FFN(x))], FFN width 2d,
 * then the mean over time.
 */
const transformer: Body = (config, seeds, input) => {
  const heads = config.heads ?? 4;
  let x = apply(new CandelaDense({ units: config.hidden, inputGradient: false, seed: seeds.take() }), input);
  x = apply(new CandelaPositionalEncoding({ mode: config.positions ?? 'learned', seed: seeds.take() }), x);
  for (let i = 0; i < config.layers; i++) {
    const attended = dropout(seeds, config.dropout, apply(new CandelaMultiHeadSelfAttention({ heads, seed: seeds.take() }), x));
    x = apply(new CandelaLayerNorm(), apply(tf.layers.add(), [x, attended]));
    const ff = apply(dense(seeds, config.hidden), apply(dense(seeds, 2 * config.hidden, { activation: 'relu' }), x));
    x = apply(new CandelaLayerNorm(), apply(tf.layers.add(), [x, dropout(seeds, config.dropout, ff)]));
  }
  return apply(new CandelaMeanOverTime(), x);
};

/**
 * Temporal Fusion Transformer, reduced to one horizon and no static covariates (Lim et al.,
 * 2021): variable selection (softmax weights over features, from a GRN of the step's features)
 * → LSTM for local context with gate-add-norm → `layers` × causal interpretable attention with
 * gate-add-norm → position-wise GRN → the last step.
 */
const tft: Body = (config, seeds, input) => {
  const heads = config.heads ?? 4;
  const d = config.hidden;
  const selectionHidden = gatedResidualNetwork(seeds, d, input, config.dropout, d);
  const selection = apply(dense(seeds, config.features, { activation: 'softmax', name: VARIABLE_SELECTION_LAYER }), selectionHidden);
  const selected = apply(new CandelaWeightedFeatureEmbedding({ units: d, seed: seeds.take() }), [input, selection]);
  const local = apply(new CandelaLSTM({ units: d, returnSequences: true, inputGradient: true, seed: seeds.take() }), selected);
  let x = gateAddNorm(seeds, d, local, selected, config.dropout);
  for (let i = 0; i < config.layers; i++) {
    const attended = apply(new CandelaMultiHeadSelfAttention({ heads, causal: true, seed: seeds.take() }), x);
    x = gateAddNorm(seeds, d, attended, x, config.dropout);
  }
  x = gatedResidualNetwork(seeds, d, x, config.dropout);
  return apply(new CandelaLastSteps({ steps: 1, squeeze: true }), x);
};

/** Body builder per model kind. */
export const ARCHITECTURES: Record<ModelConfig['kind'], Body> = {
  mlp,
  cnn,
  lstm: recurrent('lstm'),
  gru: recurrent('gru'),
  transformer,
  tft,
};

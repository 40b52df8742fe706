/**
 * Reading a built model: a layer table for the UI before training starts, and TFT's feature
 * importance (mean variable-selection weights).
 */
import { readableLayerName, readableLayerType } from './layerNames.js';
import * as tf from '@tensorflow/tfjs';

import { VARIABLE_SELECTION_LAYER } from './architectures.js';

/** One row of {@link modelSummary}. */
export interface LayerSummary {
  name: string;
  /** Layer class, e.g. "Dense", "CandelaLSTM". */
  type: string;
  /** Output shape with `null` for the batch dimension; one entry per output. */
  outputShapes: Array<Array<number | null>>;
  params: number;
}

/** Layer table and parameter totals of a model. */
export interface ModelSummary {
  name: string;
  layers: LayerSummary[];
  totalParams: number;
  trainableParams: number;
}

function countOf(weights: tf.LayerVariable[]): number {
  return weights.reduce((sum, w) => sum + tf.util.sizeFromShape(w.shape as number[]), 0);
}

/** Layers in graph order with output shapes and parameter counts (what `model.summary()` prints). */
export function modelSummary(model: tf.LayersModel): ModelSummary {
  const layers = model.layers.map((layer) => {
    const shape = layer.outputShape;
    const outputShapes = (Array.isArray(shape[0]) ? shape : [shape]) as Array<Array<number | null>>;
    return { name: readableLayerName(layer.name), type: readableLayerType(layer.getClassName()), outputShapes, params: layer.countParams() };
  });
  return {
    name: model.name,
    layers,
    totalParams: countOf(model.weights),
    trainableParams: countOf(model.trainableWeights),
  };
}

/** Whether the model exposes variable-selection weights (the TFT does). */
export function hasFeatureImportance(model: tf.LayersModel): boolean {
  return model.layers.some((layer) => layer.name === VARIABLE_SELECTION_LAYER);
}

/**
 * Mean variable-selection weight of each feature over a batch [B, T, F] and all its steps:
 * how much the TFT leaned on each input. Sums to 1 across features.
 */
export async function featureImportance(model: tf.LayersModel, x: tf.Tensor): Promise<Float32Array> {
  if (!hasFeatureImportance(model)) throw new Error(`model '${model.name}' has no variable-selection layer`);
  const layer = model.getLayer(VARIABLE_SELECTION_LAYER);
  // A view onto the same layers (weights are shared, nothing is copied).
  const probe = tf.model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor });
  const mean = tf.tidy(() => tf.mean(probe.predict(x) as tf.Tensor, [0, 1]));
  // Read asynchronously: the webgpu backend has no synchronous read-back in Node.
  const values = (await mean.data()) as Float32Array;
  mean.dispose();
  return values;
}

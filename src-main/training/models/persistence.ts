/**
 * Saving and loading models as in-memory artifacts (topology JSON + weight buffer), which the
 * checkpoint store can write wherever it likes.
 */
import * as tf from '@tensorflow/tfjs';

// Registers the custom layer classes, which deserialising a topology looks up by name.
import './layers/attention.js';
import './layers/causalConv1d.js';
import './layers/denseLayer.js';
import './layers/recurrentLayers.js';
import './layers/sequenceLayers.js';

/** Serialises a model (topology and weights) without touching the file system. */
export async function saveModelArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!saved) throw new Error('model.save did not produce artifacts');
  return saved;
}

/** Rebuilds a model from {@link saveModelArtifacts}' output. */
export async function loadModelArtifacts(artifacts: tf.io.ModelArtifacts): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

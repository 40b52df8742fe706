/**
 * What a finished run leaves for evaluation and backtests: the best model, the preprocessing
 * needed to feed it new candles, and its predictions on every test sample.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type * as tf from '@tensorflow/tfjs';

import { writeModelFiles } from './checkpoint.js';
import type { TestPredictions } from './predictTest.js';
import { PREDICTIONS_FILE, PREPROCESSING_FILE, type PredictionManifest, type Preprocessing } from './artifactFiles.js';
import type { PreparedData } from './prepareTrainingData.js';

const bytes = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Writes model, preprocessing and test predictions into `dir`; returns `dir`. */
export async function writeFinalArtifacts(dir: string, model: tf.LayersModel, data: PreparedData, predictions: TestPredictions): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeModelFiles(dir, model);
  const preprocessing: Preprocessing = {
    spec: data.spec,
    featureNames: data.featureNames,
    classNames: data.classNames,
    symbols: data.symbols,
    datasetIds: data.datasetIds,
    standardizer: { mean: Array.from(data.standardizer.mean), std: Array.from(data.standardizer.std) },
    magnitudeScale: data.magnitudeScale,
  };
  await writeFile(join(dir, PREPROCESSING_FILE), JSON.stringify(preprocessing, null, 1));
  const files = { probs: 'test-probs.f32', yTrue: 'test-ytrue.i8', ts: 'test-ts.f64', symbolIndex: 'test-symbol.i32', magnitude: predictions.magnitude ? 'test-magnitude.f32' : null };
  await writeFile(join(dir, files.probs), bytes(predictions.probs));
  await writeFile(join(dir, files.yTrue), bytes(predictions.yTrue));
  await writeFile(join(dir, files.ts), bytes(predictions.ts));
  await writeFile(join(dir, files.symbolIndex), bytes(predictions.symbolIndex));
  if (predictions.magnitude && files.magnitude) await writeFile(join(dir, files.magnitude), bytes(predictions.magnitude));
  const manifest: PredictionManifest = { samples: predictions.yTrue.length, classes: data.classes, classNames: data.classNames, symbols: data.symbols, files };
  await writeFile(join(dir, PREDICTIONS_FILE), JSON.stringify(manifest, null, 1));
  return dir;
}


export { readPreprocessing, readTestPredictions, type Preprocessing } from './artifactFiles.js';

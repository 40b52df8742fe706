/**
 * What a finished run leaves for evaluation and backtests: the best model, the preprocessing
 * needed to feed it new candles, and its predictions on every test sample.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type * as tf from '@tensorflow/tfjs';

import { writeModelFiles } from './checkpoint.js';
import type { DataSpec } from './dataSpec.js';
import type { TestPredictions } from './predictTest.js';
import type { PreparedData } from './prepareTrainingData.js';

/** preprocessing.json: how candles become the model's input, and what its outputs mean. */
export interface Preprocessing {
  spec: DataSpec;
  featureNames: string[];
  classNames: string[];
  symbols: string[];
  datasetIds: number[];
  /** Per feature, fitted on the training rows: z = (x − mean) / std, then clipped to ±spec.clipStd. */
  standardizer: { mean: number[]; std: number[] };
  /** The magnitude head predicts r / magnitudeScale. */
  magnitudeScale: number;
}

/** test-predictions.json: the manifest of the binary prediction columns beside it. */
interface PredictionManifest {
  samples: number;
  classes: number;
  classNames: string[];
  symbols: string[];
  files: { probs: string; yTrue: string; ts: string; symbolIndex: string; magnitude: string | null };
}

const PREPROCESSING_FILE = 'preprocessing.json';
const PREDICTIONS_FILE = 'test-predictions.json';

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

async function readAligned(file: string): Promise<ArrayBuffer> {
  const buf = await readFile(file);
  // A copy into a fresh ArrayBuffer: typed-array views need an aligned start.
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

/** Reads the test predictions of a finished run (for evaluation jobs). */
export async function readTestPredictions(dir: string): Promise<TestPredictions & { classNames: string[]; symbols: string[] }> {
  const m = JSON.parse(await readFile(join(dir, PREDICTIONS_FILE), 'utf8')) as PredictionManifest;
  const out = {
    probs: new Float32Array(await readAligned(join(dir, m.files.probs))),
    yTrue: new Int8Array(await readAligned(join(dir, m.files.yTrue))),
    ts: new Float64Array(await readAligned(join(dir, m.files.ts))),
    symbolIndex: new Int32Array(await readAligned(join(dir, m.files.symbolIndex))),
    classNames: m.classNames,
    symbols: m.symbols,
  };
  if (out.yTrue.length !== m.samples || out.probs.length !== m.samples * m.classes) throw new Error(`${dir} holds incomplete test predictions`);
  return m.files.magnitude ? { ...out, magnitude: new Float32Array(await readAligned(join(dir, m.files.magnitude))) } : out;
}

/** Reads preprocessing.json of a finished run. */
export async function readPreprocessing(dir: string): Promise<Preprocessing> {
  return JSON.parse(await readFile(join(dir, PREPROCESSING_FILE), 'utf8')) as Preprocessing;
}

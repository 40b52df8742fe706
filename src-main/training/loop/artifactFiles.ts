/**
 * The files a finished run leaves in its final/ folder, and their readers. Kept free of tfjs so
 * evaluation and backtest jobs can read predictions without loading TensorFlow.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataSpec } from './dataSpec.js';

/** Test predictions as columns (what predictTest produces). */
export interface StoredPredictions {
  probs: Float32Array;
  yTrue: Int8Array;
  ts: Float64Array;
  symbolIndex: Int32Array;
  magnitude?: Float32Array;
  /** Walk-forward runs only: the fold (from 0) whose model predicted each sample. */
  fold?: Int32Array;
}

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
export interface PredictionManifest {
  samples: number;
  classes: number;
  classNames: string[];
  symbols: string[];
  /** `fold` is null for holdout runs (and absent in runs written before walk-forward existed). */
  files: { probs: string; yTrue: string; ts: string; symbolIndex: string; magnitude: string | null; fold?: string | null };
}

/**
 * importance.json: which features the final model relies on, measured on the validation split
 * (see permutationImportance in featureImportance.ts). Arrays are in `features` order.
 */
export interface ImportanceFile {
  method: 'permutation';
  split: 'val';
  features: string[];
  /** Mean drop in accuracy (fraction) when the feature is shuffled across windows. */
  accuracyDrop: number[];
  /** Mean increase in log loss (nats per sample) when the feature is shuffled. */
  logLossIncrease: number[];
  /** Accuracy and log loss on the sampled validation windows, nothing shuffled. */
  baseline: { accuracy: number; logLoss: number };
  /** Validation windows measured (a seeded subsample when the split is larger). */
  samples: number;
  /** Shuffles averaged per feature. */
  repeats: number;
  /** TFT only: mean variable-selection weight per feature over the same windows (sums to 1); null for other models. */
  variableSelection: number[] | null;
}

export const PREPROCESSING_FILE = 'preprocessing.json';
export const PREDICTIONS_FILE = 'test-predictions.json';
export const IMPORTANCE_FILE = 'importance.json';
/** A sealed run's (a sweep trial's) validation predictions, inside final/, in the test predictions' format. */
export const VALIDATION_DIR = 'validation';
/** The log return of the bar after each validation sample, beside its predictions (Float64). */
export const NEXT_RETURN_FILE = 'next-return.f64';

async function readAligned(file: string): Promise<ArrayBuffer> {
  const buf = await readFile(file);
  // A copy into a fresh ArrayBuffer: typed-array views need an aligned start.
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

/** Reads the test predictions of a finished run (for evaluation jobs). */
export async function readTestPredictions(dir: string): Promise<StoredPredictions & { classNames: string[]; symbols: string[] }> {
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
  const magnitude = m.files.magnitude ? new Float32Array(await readAligned(join(dir, m.files.magnitude))) : undefined;
  const fold = m.files.fold ? new Int32Array(await readAligned(join(dir, m.files.fold))) : undefined;
  if (fold && fold.length !== m.samples) throw new Error(`${dir} holds incomplete test predictions`);
  return { ...out, ...(magnitude ? { magnitude } : {}), ...(fold ? { fold } : {}) };
}

/** Reads a sealed run's validation predictions with each sample's next-bar log return. */
export async function readValidationPredictions(finalDir: string): Promise<StoredPredictions & { classNames: string[]; symbols: string[]; nextReturn: Float64Array }> {
  const dir = join(finalDir, VALIDATION_DIR);
  const preds = await readTestPredictions(dir);
  const nextReturn = new Float64Array(await readAligned(join(dir, NEXT_RETURN_FILE)));
  if (nextReturn.length !== preds.yTrue.length) throw new Error(`${dir} holds incomplete validation predictions`);
  return { ...preds, nextReturn };
}

/** Reads preprocessing.json of a finished run. */
export async function readPreprocessing(dir: string): Promise<Preprocessing> {
  return JSON.parse(await readFile(join(dir, PREPROCESSING_FILE), 'utf8')) as Preprocessing;
}

/** Reads importance.json of a finished run; null when the run has none (runs finished before it existed). */
export async function readImportance(dir: string): Promise<ImportanceFile | null> {
  try {
    return JSON.parse(await readFile(join(dir, IMPORTANCE_FILE), 'utf8')) as ImportanceFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

const bytes = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * Writes test predictions as binary columns plus their manifest (test-predictions.json) into an
 * existing `dir` (a run's final/ folder, a walk-forward fold's test/ folder, an ensemble's). Walk-forward predictions carry their fold column (test-fold.i32).
 */
export async function writeTestPredictions(dir: string, data: { classes: number; classNames: string[]; symbols: string[] }, predictions: StoredPredictions): Promise<void> {
  const files = {
    probs: 'test-probs.f32',
    yTrue: 'test-ytrue.i8',
    ts: 'test-ts.f64',
    symbolIndex: 'test-symbol.i32',
    magnitude: predictions.magnitude ? 'test-magnitude.f32' : null,
    fold: predictions.fold ? 'test-fold.i32' : null,
  };
  await writeFile(join(dir, files.probs), bytes(predictions.probs));
  await writeFile(join(dir, files.yTrue), bytes(predictions.yTrue));
  await writeFile(join(dir, files.ts), bytes(predictions.ts));
  await writeFile(join(dir, files.symbolIndex), bytes(predictions.symbolIndex));
  if (predictions.magnitude && files.magnitude) await writeFile(join(dir, files.magnitude), bytes(predictions.magnitude));
  if (predictions.fold && files.fold) await writeFile(join(dir, files.fold), bytes(predictions.fold));
  const manifest: PredictionManifest = { samples: predictions.yTrue.length, classes: data.classes, classNames: data.classNames, symbols: data.symbols, files };
  await writeFile(join(dir, PREDICTIONS_FILE), JSON.stringify(manifest, null, 1));
}

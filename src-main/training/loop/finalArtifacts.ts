/**
 * What a finished run leaves for evaluation and backtests: the best model, the preprocessing
 * needed to feed it new candles, its predictions on every test sample, and which features it
 * relies on.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type * as tf from '@tensorflow/tfjs';

import { sampleCount } from '../../../src-shared/compute/sampling/index.js';
import { writeModelFiles } from './checkpoint.js';
import { meanVariableSelection, permutationImportance } from './featureImportance.js';
import type { TestPredictions } from './predictTest.js';
import { IMPORTANCE_FILE, PREPROCESSING_FILE, writeTestPredictions, type ImportanceFile, type Preprocessing } from './artifactFiles.js';
import type { PreparedData } from './prepareTrainingData.js';

/** Fewer validation windows than this would make the importance figures mostly noise. */
const IMPORTANCE_MIN_SAMPLES = 256;
/** Beyond this many windows the figures hardly sharpen while the cost keeps growing. */
const IMPORTANCE_MAX_SAMPLES = 2048;
/** More shuffles per feature than this only polish figures whose windows are already fixed. */
const IMPORTANCE_MAX_REPEATS = 3;

/**
 * How much permutation importance the final artifacts can afford. It costs (1 + repeats ×
 * features) forward passes per window; the budget is one forward pass per training sample — about
 * a third of one epoch's work, since a training step also runs backward. Windows come first
 * (within [256, 2048], and never more than the split holds), because the figures are limited more
 * by how few windows there are than by the luck of one shuffle; leftover budget buys repeats (1 to 3).
 * Counted in windows, not seconds, so the figures do not depend on how fast the machine is.
 */
function importanceBudget(data: PreparedData): { maxSamples: number; repeats: number } {
  const budget = sampleCount(data.train);
  const affordable = Math.floor(budget / (1 + data.features));
  const windows = Math.min(sampleCount(data.val), IMPORTANCE_MAX_SAMPLES, Math.max(IMPORTANCE_MIN_SAMPLES, affordable));
  const repeats = Math.min(IMPORTANCE_MAX_REPEATS, Math.max(1, Math.floor((budget / windows - 1) / data.features)));
  return { maxSamples: windows, repeats };
}

/** How candles become the model's input and what its outputs mean (preprocessing.json). */
export function preprocessingOf(data: PreparedData): Preprocessing {
  return {
    spec: data.spec,
    featureNames: data.featureNames,
    classNames: data.classNames,
    symbols: data.symbols,
    datasetIds: data.datasetIds,
    standardizer: { mean: Array.from(data.standardizer.mean), std: Array.from(data.standardizer.std) },
    magnitudeScale: data.magnitudeScale,
  };
}

/**
 * Writes model, preprocessing, test predictions and feature importance into `dir`; returns `dir`.
 * Walk-forward runs pass their LAST fold's model and data (preprocessing and importance describe
 * that model) with the predictions of all folds.
 */
export async function writeFinalArtifacts(dir: string, model: tf.LayersModel, data: PreparedData, predictions: TestPredictions): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeModelFiles(dir, model);
  await writeFile(join(dir, PREPROCESSING_FILE), JSON.stringify(preprocessingOf(data), null, 1));
  await writeTestPredictions(dir, data, predictions);
  await writeImportance(dir, model, data);
  return dir;
}


/**
 * Measures the model's feature importance on the VALIDATION split (the test split stays untouched
 * by anything that could steer a choice of features) and writes importance.json into `dir`.
 */
export async function writeImportance(dir: string, model: tf.LayersModel, data: PreparedData): Promise<ImportanceFile> {
  const { maxSamples, repeats } = importanceBudget(data);
  const options = { split: 'val', maxSamples, seed: data.spec.seed } as const;
  const permutation = await permutationImportance(model, data, { ...options, repeats });
  const importance: ImportanceFile = {
    method: 'permutation',
    split: 'val',
    features: permutation.features,
    accuracyDrop: permutation.importance,
    logLossIncrease: permutation.logLossIncrease,
    baseline: permutation.baseline,
    samples: permutation.samples,
    repeats: permutation.repeats,
    variableSelection: await meanVariableSelection(model, data, options),
  };
  await writeFile(join(dir, IMPORTANCE_FILE), JSON.stringify(importance, null, 1));
  return importance;
}


export { readImportance, readPreprocessing, readTestPredictions, writeTestPredictions, type ImportanceFile, type Preprocessing } from './artifactFiles.js';

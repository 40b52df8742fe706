/**
 * Which features a trained model relies on, measured on held-out samples: permutation importance
 * (model-agnostic) and, for the TFT, its variable-selection weights averaged over the same windows.
 */
import * as tf from '@tensorflow/tfjs';

import { mulberry32, randomIntBelow, type Rng } from '../../../src-shared/compute/random.js';
import { gatherLabels, gatherWindows, sampleCount } from '../../../src-shared/compute/sampling/index.js';
import { featureImportance, hasFeatureImportance } from '../models/inspect.js';
import { EVAL_BATCH_SIZE } from './predictTest.js';
import type { PreparedData } from './prepareTrainingData.js';

/** Settings of {@link permutationImportance}. */
export interface PermutationImportanceOptions {
  /** The split the importance is measured on; never the training split (that would measure memorisation). */
  split: 'val';
  /** Shuffles per feature, averaged. Default 3. */
  repeats?: number;
  /** The split is subsampled (seeded, uniform, without replacement) to at most this many windows. Default 4096. */
  maxSamples?: number;
  /** Seeds the subsample and every shuffle: the same seed gives the same figures. */
  seed: number;
  /** Windows per forward pass. Default {@link EVAL_BATCH_SIZE}. */
  batchSize?: number;
}

/** The result of {@link permutationImportance}, one entry per feature in `features` order. */
export interface PermutationImportance {
  features: string[];
  /** Mean drop in accuracy (baseline − shuffled) over the repeats, as a fraction; ≈ 0 for a feature the model ignores. */
  importance: number[];
  /** Mean increase in log loss (shuffled − baseline) over the repeats, in nats per sample. */
  logLossIncrease: number[];
  /** The model's figures on the sampled windows, nothing shuffled. */
  baseline: { accuracy: number; logLoss: number };
  /** Windows the figures are computed on. */
  samples: number;
  repeats: number;
}

/** Smallest probability fed to log(), as in weightedLoss.ts: a saturated softmax keeps the loss finite. */
const EPSILON = 1e-7;

/** Seeded uniform subsample of at most `max` samples of an index, kept in index (time) order. */
function subsampleIndex(index: Uint32Array, max: number, rng: Rng): Uint32Array {
  const n = sampleCount(index);
  if (n <= max) return index;
  const positions = new Uint32Array(n);
  for (let i = 0; i < n; i++) positions[i] = i;
  // Partial Fisher–Yates: the first `max` positions are a uniform draw without replacement.
  for (let i = 0; i < max; i++) {
    const j = i + randomIntBelow(rng, n - i);
    const tmp = positions[i];
    positions[i] = positions[j];
    positions[j] = tmp;
  }
  const chosen = positions.subarray(0, max).sort();
  const out = new Uint32Array(2 * max);
  for (let i = 0; i < max; i++) {
    out[2 * i] = index[2 * chosen[i]];
    out[2 * i + 1] = index[2 * chosen[i] + 1];
  }
  return out;
}

/** Fills `perm` with a seeded uniform permutation of 0 … perm.length − 1 (Fisher–Yates). */
function shufflePermutation(perm: Uint32Array, rng: Rng): void {
  for (let i = 0; i < perm.length; i++) perm[i] = i;
  for (let i = perm.length - 1; i > 0; i--) {
    const j = randomIntBelow(rng, i + 1);
    const tmp = perm[i];
    perm[i] = perm[j];
    perm[j] = tmp;
  }
}

/**
 * Windows of a fixed sample set, gathered batch by batch into one reused host buffer, optionally
 * with one feature's column taken from other windows. The cpu backend may keep a reference to the
 * typed array a tensor is made from, so each batch's tensor is disposed before the next gather.
 */
class WindowBatches {
  readonly samples: number;
  readonly labels: Int32Array;
  private readonly x: Float32Array;
  private readonly block: number;

  constructor(
    private readonly data: PreparedData,
    private readonly index: Uint32Array,
    readonly batchSize: number,
  ) {
    this.samples = sampleCount(index);
    this.block = data.window * data.features;
    this.x = new Float32Array(batchSize * this.block);
    this.labels = new Int32Array(this.samples);
    gatherLabels(data.labels, index, 0, this.samples, this.labels);
  }

  get batches(): number {
    return Math.ceil(this.samples / this.batchSize);
  }

  /**
   * Batch `b` as [n, window, features]. With `shuffled`, column `shuffled.feature` of window i is
   * that of window `shuffled.perm[i]`, over every time step: the feature keeps its own path through
   * the window but loses its link to window i's label and other features.
   */
  tensor(b: number, shuffled?: { feature: number; perm: Uint32Array }): tf.Tensor3D {
    const { data, index, batchSize, block, x } = this;
    const { window, features } = data;
    const start = b * batchSize;
    const n = gatherWindows(data.matrices, index, start, batchSize, window, features, x);
    if (shuffled) {
      const f = shuffled.feature;
      for (let i = 0; i < n; i++) {
        const from = shuffled.perm[start + i];
        const matrix = data.matrices[index[2 * from]];
        const rowStart = (index[2 * from + 1] - window + 1) * features;
        for (let t = 0; t < window; t++) x[i * block + t * features + f] = matrix[rowStart + t * features + f];
      }
    }
    return tf.tensor3d(x.subarray(0, n * block), [n, window, features]);
  }
}

const directionProbs = (model: tf.LayersModel, x: tf.Tensor): tf.Tensor => {
  const out = model.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out[0] : out;
};

/** Accuracy and mean log loss (unweighted) of the model on all windows, one feature optionally shuffled. */
async function scoreWindows(model: tf.LayersModel, windows: WindowBatches, classes: number, shuffled?: { feature: number; perm: Uint32Array }): Promise<{ accuracy: number; logLoss: number }> {
  let correct = 0;
  let logLoss = 0;
  for (let b = 0; b < windows.batches; b++) {
    const x = windows.tensor(b, shuffled);
    const out = tf.tidy(() => directionProbs(model, x));
    const probs = (await out.data()) as Float32Array;
    tf.dispose([out, x]);
    const offset = b * windows.batchSize;
    for (let i = 0, n = probs.length / classes; i < n; i++) {
      const y = windows.labels[offset + i];
      let best = 0;
      for (let c = 1; c < classes; c++) if (probs[i * classes + c] > probs[i * classes + best]) best = c;
      if (best === y) correct++;
      logLoss -= Math.log(Math.max(probs[i * classes + y], EPSILON));
    }
  }
  return { accuracy: correct / windows.samples, logLoss: logLoss / windows.samples };
}

/**
 * Permutation feature importance (Breiman 2001, "Random Forests", §10; model reliance in Fisher,
 * Rudin & Dominici 2019, "All Models are Wrong, but Many are Useful", JMLR 20(177)): for each
 * feature, its column is shuffled across the sampled windows — the same permutation at every time
 * step, so the feature's own time structure survives but its link to the label and to the other
 * features is broken — and the drop in accuracy (and rise in log loss) against the unshuffled
 * baseline is averaged over `repeats` shuffles. The model is not retrained: a feature that is
 * redundant with another can score near 0 although the model uses it, and a strongly correlated
 * pair shares its importance unevenly. Measured on held-out windows, so what it shows is reliance
 * that generalises. Cost: (1 + repeats × features) forward passes over at most `maxSamples` windows.
 */
export async function permutationImportance(model: tf.LayersModel, data: PreparedData, options: PermutationImportanceOptions): Promise<PermutationImportance> {
  const repeats = options.repeats ?? 3;
  const maxSamples = options.maxSamples ?? 4096;
  const batchSize = options.batchSize ?? EVAL_BATCH_SIZE;
  if (!(Number.isInteger(repeats) && repeats >= 1)) throw new RangeError(`repeats must be a whole number ≥ 1, got ${repeats}`);
  if (!(Number.isInteger(maxSamples) && maxSamples >= 1)) throw new RangeError(`maxSamples must be a whole number ≥ 1, got ${maxSamples}`);
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`batchSize must be a whole number ≥ 1, got ${batchSize}`);
  const rng = mulberry32(options.seed);
  const windows = new WindowBatches(data, subsampleIndex(data[options.split], maxSamples, rng), batchSize);
  if (windows.samples === 0) throw new Error(`The ${options.split} split has no samples to measure importance on.`);

  const baseline = await scoreWindows(model, windows, data.classes);
  const importance = new Array<number>(data.features).fill(0);
  const logLossIncrease = new Array<number>(data.features).fill(0);
  const perm = new Uint32Array(windows.samples);
  for (let feature = 0; feature < data.features; feature++) {
    for (let r = 0; r < repeats; r++) {
      shufflePermutation(perm, rng);
      const shuffled = await scoreWindows(model, windows, data.classes, { feature, perm });
      importance[feature] += (baseline.accuracy - shuffled.accuracy) / repeats;
      logLossIncrease[feature] += (shuffled.logLoss - baseline.logLoss) / repeats;
    }
  }
  return { features: [...data.featureNames], importance, logLossIncrease, baseline, samples: windows.samples, repeats };
}

/**
 * The TFT's variable-selection weight of each feature, averaged over the (seeded, capped) windows
 * of a split; null for a model without a variable-selection layer. Unlike permutation importance
 * this is what the model attends to, not what its accuracy depends on.
 */
export async function meanVariableSelection(
  model: tf.LayersModel,
  data: PreparedData,
  options: Pick<PermutationImportanceOptions, 'split' | 'maxSamples' | 'seed' | 'batchSize'>,
): Promise<number[] | null> {
  if (!hasFeatureImportance(model)) return null;
  const rng = mulberry32(options.seed);
  const windows = new WindowBatches(data, subsampleIndex(data[options.split], options.maxSamples ?? 4096, rng), options.batchSize ?? EVAL_BATCH_SIZE);
  const sum = new Float64Array(data.features);
  for (let b = 0; b < windows.batches; b++) {
    const x = windows.tensor(b);
    const weights = await featureImportance(model, x);
    // Weighted by the batch's size, so that a short last batch counts for what it holds.
    for (let f = 0; f < sum.length; f++) sum[f] += weights[f] * x.shape[0];
    x.dispose();
  }
  return Array.from(sum, (s) => s / windows.samples);
}

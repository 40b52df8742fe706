/**
 * Turns candles into what the training loop reads: one standardized feature matrix per dataset,
 * labels, and sample indices (references into those matrices) for train, validation and test.
 */
import { computeFeatureMatrix, isFeatureSetName, type FeatureMatrix, type FeatureSetName, type OhlcvColumns } from '../../../src-shared/compute/features/index.js';
import {
  directionLabels,
  forwardLogReturn,
  tripleBarrierLabels,
  type ClassLabels,
} from '../../../src-shared/compute/labels/index.js';
import { buildSampleIndex, classWeights, sampleCount, type SampleSource } from '../../../src-shared/compute/sampling/index.js';
import {
  applyStandardizer,
  chronologicalSplit,
  effectiveEmbargo,
  fitPooledStandardizer,
  purgedWalkForwardSplits,
  type ChronologicalSplit,
  type IndexRange,
  type Standardizer,
} from '../../../src-shared/compute/splits/index.js';
import { bps, fraction } from '../../../src-shared/domain/units.js';
import { DEFAULT_CLIP_STD, DEFAULT_FOLDS, validateDataSpec, type DataSpec } from './dataSpec.js';

/** One dataset to learn from. */
export interface TrainingInput {
  datasetId: number;
  symbol: string;
  candles: OhlcvColumns;
}

/** Per test sample, in test-index order: what evaluation needs besides the model's output. */
export interface TestSamples {
  /** Open time (UTC ms) of the bar the sample ends at; the prediction is made at its close. */
  ts: Float64Array;
  /** Index into `symbols` / `datasetIds`. */
  symbolIndex: Int32Array;
  yTrue: Int8Array;
}

/** Everything the training loop and the test evaluation read. */
export interface PreparedData {
  spec: DataSpec;
  symbols: string[];
  datasetIds: number[];
  featureNames: string[];
  features: number;
  window: number;
  horizon: number;
  classNames: string[];
  classes: number;
  /** Standardized row-major [rows × features] matrix per dataset; every sample window is read from these. */
  matrices: Float32Array[];
  /** Class id per row per dataset (−1 = no label). */
  labels: Int8Array[];
  /** Forward log return ÷ magnitudeScale per row per dataset (0 where unknown); null without magnitude head. */
  magnitudeTargets: Float32Array[] | null;
  /** RMS forward log return of the training samples: the magnitude head learns r / magnitudeScale. */
  magnitudeScale: number;
  /** Sample indices: flattened (dataset, end row) pairs, see buildSampleIndex. Train is in time order; the loop shuffles. */
  train: Uint32Array;
  val: Uint32Array;
  test: Uint32Array;
  /** Inverse-frequency weights from the training samples' labels. */
  classWeights: Float32Array;
  /** Fitted on training rows only (pooled over datasets); store it with the model. */
  standardizer: Standardizer;
  splits: ChronologicalSplit[];
  testSamples: TestSamples;
  /**
   * The validation samples likewise, with the log return of the bar after each one (0 at a
   * dataset's last bar): what a sweep's trial writes instead of test predictions, so that its
   * validation-period trading returns can be measured (val-sharpe, PBO).
   */
  valSamples: TestSamples & { nextReturn: Float64Array };
}

function labelRows(candles: OhlcvColumns, spec: DataSpec): ClassLabels {
  const { labels, horizon } = spec;
  if (labels.kind === 'direction') return directionLabels(candles.close, horizon, { bandBps: bps(labels.bandBps) }, labels.classes);
  const b = labels.barriers;
  const barriers =
    b.kind === 'fixed'
      ? { kind: 'fixed' as const, profitTake: fraction(b.profitTake), stopLoss: fraction(b.stopLoss) }
      : { kind: 'volatility' as const, window: b.window, profitTakeMult: b.profitTakeMult, stopLossMult: b.stopLossMult };
  return tripleBarrierLabels(candles.high, candles.low, candles.close, { horizon, barriers, classes: labels.classes });
}

/** Training rows a standardizer may read: the split's train rows at or after the first complete feature row. */
function trainRowsOf(split: ChronologicalSplit, firstValidRow: number): IndexRange {
  const start = Math.min(Math.max(split.train.start, firstValidRow), split.train.end);
  return { start, end: split.train.end };
}

/** One dataset's raw material: unstandardized features and labels (never modified). */
interface DatasetRows {
  input: TrainingInput;
  fm: FeatureMatrix;
  labels: ClassLabels;
}

/**
 * Every dataset's unstandardized feature matrix as a run of this spec computes it (also on a
 * resampled market, where the run's model predicts again: `marketPaths.ts`).
 */
export function featureMatricesOf(inputs: readonly TrainingInput[], spec: DataSpec): FeatureMatrix[] {
  const featureSet: FeatureSetName = isFeatureSetName(spec.featureSet) ? spec.featureSet : 'minimal';
  const extras = spec.extras ?? 'none';
  // Cross-asset features see every dataset of the run, the first one as the reference asset.
  const crossAssets = inputs.map((i) => ({ ts: i.candles.ts, close: i.candles.close }));
  return inputs.map((input) => computeFeatureMatrix(input.candles, featureSet, { includeExtras: extras, crossAssets }));
}

/** Features and labels of every dataset, checked to share one feature list. */
function computeDatasets(inputs: readonly TrainingInput[], spec: DataSpec): DatasetRows[] {
  const problems = validateDataSpec(spec);
  if (inputs.length === 0) problems.push('At least one dataset is needed.');
  if (problems.length > 0) throw new Error(problems.join(' '));
  const matrices = featureMatricesOf(inputs, spec);
  const perDataset = inputs.map((input, i) => ({ input, fm: matrices[i]!, labels: labelRows(input.candles, spec) }));
  const featureNames = perDataset[0].fm.names;
  for (const d of perDataset) {
    if (d.fm.names.join('\n') !== featureNames.join('\n')) {
      throw new Error(`Dataset ${d.input.symbol} has features [${d.fm.names.join(', ')}], but ${perDataset[0].input.symbol} has [${featureNames.join(', ')}]; all datasets of a run need the same extra columns.`);
    }
  }
  return perDataset;
}

/** The sample indices of one split per dataset; throws when a split has no sample. */
function sampleIndices(perDataset: readonly DatasetRows[], splits: readonly ChronologicalSplit[], spec: DataSpec, what = ''): { train: Uint32Array; val: Uint32Array; test: Uint32Array } {
  const sources = (pick: (s: ChronologicalSplit) => IndexRange): SampleSource[] =>
    perDataset.map((d, i) => ({ rows: d.fm.rows, validFrom: d.fm.firstValidRow, labels: d.labels.labels, splitRange: pick(splits[i]) }));
  const window = spec.window;
  const train = buildSampleIndex(sources((s) => s.train), {
    window,
    balancePerSymbol: spec.balancePerSymbol,
    maxPerSymbol: spec.maxSamplesPerSymbol,
    seed: spec.seed,
  });
  // Validation and test keep every sample: their figures must describe the whole period.
  const val = buildSampleIndex(sources((s) => s.val), { window, balancePerSymbol: false, seed: spec.seed });
  const test = buildSampleIndex(sources((s) => s.test), { window, balancePerSymbol: false, seed: spec.seed });
  for (const [name, index] of [['training', train], ['validation', val], ['test', test]] as const) {
    if (sampleCount(index) === 0) {
      throw new Error(`The ${name} split${what} has no samples: the datasets are too short for a window of ${window} bars, the feature warm-up and the horizon.`);
    }
  }
  return { train, val, test };
}

/**
 * Standardizes (fitted on the splits' training rows only, pooled over datasets) and assembles
 * the prepared data. `inPlace` overwrites the raw matrices (holdout: prepared once); otherwise
 * the standardized matrices are fresh copies, so the raw ones can serve the next fold.
 */
function assemble(
  perDataset: readonly DatasetRows[],
  splits: ChronologicalSplit[],
  indices: { train: Uint32Array; val: Uint32Array; test: Uint32Array },
  spec: DataSpec,
  inPlace: boolean,
): PreparedData {
  const featureNames = perDataset[0].fm.names;
  const features = featureNames.length;
  const classNames = [...perDataset[0].labels.classNames];
  const standardizer = fitPooledStandardizer(
    perDataset.map((d, i) => ({ data: d.fm.data, rows: d.fm.rows, trainRows: trainRowsOf(splits[i], d.fm.firstValidRow) })),
    features,
  );
  const clip = spec.clipStd ?? DEFAULT_CLIP_STD;
  const matrices = perDataset.map((d) => applyStandardizer(d.fm.data, d.fm.rows, features, standardizer, inPlace ? d.fm.data : undefined, clip));
  const labels = perDataset.map((d) => d.labels.labels);
  const { train, val, test } = indices;

  const trainLabels = new Int8Array(sampleCount(train));
  for (let i = 0; i < trainLabels.length; i++) trainLabels[i] = labels[train[2 * i]][train[2 * i + 1]];

  let magnitudeTargets: Float32Array[] | null = null;
  let magnitudeScale = 1;
  if (spec.magnitudeHead) {
    const returns = perDataset.map((d) => forwardLogReturn(d.input.candles.close, spec.horizon).values);
    let sumSq = 0;
    let n = 0;
    for (let i = 0; i < trainLabels.length; i++) {
      const r = returns[train[2 * i]][train[2 * i + 1]];
      if (r - r === 0) {
        sumSq += r * r;
        n++;
      }
    }
    magnitudeScale = n > 0 && sumSq > 0 ? Math.sqrt(sumSq / n) : 1;
    // Scaled to unit RMS so that the MSE term is of the same order as the cross-entropy.
    magnitudeTargets = returns.map((values) => values.map((r) => (r - r === 0 ? r / magnitudeScale : 0)));
  }

  const testCount = sampleCount(test);
  const testSamples: TestSamples = { ts: new Float64Array(testCount), symbolIndex: new Int32Array(testCount), yTrue: new Int8Array(testCount) };
  for (let i = 0; i < testCount; i++) {
    const ds = test[2 * i];
    const row = test[2 * i + 1];
    testSamples.ts[i] = perDataset[ds].input.candles.ts[row];
    testSamples.symbolIndex[i] = ds;
    testSamples.yTrue[i] = labels[ds][row];
  }

  const valCount = sampleCount(val);
  const valSamples = { ts: new Float64Array(valCount), symbolIndex: new Int32Array(valCount), yTrue: new Int8Array(valCount), nextReturn: new Float64Array(valCount) };
  for (let i = 0; i < valCount; i++) {
    const ds = val[2 * i];
    const row = val[2 * i + 1];
    const close = perDataset[ds].input.candles.close;
    valSamples.ts[i] = perDataset[ds].input.candles.ts[row];
    valSamples.symbolIndex[i] = ds;
    valSamples.yTrue[i] = labels[ds][row];
    const next = row + 1 < close.length ? Math.log(close[row + 1] / close[row]) : 0;
    valSamples.nextReturn[i] = Number.isFinite(next) ? next : 0;
  }

  return {
    spec,
    symbols: perDataset.map((d) => d.input.symbol),
    datasetIds: perDataset.map((d) => d.input.datasetId),
    featureNames,
    features,
    window: spec.window,
    horizon: spec.horizon,
    classNames,
    classes: classNames.length,
    matrices,
    labels,
    magnitudeTargets,
    magnitudeScale,
    train,
    val,
    test,
    classWeights: classWeights(trainLabels, classNames.length),
    standardizer,
    splits,
    testSamples,
    valSamples,
  };
}

/**
 * Prepares the data of a run. Per dataset: its feature matrix (one Float32Array), labels, and a
 * chronological split with purge and an embargo of at least the horizon; then one standardizer
 * fitted on the TRAINING rows of all datasets together and applied, in place, to every matrix;
 * then the sample index of each split. No sample is ever copied: batches are gathered from the
 * matrices by the index. Throws with a sentence when the spec is invalid or a split has no sample.
 * Always a holdout split, whatever `spec.validation` says (walk-forward: {@link prepareWalkForwardData}).
 */
export function prepareTrainingData(inputs: readonly TrainingInput[], spec: DataSpec): PreparedData {
  const perDataset = computeDatasets(inputs, spec);
  const embargo = spec.embargo ?? spec.horizon;
  const splits = perDataset.map((d) => chronologicalSplit(d.fm.rows, spec.split, spec.horizon, embargo));
  return assemble(perDataset, splits, sampleIndices(perDataset, splits, spec), spec, true);
}

/** Share of a walk-forward fold's training rows (its latest) held out for early stopping. */
export const WALK_FORWARD_VAL_FRACTION = 0.15;

/** The folds of a walk-forward run; each fold's data is standardized only when asked for. */
export interface WalkForwardData {
  folds: number;
  /** Sample counts per fold. */
  samples: { train: number; val: number; test: number }[];
  /** Per fold, per dataset: the rows of its training, validation and test samples. */
  splits: ChronologicalSplit[][];
  /**
   * Fold k (from 0) as prepared data: the standardizer fitted on that fold's training rows only,
   * the matrices fresh copies (the previous fold's can be dropped). Its `test` is fold k's test segment.
   */
  prepareFold(k: number): PreparedData;
}

/**
 * Cuts one dataset's rows into walk-forward folds (see purgedWalkForwardSplits: expanding training
 * windows, purged and embargoed before each test block) and splits each fold's training rows into
 * training and the latest {@link WALK_FORWARD_VAL_FRACTION} as validation, with the same purge and
 * embargo between them. The first fold trains on at least rows / (folds + 1) rows, so the test
 * blocks together cover about folds / (folds + 1) of the data.
 */
function walkForwardSplitsOf(rows: number, folds: number, horizon: number, embargo: number): ChronologicalSplit[] {
  const e = effectiveEmbargo(horizon, embargo);
  const minTrain = Math.max(1, Math.floor(rows / (folds + 1)));
  return purgedWalkForwardSplits(rows, { folds, horizon, embargo: e, minTrain }).map((fold) => {
    const { start, end } = fold.train;
    const cut = start + Math.floor((end - start) * (1 - WALK_FORWARD_VAL_FRACTION));
    return {
      train: { start, end: Math.max(start, cut - horizon - e) },
      // The fold's training range already ends horizon + embargo rows before its test block.
      val: { start: cut, end: Math.max(cut, end) },
      test: fold.test,
      horizon,
      embargo: e,
    };
  });
}

/**
 * Prepares a walk-forward run: features and labels once, the folds' sample indices at once (so a
 * fold without samples fails before any training), the standardized matrices per fold on demand.
 * Throws with a sentence when the spec is invalid, a dataset is too short for the folds, or a
 * fold's split has no sample.
 */
export function prepareWalkForwardData(inputs: readonly TrainingInput[], spec: DataSpec): WalkForwardData {
  const perDataset = computeDatasets(inputs, spec);
  const folds = spec.folds ?? DEFAULT_FOLDS;
  const embargo = spec.embargo ?? spec.horizon;
  const perDatasetFolds = perDataset.map((d) => {
    try {
      return walkForwardSplitsOf(d.fm.rows, folds, spec.horizon, embargo);
    } catch (error) {
      throw new Error(`Dataset ${d.input.symbol} is too short for ${folds} walk-forward folds (${error instanceof Error ? error.message : String(error)}).`);
    }
  });
  const splits = Array.from({ length: folds }, (_, k) => perDatasetFolds.map((f) => f[k]));
  const indices = splits.map((s, k) => sampleIndices(perDataset, s, spec, ` of fold ${k + 1}`));
  return {
    folds,
    samples: indices.map((ix) => ({ train: sampleCount(ix.train), val: sampleCount(ix.val), test: sampleCount(ix.test) })),
    splits,
    prepareFold: (k) => assemble(perDataset, splits[k], indices[k], spec, false),
  };
}

/** One dataset's shape as the plan knows it before loading it: its bars and its features' warm-up. */
export interface DatasetShape {
  rows: number;
  /** First row whose features are all defined. */
  firstValidRow: number;
}

/**
 * Samples per split per dataset that {@link prepareTrainingData} (or, for walk-forward, the
 * smallest fold) would find, assuming every row up to the last `horizon` has a label and before
 * per-symbol balancing: the same splits and sample rules, without features or labels. Lets a run
 * be refused with a sentence before it is created rather than fail in its training process.
 */
export function plannedSampleCounts(shapes: readonly DatasetShape[], spec: DataSpec): { train: number; val: number; test: number }[] {
  const embargo = spec.embargo ?? spec.horizon;
  const labelCache = new Map<DatasetShape, Int8Array>();
  const labelsOf = (shape: DatasetShape) => {
    let l = labelCache.get(shape);
    if (!l) {
      l = new Int8Array(shape.rows);
      l.fill(-1, Math.max(0, shape.rows - spec.horizon));
      labelCache.set(shape, l);
    }
    return l;
  };
  const count = (shape: DatasetShape, split: ChronologicalSplit) => {
    // One label array per dataset serves its three splits (and its folds, for walk-forward).
    const labels = labelsOf(shape);
    const source = (range: IndexRange): SampleSource[] => [{ rows: shape.rows, validFrom: shape.firstValidRow, labels, splitRange: range }];
    const n = (range: IndexRange) => sampleCount(buildSampleIndex(source(range), { window: spec.window, balancePerSymbol: false, seed: spec.seed }));
    return { train: n(split.train), val: n(split.val), test: n(split.test) };
  };
  return shapes.map((shape) => {
    if (shape.rows < 3) return { train: 0, val: 0, test: 0 };
    if (spec.validation === 'walk-forward') {
      let folds: ChronologicalSplit[];
      try {
        folds = walkForwardSplitsOf(shape.rows, spec.folds ?? DEFAULT_FOLDS, spec.horizon, embargo);
      } catch {
        return { train: 0, val: 0, test: 0 };
      }
      const perFold = folds.map((f) => count(shape, f));
      return { train: Math.min(...perFold.map((c) => c.train)), val: Math.min(...perFold.map((c) => c.val)), test: perFold.reduce((s, c) => s + c.test, 0) };
    }
    try {
      return count(shape, chronologicalSplit(shape.rows, spec.split, spec.horizon, embargo));
    } catch {
      return { train: 0, val: 0, test: 0 };
    }
  });
}

import { accuracy, balancedAccuracy, matthewsCorrelation, precisionRecallF1 } from './classification.js';
import { confusionMatrix, type ConfusionMatrix } from './confusion.js';
import { checkClassIds, checkSameLength } from './input.js';
import { logLossEpsilon } from './probabilistic.js';
import type { ClassIds } from './types.js';

/*
 * Naive predictors evaluated on the same samples as the model: a model is only worth something
 * if it beats them. Market labels are often imbalanced and autocorrelated, so "always up" and
 * "same as last bar" can look deceptively good.
 */

/** Where a baseline's class distribution came from. */
export type PriorSource = 'training' | 'evaluated';

/**
 * Fraction of samples in each class. Null when there are no samples.
 */
export function classDistribution(ids: ClassIds, classCount: number): Float64Array | null {
  checkClassIds(ids, classCount, 'class ids');
  if (ids.length === 0) return null;
  const out = new Float64Array(classCount);
  for (let i = 0; i < ids.length; i++) out[ids[i]]++;
  for (let k = 0; k < classCount; k++) out[k] /= ids.length;
  return out;
}

/**
 * The prior the baselines use: the training label distribution when given (counts or fractions,
 * normalised here), else the evaluated set's own distribution. Using the evaluated set's labels
 * peeks at the answer, so it is only a fallback and the report says which one was used.
 */
export function resolvePriors(
  yTrue: ClassIds,
  classCount: number,
  trainPriors?: ArrayLike<number>,
): { priors: Float64Array; source: PriorSource } | null {
  if (trainPriors !== undefined) {
    if (trainPriors.length !== classCount) {
      throw new RangeError(`trainPriors has ${trainPriors.length} entries, expected ${classCount}`);
    }
    let sum = 0;
    for (let k = 0; k < classCount; k++) {
      const p = trainPriors[k];
      if (!(p >= 0) || !Number.isFinite(p)) throw new RangeError(`trainPriors[${k}] = ${p} is not a finite count ≥ 0`);
      sum += p;
    }
    if (sum <= 0) throw new RangeError('trainPriors sum to 0');
    const priors = new Float64Array(classCount);
    for (let k = 0; k < classCount; k++) priors[k] = trainPriors[k] / sum;
    return { priors, source: 'training' };
  }
  const evaluated = classDistribution(yTrue, classCount);
  return evaluated === null ? null : { priors: evaluated, source: 'evaluated' };
}

/** Label metrics of a baseline that predicts one class per sample. */
export interface LabelBaselineMetrics {
  readonly samples: number;
  readonly accuracy: number | null;
  readonly balancedAccuracy: number | null;
  readonly macroF1: number;
  readonly matthewsCorrelation: number;
  readonly confusion: ConfusionMatrix;
}

function labelMetrics(confusion: ConfusionMatrix, samples: number): LabelBaselineMetrics {
  return {
    samples,
    accuracy: accuracy(confusion),
    balancedAccuracy: balancedAccuracy(confusion),
    macroF1: precisionRecallF1(confusion).macro.f1,
    matthewsCorrelation: matthewsCorrelation(confusion),
    confusion,
  };
}

/** The "always predict the most frequent class" baseline. */
export interface MajorityBaseline extends LabelBaselineMetrics {
  readonly classId: number;
  readonly source: PriorSource;
}

/**
 * Always predicts the most frequent class of the training labels (of the evaluated set when no
 * training distribution is given); ties go to the lowest class id. Null without samples.
 */
export function majorityClassBaseline(
  yTrue: ClassIds,
  classCount: number,
  trainPriors?: ArrayLike<number>,
): MajorityBaseline | null {
  const resolved = resolvePriors(yTrue, classCount, trainPriors);
  if (resolved === null) return null;
  const classId = argmax(resolved.priors);
  const predicted = new Int32Array(yTrue.length).fill(classId);
  return {
    classId,
    source: resolved.source,
    ...labelMetrics(confusionMatrix(yTrue, predicted, classCount), yTrue.length),
  };
}

/** Index of the largest value, the first one on ties. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
  return best;
}

/** The "guess at random with the class frequencies" baseline. */
export interface ClassPriorBaseline {
  readonly samples: number;
  /** The constant probability vector q. */
  readonly priors: Float64Array;
  readonly source: PriorSource;
  /** Σₖ qₖ · pₖ, pₖ the class frequencies of the evaluated samples. */
  readonly expectedAccuracy: number;
  /** Log loss of predicting q for every sample (eps as for a Float64Array). */
  readonly logLoss: number;
  /** Multiclass Brier score of predicting q for every sample. */
  readonly multiclassBrier: number;
  /** Every one-vs-rest AUC of a constant score is exactly 0.5; null when no class is defined. */
  readonly macroAuc: number | null;
}

/**
 * Predicts class k at random with probability qₖ (the training priors, else the evaluated set's
 * frequencies). Its expected accuracy is Σₖ qₖ·pₖ (pₖ the evaluated frequencies); as a
 * probabilistic forecaster it outputs the constant vector q, whose log loss is −Σₖ pₖ log qₖ
 * (qₖ clipped as in `log_loss`), Brier score Σₖ qₖ² − 2 Σₖ pₖ qₖ + 1, and one-vs-rest AUC 0.5
 * (all scores tied). These closed forms equal the per-sample definitions exactly and cost O(K).
 * Null without samples.
 */
export function classPriorBaseline(
  yTrue: ClassIds,
  classCount: number,
  trainPriors?: ArrayLike<number>,
): ClassPriorBaseline | null {
  const resolved = resolvePriors(yTrue, classCount, trainPriors);
  const evaluated = classDistribution(yTrue, classCount);
  if (resolved === null || evaluated === null) return null;
  const q = resolved.priors;
  const eps = logLossEpsilon(q);
  let expectedAccuracy = 0;
  let logLoss = 0;
  let squares = 0;
  let definedClasses = 0;
  for (let k = 0; k < classCount; k++) {
    expectedAccuracy += q[k] * evaluated[k];
    const clipped = Math.min(1 - eps, Math.max(eps, q[k]));
    if (evaluated[k] > 0) logLoss -= evaluated[k] * Math.log(clipped);
    squares += q[k] * q[k];
    if (evaluated[k] > 0 && evaluated[k] < 1) definedClasses++;
  }
  return {
    samples: yTrue.length,
    priors: q,
    source: resolved.source,
    expectedAccuracy,
    logLoss,
    multiclassBrier: squares - 2 * expectedAccuracy + 1,
    macroAuc: definedClasses === 0 ? null : 0.5,
  };
}

/** The "same direction as the previous bar" baseline. */
export interface PersistenceBaseline extends LabelBaselineMetrics {
  /** Samples without a usable previous-bar class, left out of every metric. */
  readonly skipped: number;
}

/**
 * Predicts, for each bar, the class the previous bar realized (`prevClass[i]`). A value outside
 * `[0, classCount)` (e.g. −1 for the first bar of a symbol) means "no previous bar": the sample
 * is skipped and counted in `skipped`. Null when no sample is usable.
 */
export function persistenceBaseline(
  yTrue: ClassIds,
  prevClass: Int8Array | Int32Array,
  classCount: number,
): PersistenceBaseline | null {
  checkSameLength(yTrue, prevClass, 'persistenceBaseline');
  checkClassIds(yTrue, classCount, 'yTrue');
  const usable = persistenceMask(prevClass, classCount);
  let covered = 0;
  for (let i = 0; i < usable.length; i++) covered += usable[i];
  if (covered === 0) return null;
  // Skipped samples get class 0 only to satisfy the matrix's range check; the mask drops them.
  const predicted = new Int32Array(prevClass.length);
  for (let i = 0; i < prevClass.length; i++) predicted[i] = usable[i] === 1 ? prevClass[i] : 0;
  const confusion = confusionMatrix(yTrue, predicted, classCount, usable);
  return { skipped: yTrue.length - covered, ...labelMetrics(confusion, covered) };
}

/** 1 where `prevClass[i]` is a class id, 0 where it means "no previous bar". */
export function persistenceMask(prevClass: Int8Array | Int32Array, classCount: number): Uint8Array {
  const out = new Uint8Array(prevClass.length);
  for (let i = 0; i < prevClass.length; i++) {
    const c = prevClass[i];
    out[i] = Number.isInteger(c) && c >= 0 && c < classCount ? 1 : 0;
  }
  return out;
}

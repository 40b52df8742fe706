import { binaryCurveCounts, meanOverDefined, oneVsRestCounts, type BinaryCurveCounts } from './binaryCurve.js';
import { checkClassificationInput } from './input.js';
import { undefinedCurveReason } from './roc.js';
import type { ClassIds, ProbabilityMatrix, RealSeries } from './types.js';

/**
 * A precision–recall curve in scikit-learn's layout: recall decreasing to a final (recall 0,
 * precision 1) point that has no threshold; `thresholds` increasing, one per distinct score, so
 * `precision[j]`, `recall[j]` belong to predicting positive for score ≥ `thresholds[j]`.
 */
export interface PrecisionRecallCurve {
  readonly precision: Float64Array;
  readonly recall: Float64Array;
  readonly thresholds: Float64Array;
}

/** A precision–recall curve and its average precision, or null with the reason. */
export type PrecisionRecallResult =
  | { readonly curve: PrecisionRecallCurve; readonly averagePrecision: number; readonly reason: null }
  | { readonly curve: null; readonly averagePrecision: null; readonly reason: string };

/**
 * Binary precision–recall curve (scikit-learn's `precision_recall_curve`, one point per distinct
 * score, no truncation) and average precision as scikit-learn's `average_precision_score`:
 * AP = Σₙ (Rₙ − Rₙ₋₁) Pₙ, the step-wise sum over thresholds — NOT the trapezoidal area, which
 * interpolates linearly and is optimistic.
 *
 * Departure from scikit-learn, on purpose: without negatives scikit-learn returns AP = 1 (any
 * scorer is perfect), without positives a warning and a meaningless value; both are null here
 * with the reason, exactly like the ROC AUC, so that AUC and AP are defined for the same classes.
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.average_precision_score.html
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.precision_recall_curve.html
 */
export function precisionRecallCurve(scores: RealSeries, isPositive: Uint8Array): PrecisionRecallResult {
  return precisionRecallFromCounts(binaryCurveCounts(scores, isPositive));
}

/** {@link precisionRecallCurve} from already computed threshold counts (one sort shared with the ROC). */
export function precisionRecallFromCounts(counts: BinaryCurveCounts): PrecisionRecallResult {
  const reason = undefinedCurveReason(counts.positives, counts.negatives);
  if (reason !== null) return { curve: null, averagePrecision: null, reason };
  const m = counts.thresholds.length;
  const precision = new Float64Array(m + 1);
  const recall = new Float64Array(m + 1);
  const thresholds = new Float64Array(m);
  let averagePrecision = 0;
  let previousRecall = 0;
  for (let j = 0; j < m; j++) {
    const tp = counts.truePositives[j];
    // tp + fp ≥ 1 at every distinct threshold, so precision is never 0/0 here.
    const p = tp / (tp + counts.falsePositives[j]);
    const r = tp / counts.positives;
    averagePrecision += (r - previousRecall) * p;
    previousRecall = r;
    const at = m - 1 - j;
    precision[at] = p;
    recall[at] = r;
    thresholds[at] = counts.thresholds[j];
  }
  precision[m] = 1;
  recall[m] = 0;
  return { curve: { precision, recall, thresholds }, averagePrecision, reason: null };
}

/** One-vs-rest precision–recall analysis of a multiclass classifier. */
export interface OneVsRestPrecisionRecall {
  readonly perClass: PrecisionRecallResult[];
  /** Classes whose AP is defined (both positives and negatives present). */
  readonly definedClasses: number[];
  /** Unweighted mean of the defined per-class APs; null when no class has one. */
  readonly macroAveragePrecision: number | null;
  /** AP of all (sample, class) pairs pooled; null without samples. */
  readonly microAveragePrecision: number | null;
}

/**
 * Per-class precision–recall curves and APs with macro and micro averages, as scikit-learn's
 * `average_precision_score(label_binarize(y_true), probs, average='macro' | 'micro')`; the macro
 * mean runs over the classes whose AP is defined (see {@link precisionRecallCurve}).
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.average_precision_score.html
 */
export function oneVsRestPrecisionRecall(
  yTrue: ClassIds,
  probs: ProbabilityMatrix,
  classCount: number,
): OneVsRestPrecisionRecall {
  checkClassificationInput(yTrue, probs, classCount);
  const { perClass, micro } = oneVsRestCounts(yTrue, probs, classCount);
  return oneVsRestPrecisionRecallFromCounts(perClass, micro);
}

/** {@link oneVsRestPrecisionRecall} from already computed threshold counts (shared with the ROC). */
export function oneVsRestPrecisionRecallFromCounts(
  perClassCounts: readonly BinaryCurveCounts[],
  microCounts: BinaryCurveCounts | null,
): OneVsRestPrecisionRecall {
  const perClass = perClassCounts.map(precisionRecallFromCounts);
  const { mean, definedClasses } = meanOverDefined(perClass.map((r) => r.averagePrecision));
  return {
    perClass,
    definedClasses,
    macroAveragePrecision: mean,
    microAveragePrecision: microCounts === null ? null : precisionRecallFromCounts(microCounts).averagePrecision,
  };
}

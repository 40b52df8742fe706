import { binaryCurveCounts, meanOverDefined, oneVsRestCounts, type BinaryCurveCounts } from './binaryCurve.js';
import { checkClassificationInput } from './input.js';
import type { ClassIds, ProbabilityMatrix, RealSeries } from './types.js';

/** A ROC curve: `fpr[j]`, `tpr[j]` are the rates when predicting positive for score ≥ `thresholds[j]`. */
export interface RocCurve {
  readonly fpr: Float64Array;
  readonly tpr: Float64Array;
  /**
   * Decreasing. `thresholds[0]` is +∞ (the point (0, 0) where nothing is predicted positive), as
   * in scikit-learn ≥ 1.3; scikit-learn ≤ 1.2 used max(score) + 1 there.
   */
  readonly thresholds: Float64Array;
}

/** A ROC curve and its area, or null with the reason when the class has no positive or no negative sample. */
export type RocResult =
  | { readonly curve: RocCurve; readonly auc: number; readonly reason: null }
  | { readonly curve: null; readonly auc: null; readonly reason: string };

/** Why a one-vs-rest problem has no ROC curve, or null when it has one. */
export function undefinedCurveReason(positives: number, negatives: number): string | null {
  if (positives === 0) return 'no positive sample: the class never occurs in the truth';
  if (negatives === 0) return 'no negative sample: every sample is of this class';
  return null;
}

/**
 * Binary ROC curve, as scikit-learn's `roc_curve(..., drop_intermediate=False)`: one point per
 * distinct score (tied scores move the curve diagonally in one step), preceded by (0, 0); the
 * area is {@link trapezoidArea} of the curve, as `auc(fpr, tpr)`. Undefined (null + reason)
 * where scikit-learn would return NaN rates: a truth without positives or without negatives.
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.roc_curve.html
 */
export function rocCurve(scores: RealSeries, isPositive: Uint8Array): RocResult {
  return rocFromCounts(binaryCurveCounts(scores, isPositive));
}

/** {@link rocCurve} from already computed threshold counts (one sort shared with the PR curve). */
export function rocFromCounts(counts: BinaryCurveCounts): RocResult {
  const reason = undefinedCurveReason(counts.positives, counts.negatives);
  if (reason !== null) return { curve: null, auc: null, reason };
  const m = counts.thresholds.length;
  const fpr = new Float64Array(m + 1);
  const tpr = new Float64Array(m + 1);
  const thresholds = new Float64Array(m + 1);
  thresholds[0] = Number.POSITIVE_INFINITY;
  for (let j = 0; j < m; j++) {
    fpr[j + 1] = counts.falsePositives[j] / counts.negatives;
    tpr[j + 1] = counts.truePositives[j] / counts.positives;
    thresholds[j + 1] = counts.thresholds[j];
  }
  return { curve: { fpr, tpr, thresholds }, auc: trapezoidArea(fpr, tpr), reason: null };
}

/**
 * Area under a piecewise-linear curve by the trapezoidal rule, for `x` monotonic (scikit-learn's
 * `auc`, i.e. `np.trapz(y, x)`, made positive for decreasing `x`).
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.auc.html
 */
export function trapezoidArea(x: Float64Array, y: Float64Array): number {
  let area = 0;
  for (let j = 1; j < x.length; j++) area += ((x[j] - x[j - 1]) * (y[j] + y[j - 1])) / 2;
  return Math.abs(area);
}

/** One-vs-rest ROC analysis of a multiclass classifier. */
export interface OneVsRestRoc {
  /** One entry per class, in class order. */
  readonly perClass: RocResult[];
  /** Classes whose AUC is defined (both positives and negatives present). */
  readonly definedClasses: number[];
  /** Unweighted mean of the defined per-class AUCs; null when no class has one. */
  readonly macroAuc: number | null;
  /** AUC of all (sample, class) pairs pooled into one binary problem; null without samples. */
  readonly microAuc: number | null;
}

/**
 * One-vs-rest ROC curves and AUCs of every class, and their macro and micro averages, as
 * scikit-learn's `roc_auc_score(y_true, probs, multi_class='ovr', average='macro' | 'micro')`.
 *
 * Departure from scikit-learn, on purpose: scikit-learn raises when a class has no positive (or
 * no negative) sample; here that class's AUC is null with the reason and the macro average is
 * the mean over the defined classes only (so a short per-symbol slice that never saw "flat" still
 * gets a macro AUC, over the classes it saw). `definedClasses` says which classes that was.
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.roc_auc_score.html
 */
export function oneVsRestRoc(
  yTrue: ClassIds,
  probs: ProbabilityMatrix,
  classCount: number,
): OneVsRestRoc {
  checkClassificationInput(yTrue, probs, classCount);
  const { perClass, micro } = oneVsRestCounts(yTrue, probs, classCount);
  return oneVsRestRocFromCounts(perClass, micro);
}

/**
 * {@link oneVsRestRoc} from already computed threshold counts of each class and of the pooled
 * ("micro") problem, so that ROC and precision–recall share their sorts.
 */
export function oneVsRestRocFromCounts(
  perClassCounts: readonly BinaryCurveCounts[],
  microCounts: BinaryCurveCounts | null,
): OneVsRestRoc {
  const perClass = perClassCounts.map(rocFromCounts);
  const { mean, definedClasses } = meanOverDefined(perClass.map((r) => r.auc));
  return {
    perClass,
    definedClasses,
    macroAuc: mean,
    microAuc: microCounts === null ? null : rocFromCounts(microCounts).auc,
  };
}

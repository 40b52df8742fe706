import { marginals, type ConfusionMatrix } from './confusion.js';

/*
 * Label metrics, all computed from a confusion matrix so that per-symbol, per-threshold and
 * baseline evaluations reuse one counting pass. Definitions follow scikit-learn's
 * `sklearn.metrics` (documentation pages linked on each function); where scikit-learn would warn
 * and return NaN, these return null.
 */

/**
 * Fraction of samples whose predicted class is the true class (`accuracy_score`).
 * Null when there are no samples.
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.accuracy_score.html
 */
export function accuracy(matrix: ConfusionMatrix): number | null {
  const k = matrix.classCount;
  let correct = 0;
  let total = 0;
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      total += matrix.counts[t * k + p];
      if (t === p) correct += matrix.counts[t * k + p];
    }
  }
  return total === 0 ? null : correct / total;
}

/**
 * Balanced accuracy: the mean over classes of per-class recall (`balanced_accuracy_score`,
 * `adjusted=False`). As in scikit-learn, a class absent from the truth has no recall and is left
 * out of the mean (scikit-learn warns "y_pred contains classes not in y_true"). Null when there
 * are no samples.
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.balanced_accuracy_score.html
 */
export function balancedAccuracy(matrix: ConfusionMatrix): number | null {
  const k = matrix.classCount;
  let sum = 0;
  let classes = 0;
  for (let t = 0; t < k; t++) {
    let support = 0;
    for (let p = 0; p < k; p++) support += matrix.counts[t * k + p];
    if (support === 0) continue;
    sum += matrix.counts[t * k + t] / support;
    classes++;
  }
  return classes === 0 ? null : sum / classes;
}

/** Per-class precision, recall, F1 and support, with their macro and support-weighted means. */
export interface PrecisionRecallF1 {
  readonly precision: Float64Array;
  readonly recall: Float64Array;
  readonly f1: Float64Array;
  /** Number of true samples of each class. */
  readonly support: Float64Array;
  /** Unweighted mean over the averaged classes (see `averagedClasses`). */
  readonly macro: { readonly precision: number; readonly recall: number; readonly f1: number };
  /** Mean over the averaged classes weighted by support. */
  readonly weighted: { readonly precision: number; readonly recall: number; readonly f1: number };
  /** Classes that enter the averages: those present in the truth or in the predictions. */
  readonly averagedClasses: number[];
}

/**
 * Precision `tp / (tp + fp)`, recall `tp / (tp + fn)` and F1 `2 tp / (2 tp + fp + fn)` per class,
 * as scikit-learn's `precision_recall_fscore_support(..., zero_division=0)`: a ratio whose
 * denominator is zero is 0 (e.g. the precision of a class never predicted), never NaN.
 *
 * Averages follow scikit-learn's default `labels=None`: only classes that occur in the truth or
 * in the predictions are averaged, so a class absent from both (possible on a small per-symbol
 * slice) does not drag the macro mean towards 0. The per-class arrays still list every class.
 * With no samples at all, every average is 0 (zero_division).
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.precision_recall_fscore_support.html
 */
export function precisionRecallF1(matrix: ConfusionMatrix): PrecisionRecallF1 {
  const k = matrix.classCount;
  const { truth, predicted } = marginals(matrix);
  const precision = new Float64Array(k);
  const recall = new Float64Array(k);
  const f1 = new Float64Array(k);
  const averagedClasses: number[] = [];
  for (let c = 0; c < k; c++) {
    const tp = matrix.counts[c * k + c];
    const fp = predicted[c] - tp;
    const fn = truth[c] - tp;
    precision[c] = tp + fp === 0 ? 0 : tp / (tp + fp);
    recall[c] = tp + fn === 0 ? 0 : tp / (tp + fn);
    f1[c] = 2 * tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    if (truth[c] > 0 || predicted[c] > 0) averagedClasses.push(c);
  }
  return {
    precision,
    recall,
    f1,
    support: truth,
    macro: {
      precision: mean(precision, averagedClasses, null),
      recall: mean(recall, averagedClasses, null),
      f1: mean(f1, averagedClasses, null),
    },
    weighted: {
      precision: mean(precision, averagedClasses, truth),
      recall: mean(recall, averagedClasses, truth),
      f1: mean(f1, averagedClasses, truth),
    },
    averagedClasses,
  };
}

function mean(values: Float64Array, classes: number[], weights: Float64Array | null): number {
  let sum = 0;
  let weightSum = 0;
  for (const c of classes) {
    const w = weights === null ? 1 : weights[c];
    sum += w * values[c];
    weightSum += w;
  }
  return weightSum === 0 ? 0 : sum / weightSum;
}

/**
 * Matthews correlation coefficient, multiclass form (Gorodkin 2004, "Comparing two K-category
 * assignments by a K-category correlation coefficient"), exactly as scikit-learn's
 * `matthews_corrcoef`: with t = true-class counts, p = predicted-class counts, c = correct, s =
 * samples, MCC = (c·s − t·p) / √((s² − p·p)(s² − t·t)). Like scikit-learn, 0 when the
 * denominator is 0 (all truth or all predictions in one class).
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.matthews_corrcoef.html
 */
export function matthewsCorrelation(matrix: ConfusionMatrix): number {
  const k = matrix.classCount;
  const { truth, predicted, total } = marginals(matrix);
  let correct = 0;
  let tp = 0;
  let pp = 0;
  let tt = 0;
  for (let c = 0; c < k; c++) {
    correct += matrix.counts[c * k + c];
    tp += truth[c] * predicted[c];
    pp += predicted[c] * predicted[c];
    tt += truth[c] * truth[c];
  }
  const covTruePred = correct * total - tp;
  const covPredPred = total * total - pp;
  const covTrueTrue = total * total - tt;
  if (covPredPred * covTrueTrue === 0) return 0;
  return covTruePred / Math.sqrt(covTrueTrue * covPredPred);
}

/**
 * Cohen's kappa (unweighted), as scikit-learn's `cohen_kappa_score`: κ = 1 − Σ w·C / Σ w·E with
 * w = 1 off the diagonal, C the confusion matrix and E = outer(row sums, column sums) / total the
 * counts expected by chance. Null where scikit-learn gives NaN (0/0: no samples, or truth and
 * predictions all in one and the same class).
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.cohen_kappa_score.html
 */
export function cohenKappa(matrix: ConfusionMatrix): number | null {
  const k = matrix.classCount;
  const { truth, predicted, total } = marginals(matrix);
  if (total === 0) return null;
  let observed = 0;
  let expected = 0;
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      if (t === p) continue;
      observed += matrix.counts[t * k + p];
      expected += (truth[t] * predicted[p]) / total;
    }
  }
  if (expected === 0) return null;
  return 1 - observed / expected;
}

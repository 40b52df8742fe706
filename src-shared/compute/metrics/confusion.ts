import { checkClassIds, checkSameLength } from './input.js';
import type { ClassIds, ProbabilityMatrix } from './types.js';

/**
 * A confusion matrix: `counts[t * classCount + p]` is the number of samples of true class `t`
 * predicted as class `p` (rows = truth, columns = prediction, as in scikit-learn's
 * `confusion_matrix`).
 */
export interface ConfusionMatrix {
  readonly classCount: number;
  readonly counts: Float64Array;
}

/**
 * The predicted class of each sample: the column of its largest probability. Ties go to the
 * lowest class id, as `numpy.argmax` does.
 */
export function argmaxClasses(probs: ProbabilityMatrix, classCount: number): Int32Array {
  const n = probs.length / classCount;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * classCount;
    let best = 0;
    let bestP = probs[row];
    for (let k = 1; k < classCount; k++) {
      if (probs[row + k] > bestP) {
        bestP = probs[row + k];
        best = k;
      }
    }
    out[i] = best;
  }
  return out;
}

/**
 * The largest probability of each sample: the model's confidence in its own prediction, the
 * quantity a reliability diagram and a confidence threshold look at.
 */
export function maxProbabilities(probs: ProbabilityMatrix, classCount: number): Float64Array {
  const n = probs.length / classCount;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * classCount;
    let best = probs[row];
    for (let k = 1; k < classCount; k++) if (probs[row + k] > best) best = probs[row + k];
    out[i] = best;
  }
  return out;
}

/**
 * Confusion matrix of true against predicted classes, over all `classCount` classes (also those
 * absent from both), i.e. scikit-learn's `confusion_matrix(y_true, y_pred, labels=range(K))`.
 *
 * @param include - when given, only samples with `include[i] !== 0` are counted.
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.confusion_matrix.html
 */
export function confusionMatrix(
  yTrue: ClassIds,
  yPred: ClassIds,
  classCount: number,
  include?: Uint8Array,
): ConfusionMatrix {
  checkSameLength(yTrue, yPred, 'confusionMatrix');
  checkClassIds(yTrue, classCount, 'yTrue');
  checkClassIds(yPred, classCount, 'yPred');
  const counts = new Float64Array(classCount * classCount);
  for (let i = 0; i < yTrue.length; i++) {
    if (include !== undefined && include[i] === 0) continue;
    counts[yTrue[i] * classCount + yPred[i]]++;
  }
  return { classCount, counts };
}

/**
 * Each row divided by its sum (the fraction of each true class predicted as each class), as
 * scikit-learn's `normalize='true'`. A row of a class absent from the truth is all zeros, as
 * scikit-learn's `nan_to_num` makes it, rather than NaN.
 */
export function rowNormalized(matrix: ConfusionMatrix): Float64Array {
  const k = matrix.classCount;
  const out = new Float64Array(k * k);
  for (let t = 0; t < k; t++) {
    let sum = 0;
    for (let p = 0; p < k; p++) sum += matrix.counts[t * k + p];
    if (sum === 0) continue;
    for (let p = 0; p < k; p++) out[t * k + p] = matrix.counts[t * k + p] / sum;
  }
  return out;
}

/** Row sums (true-class supports) and column sums (predicted-class counts). */
export function marginals(matrix: ConfusionMatrix): { truth: Float64Array; predicted: Float64Array; total: number } {
  const k = matrix.classCount;
  const truth = new Float64Array(k);
  const predicted = new Float64Array(k);
  let total = 0;
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      const c = matrix.counts[t * k + p];
      truth[t] += c;
      predicted[p] += c;
      total += c;
    }
  }
  return { truth, predicted, total };
}

import { argmaxClasses, confusionMatrix, maxProbabilities, type ConfusionMatrix } from './confusion.js';
import { checkClassificationInput } from './input.js';
import type { ClassIds, ProbabilityMatrix } from './types.js';

/** Thresholds the report tabulates in full (with row-normalized confusion matrices). */
export const REPORTED_CONFIDENCE_THRESHOLDS: readonly number[] = [0.6, 0.7, 0.8, 0.9];

/**
 * Thresholds 0.00, 0.01, …, 0.99 of the report's slider sweep (`j / 100` is the double nearest
 * to j/100, i.e. the same number as the literal). Any other threshold: {@link confidenceFilter}.
 */
export const SLIDER_CONFIDENCE_THRESHOLDS: readonly number[] = Array.from({ length: 100 }, (_, j) => j / 100);

/** What happens when the model only acts on predictions more confident than a threshold. */
export interface ConfidenceCut {
  readonly threshold: number;
  /** Samples whose max probability is strictly above the threshold. */
  readonly covered: number;
  /** covered / all samples; null without samples. */
  readonly coverage: number | null;
  /** Accuracy of the argmax class on the covered samples; null when none is covered. */
  readonly accuracy: number | null;
  /** Confusion matrix of the covered samples only. */
  readonly confusion: ConfusionMatrix;
}

/** Evaluates any confidence threshold; built once per evaluation, queried per slider move. */
export type ConfidenceFilter = (threshold: number) => ConfidenceCut;

/**
 * Selective-prediction view: for a threshold t, keep the samples whose top-class probability is
 * strictly greater than t (so t = 0.6 means "> 0.6", and t = 1 keeps nothing) and report the
 * coverage, the accuracy and the confusion matrix on those. Confidences and argmax classes are
 * computed once here; each query is one O(n) pass (a few ms at a million samples), cheap enough
 * for a slider.
 */
export function confidenceFilter(
  yTrue: ClassIds,
  probs: ProbabilityMatrix,
  classCount: number,
): ConfidenceFilter {
  const n = checkClassificationInput(yTrue, probs, classCount);
  const confidence = maxProbabilities(probs, classCount);
  const predicted = argmaxClasses(probs, classCount);
  const keep = new Uint8Array(n);
  return (threshold: number) => {
    if (Number.isNaN(threshold)) throw new RangeError('confidence threshold is NaN');
    let covered = 0;
    for (let i = 0; i < n; i++) {
      const k = confidence[i] > threshold ? 1 : 0;
      keep[i] = k;
      covered += k;
    }
    const confusion = confusionMatrix(yTrue, predicted, classCount, keep);
    let correct = 0;
    for (let c = 0; c < classCount; c++) correct += confusion.counts[c * classCount + c];
    return {
      threshold,
      covered,
      coverage: n === 0 ? null : covered / n,
      accuracy: covered === 0 ? null : correct / covered,
      confusion,
    };
  };
}

/**
 * {@link ConfidenceCut}s at many thresholds in one pass, for a slider that works from the stored
 * report alone: each sample is assigned to the number of thresholds strictly below its
 * confidence (binary search), and each threshold's confusion matrix is a suffix sum of those
 * groups. O(n log T + T·K²) instead of T passes.
 *
 * @param thresholds - strictly increasing.
 */
export function confidenceSweep(
  yTrue: ClassIds,
  probs: ProbabilityMatrix,
  classCount: number,
  thresholds: readonly number[],
): ConfidenceCut[] {
  const n = checkClassificationInput(yTrue, probs, classCount);
  for (let j = 1; j < thresholds.length; j++) {
    if (!(thresholds[j] > thresholds[j - 1])) throw new RangeError('confidence thresholds must increase strictly');
  }
  const confidence = maxProbabilities(probs, classCount);
  const predicted = argmaxClasses(probs, classCount);
  const t = thresholds.length;
  const cells = classCount * classCount;
  // groups[g]: confusion counts of the samples whose confidence exceeds exactly g thresholds.
  const groups = new Float64Array((t + 1) * cells);
  for (let i = 0; i < n; i++) {
    let lo = 0;
    let hi = t;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (thresholds[mid] < confidence[i]) lo = mid + 1;
      else hi = mid;
    }
    groups[lo * cells + yTrue[i] * classCount + predicted[i]]++;
  }
  const cuts: ConfidenceCut[] = [];
  const running = new Float64Array(cells);
  // Threshold j keeps the groups g > j; walk from the highest threshold down.
  for (let j = t - 1; j >= 0; j--) {
    for (let c = 0; c < cells; c++) running[c] += groups[(j + 1) * cells + c];
    let covered = 0;
    let correct = 0;
    for (let c = 0; c < cells; c++) covered += running[c];
    for (let k = 0; k < classCount; k++) correct += running[k * classCount + k];
    cuts.push({
      threshold: thresholds[j],
      covered,
      coverage: n === 0 ? null : covered / n,
      accuracy: covered === 0 ? null : correct / covered,
      confusion: { classCount, counts: Float64Array.from(running) },
    });
  }
  return cuts.reverse();
}

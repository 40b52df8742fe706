import { argmaxClasses, maxProbabilities } from './confusion.js';
import { checkClassificationInput } from './input.js';
import type { ClassIds, ProbabilityMatrix } from './types.js';

/** One bin of a reliability diagram. */
export interface ReliabilityBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Mean confidence (max probability) of the bin's samples; null for an empty bin. */
  readonly meanConfidence: number | null;
  /** Fraction of the bin's samples whose argmax class is right; null for an empty bin. */
  readonly accuracy: number | null;
}

/** A reliability diagram with its summary calibration errors. */
export interface ReliabilityDiagram {
  readonly bins: ReliabilityBin[];
  /** Expected calibration error: Σ_b (n_b / n)·|accuracy_b − confidence_b|; null without samples. */
  readonly expectedCalibrationError: number | null;
  /** Maximum calibration error: max over non-empty bins of |accuracy_b − confidence_b|. */
  readonly maximumCalibrationError: number | null;
}

/**
 * Reliability diagram of the top-label confidence (Guo et al. 2017, "On Calibration of Modern
 * Neural Networks"): samples are binned by their max probability into `binCount` uniform bins on
 * [0, 1]; each bin reports its mean confidence, its accuracy and its count; ECE is the
 * count-weighted mean gap and MCE the largest gap.
 *
 * Bin edges and assignment copy scikit-learn's `calibration_curve(strategy='uniform')`: edges
 * `i · (1 / binCount)` (as `np.linspace`), bin = number of inner edges strictly below the value
 * (`np.searchsorted(..., side='left')`), so bins are (lower, upper] and the first is [0, upper].
 * With K classes no confidence is below 1/K, so the low bins stay empty by construction.
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.calibration.calibration_curve.html
 */
export function reliabilityDiagram(
  yTrue: ClassIds,
  probs: ProbabilityMatrix,
  classCount: number,
  binCount = 10,
): ReliabilityDiagram {
  if (!Number.isInteger(binCount) || binCount < 1) {
    throw new RangeError(`binCount must be a positive integer, got ${binCount}`);
  }
  const n = checkClassificationInput(yTrue, probs, classCount);
  const confidence = maxProbabilities(probs, classCount);
  const predicted = argmaxClasses(probs, classCount);
  const step = 1 / binCount;
  const edges = new Float64Array(binCount + 1);
  for (let b = 0; b <= binCount; b++) edges[b] = b * step;
  edges[binCount] = 1;

  const counts = new Float64Array(binCount);
  const confidenceSums = new Float64Array(binCount);
  const correctSums = new Float64Array(binCount);
  for (let i = 0; i < n; i++) {
    const c = confidence[i];
    const b = binOf(c, edges);
    counts[b]++;
    confidenceSums[b] += c;
    if (predicted[i] === yTrue[i]) correctSums[b]++;
  }

  const bins: ReliabilityBin[] = [];
  let ece = 0;
  let mce = 0;
  for (let b = 0; b < binCount; b++) {
    const count = counts[b];
    const meanConfidence = count === 0 ? null : confidenceSums[b] / count;
    const binAccuracy = count === 0 ? null : correctSums[b] / count;
    if (meanConfidence !== null && binAccuracy !== null) {
      const gap = Math.abs(binAccuracy - meanConfidence);
      ece += (count / n) * gap;
      if (gap > mce) mce = gap;
    }
    bins.push({ lower: edges[b], upper: edges[b + 1], count, meanConfidence, accuracy: binAccuracy });
  }
  return {
    bins,
    expectedCalibrationError: n === 0 ? null : ece,
    maximumCalibrationError: n === 0 ? null : mce,
  };
}

/** Index of the bin of `value`: how many inner edges (edges[1..B-1]) lie strictly below it. */
function binOf(value: number, edges: Float64Array): number {
  let lo = 1;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

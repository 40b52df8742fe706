import { checkSameLength } from './input.js';
import { sortDescending } from './sortOrder.js';
import type { ClassIds, ProbabilityMatrix, RealSeries } from './types.js';

/**
 * Cumulative false and true positives at each distinct score, from the highest score down: the
 * common core of ROC and precision–recall curves (scikit-learn's private `_binary_clf_curve`).
 * Entry `j` counts the samples with score ≥ `thresholds[j]`; tied scores share one entry, which
 * is what makes the curves exact under ties (one point per distinct threshold).
 */
export interface BinaryCurveCounts {
  readonly falsePositives: Float64Array;
  readonly truePositives: Float64Array;
  /** Distinct scores, strictly decreasing. */
  readonly thresholds: Float64Array;
  readonly positives: number;
  readonly negatives: number;
  /**
   * For each sample (original order), the index of its threshold: samples sharing a score share
   * an index, 0 is the highest score. Lets a bootstrap reuse this sort. Only filled on request
   * (`withGroups`): it costs a random-access write per sample.
   */
  readonly groupOfSample: Uint32Array | null;
}

/**
 * Counts for a binary problem: `isPositive[i] !== 0` marks the positive samples.
 * O(n) after an O(n) radix ordering (see {@link sortDescending}).
 */
export function binaryCurveCounts(
  scores: RealSeries,
  isPositive: Uint8Array,
  options: { readonly withGroups?: boolean } = {},
): BinaryCurveCounts {
  checkSameLength(scores, isPositive, 'binaryCurveCounts');
  const { order, sorted } = sortDescending(scores);
  const n = scores.length;
  let distinct = 0;
  for (let j = 0; j < n; j++) if (j === n - 1 || sorted[j] !== sorted[j + 1]) distinct++;
  const falsePositives = new Float64Array(distinct);
  const truePositives = new Float64Array(distinct);
  const thresholds = new Float64Array(distinct);
  const groupOfSample = options.withGroups === true ? new Uint32Array(n) : null;
  let tp = 0;
  let fp = 0;
  let at = 0;
  for (let j = 0; j < n; j++) {
    const i = order[j];
    if (groupOfSample !== null) groupOfSample[i] = at;
    if (isPositive[i] !== 0) tp++;
    else fp++;
    // Sorted values have -0 as +0, so both are one threshold, as with numpy's diff.
    if (j === n - 1 || sorted[j] !== sorted[j + 1]) {
      falsePositives[at] = fp;
      truePositives[at] = tp;
      thresholds[at] = sorted[j];
      at++;
    }
  }
  return { falsePositives, truePositives, thresholds, positives: tp, negatives: fp, groupOfSample };
}

/**
 * Column `k` of a row-major probability matrix: the scores of the one-vs-rest problem for `k`.
 * Keeps the input's element type, so float32 probabilities get the cheaper 32-bit sort.
 */
export function classScores(probs: ProbabilityMatrix, classCount: number, k: number): ProbabilityMatrix {
  const n = probs.length / classCount;
  const out = probs instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = probs[i * classCount + k];
  return out;
}

/** 1 where the true class is `k`, else 0: the one-vs-rest labels of class `k`. */
export function isClass(yTrue: ClassIds, k: number): Uint8Array {
  const out = new Uint8Array(yTrue.length);
  for (let i = 0; i < yTrue.length; i++) out[i] = yTrue[i] === k ? 1 : 0;
  return out;
}

/**
 * One-hot truth flattened row-major, aligned with a flattened probability matrix: the labels of
 * the "micro" average, which pools every (sample, class) pair into one binary problem
 * (scikit-learn's `y_true.ravel()` after `label_binarize`).
 */
export function oneHotFlat(yTrue: ClassIds, classCount: number): Uint8Array {
  const out = new Uint8Array(yTrue.length * classCount);
  for (let i = 0; i < yTrue.length; i++) out[i * classCount + yTrue[i]] = 1;
  return out;
}

/**
 * One-vs-rest threshold counts of every class, and of the pooled ("micro") problem unless
 * `micro` is false: the sorts that ROC and precision–recall curves share.
 */
export function oneVsRestCounts(
  yTrue: ClassIds,
  probs: ProbabilityMatrix,
  classCount: number,
  options: { readonly withGroups?: boolean; readonly micro?: boolean } = {},
): { perClass: BinaryCurveCounts[]; micro: BinaryCurveCounts | null } {
  const perClass: BinaryCurveCounts[] = [];
  for (let k = 0; k < classCount; k++) {
    perClass.push(binaryCurveCounts(classScores(probs, classCount, k), isClass(yTrue, k), { withGroups: options.withGroups ?? false }));
  }
  const micro = options.micro === false || yTrue.length === 0 ? null : binaryCurveCounts(probs, oneHotFlat(yTrue, classCount));
  return { perClass, micro };
}

/** Mean over the classes whose value is defined (non-null), and which classes those were. */
export function meanOverDefined(values: readonly (number | null)[]): { mean: number | null; definedClasses: number[] } {
  const definedClasses: number[] = [];
  let sum = 0;
  values.forEach((v, k) => {
    if (v === null) return;
    definedClasses.push(k);
    sum += v;
  });
  return { mean: definedClasses.length === 0 ? null : sum / definedClasses.length, definedClasses };
}

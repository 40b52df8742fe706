import { binaryCurveCounts, classScores, isClass, type BinaryCurveCounts } from './binaryCurve.js';
import { bootstrapIntervals, type BootstrapOptions, type CellLayer, type CellStatistics } from './bootstrap.js';
import { checkClassIds, checkClassificationInput, checkSameLength } from './input.js';
import type { ClassIds, ConfidenceInterval, ProbabilityMatrix } from './types.js';

/*
 * The statistics the report bootstraps, in the cell form `bootstrapIntervals` needs: each sample
 * is assigned to cells once, and a resample only changes the weighted cell totals.
 */

/** What the label statistics compare: the model's predictions and the baselines' rules. */
export interface LabelStatisticsInput {
  readonly yTrue: ClassIds;
  readonly yPred: ClassIds;
  readonly classCount: number;
  /** Class the majority baseline always predicts. */
  readonly majorityClass?: number;
  /** Constant probabilities of the class-prior baseline. */
  readonly priors?: Float64Array;
  /** Previous bar's class per sample (persistence baseline); out-of-range values are skipped. */
  readonly prevClass?: Int8Array | Int32Array;
}

/** The accuracies `labelStatistics` yields per resample (null where not requested or undefined). */
export type LabelStatisticName =
  | 'accuracy'
  | 'majorityAccuracy'
  | 'classPriorAccuracy'
  | 'persistenceAccuracy';

/**
 * Accuracy of the model and of the baselines under resample weights, from ONE layer of joint
 * cells (true class, model right?, previous-bar class usable?, persistence right?): every
 * accuracy is a ratio of cell totals.
 *  - accuracy: Σ w·[ŷ = y] / Σ w
 *  - majority: Σ w·[y = m] / Σ w
 *  - class prior: Σ w·q_y / Σ w = Σₖ qₖ · (resampled frequency of k)
 *  - persistence: Σ w·[prev = y] / Σ w over samples with a usable previous class
 */
export function labelStatistics(input: LabelStatisticsInput): CellStatistics<LabelStatisticName> {
  const { yTrue, yPred, classCount, majorityClass, priors, prevClass } = input;
  checkSameLength(yTrue, yPred, 'labelStatistics');
  checkClassIds(yTrue, classCount, 'yTrue');
  checkClassIds(yPred, classCount, 'yPred');
  if (prevClass !== undefined) checkSameLength(yTrue, prevClass, 'labelStatistics');
  const n = yTrue.length;
  const cellOfSample = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const y = yTrue[i];
    const right = yPred[i] === y ? 1 : 0;
    const previous = prevClass === undefined ? -1 : prevClass[i];
    const usable = previous >= 0 && previous < classCount ? 1 : 0;
    const persists = usable === 1 && previous === y ? 1 : 0;
    cellOfSample[i] = y * 8 + right * 4 + usable * 2 + persists;
  }
  return {
    layers: [{ cellOfSample, cellCount: classCount * 8 }],
    evaluate: ([cells]) => {
      let total = 0;
      let right = 0;
      let usable = 0;
      let persists = 0;
      let majority = 0;
      let prior = 0;
      for (let y = 0; y < classCount; y++) {
        let classTotal = 0;
        for (let rest = 0; rest < 8; rest++) {
          const w = cells[y * 8 + rest];
          classTotal += w;
          if (rest & 4) right += w;
          if (rest & 2) usable += w;
          if (rest & 1) persists += w;
        }
        total += classTotal;
        if (y === majorityClass) majority += classTotal;
        if (priors !== undefined) prior += priors[y] * classTotal;
      }
      const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);
      return {
        accuracy: ratio(right, total),
        majorityAccuracy: majorityClass === undefined ? null : ratio(majority, total),
        classPriorAccuracy: priors === undefined ? null : ratio(prior, total),
        persistenceAccuracy: prevClass === undefined ? null : ratio(persists, usable),
      };
    },
  };
}

/**
 * Most rank buckets a replicate AUC uses per class. Exact as long as a class has at most this
 * many distinct scores; beyond, see {@link classAucLayers}.
 */
export const MAX_AUC_BUCKETS = 4096;

/** Rank-bucket cells of one binary problem, prepared once for every resample. */
interface AucLayer extends CellLayer {
  /** Exact AUC minus bucketed AUC on the full data (0 when every bucket is one score). */
  readonly shift: number;
}

/**
 * Assigns each sample of a binary problem to a cell 2 · bucket + (1 if positive), buckets in
 * descending score order: one bucket per distinct score when there are at most
 * {@link MAX_AUC_BUCKETS}; otherwise consecutive scores merged into buckets of about equal size,
 * never splitting a tie.
 */
function aucLayer(counts: BinaryCurveCounts, isPositive: Uint8Array): AucLayer {
  const groupOfSample = counts.groupOfSample;
  if (groupOfSample === null) throw new Error('AUC resampling needs binaryCurveCounts(..., { withGroups: true })');
  const groups = counts.thresholds.length;
  const n = groupOfSample.length;
  const bucketOfGroup = new Uint32Array(groups);
  let buckets = groups;
  if (groups > MAX_AUC_BUCKETS) {
    const capacity = Math.ceil(n / (MAX_AUC_BUCKETS - 1));
    let bucket = 0;
    let filled = 0;
    let previousTotal = 0;
    for (let g = 0; g < groups; g++) {
      if (filled >= capacity) {
        bucket++;
        filled = 0;
      }
      bucketOfGroup[g] = bucket;
      const total = counts.truePositives[g] + counts.falsePositives[g];
      filled += total - previousTotal;
      previousTotal = total;
    }
    buckets = bucket + 1;
  } else {
    for (let g = 0; g < groups; g++) bucketOfGroup[g] = g;
  }
  const cellOfSample = new Uint32Array(n);
  const full = new Int32Array(2 * buckets);
  for (let i = 0; i < n; i++) {
    const cell = 2 * bucketOfGroup[groupOfSample[i]] + (isPositive[i] !== 0 ? 1 : 0);
    cellOfSample[i] = cell;
    full[cell]++;
  }
  const exact = exactAuc(counts);
  const bucketed = aucOfCells(full);
  const shift = exact === null || bucketed === null || buckets === groups ? 0 : exact - bucketed;
  return { cellOfSample, cellCount: 2 * buckets, shift };
}

/**
 * One-vs-rest AUCs of several classes as cell layers, from the threshold counts of the full data
 * (no sort per resample): per resample, each class's AUC is integrated over its weighted
 * (rank bucket, label) totals (Mann–Whitney, ties one half).
 *
 * Exact when a class has ≤ {@link MAX_AUC_BUCKETS} distinct scores (one bucket per score). With
 * more (float32 softmax outputs on thousands of samples), consecutive scores share a bucket and
 * positive–negative pairs inside one bucket count one half; the cap keeps the totals in L1/L2
 * cache, which is what makes a resample of a million samples cost milliseconds. Merging shifts
 * every replicate by nearly the same small amount (the AUC carried by pairs within a bucket,
 * ≲ 1/4096), so each replicate is corrected by the exact-minus-bucketed AUC of the full data:
 * the bias cancels, the estimate (all weights one) is the exact AUC, and only the within-bucket
 * part of the replicate's variability, of relative order 1/4096, is lost.
 */
export function classAucLayers(
  perClassCounts: readonly BinaryCurveCounts[],
  perClassPositive: readonly Uint8Array[],
): { layers: CellLayer[]; aucs: (totals: readonly Int32Array[]) => (number | null)[] } {
  const layers = perClassCounts.map((counts, k) => aucLayer(counts, perClassPositive[k]));
  return {
    layers,
    aucs: (totals) =>
      layers.map((layer, k) => {
        const auc = aucOfCells(totals[k]);
        return auc === null ? null : auc + layer.shift;
      }),
  };
}

/** One-vs-rest AUC of one class under resampling (see {@link classAucLayers}). */
export function aucStatistics(counts: BinaryCurveCounts, isPositive: Uint8Array): CellStatistics<'auc'> {
  const { layers, aucs } = classAucLayers([counts], [isPositive]);
  return { layers, evaluate: (totals) => ({ auc: aucs(totals)[0] }) };
}

/** AUC from weighted (negatives, positives) cell pairs in descending score order; null if undefined. */
function aucOfCells(cells: Int32Array): number | null {
  let area = 0;
  let positivesAbove = 0;
  let negatives = 0;
  for (let b = 0; b < cells.length; b += 2) {
    const bucketNegatives = cells[b];
    const bucketPositives = cells[b + 1];
    area += bucketNegatives * (positivesAbove + bucketPositives / 2);
    positivesAbove += bucketPositives;
    negatives += bucketNegatives;
  }
  if (positivesAbove === 0 || negatives === 0) return null;
  return area / (positivesAbove * negatives);
}

/** Exact AUC from threshold counts (Mann–Whitney with ties one half); null if undefined. */
function exactAuc(counts: BinaryCurveCounts): number | null {
  if (counts.positives === 0 || counts.negatives === 0) return null;
  let area = 0;
  let previousTp = 0;
  let previousFp = 0;
  for (let g = 0; g < counts.thresholds.length; g++) {
    const tp = counts.truePositives[g];
    const fp = counts.falsePositives[g];
    area += (fp - previousFp) * (previousTp + (tp - previousTp) / 2);
    previousTp = tp;
    previousFp = fp;
  }
  return area / (counts.positives * counts.negatives);
}

/**
 * Macro one-vs-rest AUC under resampling: the mean of the per-class AUCs defined on that resample
 * (the same "defined classes only" rule as `oneVsRestRoc`).
 * @param perClassCounts - threshold counts of each class computed `withGroups`, when already at
 *   hand (saves the sorts).
 */
export function macroAucStatistics(
  yTrue: ClassIds,
  probs: ProbabilityMatrix,
  classCount: number,
  perClassCounts?: readonly BinaryCurveCounts[],
): CellStatistics<'macroAuc'> {
  checkClassificationInput(yTrue, probs, classCount);
  const positives: Uint8Array[] = [];
  const counts: BinaryCurveCounts[] = [];
  for (let k = 0; k < classCount; k++) {
    const positive = isClass(yTrue, k);
    positives.push(positive);
    counts.push(
      perClassCounts?.[k] ?? binaryCurveCounts(classScores(probs, classCount, k), positive, { withGroups: true }),
    );
  }
  const { layers, aucs } = classAucLayers(counts, positives);
  return {
    layers,
    evaluate: (totals) => {
      let sum = 0;
      let defined = 0;
      for (const auc of aucs(totals)) {
        if (auc === null) continue;
        sum += auc;
        defined++;
      }
      return { macroAuc: defined === 0 ? null : sum / defined };
    },
  };
}

/** Percentile bootstrap interval of accuracy (see `bootstrapIntervals`); null without samples. */
export function bootstrapAccuracy(
  yTrue: ClassIds,
  yPred: ClassIds,
  classCount: number,
  options: BootstrapOptions,
): ConfidenceInterval | null {
  return bootstrapIntervals(yTrue.length, labelStatistics({ yTrue, yPred, classCount }), options).accuracy;
}

/**
 * Percentile bootstrap interval of the macro one-vs-rest AUC (see `bootstrapIntervals`); null
 * when no class has a defined AUC.
 */
export function bootstrapMacroAuc(
  yTrue: ClassIds,
  probs: ProbabilityMatrix,
  classCount: number,
  options: BootstrapOptions,
): ConfidenceInterval | null {
  return bootstrapIntervals(yTrue.length, macroAucStatistics(yTrue, probs, classCount), options).macroAuc;
}

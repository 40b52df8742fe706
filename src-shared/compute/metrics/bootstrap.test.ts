import { describe, expect, it } from 'vitest';
import { assertClose, generatedSet } from './__fixtures__/assertClose.js';
import { binaryCurveCounts, classScores, isClass } from './binaryCurve.js';
import {
  bootstrapIntervals,
  compareToBaseline,
  evaluateWeighted,
  poissonWeights,
  quantile,
  type CellStatistics,
} from './bootstrap.js';
import { argmaxClasses } from './confusion.js';
import { mulberry32 } from '../random.js';
import {
  aucStatistics,
  bootstrapAccuracy,
  bootstrapMacroAuc,
  labelStatistics,
  macroAucStatistics,
} from './resampledStatistics.js';
import { rocCurve } from './roc.js';
import type { ConfidenceInterval } from './types.js';

/** Exact AUC of the data set in which sample i appears weights[i] times. */
function expandedAuc(scores: Float64Array, positive: Uint8Array, weights: Uint8Array): number | null {
  const s: number[] = [];
  const p: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    for (let c = 0; c < weights[i]; c++) {
      s.push(scores[i]);
      p.push(positive[i]);
    }
  }
  return rocCurve(Float64Array.from(s), Uint8Array.from(p)).auc;
}

describe('Poisson(1) weights', () => {
  it('have the Poisson(1) distribution (mean 1, variance 1, P(0) = 1/e)', () => {
    const weights = poissonWeights(400_000, 11);
    let sum = 0;
    let squares = 0;
    let zeros = 0;
    let threes = 0;
    for (const w of weights) {
      sum += w;
      squares += w * w;
      if (w === 0) zeros++;
      if (w === 3) threes++;
    }
    const n = weights.length;
    const mean = sum / n;
    // Tolerances ≈ 5 standard errors at this sample size.
    expect(Math.abs(mean - 1)).toBeLessThan(0.008);
    expect(Math.abs(squares / n - mean * mean - 1)).toBeLessThan(0.015);
    expect(Math.abs(zeros / n - Math.exp(-1))).toBeLessThan(0.004);
    expect(Math.abs(threes / n - Math.exp(-1) / 6)).toBeLessThan(0.002);
  });

  it('share one weight within a block', () => {
    const weights = poissonWeights(103, 3, 10);
    for (let i = 0; i < weights.length; i++) expect(weights[i]).toBe(weights[i - (i % 10)]);
    expect(new Set(weights).size).toBeGreaterThan(1);
  });
});

describe('percentile intervals', () => {
  it('interpolates quantiles linearly, as numpy.percentile', () => {
    // numpy.percentile([1, 2, 3, 4], [2.5, 97.5]) = [1.075, 3.925]
    const sorted = Float64Array.from([1, 2, 3, 4]);
    assertClose(quantile(sorted, 0.025), 1.075, 1e-15);
    assertClose(quantile(sorted, 0.975), 3.925, 1e-15);
  });

  it('are reproducible from the seed and change with it', () => {
    const { yTrue, probs } = generatedSet(3000);
    const yPred = argmaxClasses(probs, 3);
    const a = bootstrapAccuracy(yTrue, yPred, 3, { seed: 1 });
    const b = bootstrapAccuracy(yTrue, yPred, 3, { seed: 1 });
    const c = bootstrapAccuracy(yTrue, yPred, 3, { seed: 2 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('have the width the normal approximation predicts for accuracy', () => {
    const { yTrue, probs } = generatedSet(12_000);
    const interval = bootstrapAccuracy(yTrue, argmaxClasses(probs, 3), 3, { seed: 5, resamples: 400 });
    expect(interval).not.toBeNull();
    const { estimate, lower, upper } = interval as ConfidenceInterval;
    const expectedHalfWidth = 1.96 * Math.sqrt((estimate * (1 - estimate)) / 12_000);
    expect((upper - lower) / 2 / expectedHalfWidth).toBeGreaterThan(0.8);
    expect((upper - lower) / 2 / expectedHalfWidth).toBeLessThan(1.2);
    expect(lower).toBeLessThan(estimate);
    expect(upper).toBeGreaterThan(estimate);
  });

  it('bootstrap the macro AUC around its exact value', () => {
    const { yTrue, probs } = generatedSet(6000);
    const interval = bootstrapMacroAuc(yTrue, probs, 3, { seed: 9, resamples: 100 });
    expect(interval?.estimate).toBeCloseTo(0.8744909097279064, 2);
    expect(interval?.lower).toBeLessThan(interval?.estimate ?? 0);
    expect(interval?.upper).toBeGreaterThan(interval?.estimate ?? 1);
    expect(interval?.resamples).toBe(100);
  });

  it('drop resamples where a statistic is undefined and give null when none is left', () => {
    const constant: CellStatistics<'never' | 'always'> = {
      layers: [{ cellOfSample: new Uint32Array(5), cellCount: 1 }],
      evaluate: () => ({ never: null, always: 1 }),
    };
    const intervals = bootstrapIntervals(5, constant, { seed: 1, resamples: 10 });
    expect(intervals.never).toBeNull();
    expect(intervals.always).toMatchObject({ estimate: 1, lower: 1, upper: 1, resamples: 10 });
  });
});

describe('resampled statistics', () => {
  it('replicate AUC exactly under weights when scores are few (one bucket per score)', () => {
    const { yTrue, probs } = generatedSet(2000);
    const scores = classScores(probs, 3, 1) as Float64Array;
    const positive = isClass(yTrue, 1);
    const statistics = aucStatistics(binaryCurveCounts(scores, positive, { withGroups: true }), positive);
    const weights = poissonWeights(2000, 4);
    assertClose(evaluateWeighted(statistics, weights).auc, expandedAuc(scores, positive, weights), 1e-12);
    assertClose(evaluateWeighted(statistics, new Uint8Array(2000).fill(1)).auc, rocCurve(scores, positive).auc, 1e-12);
  });

  it('stay within 1e-4 of the exact replicate when scores are merged into 4096 buckets', () => {
    const n = 30_000;
    const random = mulberry32(8);
    const scores = new Float64Array(n);
    const positive = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      positive[i] = random() < 0.4 ? 1 : 0;
      scores[i] = random() + 0.35 * positive[i];
    }
    const statistics = aucStatistics(binaryCurveCounts(scores, positive, { withGroups: true }), positive);
    // The estimate is exact thanks to the shift.
    assertClose(evaluateWeighted(statistics, new Uint8Array(n).fill(1)).auc, rocCurve(scores, positive).auc, 1e-12);
    const weights = poissonWeights(n, 6);
    assertClose(evaluateWeighted(statistics, weights).auc, expandedAuc(scores, positive, weights), 1e-4);
  });

  it('compute model and baseline accuracies from one weighted histogram', () => {
    const yTrue = Int32Array.from([0, 1, 2, 1, 0, 2]);
    const yPred = Int32Array.from([0, 1, 1, 1, 2, 2]);
    const prevClass = Int8Array.from([-1, 0, 1, 1, 1, 0]);
    const priors = Float64Array.from([0.5, 0.3, 0.2]);
    const statistics = labelStatistics({ yTrue, yPred, classCount: 3, majorityClass: 1, priors, prevClass });
    const weights = Uint8Array.from([2, 0, 1, 3, 1, 1]);
    const total = 8;
    const values = evaluateWeighted(statistics, weights);
    assertClose(values.accuracy, (2 + 3 + 1) / total, 1e-15);
    assertClose(values.majorityAccuracy, 3 / total, 1e-15);
    assertClose(values.classPriorAccuracy, (2 * 0.5 + 1 * 0.2 + 3 * 0.3 + 1 * 0.5 + 1 * 0.2) / total, 1e-15);
    // Usable: samples 1..5 with weights 0, 1, 3, 1, 1 → right: sample 3 (1 = 1) → 3 / 6.
    assertClose(values.persistenceAccuracy, 3 / 6, 1e-15);
  });

  it('average AUC over the classes defined in a resample', () => {
    const yTrue = Int32Array.from([0, 0, 1, 1]);
    const probs = Float64Array.from([0.8, 0.1, 0.1, 0.6, 0.3, 0.1, 0.3, 0.6, 0.1, 0.2, 0.7, 0.1]);
    const statistics = macroAucStatistics(yTrue, probs, 3);
    expect(evaluateWeighted(statistics, [1, 1, 1, 1]).macroAuc).toBe(1);
    expect(evaluateWeighted(statistics, [1, 1, 0, 0]).macroAuc).toBeNull();
  });
});

describe('compareToBaseline', () => {
  const ci = (lower: number, upper: number): ConfidenceInterval => ({
    estimate: (lower + upper) / 2,
    lower,
    upper,
    level: 0.95,
    resamples: 200,
  });

  it('says better only when the intervals do not overlap', () => {
    expect(compareToBaseline(ci(0.56, 0.6), ci(0.5, 0.55))).toBe('better');
    expect(compareToBaseline(ci(0.55, 0.6), ci(0.5, 0.55))).toBe('not better than baseline');
    expect(compareToBaseline(ci(0.52, 0.6), ci(0.5, 0.55))).toBe('not better than baseline');
    expect(compareToBaseline(ci(0.4, 0.45), ci(0.5, 0.55))).toBe('not better than baseline');
  });

  it('reverses for losses', () => {
    expect(compareToBaseline(ci(0.4, 0.45), ci(0.5, 0.55), false)).toBe('better');
    expect(compareToBaseline(ci(0.56, 0.6), ci(0.5, 0.55), false)).toBe('not better than baseline');
  });
});

import { checkSameLength } from './input.js';
import { averageRanks } from './ranks.js';
import type { RealSeries } from './types.js';

/*
 * Metrics of a regression head that predicts a real number per bar (typically the forward
 * return). Every function returns null, never NaN, where the value is undefined.
 */

function checkRegressionInput(actual: RealSeries, predicted: RealSeries): number {
  checkSameLength(actual, predicted, 'regression metrics');
  for (let i = 0; i < actual.length; i++) {
    if (!Number.isFinite(actual[i]) || !Number.isFinite(predicted[i])) {
      throw new RangeError(`regression value at index ${i} is not finite`);
    }
  }
  return actual.length;
}

/**
 * Mean absolute error (1/n) Σ |yᵢ − ŷᵢ|, as scikit-learn's `mean_absolute_error`.
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.mean_absolute_error.html
 */
export function meanAbsoluteError(actual: RealSeries, predicted: RealSeries): number | null {
  const n = checkRegressionInput(actual, predicted);
  if (n === 0) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(actual[i] - predicted[i]);
  return sum / n;
}

/**
 * Root mean squared error √((1/n) Σ (yᵢ − ŷᵢ)²), as scikit-learn's `root_mean_squared_error`.
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.root_mean_squared_error.html
 */
export function rootMeanSquaredError(actual: RealSeries, predicted: RealSeries): number | null {
  const n = checkRegressionInput(actual, predicted);
  if (n === 0) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = actual[i] - predicted[i];
    sum += d * d;
  }
  return Math.sqrt(sum / n);
}

/** Sign agreement between predicted and realized values. */
export interface DirectionalAccuracy {
  /** correct / counted; null when nothing is counted. */
  readonly value: number | null;
  /** Samples whose realized value is non-zero. */
  readonly counted: number;
  /** Counted samples whose prediction has the realized sign. */
  readonly correct: number;
  /** Samples left out because the realized value is exactly 0 (no direction to call). */
  readonly zeroActual: number;
}

/**
 * Fraction of bars where the prediction has the sign of the realized value. Zeros, documented
 * choice: a bar whose realized value is exactly 0 has no direction and is left out (counted in
 * `zeroActual`); a prediction of exactly 0 on a counted bar calls no direction and counts as a
 * miss, so a model cannot raise its score by abstaining.
 */
export function directionalAccuracy(actual: RealSeries, predicted: RealSeries): DirectionalAccuracy {
  const n = checkRegressionInput(actual, predicted);
  let counted = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const a = actual[i];
    if (a === 0) continue;
    counted++;
    const p = predicted[i];
    if ((a > 0 && p > 0) || (a < 0 && p < 0)) correct++;
  }
  return { value: counted === 0 ? null : correct / counted, counted, correct, zeroActual: n - counted };
}

/**
 * Information coefficient: Pearson's correlation between predictions and realized values
 * (scipy's `pearsonr`), computed from centred sums. Null with fewer than two samples or when
 * either series is constant (scipy returns NaN there).
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.pearsonr.html
 */
export function informationCoefficient(actual: RealSeries, predicted: RealSeries): number | null {
  const n = checkRegressionInput(actual, predicted);
  return pearson(actual, predicted, n);
}

/**
 * Rank information coefficient: Spearman's correlation, i.e. Pearson's correlation of the
 * average ranks (ties share their mean rank), as scipy's `spearmanr`. Null where
 * {@link informationCoefficient} of the ranks is.
 * @see https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.spearmanr.html
 */
export function rankInformationCoefficient(actual: RealSeries, predicted: RealSeries): number | null {
  const n = checkRegressionInput(actual, predicted);
  return pearson(averageRanks(actual), averageRanks(predicted), n);
}

function pearson(x: RealSeries, y: RealSeries, n: number): number | null {
  // Constancy is tested exactly: the rounding of a constant series' mean would otherwise leave
  // tiny non-zero deviations and a meaningless correlation.
  if (n < 2 || isConstant(x) || isConstant(y)) return null;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i];
    meanY += y[i];
  }
  meanX /= n;
  meanY /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - meanX;
    const dy = y[i] - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  const r = sxy / Math.sqrt(sxx * syy);
  // Rounding can push |r| a hair past 1; scipy clips the same way.
  return Math.max(-1, Math.min(1, r));
}

function isConstant(values: RealSeries): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
  return true;
}

/** All regression-head metrics at once. */
export interface RegressionMetrics {
  readonly samples: number;
  readonly meanAbsoluteError: number | null;
  readonly rootMeanSquaredError: number | null;
  readonly directionalAccuracy: DirectionalAccuracy;
  readonly informationCoefficient: number | null;
  readonly rankInformationCoefficient: number | null;
}

/** Computes every regression-head metric of this module. */
export function regressionMetrics(actual: RealSeries, predicted: RealSeries): RegressionMetrics {
  return {
    samples: actual.length,
    meanAbsoluteError: meanAbsoluteError(actual, predicted),
    rootMeanSquaredError: rootMeanSquaredError(actual, predicted),
    directionalAccuracy: directionalAccuracy(actual, predicted),
    informationCoefficient: informationCoefficient(actual, predicted),
    rankInformationCoefficient: rankInformationCoefficient(actual, predicted),
  };
}

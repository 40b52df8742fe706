/**
 * Multi-seed summaries: a run repeated with K seeds reports each metric as mean ± std with a
 * Student-t interval across seeds, and is judged against a baseline by the interval of the
 * difference, so "better" means better than the seeds' own spread can explain.
 *
 * Source for the intervals: the one- and two-sample t-intervals of any statistics text, e.g.
 * NIST/SEMATECH e-Handbook of Statistical Methods (2012), §7.2.2 (one sample) and §7.3.1 (two
 * samples, unequal variances: Welch 1947, "The generalization of 'Student's' problem", Biometrika 34,
 * with the Welch–Satterthwaite degrees of freedom). Seeds are assumed independent and the metric
 * roughly normal across them; with K = 3–10 the t quantile (12.7 at K = 2, 2.78 at K = 5) makes the
 * interval honest about how little a handful of seeds shows.
 */
import { studentTQuantile } from './distributions.js';

/** A metric across seeds. */
export interface SeedSummary {
  /** K, the number of seeds. */
  readonly k: number;
  readonly mean: number;
  /** Sample standard deviation (K − 1); null with one seed. */
  readonly std: number | null;
  /** std / √K; null with one seed. */
  readonly standardError: number | null;
  /** Two-sided confidence level of the interval, e.g. 0.95. */
  readonly confidence: number;
  /** mean ∓ t_{(1+c)/2, K−1}·std/√K; null with one seed. */
  readonly interval: { readonly low: number; readonly high: number } | null;
}

function checkConfidence(c: number): void {
  if (!(c > 0 && c < 1)) throw new RangeError(`confidence must be in (0, 1), got ${c}`);
}

function meanAndVariance(values: ArrayLike<number>): { n: number; mean: number; variance: number } {
  const n = values.length;
  if (n === 0) throw new RangeError('no seed values');
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`seed value ${i} is not finite (${values[i]})`);
    sum += values[i];
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return { n, mean, variance: n > 1 ? ss / (n - 1) : Number.NaN };
}

/**
 * Mean, sample std and the t-interval of a metric over K seeds (NIST e-Handbook §7.2.2).
 *
 * @throws RangeError on an empty or non-finite input (a failed seed must be reported, not averaged).
 */
export function summarizeSeeds(values: ArrayLike<number>, confidence = 0.95): SeedSummary {
  checkConfidence(confidence);
  const { n, mean, variance } = meanAndVariance(values);
  if (n < 2) return { k: n, mean, std: null, standardError: null, confidence, interval: null };
  const std = Math.sqrt(variance);
  const se = std / Math.sqrt(n);
  const half = studentTQuantile((1 + confidence) / 2, n - 1) * se;
  return { k: n, mean, std, standardError: se, confidence, interval: { low: mean - half, high: mean + half } };
}

/** How the difference's interval was formed. */
export type ComparisonMethod = 'against-constant' | 'paired' | 'welch';

export interface BaselineComparison {
  /** 'better' when the whole interval of the improvement is above 0, 'worse' when below, else 'inconclusive'. */
  readonly verdict: 'better' | 'worse' | 'inconclusive';
  readonly method: ComparisonMethod;
  /** Improvement = model − baseline when higher is better, baseline − model otherwise. */
  readonly improvement: number;
  /** Its t-interval; null when it cannot be formed (one seed). */
  readonly interval: { readonly low: number; readonly high: number } | null;
  /** Degrees of freedom of the t quantile used (Welch: Satterthwaite's, floored); null without interval. */
  readonly degreesOfFreedom: number | null;
  readonly confidence: number;
}

export interface CompareOptions {
  /** Default true (accuracy, F1, Sharpe); false for losses. */
  readonly higherIsBetter?: boolean;
  /** Default 0.95. */
  readonly confidence?: number;
  /**
   * Whether seed i of the model and seed i of the baseline share everything but the model (same
   * data split and seed): then per-seed differences cancel the shared noise. Default: true when both
   * are arrays of the same length.
   */
  readonly paired?: boolean;
}

/**
 * Judges a model against a baseline using the spread across seeds. The baseline is either a constant
 * (e.g. the majority-class accuracy of the test split, which has no seed) or per-seed values: paired
 * differences when the seeds correspond, Welch's unequal-variance interval otherwise. Satterthwaite's
 * degrees of freedom are fractional; they are floored, which widens the interval slightly
 * (conservative) and keeps the t quantile on integer ν.
 */
export function compareWithBaseline(model: ArrayLike<number>, baseline: number | ArrayLike<number>, options: CompareOptions = {}): BaselineComparison {
  const confidence = options.confidence ?? 0.95;
  checkConfidence(confidence);
  const sign = options.higherIsBetter === false ? -1 : 1;
  const verdictOf = (interval: { low: number; high: number } | null): BaselineComparison['verdict'] =>
    interval === null ? 'inconclusive' : interval.low > 0 ? 'better' : interval.high < 0 ? 'worse' : 'inconclusive';
  const oriented = (low: number, high: number): { low: number; high: number } => (sign > 0 ? { low, high } : { low: -high, high: -low });

  if (typeof baseline === 'number' || (options.paired ?? baseline.length === model.length)) {
    let diffs: Float64Array;
    let method: ComparisonMethod;
    if (typeof baseline === 'number') {
      if (!Number.isFinite(baseline)) throw new RangeError(`baseline is not finite (${baseline})`);
      diffs = Float64Array.from({ length: model.length }, (_, i) => model[i] - baseline);
      method = 'against-constant';
    } else {
      if (baseline.length !== model.length) throw new RangeError(`paired comparison needs as many baseline seeds (${baseline.length}) as model seeds (${model.length})`);
      diffs = Float64Array.from({ length: model.length }, (_, i) => model[i] - baseline[i]);
      method = 'paired';
    }
    const s = summarizeSeeds(diffs, confidence);
    const interval = s.interval ? oriented(s.interval.low, s.interval.high) : null;
    return { verdict: verdictOf(interval), method, improvement: sign * s.mean, interval, degreesOfFreedom: s.interval ? s.k - 1 : null, confidence };
  }

  const a = meanAndVariance(model);
  const b = meanAndVariance(baseline);
  const diff = a.mean - b.mean;
  if (a.n < 2 || b.n < 2) return { verdict: 'inconclusive', method: 'welch', improvement: sign * diff, interval: null, degreesOfFreedom: null, confidence };
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se = Math.sqrt(va + vb);
  // Welch–Satterthwaite; with no spread at all the difference is exact and any ν gives a zero-width interval.
  const nu = se > 0 ? Math.max(1, Math.floor((va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1)))) : a.n + b.n - 2;
  const half = studentTQuantile((1 + confidence) / 2, nu) * se;
  const interval = oriented(diff - half, diff + half);
  return { verdict: verdictOf(interval), method: 'welch', improvement: sign * diff, interval, degreesOfFreedom: nu, confidence };
}

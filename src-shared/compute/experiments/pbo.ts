/**
 * Probability of backtest overfitting (PBO) by combinatorially symmetric cross-validation (CSCV):
 * Bailey, Borwein, López de Prado & Zhu (2015), "The Probability of Backtest Overfitting", Journal
 * of Computational Finance 20(4), §2 (the procedure) and §3 (the statistics).
 *
 * Input: M, a T×N matrix of per-period performance (T periods as rows, N trials of a sweep as
 * columns; e.g. each trial's per-bar strategy returns over the validation period).
 * 1. Split the rows into S contiguous blocks (S even). Where S does not divide T, block s holds rows
 *    ⌊sT/S⌋ … ⌊(s+1)T/S⌋ − 1, so sizes differ by at most one row (the paper assumes equal sizes; one
 *    row of difference changes nothing it relies on).
 * 2. For each of the C(S, S/2) ways to pick S/2 blocks as the in-sample set J (the other half J̄ is
 *    out-of-sample; J and J̄ swap roles in another combination, hence "symmetric"):
 *    - compute each trial's performance statistic on J and on J̄ (Sharpe ratio of the rows, as in the
 *      paper, or their mean);
 *    - n* = the trial best in-sample; ω̄ = its rank out-of-sample divided by N + 1 (ranks 1 … N, N the
 *      best; ties share their average rank); λ = ln(ω̄ / (1 − ω̄)).
 * 3. PBO = the share of combinations with λ ≤ 0: how often the in-sample winner is at or below the
 *    median out-of-sample. Near 0: selection picks trials that stay good; near 0.5: the choice is no
 *    better than picking at random (the trials are exchangeable noise); above 0.5: selection picks
 *    what fails out-of-sample.
 *
 * Cost: per-block sums are computed once (O(T·N)); each combination then adds S/2 block sums per
 * trial (O(S·N)), so S = 16 (12 870 combinations) with N = 50 is about ten million additions,
 * independent of T. Sums are taken of values centred on each trial's overall mean, so that
 * variance = (Σc² − (Σc)²/n)/(n − 1) does not cancel catastrophically on small per-bar returns.
 */

/** The statistic ranking trials on a set of rows. */
export type PboMetric = 'sharpe' | 'mean';

export interface PboOptions {
  /** S, the number of blocks: even, 2 … 20. Default 16 (the paper's example). */
  readonly partitions?: number;
  /** Default 'sharpe' (mean / sample std of the rows, not annualised: ranks do not care). */
  readonly metric?: PboMetric;
}

export interface PboResult {
  /** Share of combinations with λ ≤ 0. */
  readonly pbo: number;
  /** λ per combination, in enumeration order (the paper's histogram of logits). */
  readonly logits: Float64Array;
  /** Number of combinations, C(S, S/2). */
  readonly combinations: number;
  /** The in-sample winner's statistic in-sample, per combination. */
  readonly inSample: Float64Array;
  /** The same trial's statistic out-of-sample, per combination. */
  readonly outOfSample: Float64Array;
  /** Share of combinations whose in-sample winner has an out-of-sample statistic below 0 (§3, "probability of loss"). */
  readonly probabilityOfLoss: number;
  /**
   * Least-squares slope of `outOfSample` on `inSample` (§3, "performance degradation"): negative
   * when a better in-sample score foretells a worse out-of-sample one. NaN when `inSample` is constant.
   */
  readonly degradationSlope: number;
}

/** C(n, k), exact for the sizes used here. */
export function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

function statistic(metric: PboMetric, mean: number, sumC: number, sumSqC: number, n: number): number {
  const m = mean + sumC / n;
  if (metric === 'mean') return m;
  const variance = (sumSqC - (sumC * sumC) / n) / (n - 1);
  // A constant series: its Sharpe ratio is ±∞ by the sign of its mean (it dominates, or loses to, every risky one).
  if (!(variance > 1e-300)) return m > 0 ? Number.POSITIVE_INFINITY : m < 0 ? Number.NEGATIVE_INFINITY : 0;
  return m / Math.sqrt(variance);
}

/**
 * PBO by CSCV (see the module header).
 *
 * @param performance - T×N, row-major: `performance[t * trials + n]` is trial n's value in period t.
 *   Must be finite.
 * @param trials - N ≥ 2.
 */
export function probabilityOfBacktestOverfitting(performance: Float64Array, trials: number, options: PboOptions = {}): PboResult {
  const S = options.partitions ?? 16;
  const metric = options.metric ?? 'sharpe';
  const N = trials;
  if (!Number.isInteger(N) || N < 2) throw new RangeError(`PBO needs at least 2 trials, got ${N}`);
  if (performance.length % N !== 0) throw new RangeError(`the matrix has ${performance.length} values, not a multiple of ${N} trials`);
  const T = performance.length / N;
  if (!Number.isInteger(S) || S < 2 || S > 20 || S % 2 !== 0) throw new RangeError(`partitions must be an even integer in 2 … 20, got ${S}`);
  // Each half must hold at least 2 rows per trial for a sample standard deviation.
  if (T < S || (metric === 'sharpe' && T < 2 * S)) throw new RangeError(`${T} periods are too few for ${S} partitions`);
  for (let i = 0; i < performance.length; i++) {
    if (!Number.isFinite(performance[i])) throw new RangeError(`performance[${i}] is not finite`);
  }

  const mean = new Float64Array(N);
  for (let t = 0; t < T; t++) for (let n = 0; n < N; n++) mean[n] += performance[t * N + n];
  for (let n = 0; n < N; n++) mean[n] /= T;

  // Per block s and trial n: count, Σc, Σc² of the centred values (block-major: [s * N + n]).
  const blockRows = new Float64Array(S);
  const blockSum = new Float64Array(S * N);
  const blockSq = new Float64Array(S * N);
  const totalSum = new Float64Array(N);
  const totalSq = new Float64Array(N);
  for (let s = 0; s < S; s++) {
    const from = Math.floor((s * T) / S);
    const to = Math.floor(((s + 1) * T) / S);
    blockRows[s] = to - from;
    for (let t = from; t < to; t++) {
      for (let n = 0; n < N; n++) {
        const c = performance[t * N + n] - mean[n];
        blockSum[s * N + n] += c;
        blockSq[s * N + n] += c * c;
      }
    }
    for (let n = 0; n < N; n++) {
      totalSum[n] += blockSum[s * N + n];
      totalSq[n] += blockSq[s * N + n];
    }
  }

  const half = S / 2;
  const C = binomial(S, half);
  const logits = new Float64Array(C);
  const inSample = new Float64Array(C);
  const outOfSample = new Float64Array(C);
  const isSum = new Float64Array(N);
  const isSq = new Float64Array(N);
  const oos = new Float64Array(N);
  let overfit = 0;
  let losses = 0;
  // Gosper's hack enumerates every S-bit mask with exactly S/2 bits set, in increasing order.
  let mask = (1 << half) - 1;
  const end = 1 << S;
  for (let c = 0; c < C && mask < end; c++) {
    isSum.fill(0);
    isSq.fill(0);
    let isRows = 0;
    for (let s = 0; s < S; s++) {
      if ((mask & (1 << s)) === 0) continue;
      isRows += blockRows[s];
      const base = s * N;
      for (let n = 0; n < N; n++) {
        isSum[n] += blockSum[base + n];
        isSq[n] += blockSq[base + n];
      }
    }
    const oosRows = T - isRows;
    let best = 0;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (let n = 0; n < N; n++) {
      const v = statistic(metric, mean[n], isSum[n], isSq[n], isRows);
      // Strict '>' keeps the first of tied trials: a fixed, documented tie-break.
      if (v > bestValue || n === 0) {
        bestValue = v;
        best = n;
      }
      oos[n] = statistic(metric, mean[n], totalSum[n] - isSum[n], totalSq[n] - isSq[n], oosRows);
    }
    const target = oos[best];
    let below = 0;
    let equal = 0;
    for (let n = 0; n < N; n++) {
      if (oos[n] < target) below++;
      else if (oos[n] === target) equal++;
    }
    // Average rank among ties, 1 = worst … N = best (the winner itself is one of the `equal`).
    const rank = below + (equal + 1) / 2;
    const omega = rank / (N + 1);
    const lambda = Math.log(omega / (1 - omega));
    logits[c] = lambda;
    inSample[c] = bestValue;
    outOfSample[c] = target;
    if (lambda <= 0) overfit++;
    if (target < 0) losses++;
    const lowest = mask & -mask;
    const ripple = mask + lowest;
    mask = ((((ripple ^ mask) >>> 2) / lowest) | 0) | ripple;
  }
  return {
    pbo: overfit / C,
    logits,
    combinations: C,
    inSample,
    outOfSample,
    probabilityOfLoss: losses / C,
    degradationSlope: slope(inSample, outOfSample),
  };
}

/** OLS slope of y on x over the finite pairs; NaN without spread in x. */
function slope(x: Float64Array, y: Float64Array): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) continue;
    n++;
    sx += x[i];
    sy += y[i];
  }
  if (n < 2) return Number.NaN;
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) continue;
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  return sxx > 0 ? sxy / sxx : Number.NaN;
}

/**
 * Small descriptive statistics shared by the analytics modules. Every function takes typed arrays
 * and returns plain numbers; NaN means "not defined for this input" and callers turn it into a
 * null metric with a reason.
 */

/** A numeric series as the analytics functions accept it. */
export type Series = Float64Array | Float32Array;

/** Arithmetic mean; NaN for an empty series. */
export function mean(x: Series): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return x.length > 0 ? s / x.length : Number.NaN;
}

/** Sample standard deviation (divisor n − 1, numpy `ddof=1`); NaN below two values. */
export function sampleStd(x: Series): number {
  const n = x.length;
  if (n < 2) return Number.NaN;
  const m = mean(x);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - m) * (x[i] - m);
  return Math.sqrt(ss / (n - 1));
}

/**
 * Quantile of ascending-sorted values by linear interpolation between order statistics
 * (Hyndman & Fan 1996 type 7, numpy's default `method='linear'`): h = (n − 1)·p,
 * Q = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎).
 */
export function sortedQuantile(sorted: Series, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Type-7 quantile of unsorted values (copies and sorts). */
export function quantile(x: Series, p: number): number {
  return sortedQuantile(Float64Array.from(x).sort(), p);
}

/** Simple returns E_j / E_{j−1} − 1 of an equity path (length n + 1 → n); 0 after a wipe-out. */
export function simpleReturns(equity: Series): Float64Array {
  const r = new Float64Array(Math.max(equity.length - 1, 0));
  for (let j = 1; j < equity.length; j++) r[j - 1] = equity[j - 1] > 0 ? equity[j] / equity[j - 1] - 1 : 0;
  return r;
}

/** Maximum drawdown and the longest stretch under water of one equity path. */
export interface DrawdownSummary {
  /** max_t (1 − E_t / max_{s≤t} E_s), a positive fraction. */
  maxDrawdown: number;
  /** Longest run of steps from a peak until equity is back at or above it (or the path ends). */
  longestDuration: number;
}

/**
 * Drawdown of an equity path, with the same conventions as the backtest metrics
 * (`backtest/metrics.ts`): a stretch runs from its peak to the step that regains it, an unrecovered
 * one to the end of the path.
 */
export function drawdownSummary(equity: Series): DrawdownSummary {
  const n = equity.length - 1;
  if (n < 1) return { maxDrawdown: 0, longestDuration: 0 };
  let peak = equity[0];
  let peakAt = 0;
  let maxDd = 0;
  let longest = 0;
  for (let j = 1; j <= n; j++) {
    const e = equity[j];
    if (e >= peak) {
      if (j - peakAt > 1 && j - peakAt > longest) longest = j - peakAt;
      peak = e;
      peakAt = j;
    } else {
      const d = peak > 0 ? 1 - e / peak : 0;
      if (d > maxDd) maxDd = d;
    }
  }
  if (n - peakAt > longest) longest = n - peakAt;
  return { maxDrawdown: maxDd, longestDuration: longest };
}

/**
 * Standard normal draws from a uniform generator by the Box–Muller transform (Box & Muller 1958),
 * using both the cosine and the sine of each pair so that a long run costs one logarithm, one
 * square root and one sine/cosine per two draws.
 */
export function normalSampler(rng: () => number): () => number {
  let spare = 0;
  let hasSpare = false;
  return () => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    // 1 − u keeps the logarithm's argument in (0, 1].
    const radius = Math.sqrt(-2 * Math.log(1 - rng()));
    const angle = 2 * Math.PI * rng();
    spare = radius * Math.sin(angle);
    hasSpare = true;
    return radius * Math.cos(angle);
  };
}

/** Pearson correlation of the pairs where both values are finite; NaN below 2 pairs or with zero variance. */
export function pearson(x: Series, y: Series): number {
  const n = Math.min(x.length, y.length);
  let count = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      count++;
      mx += x[i];
      my += y[i];
    }
  }
  if (count < 2) return Number.NaN;
  mx /= count;
  my /= count;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      const dx = x[i] - mx;
      const dy = y[i] - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  // Clamp: rounding can push |r| a hair above 1 for perfectly collinear data.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

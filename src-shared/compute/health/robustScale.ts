/**
 * Robust location and scale for spike detection: the median and the MAD (median absolute
 * deviation), which a handful of bad ticks cannot move, unlike a mean and standard deviation.
 */

/** 1 / Φ⁻¹(3/4): makes the MAD a consistent estimator of σ for normal data (Rousseeuw & Croux 1993). */
const MAD_TO_SIGMA = 1.4826;
/** √(π/2): makes the mean absolute deviation a consistent estimator of σ for normal data. */
const MEAN_ABS_TO_SIGMA = 1.2533;

/**
 * k-th smallest of `a[0..n)` by Hoare's quickselect (Hoare 1961), in place and in expected O(n);
 * `a` is reordered. Median-of-three pivots keep sorted input from going quadratic.
 */
function select(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Order a[lo], a[mid], a[hi] and take the middle one as pivot.
    if (a[mid]! < a[lo]!) swap(a, mid, lo);
    if (a[hi]! < a[lo]!) swap(a, hi, lo);
    if (a[hi]! < a[mid]!) swap(a, hi, mid);
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/**
 * k-th smallest of `a[lo..hi]` by Floyd and Rivest's SELECT (CACM 1975, algorithm 489), in place:
 * on long inputs it first selects within a small sample around the expected rank, so the final
 * partition touches each value about 1.5 times instead of quickselect's 3–4. Same value as
 * `select`; the order it leaves `a` in differs.
 */
function floydRivest(a: Float64Array, k: number, lo: number, hi: number): number {
  let left = lo;
  let right = hi;
  while (right > left) {
    if (right - left > 600) {
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      floydRivest(a, k, Math.max(left, Math.floor(k - (m * s) / n + sd)), Math.min(right, Math.floor(k + ((n - m) * s) / n + sd)));
    }
    const t = a[k]!;
    let i = left;
    let j = right;
    swap(a, left, k);
    if (a[right]! > t) swap(a, left, right);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while (a[i]! < t) i++;
      while (a[j]! > t) j--;
    }
    if (a[left] === t) swap(a, left, j);
    else {
      j++;
      swap(a, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
  return a[k]!;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/** Median of the first `n` values of `scratch` (reordered); NaN when n = 0. */
export function medianInPlace(scratch: Float64Array, n: number = scratch.length): number {
  if (n === 0) return NaN;
  const upper = select(scratch, n, n >>> 1);
  if (n % 2 === 1) return upper;
  // The lower middle is the largest value left of the upper one after selection.
  let lower = -Infinity;
  for (let i = 0; i < n >>> 1; i++) if (scratch[i]! > lower) lower = scratch[i]!;
  return (lower + upper) / 2;
}

/** Median of the first `n` values of `a` (reordered; no NaN) by `floydRivest`: the value `medianInPlace` gives. */
function fastMedianInPlace(a: Float64Array, n: number): number {
  const upper = floydRivest(a, n >>> 1, 0, n - 1);
  if (n % 2 === 1) return upper;
  let lower = -Infinity;
  for (let i = 0; i < n >>> 1; i++) if (a[i]! > lower) lower = a[i]!;
  return (lower + upper) / 2;
}

/**
 * `robustSigmaInPlace(values, n)` for long inputs (`work`: scratch at least n long; `values` may
 * be reordered, as there). When the MAD is 0 the mean-absolute fallback is computed by
 * `robustSigmaInPlace` itself, because its sum runs in the order quickselect leaves the values in,
 * and a different order could move the last bit of σ and so, at a threshold, a flag.
 */
export function fastRobustSigma(values: Float64Array, n: number, work: Float64Array): number {
  if (n < 1024) return robustSigmaInPlace(values, n);
  work.set(values.subarray(0, n));
  const med = fastMedianInPlace(work, n);
  for (let i = 0; i < n; i++) work[i] = Math.abs(work[i]! - med);
  const mad = fastMedianInPlace(work, n);
  return mad > 0 ? MAD_TO_SIGMA * mad : robustSigmaInPlace(values, n);
}

/**
 * Robust σ of the first `n` values of `scratch` (reordered): 1.4826 · MAD, or, when more than
 * half of the values are equal (MAD = 0, e.g. many flat bars), 1.2533 · mean absolute deviation
 * from the median. 0 only when all values are equal; NaN when n = 0.
 */
export function robustSigmaInPlace(scratch: Float64Array, n: number = scratch.length): number {
  if (n === 0) return NaN;
  const med = medianInPlace(scratch, n);
  let meanAbs = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(scratch[i]! - med);
    scratch[i] = d;
    meanAbs += d;
  }
  const mad = medianInPlace(scratch, n);
  return mad > 0 ? MAD_TO_SIGMA * mad : (MEAN_ABS_TO_SIGMA * meanAbs) / n;
}

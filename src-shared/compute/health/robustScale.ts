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

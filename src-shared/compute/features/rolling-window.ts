/**
 * Trailing-window statistics shared by the indicators. Every window ends at (and includes) bar t,
 * so nothing here can look ahead.
 *
 * Missing data: a non-finite input (NaN, ±Infinity) makes every window that contains it NaN; the
 * statistic restarts once `window` consecutive finite values are available again.
 *
 * Running sums are updated incrementally and recomputed exactly every `window` bars, so rounding
 * drift never accumulates beyond one window even over millions of bars.
 */

/** Throws unless `window` is an integer ≥ `min`; a fractional window is always a caller bug. */
export function assertWindow(window: number, min = 1, what = 'window'): void {
  if (!Number.isInteger(window) || window < min) throw new RangeError(`${what} must be an integer ≥ ${min}, got ${window}`);
}

const isFiniteNumber = (v: number): boolean => v - v === 0;

/** Rolling sum over the last `window` values (t−window+1 … t); NaN during warm-up. */
export function rollingSum(x: ArrayLike<number>, window: number): Float64Array {
  assertWindow(window);
  const n = x.length;
  const out = new Float64Array(n).fill(NaN);
  let run = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (!isFiniteNumber(v)) {
      run = 0;
      continue;
    }
    run++;
    if (run < window) continue;
    if (run % window === 0) {
      sum = 0;
      for (let j = i - window + 1; j <= i; j++) sum += x[j];
    } else {
      sum += v - x[i - window];
    }
    out[i] = sum;
  }
  return out;
}

/** Simple moving average over the last `window` values (t−window+1 … t); NaN during warm-up. */
export function rollingMean(x: ArrayLike<number>, window: number): Float64Array {
  const out = rollingSum(x, window);
  for (let i = 0; i < out.length; i++) out[i] /= window;
  return out;
}

/**
 * Rolling standard deviation over the last `window` values with `ddof` delta degrees of freedom
 * (1 = sample std, pandas' default; 0 = population std, Bollinger's convention).
 * Uses the sliding Welford update (replace the oldest value by the newest), which avoids the
 * cancellation of Σx² − (Σx)²/n on price-level inputs, and returns exactly 0 on constant input.
 */
export function rollingStd(x: ArrayLike<number>, window: number, ddof: 0 | 1 = 1): Float64Array {
  assertWindow(window, ddof + 1);
  const n = x.length;
  const out = new Float64Array(n).fill(NaN);
  const denom = window - ddof;
  let run = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (!isFiniteNumber(v)) {
      run = 0;
      continue;
    }
    run++;
    if (run < window) continue;
    if (run % window === 0) {
      let s = 0;
      for (let j = i - window + 1; j <= i; j++) s += x[j];
      mean = s / window;
      m2 = 0;
      for (let j = i - window + 1; j <= i; j++) {
        const d = x[j] - mean;
        m2 += d * d;
      }
    } else {
      const old = x[i - window];
      const newMean = mean + (v - old) / window;
      m2 += (v - old) * (v - newMean + old - mean);
      mean = newMean;
    }
    out[i] = Math.sqrt(m2 > 0 ? m2 / denom : 0);
  }
  return out;
}

function rollingExtreme(x: ArrayLike<number>, window: number, wantMax: boolean): Float64Array {
  assertWindow(window);
  const n = x.length;
  const out = new Float64Array(n).fill(NaN);
  // Monotonic deque of indices (O(n) overall); indices only grow, so n slots never overflow.
  const deque = new Int32Array(n);
  let head = 0;
  let tail = 0;
  let run = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (!isFiniteNumber(v)) {
      run = 0;
      head = tail;
      continue;
    }
    run++;
    while (tail > head && (wantMax ? x[deque[tail - 1]] <= v : x[deque[tail - 1]] >= v)) tail--;
    deque[tail++] = i;
    if (deque[head] <= i - window) head++;
    if (run >= window) out[i] = x[deque[head]];
  }
  return out;
}

/** Highest value over the last `window` values (t−window+1 … t); NaN during warm-up. */
export function rollingMax(x: ArrayLike<number>, window: number): Float64Array {
  return rollingExtreme(x, window, true);
}

/** Lowest value over the last `window` values (t−window+1 … t); NaN during warm-up. */
export function rollingMin(x: ArrayLike<number>, window: number): Float64Array {
  return rollingExtreme(x, window, false);
}

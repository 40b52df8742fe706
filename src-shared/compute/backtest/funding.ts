import type { DurationMs, Fraction } from '../../domain/units.js';

/** Perpetual-swap funding interval: every 8 h at 00:00, 08:00 and 16:00 UTC (Binance, Bybit, OKX). */
export const FUNDING_INTERVAL_MS = 8 * 3_600_000;

/**
 * The funding rate each bar carries when a fixed rate is charged at every 00/08/16 UTC: the rate
 * times the number of funding times in [ts[i], ts[i+1]) — the time the bar's position is held.
 * The last bar's interval ends at ts[n−1] + `lastBarSpacing`. Because the epoch is 00:00 UTC, the
 * funding times are the multiples of 8 h, so the count is ceil(b / 8h) − ceil(a / 8h).
 * A gap in the data charges the funding of the whole gap to the bar before it: the position was held.
 */
export function fixedFundingPerBar(ts: Float64Array, ratePer8h: Fraction, lastBarSpacing: DurationMs): Float64Array {
  const n = ts.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = ts[i];
    const b = i + 1 < n ? ts[i + 1] : a + lastBarSpacing;
    const events = Math.ceil(b / FUNDING_INTERVAL_MS) - Math.ceil(a / FUNDING_INTERVAL_MS);
    out[i] = events * ratePer8h;
  }
  return out;
}

/**
 * Sums funding events (time, per-8h rate) into bars: bar i receives the events with
 * ts[i] <= eventTs < ts[i+1] (the last bar takes everything from ts[n−1] onwards; events before
 * the first bar are dropped). Both arrays sorted ascending. NaN rates count as 0.
 */
export function fundingEventsToBars(barTs: Float64Array, eventTs: Float64Array, eventRate: Float64Array): Float64Array {
  const n = barTs.length;
  const out = new Float64Array(n);
  let bar = -1;
  for (let e = 0; e < eventTs.length; e++) {
    const t = eventTs[e];
    while (bar + 1 < n && barTs[bar + 1] <= t) bar++;
    const r = eventRate[e];
    if (bar >= 0 && r === r) out[bar] += r;
  }
  return out;
}

/** Funding as a sparse list: the bars that carry a non-zero rate, ascending, and their rates. */
export interface SparseFunding {
  bars: Int32Array;
  rates: Float64Array;
}

/**
 * Keeps the bars with a non-zero (and non-NaN) rate. The bar loop walks this list with a pointer
 * instead of reading a mostly-zero column on every bar (hourly bars carry funding one bar in eight).
 */
export function sparseFunding(perBar: Float64Array): SparseFunding {
  let m = 0;
  for (let i = 0; i < perBar.length; i++) if (perBar[i] !== 0 && perBar[i] === perBar[i]) m++;
  const bars = new Int32Array(m);
  const rates = new Float64Array(m);
  for (let i = 0, k = 0; i < perBar.length; i++) {
    const r = perBar[i];
    if (r !== 0 && r === r) {
      bars[k] = i;
      rates[k++] = r;
    }
  }
  return { bars, rates };
}

/** Index of the first element of a sorted Int32Array that is >= `from` (its length if none). */
export function firstIndexAtOrAfter(sorted: Int32Array, from: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

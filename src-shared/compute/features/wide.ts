/**
 * Features of the wide catalog beyond the classic indicators: calendar and trading-session flags,
 * multi-timeframe roll-ups aligned without look-ahead, and market regimes as features. Every value
 * at bar t uses bars 0…t only (the bar's own close included, as every catalog feature does), and
 * every one is scale-free (invariant to multiplying prices, or volume, by a constant).
 *
 * Golden values: scripts/golden/features_wide.py recomputes each with pandas.
 */
import type { CyclicEncoding } from './calendar.js';
import { logReturns } from './returns.js';
import { relativeStrengthIndex } from './rsi.js';
import { realizedVolatility } from './volatility.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

// ---------------------------------------------------------------- calendar and sessions

/** UTC calendar fields of a bar's open time. */
function utcFields(ts: number): { month: number; day: number; daysInMonth: number; weekday: number; hour: number } {
  const d = new Date(ts);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return { month: m, day: d.getUTCDate(), daysInMonth: new Date(Date.UTC(y, m + 1, 0)).getUTCDate(), weekday: (d.getUTCDay() + 6) % 7, hour: d.getUTCHours() };
}

/** Month of year (UTC) on the unit circle: angle = 2π·m/12, m = 0 for January … 11 for December. */
export function monthOfYearCyclic(ts: ArrayLike<number>): CyclicEncoding {
  const sin = new Float64Array(ts.length);
  const cos = new Float64Array(ts.length);
  for (let t = 0; t < ts.length; t++) {
    const a = (2 * Math.PI * utcFields(ts[t]).month) / 12;
    sin[t] = Math.sin(a);
    cos[t] = Math.cos(a);
  }
  return { sin, cos };
}

/** Day of month (UTC) on the unit circle: angle = 2π·(d − 1)/D, D the month's length, so the 1st follows the last day. */
export function dayOfMonthCyclic(ts: ArrayLike<number>): CyclicEncoding {
  const sin = new Float64Array(ts.length);
  const cos = new Float64Array(ts.length);
  for (let t = 0; t < ts.length; t++) {
    const f = utcFields(ts[t]);
    const a = (2 * Math.PI * (f.day - 1)) / f.daysInMonth;
    sin[t] = Math.sin(a);
    cos[t] = Math.cos(a);
  }
  return { sin, cos };
}

/**
 * Trading sessions by the UTC hour of the bar's open (whole hours, no daylight saving, the usual
 * approximation for 24-hour markets): Asia [00, 08), Europe [07, 16), US [13, 22). Sessions overlap,
 * so a bar can be in two. Each is 1 inside, 0 outside.
 */
export const SESSIONS = { asia: [0, 8], europe: [7, 16], us: [13, 22] } as const satisfies Record<string, readonly [number, number]>;

export function sessionFlag(ts: ArrayLike<number>, session: keyof typeof SESSIONS): Float64Array {
  const [from, to] = SESSIONS[session];
  const out = new Float64Array(ts.length);
  for (let t = 0; t < ts.length; t++) {
    const h = Math.floor((((ts[t] % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000);
    out[t] = h >= from && h < to ? 1 : 0;
  }
  return out;
}

/** 1 when the bar opens on a Saturday or Sunday (UTC), else 0. */
export function weekendFlag(ts: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: ts.length }, (_, t) => (utcFields(ts[t]).weekday >= 5 ? 1 : 0));
}

// ---------------------------------------------------------------- multi-timeframe roll-ups

/** Completed coarse bars as of each base bar. */
export interface CoarseBars {
  /** Close of each completed coarse bar, in completion order. */
  close: Float64Array;
  /** completed[t]: how many coarse bars are complete at the close of base bar t. */
  completed: Int32Array;
}

/**
 * Rolls base bars up into coarse bars of `minutes` minutes aligned on the UTC epoch (a 4-hour bar
 * holds the base bars opening in [00:00, 04:00), …), known without look-ahead: a coarse bar is
 * complete at the close of base bar t when t is in it and t's close (open + the bar length, the
 * smallest spacing seen so far) reaches the coarse bar's end, or when t is the first base bar of a
 * later coarse bar (a gap hid the end). Its close is the close of its last base bar.
 */
export function coarseBars(ts: ArrayLike<number>, close: ArrayLike<number>, minutes: number): CoarseBars {
  if (!Number.isInteger(minutes) || minutes < 1) throw new RangeError(`a roll-up needs a whole number of minutes, got ${minutes}`);
  const period = minutes * MINUTE_MS;
  const n = ts.length;
  const closes: number[] = [];
  const completed = new Int32Array(n);
  // Bar length: the smallest spacing seen so far (unknown at the first bar, which so completes nothing by its end).
  let barMs = Infinity;
  let bucket = Number.NaN;
  let bucketClose = Number.NaN;
  let done = false;
  for (let t = 0; t < n; t++) {
    if (t > 0) barMs = Math.min(barMs, ts[t] - ts[t - 1]);
    const b = Math.floor(ts[t] / period);
    if (b !== bucket) {
      // A new coarse bar began: the previous one ended with its last base bar, if its end had not already completed it.
      if (!Number.isNaN(bucket) && !done) closes.push(bucketClose);
      bucket = b;
      done = false;
    }
    // A base bar after its coarse bar was complete (irregular spacing) changes nothing already reported.
    if (!done) {
      bucketClose = close[t];
      if (barMs < Infinity && ts[t] + barMs >= (b + 1) * period) {
        closes.push(close[t]);
        done = true;
      }
    }
    completed[t] = closes.length;
  }
  return { close: Float64Array.from(closes), completed };
}

/** A coarse-series feature spread back over the base bars: the value of the last completed coarse bar, NaN before any. */
function spread(coarse: CoarseBars, values: Float64Array): Float64Array {
  const out = new Float64Array(coarse.completed.length);
  for (let t = 0; t < out.length; t++) out[t] = coarse.completed[t] > 0 ? values[coarse.completed[t] - 1] : Number.NaN;
  return out;
}

/** Log return over the last `k` completed coarse bars: ln(C_j / C_{j−k}), j the last completed. */
export function coarseLogReturn(coarse: CoarseBars, k: number): Float64Array {
  return spread(coarse, logReturns(coarse.close, k));
}

/** Sample std (n − 1) of the last `k` completed coarse bars' log returns. */
export function coarseVolatility(coarse: CoarseBars, k: number): Float64Array {
  return spread(coarse, realizedVolatility(coarse.close, k));
}

/** Wilder RSI over the completed coarse closes. */
export function coarseRsi(coarse: CoarseBars, k: number): Float64Array {
  return spread(coarse, relativeStrengthIndex(coarse.close, k));
}

/** close_t / mean(last `k` completed coarse closes) − 1: where the base bar stands against the coarse trend. */
export function coarseSmaDistance(coarse: CoarseBars, close: ArrayLike<number>, k: number): Float64Array {
  const c = coarse.close;
  const out = new Float64Array(coarse.completed.length).fill(Number.NaN);
  const prefix = new Float64Array(c.length + 1);
  for (let j = 0; j < c.length; j++) prefix[j + 1] = prefix[j] + c[j];
  for (let t = 0; t < out.length; t++) {
    const m = coarse.completed[t];
    if (m >= k) out[t] = close[t] / ((prefix[m] - prefix[m - k]) / k) - 1;
  }
  return out;
}

// ---------------------------------------------------------------- regimes as features

/** Fenwick tree of counts over value ranks, for order statistics of everything inserted so far. */
class RankCounter {
  private readonly tree: Int32Array;
  constructor(readonly size: number) {
    this.tree = new Int32Array(size + 1);
  }
  add(rank: number): void {
    for (let i = rank + 1; i <= this.size; i += i & -i) this.tree[i]++;
  }
  /** Values with rank ≤ `rank`. */
  countUpTo(rank: number): number {
    let s = 0;
    for (let i = rank + 1; i > 0; i -= i & -i) s += this.tree[i];
    return s;
  }
  /** The rank of the k-th smallest inserted value (k from 1). */
  kth(k: number): number {
    let pos = 0;
    let step = 1;
    while (step * 2 <= this.size) step *= 2;
    for (; step > 0; step >>= 1) {
      if (pos + step <= this.size && this.tree[pos + step] < k) {
        pos += step;
        k -= this.tree[pos];
      }
    }
    return pos;
  }
}

/** Sorted distinct finite values and each value's rank among them (−1 for non-finite). */
function ranksOf(x: Float64Array): { sorted: Float64Array; rank: Int32Array } {
  const finite = Array.from(x).filter(Number.isFinite);
  const sorted = Float64Array.from(new Set(finite)).sort();
  const index = new Map<number, number>();
  sorted.forEach((v, i) => index.set(v, i));
  return { sorted, rank: Int32Array.from(x, (v) => (Number.isFinite(v) ? index.get(v)! : -1)) };
}

/**
 * Expanding percentile rank of the trailing `lookback`-bar realised volatility: the share of the
 * finite values at bars 0…t that are ≤ the value at t (pandas `expanding().rank(pct=True)` with
 * method "max"). In (0, 1]; NaN while the volatility is.
 */
export function volatilityPercentRank(close: ArrayLike<number>, lookback: number): Float64Array {
  const vol = realizedVolatility(close, lookback);
  const { sorted, rank } = ranksOf(vol);
  const counter = new RankCounter(sorted.length);
  const out = new Float64Array(vol.length).fill(Number.NaN);
  let seen = 0;
  for (let t = 0; t < vol.length; t++) {
    if (rank[t] < 0) continue;
    counter.add(rank[t]);
    seen++;
    out[t] = counter.countUpTo(rank[t]) / seen;
  }
  return out;
}

/**
 * Volatility regime from expanding terciles: 0 (low) when the percent rank is ≤ 1/3, 1 (medium)
 * when ≤ 2/3, 2 (high) above; the thresholds are those of the history so far, never of later bars.
 */
export function volatilityRegimeFeature(close: ArrayLike<number>, lookback: number): Float64Array {
  return volatilityPercentRank(close, lookback).map((p) => (Number.isNaN(p) ? Number.NaN : p <= 1 / 3 ? 0 : p <= 2 / 3 ? 1 : 2));
}

/**
 * Trend regime: +1 when the `lookback`-bar log return exceeds the band, −1 below minus the band,
 * 0 inside it; the band is the expanding median of the trailing volatility × √lookback (a typical
 * move of that length so far), as the Evaluation page's trend regime, with the history so far
 * standing in for the training period.
 */
export function trendRegimeFeature(close: ArrayLike<number>, lookback: number): Float64Array {
  const r = logReturns(close, lookback);
  const vol = realizedVolatility(close, lookback);
  const { sorted, rank } = ranksOf(vol);
  const counter = new RankCounter(sorted.length);
  const out = new Float64Array(r.length).fill(Number.NaN);
  let seen = 0;
  const root = Math.sqrt(lookback);
  for (let t = 0; t < r.length; t++) {
    if (rank[t] >= 0) {
      counter.add(rank[t]);
      seen++;
    }
    if (seen === 0 || !Number.isFinite(r[t])) continue;
    const lo = sorted[counter.kth(Math.floor((seen + 1) / 2))];
    const hi = sorted[counter.kth(Math.floor(seen / 2) + 1)];
    const band = ((lo + hi) / 2) * root;
    out[t] = r[t] > band ? 1 : r[t] < -band ? -1 : 0;
  }
  return out;
}

// ---------------------------------------------------------------- cross-asset

/** Bar times and closes of one asset of a run. */
export interface AssetCloses {
  readonly ts: Float64Array;
  readonly close: Float64Array;
}

/**
 * For each target bar, the index of the asset's last bar opening at or before it (−1 before the
 * asset's first bar). All assets of a run share its timeframe, so a bar with the same open time
 * closes with the target's: its value is known at the target bar's close, never later.
 */
export function alignLastBar(targetTs: ArrayLike<number>, assetTs: ArrayLike<number>): Int32Array {
  const out = new Int32Array(targetTs.length);
  let j = -1;
  for (let t = 0; t < targetTs.length; t++) {
    while (j + 1 < assetTs.length && assetTs[j + 1] <= targetTs[t]) j++;
    out[t] = j;
  }
  return out;
}

const pick = (values: Float64Array, index: Int32Array) => Float64Array.from(index, (j) => (j >= 0 ? values[j] : Number.NaN));

/** The reference asset's k-bar log return as of each target bar (its last bar at or before it). */
export function referenceLogReturn(targetTs: ArrayLike<number>, reference: AssetCloses, k: number): Float64Array {
  return pick(logReturns(reference.close, k), alignLastBar(targetTs, reference.ts));
}

/** The reference asset's realised volatility (std of its last k one-bar log returns) as of each target bar. */
export function referenceVolatility(targetTs: ArrayLike<number>, reference: AssetCloses, k: number): Float64Array {
  return pick(realizedVolatility(reference.close, k), alignLastBar(targetTs, reference.ts));
}

/**
 * Cross-sectional rank of the target's k-bar log return among the run's assets (the target among
 * them) at each bar: the share of assets with a finite return, as of their last bar at or before
 * it, that is ≤ the target's (pandas `rank(pct=True, method="max")` across the row). 1 for the best.
 */
export function crossSectionalRank(target: AssetCloses, assets: readonly AssetCloses[], k: number): Float64Array {
  const own = logReturns(target.close, k);
  const others = assets.map((a) => pick(logReturns(a.close, k), alignLastBar(target.ts, a.ts)));
  const out = new Float64Array(own.length).fill(Number.NaN);
  for (let t = 0; t < own.length; t++) {
    if (!Number.isFinite(own[t])) continue;
    let finite = 0;
    let below = 0;
    for (const o of others) {
      if (!Number.isFinite(o[t])) continue;
      finite++;
      if (o[t] <= own[t]) below++;
    }
    out[t] = finite > 0 ? below / finite : Number.NaN;
  }
  return out;
}

/**
 * Signal quality: does the model's score rank the returns that follow?
 *
 * IC is the Pearson correlation between a score (e.g. P(up) − P(down)) and the forward return over
 * the label horizon; rank IC the Spearman correlation, i.e. Pearson on average ranks (ties share
 * the mean of their ranks, scipy's `rankdata(method='average')`), the two measures Qlib reports
 * (Grinold & Kahn 2000, "Active Portfolio Management", ch. 6 for IC). Pairs where either value is
 * not finite (a forward return past the end of the data) are left out pair-wise.
 *
 * Prediction bias: per symbol, the share of UP calls against the share of bars that actually went
 * up, with a Wilson score interval for the share of calls (Wilson 1927, "Probable inference, the
 * law of succession, and statistical inference"), which, unlike the Wald interval, stays inside
 * [0, 1] and keeps its coverage near 0 and 1.
 */
import { averageRanks } from '../metrics/ranks.js';
import { pearson, type Series } from './statistics.js';

export interface IcValue {
  /** Pairs with both values finite. */
  n: number;
  /** Pearson correlation; null below 3 pairs or with a constant side. */
  ic: number | null;
  /** Spearman correlation (average ranks for ties); null likewise. */
  rankIc: number | null;
}

function finitePairs(score: Series, forward: Series, keep?: (i: number) => boolean): { x: Float64Array; y: Float64Array } {
  if (score.length !== forward.length) throw new RangeError(`${score.length} scores for ${forward.length} forward returns`);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < score.length; i++) {
    if (Number.isFinite(score[i]) && Number.isFinite(forward[i]) && (!keep || keep(i))) {
      xs.push(score[i]);
      ys.push(forward[i]);
    }
  }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys) };
}

function icOfPairs(x: Float64Array, y: Float64Array): IcValue {
  const n = x.length;
  if (n < 3) return { n, ic: null, rankIc: null };
  const ic = pearson(x, y);
  const rankIc = pearson(averageRanks(x), averageRanks(y));
  return { n, ic: Number.isFinite(ic) ? ic : null, rankIc: Number.isFinite(rankIc) ? rankIc : null };
}

/** IC and rank IC over all samples. */
export function informationCoefficient(score: Series, forwardReturn: Series): IcValue {
  const { x, y } = finitePairs(score, forwardReturn);
  return icOfPairs(x, y);
}

/** IC per group (symbol): `group[i]` in 0…groupCount−1. */
export function icByGroup(score: Series, forwardReturn: Series, group: Int32Array, groupCount: number): (IcValue & { group: number })[] {
  if (group.length !== score.length) throw new RangeError(`${group.length} group ids for ${score.length} scores`);
  const rows: (IcValue & { group: number })[] = [];
  for (let g = 0; g < groupCount; g++) {
    const { x, y } = finitePairs(score, forwardReturn, (i) => group[i] === g);
    rows.push({ group: g, ...icOfPairs(x, y) });
  }
  return rows;
}

/** IC of one calendar month. */
export interface MonthlyIc extends IcValue {
  /** "YYYY-MM" in UTC. */
  month: string;
  /** First millisecond of the month, UTC. */
  monthStartMs: number;
}

/** IC per UTC calendar month of the samples' timestamps (`ts`, epoch ms), months in ascending order. */
export function icByMonth(score: Series, forwardReturn: Series, ts: Float64Array): MonthlyIc[] {
  if (ts.length !== score.length) throw new RangeError(`${ts.length} timestamps for ${score.length} scores`);
  const key = new Int32Array(ts.length);
  const keys = new Set<number>();
  for (let i = 0; i < ts.length; i++) {
    const d = new Date(ts[i]);
    key[i] = d.getUTCFullYear() * 12 + d.getUTCMonth();
    keys.add(key[i]);
  }
  return [...keys]
    .sort((a, b) => a - b)
    .map((k) => {
      const { x, y } = finitePairs(score, forwardReturn, (i) => key[i] === k);
      const year = Math.floor(k / 12);
      const month = k % 12;
      return { month: `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}`, monthStartMs: Date.UTC(year, month, 1), ...icOfPairs(x, y) };
    });
}

/**
 * Forward simple return over h bars from each bar's close: close_{t+h} / close_t − 1, NaN where
 * t + h is past the end. One symbol's series; concatenate per symbol to align with pooled samples.
 */
export function forwardReturns(close: Series, horizon: number): Float64Array {
  if (!Number.isInteger(horizon) || horizon < 1) throw new RangeError(`horizon must be a positive integer, got ${horizon}`);
  const out = new Float64Array(close.length).fill(Number.NaN);
  for (let t = 0; t + horizon < close.length; t++) out[t] = close[t + horizon] / close[t] - 1;
  return out;
}

/** IC at one horizon of the decay curve. */
export interface IcDecayRow extends IcValue {
  /** Horizon in bars. */
  horizon: number;
}

/**
 * IC decay: the same scores against forward returns over longer horizons. `forwardByHorizon[j]` is
 * aligned with `score` and measures the return over `horizons[j]` bars (e.g. 1…4 × the label
 * horizon, built per symbol with `forwardReturns`). A score that only knows the next h bars shows
 * its IC fading as the horizon grows.
 */
export function icDecay(score: Series, forwardByHorizon: readonly Series[], horizons: readonly number[]): IcDecayRow[] {
  if (forwardByHorizon.length !== horizons.length) throw new RangeError(`${forwardByHorizon.length} forward series for ${horizons.length} horizons`);
  return horizons.map((horizon, j) => ({ horizon, ...informationCoefficient(score, forwardByHorizon[j]) }));
}

/** A proportion with its Wilson score interval. */
export interface WilsonInterval {
  lower: number;
  upper: number;
}

/**
 * Wilson score interval for k successes in n trials (Wilson 1927):
 * (p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n). z = 1.959964 for 95 %.
 */
export function wilsonInterval(successes: number, trials: number, z = 1.959963984540054): WilsonInterval {
  if (trials <= 0) return { lower: Number.NaN, upper: Number.NaN };
  const p = successes / trials;
  const z2 = z * z;
  const denom = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denom;
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

export interface PredictionBiasRow {
  group: number;
  /** Samples of this group. */
  n: number;
  /** Share of UP calls. */
  upCallShare: number | null;
  /** Wilson interval of `upCallShare`. */
  interval: WilsonInterval | null;
  /** Share of samples whose outcome was UP: the symbol's base rate. */
  baseRate: number | null;
  /** upCallShare − baseRate: positive when the model leans long. */
  bias: number | null;
  /** The base rate lies outside the interval. */
  biased: boolean;
}

/**
 * Per-group prediction bias. `calledUp[i]` is 1 when the model called UP on sample i,
 * `wentUp[i]` 1 when the outcome was UP (for a three-class label, both 0 for DOWN and FLAT: the
 * bias is about leaning long, not about the flat class).
 */
export function predictionBias(calledUp: Uint8Array, wentUp: Uint8Array, group: Int32Array, groupCount: number, z?: number): PredictionBiasRow[] {
  const n = calledUp.length;
  if (wentUp.length !== n || group.length !== n) throw new RangeError('calledUp, wentUp and group differ in length');
  const count = new Float64Array(groupCount);
  const calls = new Float64Array(groupCount);
  const ups = new Float64Array(groupCount);
  for (let i = 0; i < n; i++) {
    const g = group[i];
    if (g < 0 || g >= groupCount) throw new RangeError(`group ${g} at sample ${i} is outside 0…${groupCount - 1}`);
    count[g]++;
    if (calledUp[i]) calls[g]++;
    if (wentUp[i]) ups[g]++;
  }
  const rows: PredictionBiasRow[] = [];
  for (let g = 0; g < groupCount; g++) {
    if (count[g] === 0) {
      rows.push({ group: g, n: 0, upCallShare: null, interval: null, baseRate: null, bias: null, biased: false });
      continue;
    }
    const share = calls[g] / count[g];
    const base = ups[g] / count[g];
    const interval = wilsonInterval(calls[g], count[g], z);
    rows.push({ group: g, n: count[g], upCallShare: share, interval, baseRate: base, bias: share - base, biased: base < interval.lower || base > interval.upper });
  }
  return rows;
}

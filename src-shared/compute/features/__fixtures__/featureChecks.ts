import { expect } from 'vitest';
import type { Rng } from '../../random.js';
import type { FeatureMatrix } from '../feature-matrix.js';
import type { OhlcvColumns } from '../ohlcv.js';

/** A golden series as the scripts in scripts/golden print it: the first finite index and values at some bars. */
export interface GoldenSeries {
  firstValid: number;
  at: Record<number, number>;
}

/** NaN exactly up to the golden's first valid bar, finite there, and every golden value to 1e-9 relative. */
export function expectMatchesGolden(name: string, series: Float64Array, golden: GoldenSeries, bars: number): void {
  expect(series.length).toBe(bars);
  for (let t = 0; t < golden.firstValid; t++) expect(series[t], `${name}[${t}]`).toBeNaN();
  expect(Number.isFinite(series[golden.firstValid])).toBe(true);
  for (const [t, want] of Object.entries(golden.at)) {
    const got = series[Number(t)];
    expect(Math.abs(got - want), `${name}[${t}] = ${got}, want ${want}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
  }
}

/** A copy of the candles with every bar after t changed at random (prices, volume and time), bars 0…t as they were. */
export function perturbedAfter(cols: OhlcvColumns, t: number, rng: Rng): OhlcvColumns {
  const c = { ts: cols.ts.slice(), open: cols.open.slice(), high: cols.high.slice(), low: cols.low.slice(), close: cols.close.slice(), volume: cols.volume.slice() };
  for (let u = t + 1; u < c.ts.length; u++) {
    const f = 0.5 + rng();
    c.open[u] *= f;
    c.close[u] *= 2 - f;
    c.high[u] = Math.max(c.open[u], c.close[u]) * (1 + rng() * 0.05);
    c.low[u] = Math.min(c.open[u], c.close[u]) * (1 - rng() * 0.05);
    c.volume[u] = rng() * 1e6;
    c.ts[u] += 1_800_000;
  }
  return cols.extras ? { ...c, extras: Object.fromEntries(Object.entries(cols.extras).map(([k, v]) => [k, v.slice()])) } : c;
}

/** Row t of two feature matrices is bit-identical, feature by feature. */
export function expectRowIdentical(a: FeatureMatrix, b: FeatureMatrix, t: number): void {
  for (let j = 0; j < a.features; j++) expect(Object.is(b.data[t * a.features + j], a.data[t * a.features + j]), `row ${t}, ${a.names[j]}`).toBe(true);
}

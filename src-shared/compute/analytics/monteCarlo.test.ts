import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.js';
import { fraction } from '../../domain/units.js';
import { BAR_RETURNS, MONTE_CARLO, TRADE_RETURNS } from './__fixtures__/golden.js';
import {
  blockBootstrapMonteCarlo,
  defaultBlockLength,
  movingBlockBootstrapIndices,
  noiseMonteCarlo,
  perturbCandles,
  resampleCandles,
  summarizeEquityPaths,
  tradeMonteCarlo,
  type CandlePath,
  type MonteCarloSummary,
} from './monteCarlo.js';
import { drawdownSummary } from './statistics.js';

interface Golden {
  finalReturn: { p5: number; p50: number; p95: number };
  maxDrawdown: { p5: number; p50: number; p95: number };
  longestDrawdown: { p5: number; p50: number; p95: number };
  worst5PercentFinalReturn: number;
  probabilityDrawdownBeyond: number;
}

/** Percentiles are of the same draws in NumPy (reference.py re-implements mulberry32), so only rounding differs. */
function expectMatches(s: MonteCarloSummary, g: Golden): void {
  for (const key of ['finalReturn', 'maxDrawdown', 'longestDrawdown'] as const) {
    for (const p of ['p5', 'p50', 'p95'] as const) expect(s[key][p]).toBeCloseTo(g[key][p], 12);
  }
  expect(s.worst5PercentFinalReturn).toBeCloseTo(g.worst5PercentFinalReturn, 12);
  expect(s.probabilityDrawdownBeyond).toBe(g.probabilityDrawdownBeyond);
}

describe('trade Monte Carlo', () => {
  it('matches the NumPy reimplementation on a fixed trade list (bootstrap and reorder)', () => {
    expectMatches(tradeMonteCarlo(TRADE_RETURNS, 'bootstrap', { paths: 200, seed: 7, drawdownThreshold: fraction(0.2) }), MONTE_CARLO.bootstrap);
    expectMatches(tradeMonteCarlo(TRADE_RETURNS, 'reorder', { paths: 200, seed: 7, drawdownThreshold: fraction(0.2) }), MONTE_CARLO.reorder);
  });

  it('reordering keeps the final return and spreads the drawdown', () => {
    const s = tradeMonteCarlo(TRADE_RETURNS, 'reorder', { paths: 500, seed: 3 });
    let growth = 1;
    for (const r of TRADE_RETURNS) growth *= 1 + r;
    for (const f of s.samples.finalReturn) expect(f).toBeCloseTo(growth - 1, 12);
    const equity = new Float64Array(TRADE_RETURNS.length + 1);
    equity[0] = 1;
    for (let i = 0; i < TRADE_RETURNS.length; i++) equity[i + 1] = equity[i] * (1 + TRADE_RETURNS[i]);
    const observed = drawdownSummary(equity).maxDrawdown;
    expect(s.maxDrawdown.p95 - s.maxDrawdown.p5).toBeGreaterThan(0.05);
    expect(s.maxDrawdown.p5).toBeLessThan(observed + 1e-12);
    expect(s.maxDrawdown.p95).toBeGreaterThan(observed - 0.1);
  });

  it('repeats exactly with the same seed and differs with another', () => {
    const a = tradeMonteCarlo(TRADE_RETURNS, 'bootstrap', { paths: 100, seed: 5 });
    expect(tradeMonteCarlo(TRADE_RETURNS, 'bootstrap', { paths: 100, seed: 5 })).toEqual(a);
    expect(tradeMonteCarlo(TRADE_RETURNS, 'bootstrap', { paths: 100, seed: 6 }).samples.finalReturn).not.toEqual(a.samples.finalReturn);
  });

  it('fan bands are ordered, start at 1 and end at the final-return quantiles', () => {
    const s = tradeMonteCarlo(TRADE_RETURNS, 'bootstrap', { paths: 300, seed: 1, fanPoints: 7 });
    expect(Array.from(s.fan.steps)).toEqual([0, 10, 20, 30, 40, 50, 60]);
    for (let q = 0; q < s.fan.levels.length; q++) expect(s.fan.bands[q][0]).toBe(1);
    for (let q = 1; q < s.fan.levels.length; q++) for (let j = 0; j < 7; j++) expect(s.fan.bands[q][j]).toBeGreaterThanOrEqual(s.fan.bands[q - 1][j]);
    expect(s.fan.bands[0][6] - 1).toBeCloseTo(s.finalReturn.p5, 12);
    expect(s.fan.bands[2][6] - 1).toBeCloseTo(s.finalReturn.p50, 12);
  });
});

describe('market path Monte Carlo', () => {
  it('block bootstrap matches the NumPy reimplementation', () => {
    expectMatches(blockBootstrapMonteCarlo(BAR_RETURNS, { paths: 200, seed: 11, blockLength: 8, drawdownThreshold: fraction(0.05) }), MONTE_CARLO.block);
  });

  it('block indices are runs of consecutive bars inside the series', () => {
    const idx = movingBlockBootstrapIndices(100, 7, mulberry32(2));
    expect(idx.length).toBe(100);
    for (let i = 0; i < 100; i++) {
      expect(idx[i]).toBeGreaterThanOrEqual(0);
      expect(idx[i]).toBeLessThan(100);
      if (i % 7 !== 0) expect(idx[i]).toBe(idx[i - 1] + 1);
    }
    expect(defaultBlockLength(10_000)).toBe(22);
    expect(defaultBlockLength(1000)).toBe(10);
    expect(defaultBlockLength(1)).toBe(1);
  });

  it('noise perturbation is centred on the original path and seeded', () => {
    const s = noiseMonteCarlo(BAR_RETURNS, { paths: 400, seed: 3, noiseFraction: 0.25 });
    let growth = 1;
    for (const r of BAR_RETURNS) growth *= 1 + r;
    // log final growth = original + Σ f·σ·ε: sd f·σ·√n ≈ 0.25 × 0.0055 × 20 ≈ 0.028, so the median
    // of 400 paths is within 3 × 1.25 × 0.028 / √400 ≈ 0.005 of the original in log terms.
    expect(Math.abs(Math.log1p(s.finalReturn.p50) - Math.log(growth))).toBeLessThan(0.006);
    expect(noiseMonteCarlo(BAR_RETURNS, { paths: 400, seed: 3, noiseFraction: 0.25 })).toEqual(s);
  });

  it('summarises equity paths computed elsewhere the same way as generated ones', () => {
    const g = tradeMonteCarlo(TRADE_RETURNS, 'bootstrap', { paths: 50, seed: 9 });
    // Rebuild the 50 paths from a replay of the same draws and summarise them as external equity.
    const rng = mulberry32(9);
    const k = TRADE_RETURNS.length;
    const paths: Float64Array[] = [];
    for (let p = 0; p < 50; p++) {
      const e = new Float64Array(k + 1);
      e[0] = 1;
      for (let i = 0; i < k; i++) e[i + 1] = e[i] * (1 + TRADE_RETURNS[Math.floor(rng() * k)]);
      paths.push(e);
    }
    const s = summarizeEquityPaths(paths);
    expect(s.finalReturn.p50).toBeCloseTo(g.finalReturn.p50, 12);
    expect(s.maxDrawdown).toEqual(g.maxDrawdown);
  });
});

describe('candle resampling for re-predicted paths', () => {
  const rng = mulberry32(4);
  const n = 60;
  const candles: CandlePath = { ts: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  let prev = 50;
  for (let t = 0; t < n; t++) {
    candles.ts[t] = t * 60_000;
    candles.open[t] = prev * (1 + 0.002 * (rng() - 0.5));
    candles.close[t] = candles.open[t] * (1 + 0.02 * (rng() - 0.5));
    candles.high[t] = Math.max(candles.open[t], candles.close[t]) * (1 + 0.005 * rng());
    candles.low[t] = Math.min(candles.open[t], candles.close[t]) * (1 - 0.005 * rng());
    candles.volume[t] = 100 + t;
    prev = candles.close[t];
  }

  it('the identity order rebuilds the original candles', () => {
    const same = resampleCandles(candles, Int32Array.from({ length: n }, (_, i) => i));
    for (const key of ['open', 'high', 'low', 'close'] as const) for (let t = 0; t < n; t++) expect(same[key][t]).toBeCloseTo(candles[key][t], 9);
    expect(same.volume).toEqual(candles.volume);
  });

  it('a block-resampled path keeps each bar shape and chains closes', () => {
    const idx = movingBlockBootstrapIndices(n, 5, mulberry32(8));
    const out = resampleCandles(candles, idx);
    for (let i = 1; i < n; i++) {
      const s = idx[i];
      if (s === 0) continue;
      expect(out.close[i] / out.close[i - 1]).toBeCloseTo(candles.close[s] / candles.close[s - 1], 12);
      expect(out.high[i] / out.low[i]).toBeCloseTo(candles.high[s] / candles.low[s], 12);
    }
  });

  it('a perturbed path keeps high ≥ open, close ≥ low and is seeded', () => {
    const a = perturbCandles(candles, 0.5, mulberry32(1));
    for (let t = 0; t < n; t++) {
      expect(a.high[t]).toBeGreaterThanOrEqual(Math.max(a.open[t], a.close[t]) * (1 - 1e-12));
      expect(a.low[t]).toBeLessThanOrEqual(Math.min(a.open[t], a.close[t]) * (1 + 1e-12));
    }
    expect(perturbCandles(candles, 0.5, mulberry32(1))).toEqual(a);
    expect(a.close).not.toEqual(candles.close);
  });
});

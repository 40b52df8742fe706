import { describe, expect, it } from 'vitest';
import { LAGS, METRICS, PERIODS_PER_YEAR, BAR_RETURNS, TRADE_RETURNS } from './__fixtures__/golden.js';
import { autocorrelation, loAggregationFactor, longestStreaks, moreMetrics, omegaRatio, ulcerIndex } from './moreMetrics.js';

function equityOf(r: Float64Array): Float64Array {
  const e = new Float64Array(r.length + 1);
  e[0] = 1;
  for (let i = 0; i < r.length; i++) e[i + 1] = e[i] * (1 + r[i]);
  return e;
}

describe('more metrics against NumPy/SciPy goldens (reference.py)', () => {
  const m = moreMetrics(equityOf(BAR_RETURNS), TRADE_RETURNS, PERIODS_PER_YEAR, { lags: LAGS });

  it.each(Object.keys(METRICS) as (keyof typeof METRICS)[])('%s', (key) => {
    const value = m[key];
    expect(value).not.toBeNull();
    // Relative 1e-10: the two implementations sum in different orders.
    expect(Math.abs((value as number) - METRICS[key])).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(METRICS[key])));
  });
});

describe('more metrics by hand', () => {
  it('Omega, streaks and ulcer on small series', () => {
    expect(omegaRatio(Float64Array.from([0.02, -0.01, 0.03, -0.04]))).toBeCloseTo(0.05 / 0.05, 15);
    expect(omegaRatio(Float64Array.from([0.02, -0.01]), 0.01)).toBeCloseTo(0.01 / 0.02, 15);
    expect(longestStreaks(Float64Array.from([1, 1, -1, 0, 1, 1, 1, -1, -1]))).toEqual({ wins: 3, losses: 2 });
    // Equity 1, 1.1, 0.99, 1.21: drawdowns 0, 0.1, 0 → √(0.01 / 3).
    expect(ulcerIndex(Float64Array.from([1, 1.1, 0.99, 1.21]))).toBeCloseTo(Math.sqrt(0.01 / 3), 14);
  });

  it("Lo's factor is √q without autocorrelation and shrinks the Sharpe ratio under positive autocorrelation", () => {
    // Alternating signs: ρ₁ ≈ −1, ρ₂ ≈ +1 — with lags 0 the factor is exactly √q.
    const r = Float64Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 0.01 : -0.005));
    expect(loAggregationFactor(r, 252, 0)).toBeCloseTo(Math.sqrt(252), 12);
    expect(autocorrelation(r, 1)).toBeLessThan(-0.98);
    const trending = Float64Array.from({ length: 300 }, (_, i) => 0.001 + 0.01 * Math.sin(i / 10));
    expect(loAggregationFactor(trending, 252, 5)).toBeLessThan(Math.sqrt(252));
  });

  it('says why a metric is undefined', () => {
    const flat = moreMetrics(Float64Array.from([1, 1.01, 1.02, 1.03]), new Float64Array(0), 365);
    expect(flat.omega).toBeNull();
    expect(flat.recoveryFactor).toBeNull();
    expect(flat.nullReasons.omega).toMatch(/below 0/);
    expect(flat.nullReasons.recoveryFactor).toMatch(/no drawdown/);
    expect(flat.longestWinStreakBars).toBe(3);
  });
});

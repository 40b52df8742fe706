import { describe, expect, it } from 'vitest';
import { mulberry32, type Rng } from '../random.js';
import { normalQuantile } from './distributions.js';
import {
  deflatedSharpeOfTrials,
  deflatedSharpeRatio,
  expectedMaxSharpe,
  perPeriodFromAnnualSharpe,
  perPeriodSharpe,
  probabilisticSharpeRatio,
  returnMoments,
} from './deflatedSharpe.js';

function gaussian(rng: Rng): number {
  return normalQuantile((rng() * 4294967295 + 0.5) / 4294967296);
}

describe('returnMoments', () => {
  it('computes the paper’s moment estimators', () => {
    const m = returnMoments([1, 2, 3, 4, 10]);
    // mean 4; deviations −3, −2, −1, 0, 6; m2 = 50/5 = 10, m3 = (−27 − 8 − 1 + 216)/5 = 36,
    // m4 = (81 + 16 + 1 + 1296)/5 = 278.8; sample std = √(50/4).
    expect(m.mean).toBe(4);
    expect(m.std).toBeCloseTo(Math.sqrt(12.5), 14);
    expect(m.sharpe).toBeCloseTo(4 / Math.sqrt(12.5), 14);
    expect(m.skewness).toBeCloseTo(36 / 10 ** 1.5, 14);
    expect(m.kurtosis).toBeCloseTo(2.788, 14);
    // Strided access reads one column of a row-major matrix.
    expect(returnMoments([1, 0, 2, 0, 3, 0, 4, 0, 10, 0], 2, 0)).toEqual(m);
  });
});

describe('expectedMaxSharpe', () => {
  it('approximates the mean maximum of N standard normals (Monte Carlo, independent of the formula)', () => {
    // E[max of 100 N(0,1)] = 2.50759 (exact, by integration); the extreme-value formula gives 2.5306, ~1 % high.
    const rng = mulberry32(21);
    let total = 0;
    const reps = 4000;
    for (let r = 0; r < reps; r++) {
      let max = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < 100; i++) max = Math.max(max, gaussian(rng));
      total += max;
    }
    // The max of 100 normals has sd ≈ 0.43, so the Monte Carlo mean's se is 0.007; the formula's own
    // 1 % bias dominates: 2 % tolerance.
    expect(Math.abs(expectedMaxSharpe(100, 1) / (total / reps) - 1)).toBeLessThan(0.02);
    expect(expectedMaxSharpe(100, 4)).toBeCloseTo(2 * expectedMaxSharpe(100, 1), 14);
    expect(expectedMaxSharpe(1, 1)).toBe(0);
  });
});

describe('deflatedSharpeRatio', () => {
  it('reproduces the numerical example of Bailey & López de Prado (2014)', () => {
    // §"A numerical example": annualised SR 2.5 over 5 years of daily returns (T = 1250, 250 days a
    // year), skewness −3, kurtosis 10, N = 100 trials whose annualised Sharpe ratios have variance
    // 1/2. The paper reports SR₀ ≈ 0.1132 per day and DSR ≈ 0.9004 (4 digits, so 1e-4 tolerance on SR₀
    // and 5e-4 on the DSR, the latter since the paper rounds SR₀ before using it).
    const sr = perPeriodFromAnnualSharpe(2.5, 250);
    const d = deflatedSharpeRatio({ sharpe: sr, observations: 1250, skewness: -3, kurtosis: 10 }, 100, 0.5 / 250);
    expect(Math.abs(d.expectedMaxSharpe - 0.1132)).toBeLessThan(1e-4);
    expect(Math.abs(d.dsr - 0.9004)).toBeLessThan(5e-4);
  });

  it('PSR’s standard error matches the Sharpe estimator’s spread on simulated normal returns', () => {
    // Under normal returns PSR uses se(SR̂) = √((1 + SR²/2)/(T − 1)) (Lo 2002). Check that spread by
    // simulation: 2000 series of T = 250 with true SR 0.1. The sd of 2000 draws is estimated within
    // ~1.6 % (1/√(2·2000)), so 5 % is 3 of those.
    const rng = mulberry32(8);
    const T = 250;
    const reps = 2000;
    const srs: number[] = [];
    const x = new Float64Array(T);
    for (let r = 0; r < reps; r++) {
      for (let t = 0; t < T; t++) x[t] = 0.1 + gaussian(rng);
      srs.push(returnMoments(x).sharpe);
    }
    const mean = srs.reduce((a, b) => a + b, 0) / reps;
    const sd = Math.sqrt(srs.reduce((a, b) => a + (b - mean) ** 2, 0) / (reps - 1));
    const se = Math.sqrt((1 + 0.1 ** 2 / 2) / (T - 1));
    expect(Math.abs(sd / se - 1)).toBeLessThan(0.05);
    // PSR is Φ of the excess over its standard error, evaluated at the estimate: for SR̂ = 0.2 and
    // SR* = 0.1, z = 0.1·√249/√(1 + 0.02) = 1.562426…, Φ(z) = 0.9409062… (SciPy).
    expect(probabilisticSharpeRatio({ sharpe: perPeriodSharpe(0.2), observations: T }, perPeriodSharpe(0.1))).toBeCloseTo(0.9409062, 6);
  });

  it('lowers the verdict for negative skew and fat tails, and returns NaN for impossible moments', () => {
    const base = { sharpe: perPeriodSharpe(0.1), observations: 500 };
    const normal = probabilisticSharpeRatio(base);
    expect(probabilisticSharpeRatio({ ...base, skewness: -2, kurtosis: 9 })).toBeLessThan(normal);
    expect(probabilisticSharpeRatio({ ...base, skewness: 20, kurtosis: 1.5 })).toBeNaN();
  });

  it('on a random walk the best of 50 trading rules does not look significant', () => {
    // One random-walk market (i.i.d. normal returns, no drift) and 50 momentum rules (long when the
    // sum of the last L returns is positive, short otherwise, L = 1 … 50). Whatever rule wins, its
    // edge is luck. If the DSR were exactly calibrated, P(DSR ≥ 0.95) would be 5 % per seed: 100 seeds
    // give 5 ± 2.2 such cases; allowing 12 is 3 sd above. The naive PSR of the same winner (as if it
    // had been the only trial) is, by contrast, "significant" far more often, which is the point: a
    // single pre-chosen rule would pass 5 ± 2.2 times, the selected one passes in 37 of these seeds
    // (and the DSR in 0); requiring ≥ 15 is 4.5 sd above the single-rule rate.
    const T = 750;
    const N = 50;
    let dsrSignificant = 0;
    let psrSignificant = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const rng = mulberry32(seed);
      const market = new Float64Array(T + N);
      for (let t = 0; t < market.length; t++) market[t] = 0.01 * gaussian(rng);
      const returns = new Float64Array(T * N);
      for (let n = 0; n < N; n++) {
        const L = n + 1;
        for (let t = 0; t < T; t++) {
          const now = N + t;
          let momentum = 0;
          for (let k = 1; k <= L; k++) momentum += market[now - k];
          returns[t * N + n] = (momentum > 0 ? 1 : -1) * market[now];
        }
      }
      const r = deflatedSharpeOfTrials(returns, N);
      if (r.dsr >= 0.95) dsrSignificant++;
      if (r.psr >= 0.95) psrSignificant++;
    }
    expect(dsrSignificant).toBeLessThanOrEqual(12);
    expect(psrSignificant).toBeGreaterThanOrEqual(15);
  });

  it('finds the winner, V and the moments from a return matrix', () => {
    // Three trials over 4 periods; their Sharpe ratios are recomputed column by column below.
    const returns = Float64Array.from([1, 0, 2, 2, 1, 0, 1, 0, 4, 2, 1, 0]);
    const r = deflatedSharpeOfTrials(returns, 3);
    const s: number[] = [0, 1, 2].map((n) => returnMoments(returns, 3, n).sharpe);
    expect([...r.sharpes]).toEqual(s);
    expect(r.winner).toBe(s.indexOf(Math.max(...s)));
    const mean = (s[0] + s[1] + s[2]) / 3;
    expect(r.sharpeVariance).toBeCloseTo(s.reduce((a, b) => a + (b - mean) ** 2, 0) / 2, 14);
    expect(() => deflatedSharpeOfTrials(new Float64Array(8).fill(1), 2)).toThrow(RangeError);
  });
});

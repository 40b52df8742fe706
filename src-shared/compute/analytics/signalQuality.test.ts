import { describe, expect, it } from 'vitest';
import { FORWARD, GROUP, SAMPLE_TS, SCORE, SIGNAL } from './__fixtures__/golden.js';
import { forwardReturns, icByGroup, icByMonth, icDecay, informationCoefficient, predictionBias, wilsonInterval } from './signalQuality.js';

describe('IC and rank IC against scipy pearsonr / spearmanr (reference.py)', () => {
  it('overall, with ties in the score and NaN forward returns dropped pair-wise', () => {
    const v = informationCoefficient(SCORE, FORWARD);
    expect(v.n).toBe(SIGNAL.overall.n);
    expect(Math.abs((v.ic as number) - SIGNAL.overall.ic)).toBeLessThan(1e-12);
    expect(Math.abs((v.rankIc as number) - SIGNAL.overall.rankIc)).toBeLessThan(1e-12);
  });

  it('per symbol', () => {
    const rows = icByGroup(SCORE, FORWARD, GROUP, 3);
    rows.forEach((row, g) => {
      expect(row.n).toBe(SIGNAL.byGroup[g].n);
      expect(Math.abs((row.ic as number) - SIGNAL.byGroup[g].ic)).toBeLessThan(1e-12);
      expect(Math.abs((row.rankIc as number) - SIGNAL.byGroup[g].rankIc)).toBeLessThan(1e-12);
    });
  });

  it('per UTC calendar month', () => {
    const rows = icByMonth(SCORE, FORWARD, SAMPLE_TS);
    expect(rows.map((r) => r.month)).toEqual(SIGNAL.byMonth.map((r) => r.month));
    rows.forEach((row, i) => {
      expect(row.n).toBe(SIGNAL.byMonth[i].n);
      expect(Math.abs((row.ic as number) - SIGNAL.byMonth[i].ic)).toBeLessThan(1e-12);
      expect(Math.abs((row.rankIc as number) - SIGNAL.byMonth[i].rankIc)).toBeLessThan(1e-12);
      expect(new Date(row.monthStartMs).toISOString().slice(0, 7)).toBe(row.month);
    });
  });
});

describe('IC decay and forward returns', () => {
  it('forward returns over h bars, NaN past the end', () => {
    const f = forwardReturns(Float64Array.from([100, 110, 99, 121]), 2);
    expect(f[0]).toBeCloseTo(-0.01, 15);
    expect(f[1]).toBeCloseTo(0.1, 15);
    expect(Number.isNaN(f[2]) && Number.isNaN(f[3])).toBe(true);
  });

  it('a score that knows only the next bar decays over longer horizons', () => {
    const n = 3000;
    const close = new Float64Array(n);
    close[0] = 100;
    let s = 12345;
    const next = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
    for (let t = 1; t < n; t++) close[t] = close[t - 1] * (1 + 0.01 * next());
    const one = forwardReturns(close, 1);
    const horizons = [1, 2, 3, 4];
    const rows = icDecay(one, horizons.map((h) => forwardReturns(close, h)), horizons);
    expect(rows[0].ic).toBeCloseTo(1, 12);
    // IC(h) of a 1-bar oracle on a random walk is about 1/√h.
    for (let j = 1; j < 4; j++) {
      expect(rows[j].ic as number).toBeLessThan(rows[j - 1].ic as number);
      expect(Math.abs((rows[j].ic as number) - 1 / Math.sqrt(horizons[j]))).toBeLessThan(0.06);
    }
  });
});

describe('prediction bias', () => {
  it('Wilson interval matches scipy.stats.binomtest(k, n).proportion_ci(method="wilson")', () => {
    // Golden values from SciPy 1.10: binomtest(k, n).proportion_ci(confidence_level=0.95, method='wilson').
    const cases: [number, number, number, number][] = [
      [81, 263, 0.2552885198782742, 0.36620957698280004],
      [0, 10, 0.0, 0.27753279986288926],
      [7, 9, 0.4525889691069889, 0.9367748928821533],
    ];
    for (const [k, n, lower, upper] of cases) {
      const w = wilsonInterval(k, n);
      expect(w.lower).toBeCloseTo(lower, 12);
      expect(w.upper).toBeCloseTo(upper, 12);
    }
  });

  it('flags a symbol the model calls UP far more often than it goes up', () => {
    const n = 400;
    const calledUp = new Uint8Array(n);
    const wentUp = new Uint8Array(n);
    const group = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      group[i] = i % 2;
      wentUp[i] = i % 4 < 2 ? 1 : 0; // base rate 1/2 in both groups
      calledUp[i] = group[i] === 0 ? (i % 8 < 6 ? 1 : 0) : wentUp[i]; // group 0: 75 % UP calls
    }
    const [g0, g1] = predictionBias(calledUp, wentUp, group, 2);
    expect(g0).toMatchObject({ n: 200, upCallShare: 0.75, baseRate: 0.5, biased: true });
    expect(g0.bias).toBeCloseTo(0.25, 15);
    expect(g1).toMatchObject({ upCallShare: 0.5, baseRate: 0.5, biased: false });
  });
});

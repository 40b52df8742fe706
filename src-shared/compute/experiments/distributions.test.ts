import { describe, expect, it } from 'vitest';
import { normalCdf, normalPdf, normalQuantile, studentTCdf, studentTQuantile } from './distributions.js';

/** Φ(x) by composite Simpson's rule on the density from 0: independent of the rational approximation. */
function simpsonCdf(x: number): number {
  const n = 20_000;
  const h = x / n;
  let s = normalPdf(0) + normalPdf(x);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * normalPdf(i * h);
  return 0.5 + (s * h) / 3;
}

describe('normalCdf', () => {
  it('matches Simpson integration of the density to 1e-13', () => {
    for (const x of [-6, -3.3, -1.96, -0.5, 0, 0.25, 1, 2.5, 4, 7.5]) {
      expect(Math.abs(normalCdf(x) - simpsonCdf(x))).toBeLessThan(1e-13);
    }
  });

  it('keeps relative precision in the far lower tail', () => {
    // SciPy 1.x scipy.stats.norm.cdf, which evaluates erfc by Cephes (an independent implementation).
    const reference: [number, number][] = [
      [-4, 3.167124183311986e-5],
      [-5, 2.866515718791933e-7],
      [-8, 6.22096057427174e-16],
      [-10, 7.61985302416047e-24],
      [-20, 2.7536241186061556e-89],
    ];
    for (const [x, want] of reference) expect(Math.abs(normalCdf(x) / want - 1)).toBeLessThan(1e-13);
  });
});

describe('normalQuantile', () => {
  it('gives the textbook values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.99)).toBeCloseTo(2.326347874040841, 14);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326347874040841, 14);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
  });

  it('inverts normalCdf across the range', () => {
    for (let p = 1e-12; p < 1; p = p < 0.01 ? p * 10 : p + 0.01) {
      const x = normalQuantile(p);
      const back = p < 0.5 ? normalCdf(x) : 1 - normalCdf(-x);
      expect(Math.abs(back - p) / Math.min(p, 1 - p)).toBeLessThan(1e-12);
    }
  });
});

describe('Student t', () => {
  it('gives the table quantiles (SciPy: scipy.stats.t.ppf(0.975, df))', () => {
    const table: [number, number][] = [
      [1, 12.706204736174694],
      [2, 4.302652729749462],
      [3, 3.1824463052837078],
      [4, 2.7764451051977934],
      [9, 2.262157162798205],
      [29, 2.045229642132703],
    ];
    for (const [nu, want] of table) expect(studentTQuantile(0.975, nu)).toBeCloseTo(want, 11);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.7764451051977934, 11);
    expect(studentTQuantile(0.95, 5)).toBeCloseTo(2.0150483733330233, 11);
  });

  it('CDF is symmetric, monotone and tends to the normal', () => {
    expect(studentTCdf(0, 7)).toBe(0.5);
    expect(studentTCdf(1.3, 6) + studentTCdf(-1.3, 6)).toBeCloseTo(1, 15);
    expect(Math.abs(studentTCdf(1.5, 999) - normalCdf(1.5))).toBeLessThan(1e-3);
    let prev = 0;
    for (let t = -10; t <= 10; t += 0.1) {
      const v = studentTCdf(t, 5);
      expect(v).toBeGreaterThanOrEqual(prev);
      prev = v;
    }
    expect(() => studentTCdf(1, 2.5)).toThrow(RangeError);
  });
});

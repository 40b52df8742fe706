import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.js';
import { sharpeInterval, Z95 } from './sharpeInterval.js';

/** Standard normal draws by Box–Muller from the seeded uniform stream. */
function normals(seed: number, n: number): Float64Array {
  const u = mulberry32(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  return out;
}

describe('sharpeInterval', () => {
  it("is Lo's IID standard error, scaled by √q", () => {
    // Per-bar Sharpe 0.1 over 400 bars, 252 bars a year: SE = √252 · √(1.005 / 400).
    const annual = 0.1 * Math.sqrt(252);
    const r = sharpeInterval(annual, 400, 252)!;
    expect(r.standardError).toBeCloseTo(Math.sqrt(252) * Math.sqrt(1.005 / 400), 12);
    expect(r.lower).toBeCloseTo(annual - Z95 * r.standardError, 12);
    expect(r.upper).toBeCloseTo(annual + Z95 * r.standardError, 12);
  });

  it('refuses what has no interval', () => {
    expect(sharpeInterval(Number.NaN, 100, 252)).toBeNull();
    expect(sharpeInterval(1, 1, 252)).toBeNull();
    expect(sharpeInterval(1, 100, 0)).toBeNull();
  });

  it('covers the true Sharpe ratio about 95 % of the time on IID normal returns', () => {
    // 600 samples of 250 returns with true per-bar Sharpe 0.05 (mean 0.05, sd 1). The coverage
    // estimate has standard error √(0.95 · 0.05 / 600) ≈ 0.0089; 3 of them is the tolerance.
    const trials = 600;
    const n = 250;
    const q = 252;
    const trueAnnual = 0.05 * Math.sqrt(q);
    let covered = 0;
    for (let k = 0; k < trials; k++) {
      const x = normals(1000 + k, n);
      let mean = 0;
      for (const v of x) mean += v + 0.05;
      mean /= n;
      let ss = 0;
      for (const v of x) ss += (v + 0.05 - mean) ** 2;
      const sd = Math.sqrt(ss / (n - 1));
      const ci = sharpeInterval((mean / sd) * Math.sqrt(q), n, q)!;
      if (ci.lower <= trueAnnual && trueAnnual <= ci.upper) covered++;
    }
    expect(Math.abs(covered / trials - 0.95)).toBeLessThan(3 * Math.sqrt((0.95 * 0.05) / trials));
  });
});

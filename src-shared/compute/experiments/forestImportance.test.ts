import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.js';
import { forestImportance } from './forestImportance.js';

/** n runs of p parameters uniform in [0, 1), and their metric. */
function design(n: number, p: number, seed: number, metric: (row: number[]) => number, noise: number) {
  const rng = mulberry32(seed);
  const x = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: p }, () => rng());
    x.set(row, i * p);
    y[i] = metric(row) + noise * (rng() - 0.5);
  }
  return { x, y };
}

describe('forestImportance', () => {
  it('finds the parameter the metric depends on and gives the others next to nothing', () => {
    // accuracy = 0.5 + 0.1·lr_scaled (parameter 0), parameters 1 and 2 do not matter; 60 runs.
    const { x, y } = design(60, 3, 7, (r) => 0.5 + 0.1 * r[0]!, 0.01);
    const f = forestImportance(x, 3, y, { seed: 3 });
    const [lr, a, b] = f.parameters;
    expect(lr!.share).toBeGreaterThan(0.85);
    expect(a!.share).toBeLessThan(0.1);
    expect(b!.share).toBeLessThan(0.1);
    // The relevant parameter's increase is many standard errors above 0; the others' are not.
    expect(lr!.increase / lr!.standardError).toBeGreaterThan(5);
    expect(Math.abs(a!.increase)).toBeLessThan(lr!.increase / 20);
    // The forest explains most of the metric's variance out of bag (noise variance is 0.01²/12).
    expect(f.oobMse).toBeLessThan(0.25 * f.variance);
    expect(f.parameters.reduce((s, q) => s + q.share, 0)).toBeCloseTo(1, 12);
  });

  it('sees a categorical setting coded by index, and an interaction', () => {
    // The metric rises with parameter 0 only when parameter 1 (a 3-valued category, coded 0, 1, 2)
    // is its middle value: the category's effect between groups and parameter 0's within one are
    // of similar size (variances ≈ 0.0022 and 0.0011).
    const rng = mulberry32(11);
    const n = 90;
    const x = new Float64Array(n * 3);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const cont = rng();
      const cat = i % 3;
      const junk = rng();
      x.set([cont, cat, junk], i * 3);
      y[i] = cat === 1 ? 0.5 + 0.2 * cont : 0.5;
    }
    const f = forestImportance(x, 3, y, { seed: 5 });
    expect(f.parameters[1]!.share).toBeGreaterThan(0.3);
    expect(f.parameters[0]!.share).toBeGreaterThan(0.2);
    expect(f.parameters[2]!.share).toBeLessThan(0.05);
  });

  it('is reproducible from its seed and refuses too few runs or non-finite values', () => {
    const { x, y } = design(20, 2, 1, (r) => r[1]!, 0.1);
    expect(forestImportance(x, 2, y, { seed: 9 })).toEqual(forestImportance(x, 2, y, { seed: 9 }));
    expect(() => forestImportance(new Float64Array(6), 2, new Float64Array(3))).toThrow(/at least 4 runs/);
    expect(() => forestImportance(Float64Array.from([0, 1, 2, Number.NaN]), 1, new Float64Array(4))).toThrow(RangeError);
  });
});

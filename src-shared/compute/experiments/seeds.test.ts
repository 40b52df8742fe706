import { describe, expect, it } from 'vitest';
import { mulberry32, type Rng } from '../random.js';
import { normalQuantile } from './distributions.js';
import { compareWithBaseline, summarizeSeeds } from './seeds.js';

function gaussian(rng: Rng): number {
  return normalQuantile((rng() * 4294967295 + 0.5) / 4294967296);
}

describe('summarizeSeeds', () => {
  it('gives mean, std and the t-interval (SciPy reference)', () => {
    const s = summarizeSeeds([1, 2, 3, 4, 5]);
    expect(s.k).toBe(5);
    expect(s.mean).toBe(3);
    expect(s.std).toBeCloseTo(Math.sqrt(2.5), 14);
    expect(s.standardError).toBeCloseTo(Math.sqrt(0.5), 14);
    // scipy: 3 ∓ t.ppf(0.975, 4)·std/√5
    expect(s.interval?.low).toBeCloseTo(1.0367568385224428, 10);
    expect(s.interval?.high).toBeCloseTo(4.963243161477557, 10);
  });

  it('has no interval with one seed and refuses a failed seed', () => {
    expect(summarizeSeeds([0.7])).toEqual({ k: 1, mean: 0.7, std: null, standardError: null, confidence: 0.95, interval: null });
    expect(() => summarizeSeeds([0.7, Number.NaN])).toThrow(RangeError);
    expect(() => summarizeSeeds([])).toThrow(RangeError);
  });

  it('covers the true mean 95 % of the time with 4 seeds', () => {
    // 4000 intervals; coverage's sd is √(0.95·0.05/4000) ≈ 0.0034, so ±0.012 is 3.5 sd.
    const rng = mulberry32(31);
    let covered = 0;
    const reps = 4000;
    for (let r = 0; r < reps; r++) {
      const v = [0, 0, 0, 0].map(() => 0.6 + 0.02 * gaussian(rng));
      const { interval } = summarizeSeeds(v);
      if (interval && interval.low <= 0.6 && 0.6 <= interval.high) covered++;
    }
    expect(Math.abs(covered / reps - 0.95)).toBeLessThan(0.012);
  });
});

describe('compareWithBaseline', () => {
  const accuracy = [0.62, 0.64, 0.63, 0.65, 0.61];

  it('against a constant baseline (e.g. majority-class accuracy)', () => {
    expect(compareWithBaseline(accuracy, 0.55).verdict).toBe('better');
    expect(compareWithBaseline(accuracy, 0.63).verdict).toBe('inconclusive');
    expect(compareWithBaseline(accuracy, 0.7).verdict).toBe('worse');
    const c = compareWithBaseline(accuracy, 0.55);
    expect(c.method).toBe('against-constant');
    expect(c.improvement).toBeCloseTo(0.08, 12);
    expect(c.degreesOfFreedom).toBe(4);
  });

  it('orients losses: lower is better', () => {
    const loss = [0.68, 0.67, 0.69, 0.675];
    const c = compareWithBaseline(loss, 0.693, { higherIsBetter: false });
    expect(c.verdict).toBe('better');
    expect(c.improvement).toBeGreaterThan(0);
    expect(c.interval!.low).toBeGreaterThan(0);
  });

  it('pairs seeds: shared seed noise cancels', () => {
    // Seed effects (±0.05) dominate, but the model is 0.01 ahead on every seed.
    const baseline = [0.55, 0.6, 0.5, 0.58, 0.52];
    const model = baseline.map((b, i) => b + 0.01 + (i % 2 === 0 ? 0.001 : -0.001));
    expect(compareWithBaseline(model, baseline).method).toBe('paired');
    expect(compareWithBaseline(model, baseline).verdict).toBe('better');
    expect(compareWithBaseline(model, baseline, { paired: false }).verdict).toBe('inconclusive');
  });

  it('uses Welch’s interval for unpaired seeds (SciPy reference, floored ν)', () => {
    const a = [0.61, 0.66, 0.63, 0.7, 0.64];
    const b = [0.58, 0.6, 0.57, 0.62, 0.55, 0.59, 0.61];
    const c = compareWithBaseline(a, b);
    expect(c.method).toBe('welch');
    expect(c.degreesOfFreedom).toBe(6); // Satterthwaite ν = 6.77
    expect(c.interval!.low).toBeCloseTo(0.015863011968765613, 10);
    expect(c.interval!.high).toBeCloseTo(0.10299413088837694, 10);
    expect(c.verdict).toBe('better');
  });

  it('is inconclusive with a single seed', () => {
    const c = compareWithBaseline([0.9], 0.5);
    expect(c.verdict).toBe('inconclusive');
    expect(c.interval).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { emaSmooth, niceTicks } from './smoothing.js';

describe('emaSmooth', () => {
  it('is the identity at weight 0 and debiased from the first point', () => {
    expect(emaSmooth([3, 1, 2], 0)).toEqual([3, 1, 2]);
    // debiased: a constant series stays constant from its first point, not pulled toward 0
    expect(emaSmooth([2, 2, 2], 0.9).map((v) => Number(v.toFixed(12)))).toEqual([2, 2, 2]);
  });

  it('matches the moving average worked by hand', () => {
    // w = 0.5: last = 0.5, 1.25 → debiased 0.5/0.5 = 1, 1.25/0.75 = 5/3
    const [a, b] = emaSmooth([1, 2], 0.5);
    expect(a).toBeCloseTo(1, 12);
    expect(b).toBeCloseTo(5 / 3, 12);
  });

  it('passes a value that is not a number through without letting it into the average', () => {
    const out = emaSmooth([1, Number.NaN, 1], 0.5);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(1, 12);
  });
});

describe('niceTicks', () => {
  it('picks round steps covering the range', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.6412, 0.7013, 4)).toEqual([0.66, 0.68, 0.7]);
    expect(niceTicks(0, 40, 5)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(2, 2)).toEqual([2]);
    // 65,000 / 3 ≈ 21,700: steps of 20,000, not one tick at 50,000
    expect(niceTicks(10_000, 75_000, 3)).toEqual([20_000, 40_000, 60_000]);
    // A range of one ulp (a flat series): a few ticks, not an endless loop.
    const flat = niceTicks(1.0986122886681098, 1.0986122886681098 + 2.220446049250313e-16, 5);
    expect(flat.length).toBeGreaterThan(0);
    expect(flat.length).toBeLessThanOrEqual(7);
    const huge = niceTicks(123_456_789.5, 123_456_789.50000001, 5);
    expect(huge.length).toBeLessThanOrEqual(7);
  });
});

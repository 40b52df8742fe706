import { describe, expect, it } from 'vitest';
import { mulberry32, type Rng } from '../random.js';
import { normalQuantile } from './distributions.js';
import { binomial, probabilityOfBacktestOverfitting } from './pbo.js';

function gaussian(rng: Rng): number {
  return normalQuantile((rng() * 4294967295 + 0.5) / 4294967296);
}

/** T×N row-major matrix of N(mu[n], 1) draws. */
function noiseMatrix(T: number, mu: number[], rng: Rng): Float64Array {
  const N = mu.length;
  const m = new Float64Array(T * N);
  for (let t = 0; t < T; t++) for (let n = 0; n < N; n++) m[t * N + n] = mu[n] + gaussian(rng);
  return m;
}

describe('probabilityOfBacktestOverfitting', () => {
  it('hand-checkable case: a perfectly anti-persistent pair of trials is always overfit', () => {
    // T = 4, N = 2, S = 2: blocks {rows 0–1}, {rows 2–3}; metric = mean.
    // Trial A earns 3 then 0, trial B 1 then 2. Either half picks the trial that is worse in the other:
    // rank 1 of 2 → ω̄ = 1/3 → λ = ln(1/2).
    const m = Float64Array.from([3, 1, 3, 1, 0, 2, 0, 2]);
    const r = probabilityOfBacktestOverfitting(m, 2, { partitions: 2, metric: 'mean' });
    expect(r.combinations).toBe(2);
    for (const l of r.logits) expect(l).toBeCloseTo(Math.log(0.5), 14);
    expect(r.pbo).toBe(1);
    expect([...r.inSample]).toEqual([3, 2]);
    expect([...r.outOfSample]).toEqual([0, 1]);
    expect(r.probabilityOfLoss).toBe(0);
    expect(r.degradationSlope).toBeCloseTo(-1, 12);
    // Swap B's halves: now A is best in both halves → rank 2 of 2 → λ = ln 2, PBO 0.
    const persistent = Float64Array.from([3, 2, 3, 2, 2, 1, 2, 1]);
    const p = probabilityOfBacktestOverfitting(persistent, 2, { partitions: 2, metric: 'mean' });
    for (const l of p.logits) expect(l).toBeCloseTo(Math.log(2), 14);
    expect(p.pbo).toBe(0);
  });

  it('enumerates every half of the blocks exactly once', () => {
    expect(binomial(16, 8)).toBe(12_870);
    expect(binomial(20, 10)).toBe(184_756);
    // Each of S = 6 blocks holds one row in which only trial 0 earns 1, so trial 0's in-sample mean
    // is 1/3 (3 of 6 rows) whatever the combination, and distinct combinations give distinct pairs.
    const T = 6;
    const m = new Float64Array(T * 2);
    for (let t = 0; t < T; t++) m[t * 2] = t + 1;
    const r = probabilityOfBacktestOverfitting(m, 2, { partitions: 6, metric: 'mean' });
    expect(r.combinations).toBe(20);
    const sums = new Set([...r.inSample].map((v) => Math.round(v * 3)));
    // In-sample sums of 3 distinct values from 1…6 range over 6 … 15; all of them occur.
    expect(sums.size).toBe(10);
  });

  it('is near 0 when one trial truly dominates', () => {
    // Trial 0 has Sharpe 0.2 per period, the other 49 are noise. With S = 16 each half holds 500 rows,
    // so the standard error of a half's Sharpe is ≈ 1/√500 = 0.045: the winner's 0.2 is 4.5 se above
    // the others' 0 and above the max of 49 noise Sharpes (≈ 2.3 se ≈ 0.10) in nearly all halves.
    const rng = mulberry32(11);
    const mu = Array.from({ length: 50 }, (_, n) => (n === 0 ? 0.2 : 0));
    const r = probabilityOfBacktestOverfitting(noiseMatrix(1000, mu, rng), 50);
    expect(r.combinations).toBe(12_870);
    expect(r.pbo).toBeLessThan(0.05);
  });

  it('is near 0.5 on pure noise', () => {
    // With N = 10 exchangeable noise trials the winner's out-of-sample rank is uniform on 1…10, so
    // P(λ ≤ 0) = P(rank ≤ 5.5) = 1/2 exactly. One matrix's PBO is noisy (its combinations share
    // data), so average over 200 independent matrices: a PBO lies in [0, 1], so its variance is at
    // most 1/4 (Popoviciu) and the mean's sd at most 0.5/√200 ≈ 0.035; 0.1 is about 3 of those
    // worst-case sds.
    const rng = mulberry32(12);
    let sum = 0;
    let median = 0;
    const runs = 200;
    for (let k = 0; k < runs; k++) {
      const r = probabilityOfBacktestOverfitting(noiseMatrix(160, new Array(10).fill(0), rng), 10, { partitions: 8 });
      sum += r.pbo;
      const sorted = [...r.logits].sort((a, b) => a - b);
      median += sorted[sorted.length >> 1];
    }
    expect(Math.abs(sum / runs - 0.5)).toBeLessThan(0.1);
    // The logits' median averages near 0 too (λ ranges over ±ln 10 ≈ ±2.3).
    expect(Math.abs(median / runs)).toBeLessThan(0.3);
  });

  it('uses near-equal blocks when S does not divide T, and refuses bad input', () => {
    const rng = mulberry32(3);
    const m = noiseMatrix(101, [0, 0, 0], rng);
    expect(probabilityOfBacktestOverfitting(m, 3, { partitions: 4 }).combinations).toBe(6);
    expect(() => probabilityOfBacktestOverfitting(m, 3, { partitions: 5 })).toThrow(RangeError);
    expect(() => probabilityOfBacktestOverfitting(m, 1)).toThrow(RangeError);
    expect(() => probabilityOfBacktestOverfitting(m.subarray(0, 30), 3, { partitions: 16 })).toThrow(RangeError);
    const bad = Float64Array.from(m);
    bad[5] = Number.NaN;
    expect(() => probabilityOfBacktestOverfitting(bad, 3, { partitions: 4 })).toThrow(RangeError);
  });

  it('evaluates all 12,870 halves at the default S = 16 for N = 50 trials × T = 1000 rows', () => {
    const rng = mulberry32(5);
    const r = probabilityOfBacktestOverfitting(noiseMatrix(1000, new Array(50).fill(0), rng), 50);
    expect(r.combinations).toBe(binomial(16, 8));
    expect(r.logits).toHaveLength(binomial(16, 8));
    expect([...r.logits].every(Number.isFinite)).toBe(true);
  });
});

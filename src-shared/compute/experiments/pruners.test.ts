import { describe, expect, it } from 'vitest';
import { ashaPrune, ashaRungs, medianPrune } from './pruners.js';

// Five finished trials' validation losses over 4 epochs. At epoch 3 (step 2) they read
// 0.50, 0.55, 0.60, 0.65, 0.70: median 0.60.
const finished = [
  [0.9, 0.7, 0.5, 0.45],
  [0.9, 0.72, 0.55, 0.5],
  [0.9, 0.75, 0.6, 0.55],
  [0.9, 0.8, 0.65, 0.6],
  [0.9, 0.85, 0.7, 0.65],
];

describe('medianPrune', () => {
  it('prunes a trial whose best so far is worse than the median at the step', () => {
    expect(medianPrune([0.95, 0.8, 0.62], finished).prune).toBe(true);
    expect(medianPrune([0.95, 0.8, 0.6], finished).prune).toBe(false); // equal to the median: kept
    expect(medianPrune([0.95, 0.8, 0.58], finished).prune).toBe(false);
  });

  it('judges the best value so far, not the latest', () => {
    // A bad epoch 3 (0.9) after a good epoch 2 (0.59 ≤ 0.60) is forgiven.
    expect(medianPrune([0.95, 0.59, 0.9], finished).prune).toBe(false);
  });

  it('waits for startup trials and warm-up steps, and honours the interval', () => {
    expect(medianPrune([0.95, 0.8, 0.62], finished.slice(0, 4)).prune).toBe(false);
    expect(medianPrune([0.95, 0.8, 0.62], finished.slice(0, 4), { nStartupTrials: 4 }).prune).toBe(true); // median of 4 = 0.575
    expect(medianPrune([0.95, 0.8, 0.62], finished, { nWarmupSteps: 3 }).prune).toBe(false);
    expect(medianPrune([0.95, 0.8, 0.62], finished, { nWarmupSteps: 1, intervalSteps: 2 }).prune).toBe(false); // step 2 = warm-up + 1
    expect(medianPrune([0.95, 0.8, 0.62, 0.6], finished, { nWarmupSteps: 1, intervalSteps: 2 }).prune).toBe(true); // step 3: median 0.55
  });

  it('counts only the trials that reached the step, and prunes a diverged trial', () => {
    const short = finished.map((c, i) => (i < 2 ? c : c.slice(0, 2)));
    const d = medianPrune([0.95, 0.8, 0.99], short);
    expect(d.prune).toBe(false);
    expect(d.reason).toMatch(/only 2 other trial/);
    expect(medianPrune([0.95, Number.NaN], finished).prune).toBe(true);
    expect(medianPrune([], finished).prune).toBe(false);
  });
});

describe('ashaRungs', () => {
  it('places rungs at r·η^(s+k) below the maximum', () => {
    expect(ashaRungs({ minResource: 1, reductionFactor: 3, maxResource: 100 })).toEqual([1, 3, 9, 27, 81]);
    expect(ashaRungs({ minResource: 2, reductionFactor: 2, minEarlyStoppingRate: 1, maxResource: 40 })).toEqual([4, 8, 16, 32]);
    expect(() => ashaRungs({ reductionFactor: 1 })).toThrow(RangeError);
  });
});

describe('ashaPrune', () => {
  const opts = { minResource: 1, reductionFactor: 3 };
  it('promotes the first trial at a rung and then only the top 1/η', () => {
    expect(ashaPrune([0.8], [], opts).prune).toBe(false);
    // Rung 0 (epoch 1) already holds 0.5, 0.6, 0.7, 0.9, 1.0: with us n = 6, top ⌊6/3⌋ = 2.
    const others = [[0.5], [0.6], [0.7], [0.9], [1.0]];
    expect(ashaPrune([0.55], others, opts).prune).toBe(false); // rank 2
    expect(ashaPrune([0.65], others, opts).prune).toBe(true); // rank 3
    expect(ashaPrune([0.6], others, opts).prune).toBe(false); // tie with the 2nd: kept
  });

  it('decides only at rung boundaries and compares values at the rung epoch', () => {
    const others = [
      [0.9, 0.6, 0.4], // at rung 1 (epoch 3): 0.4
      [0.9, 0.6, 0.5],
      [0.9, 0.6, 0.45],
      [0.9, 0.6], // has not reached epoch 3: not counted there
    ];
    expect(ashaPrune([0.95, 0.7], others, opts).prune).toBe(false); // epoch 2: between rungs
    // Epoch 3: n = 4, keep ⌊4/3⌋ = 1; 0.42 ranks 2nd behind 0.4.
    const d = ashaPrune([0.95, 0.7, 0.42], others, opts);
    expect(d.prune).toBe(true);
    expect(d.reason).toMatch(/rank 2 of 4/);
    expect(ashaPrune([0.95, 0.7, 0.39], others, opts).prune).toBe(false);
  });

  it('counts pruned trials at the rungs they reached, ranks NaN last, and stops a diverged trial', () => {
    const others = [[0.5], [Number.NaN], [0.7]]; // n = 4 with us, keep 1
    expect(ashaPrune([0.6], others, opts).prune).toBe(true);
    expect(ashaPrune([0.4], others, opts).prune).toBe(false);
    expect(ashaPrune([Number.NaN], others, opts).prune).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';

import { LrSchedule } from './lrSchedule.js';

describe('LrSchedule', () => {
  it('keeps a constant rate', () => {
    const s = new LrSchedule({ kind: 'constant' }, 0.01, 10, 5);
    expect([0, 17, 49].map((t) => s.lrAt(t))).toEqual([0.01, 0.01, 0.01]);
  });

  it('warms up linearly, then decays along a cosine to minLr at the last step', () => {
    const s = new LrSchedule({ kind: 'cosine', warmupEpochs: 1, minLr: 1e-4 }, 1e-2, 10, 5);
    expect(s.lrAt(0)).toBeCloseTo(1e-3, 12);
    expect(s.lrAt(9)).toBeCloseTo(1e-2, 12);
    expect(s.lrAt(10)).toBeCloseTo(1e-2, 12);
    expect(s.lrAt(49)).toBeCloseTo(1e-4, 12);
    // Halfway through the decay the rate is the midpoint.
    const mid = 10 + (49 - 10) / 2;
    expect(s.lrAt(mid)).toBeCloseTo((1e-2 + 1e-4) / 2, 12);
    for (let t = 11; t < 50; t++) expect(s.lrAt(t)).toBeLessThanOrEqual(s.lrAt(t - 1));
  });

  it('reduces on a plateau after `patience` epochs and restores its state', () => {
    const s = new LrSchedule({ kind: 'plateau', factor: 0.5, patience: 2, minLr: 0.02 }, 0.1, 10, 20);
    for (const loss of [1, 0.9, 0.95, 0.91]) s.onEpochEnd(loss);
    expect(s.lrAt(0)).toBeCloseTo(0.05, 12);
    const saved = JSON.parse(JSON.stringify(s.state()));
    const copy = new LrSchedule({ kind: 'plateau', factor: 0.5, patience: 2, minLr: 0.02 }, 0.1, 10, 20);
    copy.restore(saved);
    for (const sched of [s, copy]) for (const loss of [0.92, 0.93, 0.94, 0.95]) sched.onEpochEnd(loss);
    expect(copy.lrAt(0)).toBe(s.lrAt(0));
    expect(s.lrAt(0)).toBeCloseTo(0.02, 12);
    // A fresh schedule's "no best yet" survives JSON.
    const fresh = new LrSchedule({ kind: 'plateau', factor: 0.5, patience: 1 }, 0.1, 10, 20);
    fresh.restore(JSON.parse(JSON.stringify(fresh.state())));
    fresh.onEpochEnd(5);
    expect(fresh.state().best).toBe(5);
  });
});

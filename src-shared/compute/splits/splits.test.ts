import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.js';
import { chronologicalSplit } from './chronological.js';
import { rangeIndices, rangeLength, type IndexRange } from './index-range.js';
import { applyStandardizer, fitPooledStandardizer, fitStandardizer } from './standardizer.js';
import { purgedWalkForwardSplits } from './walk-forward.js';

/** Asserts that `a`'s samples and their label windows [t+1, t+h] end at least `embargo` bars before `b` starts. */
function expectPurgedBefore(a: IndexRange, b: IndexRange, horizon: number, embargo: number): void {
  if (rangeLength(a) === 0 || rangeLength(b) === 0) return;
  const lastLabelBar = a.end - 1 + horizon;
  expect(lastLabelBar, `label window of ${a.end - 1} reaches ${lastLabelBar}, next split starts ${b.start}`).toBeLessThan(b.start - embargo);
  expect(embargo).toBeGreaterThanOrEqual(horizon);
}

describe('chronologicalSplit', () => {
  it('cuts 70/15/15 and purges + embargoes at each boundary', () => {
    const s = chronologicalSplit(1000, { train: 0.7, val: 0.15, test: 0.15 }, 5, 10);
    expect(s.train).toEqual({ start: 0, end: 685 });
    expect(s.val).toEqual({ start: 700, end: 835 });
    expect(s.test).toEqual({ start: 850, end: 995 });
    expect(s.embargo).toBe(10);
  });

  it('raises an embargo shorter than the horizon to the horizon', () => {
    const s = chronologicalSplit(1000, { train: 0.7, val: 0.15, test: 0.15 }, 20, 3);
    expect(s.embargo).toBe(20);
    expect(s.val.start - s.train.end).toBe(40);
  });

  it('holds its invariants for random sizes, fractions, horizons and embargoes', () => {
    const rng = mulberry32(5);
    for (let trial = 0; trial < 500; trial++) {
      const n = Math.floor(rng() * 3000);
      const train = rng();
      const val = rng() * (1 - train);
      const test = (1 - train - val) * rng();
      const h = 1 + Math.floor(rng() * 30);
      const e = Math.floor(rng() * 40);
      const s = chronologicalSplit(n, { train, val, test }, h, e);
      const ranges = [s.train, s.val, s.test];
      for (const r of ranges) {
        expect(r.start).toBeGreaterThanOrEqual(0);
        expect(r.end).toBeGreaterThanOrEqual(r.start);
        // Every label window lies inside the data.
        if (rangeLength(r) > 0) expect(r.end - 1 + h).toBeLessThanOrEqual(n - 1);
      }
      expectPurgedBefore(s.train, s.val, h, s.embargo);
      expectPurgedBefore(s.val, s.test, h, s.embargo);
      expectPurgedBefore(s.train, s.test, h, s.embargo);
      expect(s.train.end <= s.val.start && s.val.end <= s.test.start).toBe(true);
    }
  });

  it('gives empty ranges instead of negative ones and rejects bad fractions', () => {
    const s = chronologicalSplit(10, { train: 0.5, val: 0.25, test: 0.25 }, 5, 5);
    expect([rangeLength(s.train), rangeLength(s.val), rangeLength(s.test)]).toEqual([0, 0, 0]);
    expect(() => chronologicalSplit(10, { train: 0.8, val: 0.3, test: 0 }, 1, 1)).toThrow(RangeError);
    expect(() => chronologicalSplit(10, { train: 0.5, val: 0.2, test: 0.2 }, 1.5, 1)).toThrow(RangeError);
  });
});

describe('purgedWalkForwardSplits', () => {
  it('tests on consecutive blocks, training strictly before each one with purge and embargo', () => {
    const folds = purgedWalkForwardSplits(1000, { folds: 4, horizon: 10, embargo: 15, minTrain: 300 });
    expect(folds.length).toBe(4);
    expect(folds[0].test.start).toBe(300 + 10 + 15);
    expect(folds[3].test.end).toBe(990);
    for (let k = 0; k < folds.length; k++) {
      const { train, test } = folds[k];
      expect(train.start).toBe(0);
      expect(rangeLength(train)).toBeGreaterThanOrEqual(300);
      expectPurgedBefore(train, test, 10, 15);
      if (k > 0) expect(test.start).toBe(folds[k - 1].test.end);
    }
  });

  it('rolls the training window with maxTrain and holds invariants on random inputs', () => {
    const rng = mulberry32(6);
    for (let trial = 0; trial < 300; trial++) {
      const horizon = 1 + Math.floor(rng() * 20);
      const embargo = Math.floor(rng() * 30);
      const minTrain = 1 + Math.floor(rng() * 200);
      const maxTrain = rng() < 0.5 ? undefined : minTrain + Math.floor(rng() * 300);
      const folds = 1 + Math.floor(rng() * 8);
      const n = minTrain + 2 * horizon + Math.max(embargo, horizon) + folds + Math.floor(rng() * 2000);
      const out = purgedWalkForwardSplits(n, { folds, horizon, embargo, minTrain, maxTrain });
      expect(out.length).toBe(folds);
      for (const { train, test } of out) {
        expect(rangeLength(test)).toBeGreaterThan(0);
        expect(test.end - 1 + horizon).toBeLessThanOrEqual(n - 1);
        expect(rangeLength(train)).toBeGreaterThanOrEqual(minTrain);
        if (maxTrain !== undefined) expect(rangeLength(train)).toBeLessThanOrEqual(maxTrain);
        expectPurgedBefore(train, test, horizon, Math.max(embargo, horizon));
      }
    }
  });

  it('throws when the data cannot hold the folds', () => {
    expect(() => purgedWalkForwardSplits(100, { folds: 5, horizon: 10, embargo: 10, minTrain: 80 })).toThrow(/test rows/);
  });
});

describe('standardizer', () => {
  // 6 rows × 2 features; rows 0..3 are training rows.
  const data = Float32Array.from([1, 10, 2, 10, 3, 10, 4, 10, 1000, -5, NaN, 7]);

  it('fits mean and population std on training rows only', () => {
    const s = fitStandardizer(data, 6, 2, { start: 0, end: 4 });
    expect(Array.from(s.mean)).toEqual([2.5, 10]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(s.std[1]).toBe(1); // constant in training: scale 1, not division by zero
    const same = fitStandardizer(data, 6, 2, Uint32Array.from([3, 1, 0, 2]));
    expect(Array.from(same.mean)).toEqual(Array.from(s.mean));
  });

  it('ignores validation and test rows, whatever they hold', () => {
    const poisoned = data.slice();
    for (let i = 8; i < 12; i++) poisoned[i] = 1e30;
    const a = fitStandardizer(data, 6, 2, rangeIndices({ start: 0, end: 4 }));
    const b = fitStandardizer(poisoned, 6, 2, rangeIndices({ start: 0, end: 4 }));
    expect(Array.from(b.mean)).toEqual(Array.from(a.mean));
    expect(Array.from(b.std)).toEqual(Array.from(a.std));
  });

  it('skips NaN when fitting and maps NaN to 0 when applying', () => {
    const s = fitStandardizer(data, 6, 2, { start: 3, end: 6 });
    expect(s.mean[0]).toBe(502); // (4 + 1000) / 2, NaN skipped
    expect(s.count[0]).toBe(2);
    const z = applyStandardizer(data, 6, 2, fitStandardizer(data, 6, 2, { start: 0, end: 4 }));
    expect(z[0]).toBeCloseTo((1 - 2.5) / Math.sqrt(1.25), 6);
    expect(z[10]).toBe(0);
    expect(z[9]).toBe(-15);
    const clipped = applyStandardizer(data, 6, 2, fitStandardizer(data, 6, 2, { start: 0, end: 4 }), undefined, 3);
    expect(clipped[8]).toBe(3);
  });

  it('applies in place and pools several matrices like one concatenated matrix', () => {
    const a = Float32Array.from([1, 2, 3, 4]);
    const b = Float32Array.from([5, 6, 7, 8, 9, 10]);
    const pooled = fitPooledStandardizer(
      [
        { data: a, rows: 2, trainRows: { start: 0, end: 2 } },
        { data: b, rows: 3, trainRows: { start: 0, end: 2 } },
      ],
      2,
    );
    const concat = fitStandardizer(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 4, 2, { start: 0, end: 4 });
    expect(Array.from(pooled.mean)).toEqual(Array.from(concat.mean));
    expect(Array.from(pooled.std)).toEqual(Array.from(concat.std));
    const out = applyStandardizer(a, 2, 2, pooled, a);
    expect(out).toBe(a);
    expect(a[0]).toBeCloseTo((1 - 4) / Math.sqrt(5), 6);
  });

  it('rejects rows outside the matrix and mismatched shapes', () => {
    expect(() => fitStandardizer(data, 6, 2, [6])).toThrow(RangeError);
    expect(() => fitStandardizer(data, 6, 2, { start: 0, end: 7 })).toThrow(RangeError);
    expect(() => fitStandardizer(data, 5, 2, [0])).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { testPeriodFolds } from './evaluateRun.js';

describe('testPeriodFolds', () => {
  it('reports each quarter of the test period by the first and last bar it holds', () => {
    // 1,001 five-minute bars: the quarter edges fall at 04:27:30-style times between bars.
    const n = 1001;
    const start = Date.parse('2025-01-06T00:00:00Z');
    const ts = Float64Array.from({ length: n }, (_, i) => start + i * 300_000);
    const yTrue = Int8Array.from({ length: n }, (_, i) => i % 2);
    const probs = Float32Array.from({ length: n * 2 }, (_, j) => (j % 2 === 0 ? 0.4 : 0.6));
    const folds = testPeriodFolds({ ts, yTrue, probs, symbolIndex: new Int32Array(n), classNames: ['DOWN', 'UP'], symbols: ['X'] }, new Int8Array(n), 1);
    expect(folds).toHaveLength(4);
    const onBar = new Set(ts);
    for (const f of folds) {
      expect(onBar.has(f.fromTs)).toBe(true);
      expect(onBar.has(f.toTs)).toBe(true);
    }
    expect(folds[0]!.fromTs).toBe(ts[0]);
    expect(folds[3]!.toTs).toBe(ts[n - 1]);
    // Consecutive folds meet at consecutive bars, and their samples add up to the test split.
    for (let f = 1; f < 4; f++) expect(folds[f]!.fromTs - folds[f - 1]!.toTs).toBe(300_000);
    expect(folds.reduce((s, f) => s + f.samples, 0)).toBe(n);
  });
});

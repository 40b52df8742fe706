import { describe, expect, it } from 'vitest';
import { medianSpacingMs } from './spacing.js';

const H = 3_600_000;

describe('medianSpacingMs', () => {
  it('finds the bar spacing despite weekend gaps and duplicates', () => {
    const ts: number[] = [];
    for (let d = 0; d < 14; d++) {
      if (d % 7 >= 5) continue; // weekends missing
      for (let h = 0; h < 24; h++) ts.push(d * 24 * H + h * H);
    }
    ts.splice(10, 0, ts[10]!); // a duplicate
    expect(medianSpacingMs(Float64Array.from(ts))).toBe(H);
  });
  it('honours length and returns null without two distinct times', () => {
    const a = Float64Array.from([0, 300_000, 600_000, 99, 99]);
    expect(medianSpacingMs(a, 3)).toBe(300_000);
    expect(medianSpacingMs(Float64Array.from([5]))).toBeNull();
    expect(medianSpacingMs(Float64Array.from([5, 5, 5]))).toBeNull();
    expect(medianSpacingMs(new Float64Array(0))).toBeNull();
  });
  it('returns an observed gap (lower median), not an average of two', () => {
    expect(medianSpacingMs(Float64Array.from([0, 60_000, 360_000]))).toBe(60_000);
  });
});

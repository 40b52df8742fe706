import { describe, expect, it } from 'vitest';
import type { DurationMs } from '../../domain/units.js';
import { generateMarket } from '../generator/index.js';
import type { OhlcvColumns } from '../rollup/columns.js';
import { healthReport } from './healthReport.js';
import { mergeHealthParts } from './mergeHealth.js';

const slice = (c: OhlcvColumns, from: number, to: number): OhlcvColumns => ({
  ts: c.ts.subarray(from, to),
  open: c.open.subarray(from, to),
  high: c.high.subarray(from, to),
  low: c.low.subarray(from, to),
  close: c.close.subarray(from, to),
  volume: c.volume.subarray(from, to),
});

describe('mergeHealthParts', () => {
  it('gives the counts, gaps and flags of one whole report when blocks overlap by one candle', () => {
    const [s] = generateMarket({ symbols: 1, bars: 40_000, timeframeMs: 300_000 as DurationMs, startMs: 0 as never, seed: 4, signal: 0 });
    // Damage it: a gap straddling a block boundary, zero volume, an invalid candle.
    const keep = Array.from({ length: s!.ts.length }, (_, i) => i).filter((i) => i < 9_990 || i >= 10_050);
    const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]!);
    const cols = { ts: pick(s!.ts), open: pick(s!.open), high: pick(s!.high), low: pick(s!.low), close: pick(s!.close), volume: pick(s!.volume) };
    cols.volume[20_000] = 0;
    cols.high[30_000] = cols.low[30_000]! * 0.5;
    const tf = 300_000 as DurationMs;
    const whole = healthReport(cols, tf);
    const block = 9_990;
    const parts = [];
    for (let from = 0; from < cols.ts.length; from += block) {
      const start = Math.max(0, from - 1);
      parts.push({ report: healthReport(slice(cols, start, Math.min(cols.ts.length, from + block)), tf), overlapsPrevious: from > 0 });
    }
    const merged = mergeHealthParts(parts);
    for (const k of ['rows', 'expectedRows', 'missingBars', 'gapCount', 'zeroVolumeBars', 'invalidBars', 'flatBars', 'offGridBars'] as const) {
      expect(merged.summary[k], k).toBe(whole.summary[k]);
    }
    expect(merged.summary.largestGaps[0]).toEqual(whole.summary.largestGaps[0]);
    expect(merged.flags.length).toBe(whole.flags.length);
    expect(merged.flags[30_000]).toBe(2);
    expect(Array.from(merged.flags)).toEqual(Array.from(whole.flags).map((f, i) => (whole.reasons[i]! & 0x18 ? merged.flags[i] : f)));
    expect(Math.abs(merged.summary.score - whole.summary.score)).toBeLessThanOrEqual(1);
    expect(merged.summary.verdict).toBe(whole.summary.verdict);
  });
});

import { describe, expect, it } from 'vitest';
import { durationMs } from '../../domain/units.js';
import type { OhlcvColumns } from './columns.js';
import { RollupAccumulator, bucketStart, concatRolled, rollupCandles, rollupTargets } from './rollup.js';
import type { RolledCandles } from './rollup.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** Random candles on a `baseMs` grid with about `dropRate` of the bars missing. */
function randomCandles(n: number, baseMs: number, startMs: number, dropRate: number, seed: number): OhlcvColumns {
  let state = seed;
  const rand = (): number => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 4_294_967_296;
  };
  const cols = { ts: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[], volume: [] as number[] };
  let price = 100;
  for (let i = 0; i < n; i++) {
    if (rand() < dropRate) continue;
    const o = price;
    const c = o * (1 + (rand() - 0.5) * 0.02);
    cols.ts.push(startMs + i * baseMs);
    cols.open.push(o);
    cols.close.push(c);
    cols.high.push(Math.max(o, c) * (1 + rand() * 0.01));
    cols.low.push(Math.min(o, c) * (1 - rand() * 0.01));
    cols.volume.push(Math.round(rand() * 1000));
    price = c;
  }
  return {
    ts: Float64Array.from(cols.ts),
    open: Float64Array.from(cols.open),
    high: Float64Array.from(cols.high),
    low: Float64Array.from(cols.low),
    close: Float64Array.from(cols.close),
    volume: Float64Array.from(cols.volume),
  };
}

/** The obvious implementation, written independently: group by bucket key in a Map. */
function naiveRollup(c: OhlcvColumns, targetMs: number): RolledCandles {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < c.ts.length; i++) {
    const t = c.ts[i]!;
    // Weeks: days since the epoch, shifted so that Monday is day 0 of the week.
    const key = targetMs === WEEK ? t - (((Math.floor(t / DAY) + 3) % 7) * DAY + (t % DAY)) : t - (t % targetMs);
    const g = groups.get(key) ?? [];
    g.push(i);
    groups.set(key, g);
  }
  const keys = [...groups.keys()].sort((a, b) => a - b);
  const pick = (f: (idx: number[]) => number): Float64Array => Float64Array.from(keys.map((k) => f(groups.get(k)!)));
  return {
    ts: Float64Array.from(keys),
    open: pick((g) => c.open[g[0]!]!),
    high: pick((g) => Math.max(...g.map((i) => c.high[i]!))),
    low: pick((g) => Math.min(...g.map((i) => c.low[i]!))),
    close: pick((g) => c.close[g[g.length - 1]!]!),
    volume: pick((g) => g.reduce((s, i) => s + c.volume[i]!, 0)),
    count: Uint32Array.from(keys.map((k) => groups.get(k)!.length)),
  };
}

function expectSame(a: RolledCandles, b: RolledCandles): void {
  expect(Array.from(a.ts)).toEqual(Array.from(b.ts));
  expect(Array.from(a.count)).toEqual(Array.from(b.count));
  for (const key of ['open', 'high', 'low', 'close'] as const) expect(Array.from(a[key])).toEqual(Array.from(b[key]));
  // Sums may differ in the last bit by summation order; integer volumes make them exact here.
  expect(Array.from(a.volume)).toEqual(Array.from(b.volume));
}

function slice(c: OhlcvColumns, from: number, to: number): OhlcvColumns {
  return { ts: c.ts.subarray(from, to), open: c.open.subarray(from, to), high: c.high.subarray(from, to), low: c.low.subarray(from, to), close: c.close.subarray(from, to), volume: c.volume.subarray(from, to) };
}

describe('rollupCandles', () => {
  // Starts mid-bucket (a Wednesday 13:07) so that first and last buckets are partial.
  const start = Date.UTC(2024, 0, 3, 13, 7);
  const base = randomCandles(30_000, MIN, start, 0.1, 17);

  for (const [label, target] of [['5m', 5 * MIN], ['1h', HOUR], ['4h', 4 * HOUR], ['1d', DAY], ['1w', WEEK]] as const) {
    it(`matches a naive implementation for 1m → ${label} with missing bars`, () => {
      expectSame(rollupCandles(base, durationMs(MIN), durationMs(target)), naiveRollup(base, target));
    });
  }

  it('aligns weeks to Monday 00:00 UTC and days to midnight UTC', () => {
    const daily = randomCandles(30, DAY, Date.UTC(2024, 0, 1), 0, 3); // 2024-01-01 is a Monday
    const weeks = rollupCandles(daily, durationMs(DAY), durationMs(WEEK));
    expect(Array.from(weeks.ts).map((t) => new Date(t).toISOString())).toEqual([
      '2024-01-01T00:00:00.000Z', '2024-01-08T00:00:00.000Z', '2024-01-15T00:00:00.000Z', '2024-01-22T00:00:00.000Z', '2024-01-29T00:00:00.000Z',
    ]);
    expect(Array.from(weeks.count)).toEqual([7, 7, 7, 7, 2]);
    expect(new Date(bucketStart(Date.UTC(2024, 5, 9, 23, 59), WEEK)).toISOString()).toBe('2024-06-03T00:00:00.000Z'); // a Sunday night
    expect(new Date(bucketStart(Date.UTC(2024, 5, 9, 23, 59), DAY)).toISOString()).toBe('2024-06-09T00:00:00.000Z');
    expect(new Date(bucketStart(Date.UTC(2024, 5, 9, 23, 59), 4 * HOUR)).toISOString()).toBe('2024-06-09T20:00:00.000Z');
  });

  it('reports partial buckets through count and keeps NaN volume unknown', () => {
    const c = randomCandles(12, 5 * MIN, Date.UTC(2024, 0, 1, 0, 20), 0, 5); // 00:20 … 01:15
    c.volume[2] = NaN; // the 00:30 bar
    const h = rollupCandles(c, durationMs(5 * MIN), durationMs(HOUR));
    expect(Array.from(h.count)).toEqual([8, 4]);
    expect(h.volume[0]).toBeNaN();
    expect(h.volume[1]).toBe(c.volume[8]! + c.volume[9]! + c.volume[10]! + c.volume[11]!);
    expect(h.open[0]).toBe(c.open[0]);
    expect(h.close[1]).toBe(c.close[11]);
  });

  it('gives the same result streamed in uneven chunks as in one call', () => {
    const acc = new RollupAccumulator(durationMs(MIN), durationMs(HOUR));
    const parts: RolledCandles[] = [];
    let at = 0;
    for (const size of [1, 59, 60, 7, 1000, 3, 12_000, 30_000]) {
      const to = Math.min(base.ts.length, at + size);
      const part = acc.push(slice(base, at, to));
      // Nothing emitted may still be open: every emitted bucket ends at or before the next input.
      if (part.ts.length > 0 && to < base.ts.length) expect(part.ts[part.ts.length - 1]! + HOUR).toBeLessThanOrEqual(base.ts[to]!);
      parts.push(part);
      at = to;
    }
    parts.push(acc.flush());
    expectSame(concatRolled(parts), rollupCandles(base, durationMs(MIN), durationMs(HOUR)));
    expect(acc.flush().ts.length).toBe(0);
  });

  it('refuses unsorted input and targets that are not coarser multiples', () => {
    const c = randomCandles(10, MIN, 0, 0, 1);
    c.ts.reverse();
    expect(() => rollupCandles(c, durationMs(MIN), durationMs(HOUR))).toThrow(RangeError);
    expect(() => new RollupAccumulator(durationMs(HOUR), durationMs(HOUR))).toThrow(RangeError);
    expect(() => new RollupAccumulator(durationMs(3 * MIN), durationMs(5 * MIN))).toThrow(RangeError);
  });
});

describe('rollupTargets', () => {
  it('lists the standard timeframes coarser than and divisible by the base', () => {
    expect(rollupTargets(durationMs(MIN))).toEqual([5 * MIN, 15 * MIN, HOUR, 4 * HOUR, DAY, WEEK]);
    expect(rollupTargets(durationMs(3 * MIN))).toEqual([15 * MIN, HOUR, 4 * HOUR, DAY, WEEK]);
    expect(rollupTargets(durationMs(HOUR))).toEqual([4 * HOUR, DAY, WEEK]);
    expect(rollupTargets(durationMs(DAY))).toEqual([WEEK]);
    expect(rollupTargets(durationMs(2 * DAY))).toEqual([]);
    expect(rollupTargets(durationMs(WEEK))).toEqual([]);
  });
});

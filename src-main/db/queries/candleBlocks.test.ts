import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspaceDb, type Db } from '../connection.js';
import { appendSeries, BLOCK_BARS, mergeIntoSeries, OWN_BARS, readSeriesAll, readSeriesPage, SeriesAppender, type MergeOutcome, type MergeRow } from './candleBlocks.js';
import { queryCandles } from './candles.js';
import { findOrCreateDataset } from './imports.js';

let db: Db;
let id: number;
beforeEach(() => {
  db = openWorkspaceDb(':memory:');
  id = findOrCreateDataset(db, { symbol: 'BTC/USDT', kind: 'spot', venue: null, expiry: null }, 60_000, 0).id;
});
afterEach(() => db.close());

const MIN = 60_000;
/** n bars one minute apart from `start`, close = index, volume NaN on every 7th bar. */
function bars(n: number, start = 0) {
  const ts = Array.from({ length: n }, (_, i) => start + i * MIN);
  const close = ts.map((t) => t / MIN);
  return { ts, cols: [close.map((c) => c + 0.25), close.map((c) => c + 1.5), close.map((c) => c - 1.5), close, close.map((c, i) => (i % 7 === 0 ? NaN : c / 100))] };
}
const blocksStored = () => db.prepare('SELECT bars FROM candle_blocks WHERE dataset_id = ? AND timeframe_ms = 0 ORDER BY first_ts').pluck().all(id) as number[];

describe('candle blocks', () => {
  it('answers a viewport across block borders, newest or oldest first, with NULL volume where there was none', () => {
    const n = 3 * BLOCK_BARS + 10;
    const b = bars(n);
    appendSeries(db, id, OWN_BARS, b.ts, b.cols);
    expect(blocksStored()).toEqual([BLOCK_BARS, BLOCK_BARS, BLOCK_BARS, 10]);
    const last = queryCandles(db, { datasetId: id, rollupMs: null, limit: 2000, anchor: 'last' });
    expect(last.ts).toEqual(b.ts.slice(n - 2000));
    expect(last.close).toEqual(b.cols[3]!.slice(n - 2000));
    const from = (BLOCK_BARS - 5) * MIN;
    const to = (2 * BLOCK_BARS + 3) * MIN;
    const first = queryCandles(db, { datasetId: id, rollupMs: null, from, to, limit: 100_000, anchor: 'first' });
    expect(first.ts[0]).toBe(from);
    expect(first.ts.at(-1)).toBe(to);
    expect(first.ts.length).toBe(BLOCK_BARS + 9);
    expect(first.volume).toEqual(b.cols[4]!.slice(BLOCK_BARS - 5, 2 * BLOCK_BARS + 4).map((v) => (Number.isNaN(v) ? null : v)));
    const capped = queryCandles(db, { datasetId: id, rollupMs: null, from, to, limit: 7, anchor: 'last' });
    expect(capped.ts).toEqual(b.ts.slice(2 * BLOCK_BARS - 3, 2 * BLOCK_BARS + 4));
    expect(queryCandles(db, { datasetId: id, rollupMs: null, from: n * MIN, limit: 10, anchor: 'first' }).ts).toEqual([]);
    expect(Array.from(readSeriesPage(db, id, OWN_BARS, 4 * MIN, 3).ts)).toEqual([5 * MIN, 6 * MIN, 7 * MIN]);
  });

  it('appends to a partial newest block by rewriting it full, not by leaving small blocks behind', () => {
    const b = bars(BLOCK_BARS + 100);
    appendSeries(db, id, OWN_BARS, b.ts.slice(0, 100), b.cols.map((c) => c.slice(0, 100)));
    const appender = new SeriesAppender(db, id, OWN_BARS, 5);
    for (let i = 100; i < b.ts.length; i++) appender.push(b.ts[i]!, b.cols[0]![i]!, b.cols[1]![i]!, b.cols[2]![i]!, b.cols[3]![i]!, b.cols[4]![i]!);
    appender.flush();
    expect(blocksStored()).toEqual([BLOCK_BARS, 100]);
    expect(Array.from(readSeriesAll(db, id, OWN_BARS).ts)).toEqual(b.ts);
  });

  it('merges out-of-order bars: new times go in, identical repeats are kept once, a differing repeat replaces the stored bar', () => {
    const b = bars(2 * BLOCK_BARS);
    appendSeries(db, id, OWN_BARS, b.ts, b.cols);
    const stored = (i: number) => b.cols.map((c) => c[i]!);
    const rows: MergeRow[] = [
      { ts: -5 * MIN, values: [1, 2, 0.5, 1.5, 3], line: 1 }, // before everything
      { ts: 10 * MIN, values: stored(10), line: 2 }, // identical
      { ts: 10 * MIN, values: [9, 9, 9, 9, 9], line: 3 }, // differs from the repeat before it
      { ts: BLOCK_BARS * MIN + 30_000, values: [5, 5, 5, 5, NaN], line: 4 }, // between two stored bars
      { ts: (BLOCK_BARS + 1) * MIN, values: stored(BLOCK_BARS + 1), line: 5 },
      { ts: 3 * BLOCK_BARS * MIN, values: [7, 7, 7, 7, 7], line: 6 }, // after everything
    ];
    const outcomes: [number, MergeOutcome][] = [];
    mergeIntoSeries(db, id, OWN_BARS, rows, (r, o) => outcomes.push([r.line, o]));
    expect(outcomes).toEqual([
      [1, 'new'],
      [2, 'same'],
      [3, 'replaced'],
      [4, 'new'],
      [5, 'same'],
      [6, 'new'],
    ]);
    const all = readSeriesAll(db, id, OWN_BARS);
    expect(all.ts.length).toBe(2 * BLOCK_BARS + 3);
    expect(Array.from(all.ts).every((t, i) => i === 0 || t > all.ts[i - 1]!)).toBe(true);
    const at = (t: number) => Array.from(all.ts).indexOf(t);
    expect(all.close[at(10 * MIN)]).toBe(9);
    expect(Number.isNaN(all.volume[at(BLOCK_BARS * MIN + 30_000)]!)).toBe(true);
    expect(all.close[at(3 * BLOCK_BARS * MIN)]).toBe(7);
    // no block grew past the limit
    expect(Math.max(...blocksStored())).toBeLessThanOrEqual(BLOCK_BARS);
  });
});

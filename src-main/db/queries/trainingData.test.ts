import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openWorkspaceDb, type Db } from '../connection.js';
import { appendSeries, mergeIntoSeries, OWN_BARS } from './candleBlocks.js';
import { ensureExtraColumns, findOrCreateDataset } from './imports.js';
import { loadTrainingCandles } from './trainingData.js';

let db: Db;
beforeEach(() => {
  db = openWorkspaceDb(':memory:');
});
afterEach(() => db.close());

describe('loadTrainingCandles', () => {
  it('loads candles with extra columns aligned by timestamp (NaN where a bar has no value)', () => {
    const { id } = findOrCreateDataset(db, { symbol: 'BTC/USDT', kind: 'spot', venue: null, expiry: null }, 60_000, 0);
    const bar = (i: number) => ({ ts: i * 60_000, values: [10 + i, 11 + i, 9 + i, 10.5 + i, i === 2 ? NaN : 100], line: i + 1 });
    mergeIntoSeries(db, id, OWN_BARS, [0, 1, 2, 3, 4].map(bar), () => {});
    const [funding, oi] = ensureExtraColumns(db, id, ['funding', 'open_interest']);
    const extra = db.prepare('INSERT INTO extra_values (column_id, ts, value) VALUES (?, ?, ?)');
    // funding: bars 1 and 3 only, plus a value at a ts with no candle; open interest: every bar, one NULL.
    extra.run(funding, 60_000, 0.01);
    extra.run(funding, 150_000, 99);
    extra.run(funding, 180_000, -0.02);
    for (let i = 0; i < 5; i++) extra.run(oi, i * 60_000, i === 4 ? null : 1000 + i);

    const loaded = loadTrainingCandles(db, id);
    expect(loaded?.symbol).toBe('BTC/USDT');
    expect(loaded?.timeframeMs).toBe(60_000);
    const c = loaded!.candles;
    expect(Array.from(c.close)).toEqual([10.5, 11.5, 12.5, 13.5, 14.5]);
    expect(Number.isNaN(c.volume[2])).toBe(true);
    expect(Array.from(c.extras!.funding)).toEqual([NaN, 0.01, NaN, -0.02, NaN]);
    expect(Array.from(c.extras!.open_interest)).toEqual([1000, 1001, 1002, 1003, NaN]);
  });

  it('returns null for a missing dataset and no extras for a dataset without extra columns', () => {
    expect(loadTrainingCandles(db, 42)).toBeNull();
    const { id } = findOrCreateDataset(db, { symbol: 'ETH/USDT', kind: 'spot', venue: null, expiry: null }, 60_000, 0);
    expect(loadTrainingCandles(db, id)?.candles.extras).toBeUndefined();
  });
});

describe('loadTrainingCandles at a coarser timeframe', () => {
  it('reads the roll-up and puts each extra value into the bar that contains it (the last one wins)', () => {
    const { id } = findOrCreateDataset(db, { symbol: 'BTC/USDT', kind: 'spot', venue: null, expiry: null }, 60_000, 0);
    appendSeries(db, id, OWN_BARS, Array.from({ length: 10 }, (_, i) => i * 60_000), Array.from({ length: 5 }, () => new Array<number>(10).fill(1)));
    appendSeries(db, id, 300_000, [0, 300_000], [[10, 11], [12, 13], [9, 10], [11, 12], [500, 400], [5, 5]]);
    const [funding, oi] = ensureExtraColumns(db, id, ['funding', 'open_interest']);
    const extra = db.prepare('INSERT INTO extra_values (column_id, ts, value) VALUES (?, ?, ?)');
    extra.run(funding, 60_000, 0.01);
    extra.run(funding, 240_000, 0.03);
    extra.run(funding, 420_000, -0.02);
    extra.run(oi, 0, 7);

    const loaded = loadTrainingCandles(db, id, { timeframeMs: 300_000, extraColumns: ['funding'] })!;
    expect(loaded.timeframeMs).toBe(300_000);
    expect(Array.from(loaded.candles.ts)).toEqual([0, 300_000]);
    expect(Array.from(loaded.candles.close)).toEqual([11, 12]);
    expect(Object.keys(loaded.candles.extras!)).toEqual(['funding']);
    expect(Array.from(loaded.candles.extras!.funding!)).toEqual([0.03, -0.02]);
    expect(loadTrainingCandles(db, id, { timeframeMs: 3_600_000 })).toBeNull();
  });
});

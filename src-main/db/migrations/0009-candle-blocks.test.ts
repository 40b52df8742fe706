import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openWorkspaceDb } from '../connection.js';
import { BLOCK_BARS } from '../queries/candleBlocks.js';
import { loadCandleArrays, queryCandles, rollupTimeframes } from '../queries/candles.js';
import { listDatasets } from '../queries/datasets.js';
import { trainingPlanFacts } from '../queries/trainingData.js';
import { LATEST_SCHEMA_VERSION, migrations } from './index.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const N = BLOCK_BARS + 1234;
const T0 = Date.UTC(2024, 0, 1);

/** A workspace as the version before 0009 wrote it: one row per candle and per roll-up bar. */
function version8Workspace(file: string) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  migrate(db, migrations.slice(0, 8));
  for (const [id, symbol] of [
    [1, 'BTC/USDT'],
    [2, 'ETH/USDT'],
  ] as const) {
    db.prepare("INSERT INTO datasets (id, symbol, kind, timeframe_ms, created_at, updated_at, row_count, first_ts, last_ts) VALUES (?, ?, 'spot', 60000, 0, 0, ?, ?, ?)").run(id, symbol, N, T0, T0 + (N - 1) * 60_000);
    const candle = db.prepare('INSERT INTO candles (dataset_id, ts, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?)');
    // prices with two decimals and volumes with three, as exchanges write them; one volume in ten missing
    const price = (i: number, add: number) => Math.round((100 + add + i / 100) * 100) / 100;
    for (let i = 0; i < N; i++) candle.run(id, T0 + i * 60_000, price(i, 0), price(i, 1), price(i, -1), price(i, 0.5 + id), i % 10 === 3 ? null : ((i * 7) % 1000) / 8);
    const roll = db.prepare('INSERT INTO rollups (dataset_id, timeframe_ms, ts, open, high, low, close, volume, bar_count) VALUES (?, 300000, ?, 1, 2, 0.5, 1.5, ?, 5)');
    for (let i = 0; i < Math.ceil(N / 5); i++) roll.run(id, T0 + i * 300_000, i === 0 ? null : 0.1 + i);
  }
  return db;
}

describe('0009-candle-blocks', () => {
  it('moves every candle and roll-up bar of a version-8 workspace into blocks, unchanged, and shrinks the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'candela-0009-'));
    dirs.push(dir);
    const file = join(dir, 'candela.db');
    const old = version8Workspace(file);
    const candles = (id: number) => old.prepare('SELECT ts, open, high, low, close, volume FROM candles WHERE dataset_id = ? ORDER BY ts').raw().all(id) as (number | null)[][];
    const before = { 1: candles(1), 2: candles(2) };
    const rollups = old.prepare('SELECT ts, open, high, low, close, volume FROM rollups WHERE dataset_id = 2 ORDER BY ts').raw().all() as (number | null)[][];
    old.pragma('wal_checkpoint(TRUNCATE)');
    old.close();
    const bytesBefore = statSync(file).size;

    const db = openWorkspaceDb(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('candles', 'rollups')").pluck().get()).toBe(0);
      for (const id of [1, 2] as const) {
        const c = loadCandleArrays(db, id);
        const asRows = Array.from(c.ts, (t, i) => [t, c.open[i], c.high[i], c.low[i], c.close[i], Number.isNaN(c.volume[i]) ? null : c.volume[i]]);
        expect(asRows).toEqual(before[id]);
      }
      const view = queryCandles(db, { datasetId: 2, rollupMs: 300_000, limit: 100_000, anchor: 'first' });
      expect(view.ts.map((t, i) => [t, view.open[i], view.high[i], view.low[i], view.close[i], view.volume[i]])).toEqual(rollups);
      expect(rollupTimeframes(db, 1)).toEqual([300_000]);
      expect(trainingPlanFacts(db, [1])[0]?.rollups).toEqual([{ timeframeMs: 300_000, bars: Math.ceil(N / 5) }]);
      expect(listDatasets(db).map((d) => d.rows)).toEqual([N, N]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    expect(statSync(file).size).toBeLessThan(bytesBefore / 2);
  });
});

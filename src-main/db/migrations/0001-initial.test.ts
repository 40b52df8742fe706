import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../connection.js';
import { migration0001 } from './0001-initial.js';

describe('0001-initial', () => {
  const db = new Database(':memory:');
  migrate(db, [migration0001]);

  it('keys candles by (dataset_id, ts) without rowid', () => {
    const sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'candles'").pluck().get() as string;
    expect(sql).toMatch(/PRIMARY KEY \(dataset_id, ts\)/);
    expect(sql).toMatch(/WITHOUT ROWID/);
  });

  it('refuses a second dataset for the same symbol and timeframe', () => {
    const insert = db.prepare('INSERT INTO datasets (symbol, timeframe_ms, created_at, updated_at) VALUES (?, ?, 0, 0)');
    insert.run('BTC/USDT', 300_000);
    expect(() => insert.run('BTC/USDT', 300_000)).toThrow(/UNIQUE/);
  });

  it('answers a viewport query with an index range scan', () => {
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM candles WHERE dataset_id = ? AND ts BETWEEN ? AND ? ORDER BY ts').all(1, 0, 1) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/SEARCH candles USING PRIMARY KEY \(dataset_id=\? AND ts>\? AND ts<\?\)/);
  });
});

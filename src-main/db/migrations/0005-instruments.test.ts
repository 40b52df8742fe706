import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../connection.js';
import { migration0001 } from './0001-initial.js';
import { migration0002 } from './0002-training-runs.js';
import { migration0003 } from './0003-evaluations.js';
import { migration0004 } from './0004-backtests.js';
import { migration0005 } from './0005-instruments.js';

const before = [migration0001, migration0002, migration0003, migration0004];

/** A version-4 workspace holding the datasets earlier imports made, each with one source file. */
function version4Workspace() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, before);
  const dataset = db.prepare('INSERT INTO datasets (symbol, timeframe_ms, exchange, created_at, updated_at, row_count) VALUES (?, ?, ?, 1, 2, 3) RETURNING id').pluck();
  const source = db.prepare("INSERT INTO dataset_sources (dataset_id, content_hash, file_name, format, bytes, rows_read, rows_imported, rows_rejected, duplicates, imported_at, report_json) VALUES (?, ?, ?, ?, 1, 1, 1, 0, 0, 0, '{}')");
  const add = (symbol: string, tf: number, exchange: string | null, file: string, format: string) => {
    const id = dataset.get(symbol, tf, exchange) as number;
    source.run(id, `hash-${id}`, file, format);
    db.prepare("INSERT INTO dataset_columns (dataset_id, name) VALUES (?, 'oi')").run(id);
    db.prepare("INSERT INTO dataset_health (dataset_id, computed_at, report_json) VALUES (?, 0, '{}')").run(id);
    db.prepare('INSERT INTO candles (dataset_id, ts, open, high, low, close, volume) VALUES (?, 0, 1, 1, 1, 1, 1)').run(id);
    return id;
  };
  const ids = {
    binanceSpot: add('BTCUSDT', 3_600_000, null, 'BTCUSDT-1h-2024-12.csv', 'Binance klines'),
    cddFutures: add('BTC/USDT', 86_400_000, 'BINANCE', 'BTCUSDT_Binance_futures_data_day.csv', 'CryptoDataDownload'),
    cddLegacy: add('BTCUSDT', 86_400_000, 'BINANCE', 'Binance_BTCUSDT_d.csv', 'CryptoDataDownload'),
    perp: add('BTC', 60_000, null, 'btc-perp-2024_1m.csv', 'Generic CSV'),
    fx: add('EURUSD', 3_600_000, null, 'EURUSD60.csv', 'MetaTrader 4'),
    stock: add('NVDA', 86_400_000, null, 'nvda-1999-2014.txt', 'Yahoo Finance'),
    // two old datasets that are one instrument by the new rules
    twinA: add('ETH/USDT', 300_000, null, 'ETH_USDT_5m.csv', 'Generic CSV'),
    twinB: add('ETHUSDT', 300_000, null, 'ETHUSDT_5m.csv', 'Generic CSV'),
  };
  db.prepare("INSERT INTO runs (id, name, status, config_json, seed, created_at, checkpoint_dir) VALUES (1, 'r', 'completed', '{}', 1, 0, '/x')").run();
  db.prepare("INSERT INTO run_datasets (run_id, dataset_id, symbol, timeframe_ms, rows, source_hashes) VALUES (1, ?, 'BTCUSDT', 3600000, 3, '[]')").run(ids.binanceSpot);
  return { db, ids };
}

describe('0005-instruments', () => {
  it('canonicalises symbols and infers kind and venue from the old symbol, exchange and source file', () => {
    const { db, ids } = version4Workspace();
    expect(migrate(db, [...before, migration0005])).toBe(5);
    const row = (id: number) => db.prepare('SELECT symbol, kind, venue, expiry, timeframe_ms AS tf, row_count AS rows, created_at AS createdAt FROM datasets WHERE id = ?').get(id);
    expect(row(ids.binanceSpot)).toEqual({ symbol: 'BTC/USDT', kind: 'spot', venue: 'binance', expiry: null, tf: 3_600_000, rows: 3, createdAt: 1 });
    expect(row(ids.cddFutures)).toMatchObject({ symbol: 'BTC/USDT', kind: 'perpetual', venue: 'binance' });
    expect(row(ids.cddLegacy)).toMatchObject({ symbol: 'BTC/USDT', kind: 'spot', venue: 'binance' });
    expect(row(ids.perp)).toMatchObject({ symbol: 'BTC', kind: 'perpetual', venue: null });
    expect(row(ids.fx)).toMatchObject({ symbol: 'EUR/USD', kind: 'spot', venue: null });
    expect(row(ids.stock)).toMatchObject({ symbol: 'NVDA', kind: 'spot', venue: null });
    // the later of two datasets that became one instrument keeps its old name; nothing merges
    expect(row(ids.twinA)).toMatchObject({ symbol: 'ETH/USDT', kind: 'spot' });
    expect(row(ids.twinB)).toMatchObject({ symbol: 'ETHUSDT', kind: 'spot' });
    // a run keeps the name it was trained under
    expect(db.prepare('SELECT symbol FROM run_datasets').pluck().get()).toBe('BTCUSDT');
  });

  it('keeps every row the datasets own, and deleting a dataset still cascades', () => {
    const { db, ids } = version4Workspace();
    migrate(db, [...before, migration0005]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    for (const table of ['dataset_sources', 'dataset_columns', 'dataset_health', 'candles']) {
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), table).toBe(8);
    }
    expect(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'dataset_sources'").pluck().get()).toMatch(/REFERENCES "?datasets"?\(id\)/);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name LIKE '%_0005'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('dataset_sources_hash', 'datasets_instrument')").pluck().get()).toBe(2);
    db.prepare('DELETE FROM datasets WHERE id = ?').run(ids.fx);
    expect(db.prepare('SELECT count(*) FROM dataset_sources').pluck().get()).toBe(7);
    expect(db.prepare('SELECT count(*) FROM dataset_health').pluck().get()).toBe(7);
  });

  it('lets spot and perpetual of one pair share a timeframe, and refuses a second identical instrument', () => {
    const { db } = version4Workspace();
    migrate(db, [...before, migration0005]);
    const insert = db.prepare('INSERT INTO datasets (symbol, kind, venue, expiry, timeframe_ms, created_at, updated_at) VALUES (?, ?, ?, ?, 60000, 0, 0)');
    insert.run('SOL/USDT', 'spot', null, null);
    insert.run('SOL/USDT', 'perpetual', null, null);
    insert.run('SOL/USDT', 'spot', 'binance', null);
    insert.run('SOL/USDT', 'future', null, Date.UTC(2024, 5, 28));
    insert.run('SOL/USDT', 'future', null, Date.UTC(2024, 8, 27));
    expect(() => insert.run('SOL/USDT', 'spot', null, null)).toThrow(/UNIQUE/);
    expect(() => insert.run('SOL/USDT', 'spot', 'binance', null)).toThrow(/UNIQUE/);
    expect(() => insert.run('SOL/USDT', 'spot', null, Date.UTC(2024, 5, 28))).toThrow(/CHECK/);
    expect(() => insert.run('SOL/USDT', 'option', null, null)).toThrow(/CHECK/);
  });
});

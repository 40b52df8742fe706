import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../connection.js';
import { backtestTrades, type TradeRow } from '../queries/backtests.js';
import { migrations } from './index.js';

/** A version-9 workspace with two backtests of one run, their trades one row each, as versions before 0010 stored them. */
function version9Workspace() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, migrations.slice(0, 9));
  db.prepare("INSERT INTO runs (id, name, status, config_json, seed, created_at, checkpoint_dir) VALUES (1, 'r1', 'completed', '{}', 7, 0, '/x')").run();
  for (const id of [1, 2]) db.prepare("INSERT INTO backtests (id, run_id, created_at, settings_json, summary_json) VALUES (?, 1, 0, '{}', '{}')").run(id);
  const insert = db.prepare(
    `INSERT INTO backtest_trades (backtest_id, symbol, seq, side, entry_ts, exit_ts, entry_price, exit_price, size, quantity, pnl, return_fraction, fees, funding, slippage, bars_held, exit_reason)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const reasons = ['signal', 'stop', 'take-profit', 'max-hold', 'liquidation', 'end'];
  // Rows inserted out of order: the blocks must follow seq, not insertion.
  for (const [backtest, symbol, count] of [[1, 'ETH/USDT', 5], [1, 'BTC/USDT', 3], [2, 'BTC/USDT', 0], [2, 'SOL/USDT', 7]] as const) {
    for (let seq = count - 1; seq >= 0; seq--) {
      const t0 = 1_700_000_000_000 + seq * 3_600_000;
      insert.run(backtest, symbol, seq, seq % 3 ? 'long' : 'short', t0, t0 + 900_000, 100.25 + seq / 3, 101.5 - seq / 7, 0.5, 0.012 * (seq + 1), -1.25 + seq * 0.1, 1e-3 * seq, 0.04, seq === 2 ? -0.0031 : 0.002, 0.01, seq + 1, reasons[seq % reasons.length]);
    }
  }
  return db;
}

const oldTrades = (db: Database.Database, id: number, symbol: string | null): TradeRow[] =>
  db
    .prepare(
      `SELECT symbol, side, entry_ts AS entryTs, exit_ts AS exitTs, entry_price AS entryPrice, exit_price AS exitPrice, size, quantity, pnl,
         return_fraction AS returnFraction, fees, funding, slippage, bars_held AS barsHeld, exit_reason AS exitReason
       FROM backtest_trades WHERE backtest_id = ? ${symbol === null ? '' : 'AND symbol = ?'} ORDER BY symbol, seq`,
    )
    .all(...(symbol === null ? [id] : [id, symbol])) as TradeRow[];

describe('0010-backtest-trade-columns', () => {
  it('moves every stored trade into a block per symbol, unchanged and in order, and the old table goes', () => {
    const db = version9Workspace();
    const before = { all1: oldTrades(db, 1, null), eth: oldTrades(db, 1, 'ETH/USDT'), all2: oldTrades(db, 2, null) };
    expect(before.all1).toHaveLength(8);
    expect(migrate(db, migrations.slice(0, 10))).toBe(10);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'backtest_trades'").pluck().get()).toBe(0);
    expect(backtestTrades(db, 1, null)).toEqual(before.all1);
    expect(backtestTrades(db, 1, 'ETH/USDT')).toEqual(before.eth);
    expect(backtestTrades(db, 2, null)).toEqual(before.all2);
    expect(backtestTrades(db, 2, 'BTC/USDT')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // A deleted backtest takes its trades with it, as before.
    db.prepare('DELETE FROM backtests WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) FROM backtest_trade_columns WHERE backtest_id = 1').pluck().get()).toBe(0);
  });
});

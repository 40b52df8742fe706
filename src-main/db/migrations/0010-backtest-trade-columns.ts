import { encodeTradeObjects, type StoredTrade } from '../../../src-shared/compute/backtest/tradeColumns.js';
import type { Migration } from './registry.js';

/**
 * A backtest's trades move from one row per trade to one block of columns per symbol
 * (codec: src-shared/compute/backtest/tradeColumns.ts): a 136-symbol backtest closes ~180k
 * trades, and storing them a row each was the slowest part of `candela backtest` (0.7 s of inserts
 * beside 2–3 s in all). Existing trades are copied per symbol in their stored order, unchanged;
 * then the old table goes.
 */
export const migration0010: Migration = {
  version: 10,
  name: '0010-backtest-trade-columns',
  up(db) {
    db.exec(`
      CREATE TABLE backtest_trade_columns (
        backtest_id INTEGER NOT NULL REFERENCES backtests(id) ON DELETE CASCADE,
        symbol TEXT NOT NULL,
        trades INTEGER NOT NULL CHECK (trades >= 0),
        data BLOB NOT NULL,
        PRIMARY KEY (backtest_id, symbol)
      ) WITHOUT ROWID;
    `);
    const rows = db.prepare(
      `SELECT side, entry_ts AS entryTs, exit_ts AS exitTs, entry_price AS entryPrice, exit_price AS exitPrice, size, quantity, pnl,
         return_fraction AS returnFraction, fees, funding, slippage, bars_held AS barsHeld, exit_reason AS exitReason
       FROM backtest_trades WHERE backtest_id = ? AND symbol = ? ORDER BY seq`,
    );
    const insert = db.prepare('INSERT INTO backtest_trade_columns (backtest_id, symbol, trades, data) VALUES (?, ?, ?, ?)');
    for (const [id, symbol] of db.prepare('SELECT DISTINCT backtest_id, symbol FROM backtest_trades').raw().all() as [number, string][]) {
      const trades = rows.all(id, symbol) as StoredTrade[];
      insert.run(id, symbol, trades.length, encodeTradeObjects(trades));
    }
    db.exec('DROP TABLE backtest_trades;');
  },
};

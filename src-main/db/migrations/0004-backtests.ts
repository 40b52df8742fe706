import type { Migration } from './registry.js';

/** Backtests of a run's out-of-sample signals, linked to the run and the exact settings used. */
export const migration0004: Migration = {
  version: 4,
  name: '0004-backtests',
  up(db) {
    db.exec(`
      CREATE TABLE backtests (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        settings_json TEXT NOT NULL,
        summary_json TEXT NOT NULL
      );
      CREATE INDEX backtests_run ON backtests(run_id, created_at);

      CREATE TABLE backtest_trades (
        backtest_id INTEGER NOT NULL REFERENCES backtests(id) ON DELETE CASCADE,
        symbol TEXT NOT NULL,
        seq INTEGER NOT NULL,
        side TEXT NOT NULL CHECK (side IN ('long', 'short')),
        entry_ts INTEGER NOT NULL, exit_ts INTEGER NOT NULL,
        entry_price REAL NOT NULL, exit_price REAL NOT NULL,
        size REAL NOT NULL, quantity REAL NOT NULL,
        pnl REAL NOT NULL, return_fraction REAL NOT NULL,
        fees REAL NOT NULL, funding REAL NOT NULL, slippage REAL NOT NULL,
        bars_held INTEGER NOT NULL, exit_reason TEXT NOT NULL,
        PRIMARY KEY (backtest_id, symbol, seq)
      ) WITHOUT ROWID;

      CREATE TABLE backtest_series (
        backtest_id INTEGER NOT NULL REFERENCES backtests(id) ON DELETE CASCADE,
        symbol TEXT NOT NULL,
        ts BLOB NOT NULL,
        equity BLOB NOT NULL,
        buy_hold BLOB NOT NULL,
        PRIMARY KEY (backtest_id, symbol)
      ) WITHOUT ROWID;
    `);
  },
};

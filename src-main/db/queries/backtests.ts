import type { Db } from '../connection.js';

export interface TradeRow {
  symbol: string;
  side: 'long' | 'short';
  entryTs: number;
  exitTs: number;
  entryPrice: number;
  exitPrice: number;
  size: number;
  quantity: number;
  pnl: number;
  returnFraction: number;
  fees: number;
  funding: number;
  slippage: number;
  barsHeld: number;
  exitReason: string;
}

export interface SeriesRow {
  symbol: string;
  ts: Float64Array;
  equity: Float64Array;
  buyHold: Float64Array;
}

const blob = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const floats = (b: Buffer) => new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

/** Stores a backtest with its trades and equity series in one transaction. */
export function saveBacktest(db: Db, runId: number, now: number, settingsJson: string, summaryJson: string, trades: TradeRow[], series: SeriesRow[]): number {
  return db.transaction(() => {
    const id = Number(db.prepare('INSERT INTO backtests (run_id, created_at, settings_json, summary_json) VALUES (?, ?, ?, ?)').run(runId, now, settingsJson, summaryJson).lastInsertRowid);
    const t = db.prepare(
      `INSERT INTO backtest_trades (backtest_id, symbol, seq, side, entry_ts, exit_ts, entry_price, exit_price, size, quantity, pnl, return_fraction, fees, funding, slippage, bars_held, exit_reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const seq = new Map<string, number>();
    for (const r of trades) {
      const n = seq.get(r.symbol) ?? 0;
      seq.set(r.symbol, n + 1);
      t.run(id, r.symbol, n, r.side, r.entryTs, r.exitTs, r.entryPrice, r.exitPrice, r.size, r.quantity, r.pnl, r.returnFraction, r.fees, r.funding, r.slippage, r.barsHeld, r.exitReason);
    }
    const s = db.prepare('INSERT INTO backtest_series (backtest_id, symbol, ts, equity, buy_hold) VALUES (?, ?, ?, ?, ?)');
    for (const r of series) s.run(id, r.symbol, blob(r.ts), blob(r.equity), blob(r.buyHold));
    return id;
  })();
}

export function listBacktests(db: Db, runId: number | null): { id: number; runId: number; createdAt: number; settingsJson: string; summaryJson: string }[] {
  const sql = `SELECT id, run_id AS runId, created_at AS createdAt, settings_json AS settingsJson, summary_json AS summaryJson FROM backtests ${runId === null ? '' : 'WHERE run_id = ?'} ORDER BY id DESC`;
  return (runId === null ? db.prepare(sql).all() : db.prepare(sql).all(runId)) as { id: number; runId: number; createdAt: number; settingsJson: string; summaryJson: string }[];
}

export function getBacktest(db: Db, id: number): { id: number; runId: number; createdAt: number; settingsJson: string; summaryJson: string } | null {
  const row = db.prepare('SELECT id, run_id AS runId, created_at AS createdAt, settings_json AS settingsJson, summary_json AS summaryJson FROM backtests WHERE id = ?').get(id);
  return (row as { id: number; runId: number; createdAt: number; settingsJson: string; summaryJson: string } | undefined) ?? null;
}

export function backtestTrades(db: Db, id: number, symbol: string | null): TradeRow[] {
  const sql = `SELECT symbol, side, entry_ts AS entryTs, exit_ts AS exitTs, entry_price AS entryPrice, exit_price AS exitPrice, size, quantity, pnl,
      return_fraction AS returnFraction, fees, funding, slippage, bars_held AS barsHeld, exit_reason AS exitReason
    FROM backtest_trades WHERE backtest_id = ? ${symbol === null ? '' : 'AND symbol = ?'} ORDER BY symbol, seq`;
  return (symbol === null ? db.prepare(sql).all(id) : db.prepare(sql).all(id, symbol)) as TradeRow[];
}

export function backtestSeries(db: Db, id: number, symbol: string): SeriesRow | null {
  const row = db.prepare('SELECT ts, equity, buy_hold AS buyHold FROM backtest_series WHERE backtest_id = ? AND symbol = ?').get(id, symbol) as { ts: Buffer; equity: Buffer; buyHold: Buffer } | undefined;
  return row ? { symbol, ts: floats(row.ts), equity: floats(row.equity), buyHold: floats(row.buyHold) } : null;
}

/** The dataset a run read for a symbol. */
export function runDatasetOfSymbol(db: Db, runId: number, symbol: string): number | null {
  return (db.prepare('SELECT dataset_id FROM run_datasets WHERE run_id = ? AND symbol = ?').pluck().get(runId, symbol) as number | undefined) ?? null;
}

import { decodeTradeColumns, type StoredTrade } from '../../../src-shared/compute/backtest/tradeColumns.js';
import type { Db } from '../connection.js';

export type TradeRow = StoredTrade & { symbol: string };

/** A symbol's trades as one block (src-shared/compute/backtest/tradeColumns.ts). */
export interface TradeBlock {
  symbol: string;
  trades: number;
  data: Uint8Array;
}

export interface SeriesRow {
  symbol: string;
  ts: Float64Array;
  equity: Float64Array;
  buyHold: Float64Array;
}

const blob = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const floats = (b: Buffer) => new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

/** Stores a backtest with its trades (a block per symbol) and equity series in one transaction. */
export function saveBacktest(db: Db, runId: number, now: number, settingsJson: string, summaryJson: string, trades: readonly TradeBlock[], series: SeriesRow[]): number {
  return db.transaction(() => {
    const id = Number(db.prepare('INSERT INTO backtests (run_id, created_at, settings_json, summary_json) VALUES (?, ?, ?, ?)').run(runId, now, settingsJson, summaryJson).lastInsertRowid);
    const t = db.prepare('INSERT INTO backtest_trade_columns (backtest_id, symbol, trades, data) VALUES (?, ?, ?, ?)');
    for (const b of trades) t.run(id, b.symbol, b.trades, b.data);
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

/** A backtest's trades, of one symbol or of all (by symbol, each in the order it closed them). */
export function backtestTrades(db: Db, id: number, symbol: string | null): TradeRow[] {
  const sql = `SELECT symbol, trades, data FROM backtest_trade_columns WHERE backtest_id = ? ${symbol === null ? '' : 'AND symbol = ?'} ORDER BY symbol`;
  const blocks = (symbol === null ? db.prepare(sql).all(id) : db.prepare(sql).all(id, symbol)) as { symbol: string; trades: number; data: Buffer }[];
  return blocks.flatMap((b) => decodeTradeColumns(b.data, b.trades).map((t) => ({ symbol: b.symbol, ...t })));
}

export function backtestSeries(db: Db, id: number, symbol: string): SeriesRow | null {
  const row = db.prepare('SELECT ts, equity, buy_hold AS buyHold FROM backtest_series WHERE backtest_id = ? AND symbol = ?').get(id, symbol) as { ts: Buffer; equity: Buffer; buyHold: Buffer } | undefined;
  return row ? { symbol, ts: floats(row.ts), equity: floats(row.equity), buyHold: floats(row.buyHold) } : null;
}

/** The dataset a run read for a symbol. */
export function runDatasetOfSymbol(db: Db, runId: number, symbol: string): number | null {
  return (db.prepare('SELECT dataset_id FROM run_datasets WHERE run_id = ? AND symbol = ?').pluck().get(runId, symbol) as number | undefined) ?? null;
}

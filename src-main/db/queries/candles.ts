import type { Db } from '../connection.js';
import { cachedStatement } from '../statements.js';
import { appendSeries, deleteSeries, OWN_BARS, readSeriesAll, readSeriesPage, readSeriesRange, rollupBarCounts, seriesBlocks } from './candleBlocks.js';

/** Columnar candles as they cross the contract: parallel arrays, ts in integer UTC ms. */
export interface CandleColumns {
  ts: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: (number | null)[];
}

/** Rolled-up bars of one timeframe, as produced by src-shared/compute/rollup. */
export interface RollupRows {
  ts: ArrayLike<number>;
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  close: ArrayLike<number>;
  volume: ArrayLike<number>;
  count: ArrayLike<number>;
}

export function clearRollups(db: Db, datasetId: number, timeframeMs: number): void {
  deleteSeries(db, datasetId, timeframeMs);
}

/** Replaces all of a dataset's rollups of one timeframe (call inside the import's transaction). */
export function replaceRollups(db: Db, datasetId: number, timeframeMs: number, r: RollupRows): void {
  clearRollups(db, datasetId, timeframeMs);
  insertRollups(db, datasetId, timeframeMs, r);
}

/** Appends rolled-up bars (buckets newer than any stored yet). */
export function insertRollups(db: Db, datasetId: number, timeframeMs: number, r: RollupRows): void {
  appendSeries(db, datasetId, timeframeMs, r.ts, [r.open, r.high, r.low, r.close, r.volume, r.count]);
}

export interface CandleQuery {
  datasetId: number;
  /** null: the dataset's own bars; else one of its rollup timeframes. */
  rollupMs: number | null;
  from?: number;
  to?: number;
  limit: number;
  /** 'last' returns the newest `limit` bars in the range (a chart opening at the right edge). */
  anchor: 'first' | 'last';
}

const toNullable = (v: number) => (Number.isNaN(v) ? null : v);

/** A viewport of candles: the blocks that hold the range, found by (dataset_id, timeframe_ms, first_ts), decoded. */
export function queryCandles(db: Db, q: CandleQuery): CandleColumns {
  const c = readSeriesRange(db, q.datasetId, q.rollupMs ?? OWN_BARS, q.from ?? -8.64e15, q.to ?? 8.64e15, q.limit, q.anchor);
  return { ts: Array.from(c.ts), open: Array.from(c.open), high: Array.from(c.high), low: Array.from(c.low), close: Array.from(c.close), volume: Array.from(c.volume, toNullable) };
}

export function rollupTimeframes(db: Db, datasetId: number): number[] {
  return rollupBarCounts(db, datasetId).map((r) => r.timeframeMs);
}

/**
 * The next `limit` base candles after `afterTs`, as columns: how long datasets are walked in
 * bounded memory (rollups and health reports are built page by page).
 */
export function readCandlePage(db: Db, datasetId: number, afterTs: number, limit: number): { ts: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array } {
  return readSeriesPage(db, datasetId, OWN_BARS, afterTs, limit);
}

/** All base candles of a dataset as typed arrays (health reports, rollups, features, backtests); NaN for no volume. */
export function loadCandleArrays(db: Db, datasetId: number): { ts: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array } {
  return readSeriesAll(db, datasetId, OWN_BARS);
}

export function saveHealth(db: Db, datasetId: number, summaryJson: string, flags: Uint8Array, score: number, verdict: string, now: number): void {
  cachedStatement(db, 
    `INSERT INTO dataset_health (dataset_id, computed_at, report_json, flags) VALUES (?, ?, ?, ?)
     ON CONFLICT(dataset_id) DO UPDATE SET computed_at = excluded.computed_at, report_json = excluded.report_json, flags = excluded.flags`,
  ).run(datasetId, now, summaryJson, Buffer.from(flags.buffer, flags.byteOffset, flags.byteLength));
  cachedStatement(db, 'UPDATE datasets SET health_score = ?, health_verdict = ? WHERE id = ?').run(score, verdict, datasetId);
}

export function loadHealth(db: Db, datasetId: number): { summaryJson: string; flags: Uint8Array; computedAt: number } | null {
  const row = cachedStatement(db, 'SELECT report_json, flags, computed_at FROM dataset_health WHERE dataset_id = ?').get(datasetId) as { report_json: string; flags: Buffer | null; computed_at: number } | undefined;
  if (!row) return null;
  return { summaryJson: row.report_json, flags: row.flags ? new Uint8Array(row.flags) : new Uint8Array(0), computedAt: row.computed_at };
}

/**
 * The timestamps of the candles whose health flag is not 0 (1 suspect, 2 bad), with the flag.
 * `flags` holds one byte per candle in time order, as stored beside the health report.
 */
export function flaggedCandleTimes(db: Db, datasetId: number, flags: Uint8Array): { flaggedTs: number[]; flaggedLevel: number[] } {
  const flaggedTs: number[] = [];
  const flaggedLevel: number[] = [];
  let i = 0;
  for (const b of seriesBlocks(db, datasetId, OWN_BARS)) {
    for (let k = 0; k < b.bars; k++, i++) {
      const f = flags[i] ?? 0;
      if (f !== 0) {
        flaggedTs.push(b.ts[k]!);
        flaggedLevel.push(f);
      }
    }
  }
  return { flaggedTs, flaggedLevel };
}

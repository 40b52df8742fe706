import type { Db } from '../connection.js';

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

const ROLLUP_ROWS_PER_INSERT = 128;

export function clearRollups(db: Db, datasetId: number, timeframeMs: number): void {
  db.prepare('DELETE FROM rollups WHERE dataset_id = ? AND timeframe_ms = ?').run(datasetId, timeframeMs);
}

/** Replaces all of a dataset's rollups of one timeframe (call inside the import's transaction). */
export function replaceRollups(db: Db, datasetId: number, timeframeMs: number, r: RollupRows): void {
  clearRollups(db, datasetId, timeframeMs);
  insertRollups(db, datasetId, timeframeMs, r);
}

/** Appends rolled-up bars (buckets not stored yet). */
export function insertRollups(db: Db, datasetId: number, timeframeMs: number, r: RollupRows): void {
  const row = '(?, ?, ?, ?, ?, ?, ?, ?, ?)';
  const many = db.prepare(`INSERT INTO rollups (dataset_id, timeframe_ms, ts, open, high, low, close, volume, bar_count) VALUES ${Array(ROLLUP_ROWS_PER_INSERT).fill(row).join(', ')}`);
  const one = db.prepare(`INSERT INTO rollups (dataset_id, timeframe_ms, ts, open, high, low, close, volume, bar_count) VALUES ${row}`);
  const n = r.ts.length;
  const args: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    const v = r.volume[i]!;
    args.push(datasetId, timeframeMs, r.ts[i]!, r.open[i]!, r.high[i]!, r.low[i]!, r.close[i]!, Number.isNaN(v) ? null : v, r.count[i]!);
    if (args.length === ROLLUP_ROWS_PER_INSERT * 9) {
      many.run(args);
      args.length = 0;
    }
  }
  for (let i = 0; i < args.length; i += 9) one.run(args.slice(i, i + 9));
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

/** A viewport of candles: one index range scan on (dataset_id[, timeframe_ms], ts). */
export function queryCandles(db: Db, q: CandleQuery): CandleColumns {
  const from = q.from ?? -8.64e15;
  const to = q.to ?? 8.64e15;
  const order = q.anchor === 'last' ? 'DESC' : 'ASC';
  const rows = (
    q.rollupMs === null
      ? db.prepare(`SELECT ts, open, high, low, close, volume FROM candles WHERE dataset_id = ? AND ts >= ? AND ts <= ? ORDER BY ts ${order} LIMIT ?`).raw().all(q.datasetId, from, to, q.limit)
      : db
          .prepare(`SELECT ts, open, high, low, close, volume FROM rollups WHERE dataset_id = ? AND timeframe_ms = ? AND ts >= ? AND ts <= ? ORDER BY ts ${order} LIMIT ?`)
          .raw()
          .all(q.datasetId, q.rollupMs, from, to, q.limit)
  ) as [number, number, number, number, number, number | null][];
  if (q.anchor === 'last') rows.reverse();
  const out: CandleColumns = { ts: [], open: [], high: [], low: [], close: [], volume: [] };
  for (const r of rows) {
    out.ts.push(r[0]);
    out.open.push(r[1]);
    out.high.push(r[2]);
    out.low.push(r[3]);
    out.close.push(r[4]);
    out.volume.push(r[5]);
  }
  return out;
}

export function rollupTimeframes(db: Db, datasetId: number): number[] {
  return db.prepare('SELECT DISTINCT timeframe_ms FROM rollups WHERE dataset_id = ? ORDER BY timeframe_ms').pluck().all(datasetId) as number[];
}

/**
 * The next `limit` base candles after `afterTs`, as columns: how long datasets are walked in
 * bounded memory (rollups and health reports are built page by page).
 */
export function readCandlePage(db: Db, datasetId: number, afterTs: number, limit: number): { ts: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array } {
  // One plucked column at a time: a flat array of numbers costs ~8 bytes a value, where row
  // arrays cost ~300 bytes a row and drove the importer's memory up by hundreds of MB.
  const column = (name: string) =>
    Float64Array.from(db.prepare(`SELECT ${name} FROM candles WHERE dataset_id = ? AND ts > ? ORDER BY ts LIMIT ?`).pluck().all(datasetId, afterTs, limit) as (number | null)[], (v) => v ?? NaN);
  return { ts: column('ts'), open: column('open'), high: column('high'), low: column('low'), close: column('close'), volume: column('volume') };
}

/**
 * All base candles of a dataset as typed arrays (health reports, rollups, features, backtests).
 * One query per column: better-sqlite3 builds a flat array of numbers far faster than row objects.
 */
export function loadCandleArrays(db: Db, datasetId: number): { ts: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array } {
  const column = (name: string) => Float64Array.from(db.prepare(`SELECT ${name} FROM candles WHERE dataset_id = ? ORDER BY ts`).pluck().all(datasetId) as (number | null)[], (v) => v ?? NaN);
  return { ts: column('ts'), open: column('open'), high: column('high'), low: column('low'), close: column('close'), volume: column('volume') };
}

export function saveHealth(db: Db, datasetId: number, summaryJson: string, flags: Uint8Array, score: number, verdict: string, now: number): void {
  db.prepare(
    `INSERT INTO dataset_health (dataset_id, computed_at, report_json, flags) VALUES (?, ?, ?, ?)
     ON CONFLICT(dataset_id) DO UPDATE SET computed_at = excluded.computed_at, report_json = excluded.report_json, flags = excluded.flags`,
  ).run(datasetId, now, summaryJson, Buffer.from(flags.buffer, flags.byteOffset, flags.byteLength));
  db.prepare('UPDATE datasets SET health_score = ?, health_verdict = ? WHERE id = ?').run(score, verdict, datasetId);
}

export function loadHealth(db: Db, datasetId: number): { summaryJson: string; flags: Uint8Array; computedAt: number } | null {
  const row = db.prepare('SELECT report_json, flags, computed_at FROM dataset_health WHERE dataset_id = ?').get(datasetId) as { report_json: string; flags: Buffer | null; computed_at: number } | undefined;
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
  for (const ts of db.prepare('SELECT ts FROM candles WHERE dataset_id = ? ORDER BY ts').pluck().iterate(datasetId) as IterableIterator<number>) {
    const f = flags[i++] ?? 0;
    if (f !== 0) {
      flaggedTs.push(ts);
      flaggedLevel.push(f);
    }
  }
  return { flaggedTs, flaggedLevel };
}

import type { Db } from '../connection.js';

const WEEK_MS = 604_800_000;
/** 1970-01-05, the first Monday after the epoch: weekly buckets start on Monday 00:00 UTC. */
const FIRST_MONDAY_MS = 4 * 86_400_000;
const origin = (tf: number) => (tf % WEEK_MS === 0 ? FIRST_MONDAY_MS : 0);

/** Columnar candles as they cross the contract: parallel arrays, ts in integer UTC ms. */
export interface CandleColumns {
  ts: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: (number | null)[];
}

/**
 * Rebuilds the rollups of one dataset for [fromTs, toTs] (widened to whole buckets) from its base
 * candles: open of the bucket's first bar, close of its last, max high, min low, summed volume.
 * The same bucket rule as `bucketStart` in src-shared/compute/rollup (floor toward −∞).
 */
export function rebuildRollups(db: Db, datasetId: number, targetsMs: readonly number[], fromTs: number, toTs: number): void {
  const del = db.prepare('DELETE FROM rollups WHERE dataset_id = ? AND timeframe_ms = ? AND ts >= ? AND ts <= ?');
  for (const tf of targetsMs) {
    const o = origin(tf);
    const start = Math.floor((fromTs - o) / tf) * tf + o;
    const end = Math.floor((toTs - o) / tf) * tf + o + tf - 1;
    del.run(datasetId, tf, start, end);
    // ((x % tf) + tf) % tf keeps the floor right for timestamps before the origin.
    db.prepare(
      `INSERT INTO rollups (dataset_id, timeframe_ms, ts, open, high, low, close, volume, bar_count)
       SELECT @id, @tf, g.bucket,
              (SELECT open FROM candles WHERE dataset_id = @id AND ts = g.t0), g.h, g.l,
              (SELECT close FROM candles WHERE dataset_id = @id AND ts = g.t1), g.v, g.n
       FROM (SELECT (ts - @o) - (((ts - @o) % @tf) + @tf) % @tf + @o AS bucket,
                    min(ts) AS t0, max(ts) AS t1, max(high) AS h, min(low) AS l, sum(volume) AS v, count(*) AS n
             FROM candles WHERE dataset_id = @id AND ts >= @start AND ts <= @end GROUP BY bucket) g`,
    ).run({ id: datasetId, tf, o, start, end });
  }
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

/** All base candles of a dataset as typed arrays (health reports, features, backtests). */
export function loadCandleArrays(db: Db, datasetId: number): { ts: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array } {
  const n = db.prepare('SELECT row_count FROM datasets WHERE id = ?').pluck().get(datasetId) as number;
  const ts = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  let i = 0;
  for (const r of db.prepare('SELECT ts, open, high, low, close, volume FROM candles WHERE dataset_id = ? ORDER BY ts').raw().iterate(datasetId) as IterableIterator<[number, number, number, number, number, number | null]>) {
    ts[i] = r[0];
    open[i] = r[1];
    high[i] = r[2];
    low[i] = r[3];
    close[i] = r[4];
    volume[i] = r[5] ?? NaN;
    i++;
  }
  return { ts: ts.subarray(0, i), open: open.subarray(0, i), high: high.subarray(0, i), low: low.subarray(0, i), close: close.subarray(0, i), volume: volume.subarray(0, i) };
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

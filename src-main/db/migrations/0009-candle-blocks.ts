import type { Database, Statement } from 'better-sqlite3';
import { encodeBlock } from '../../../src-shared/compute/blocks/columnBlock.js';
import type { Migration } from './registry.js';

/** Bars per block, as queries/candleBlocks.ts writes them (fixed here: a migration never changes). */
const BARS = 4096;

/**
 * Candles and roll-ups move from one row per bar to compressed blocks of up to 4,096 bars
 * (queries/candleBlocks.ts, codec in src-shared/compute/blocks): a row per bar cost ≈ 95 bytes per
 * 1m candle with its roll-ups and made every import a million b-tree inserts; a block is one
 * insert for thousands of bars, ≈ 20 bytes a bar. A series is (dataset_id, timeframe_ms), with
 * timeframe_ms 0 for the dataset's own bars. Existing bars are copied in time order, unchanged
 * (NULL volume becomes NaN inside a block and NULL again when read), then the old tables go;
 * the workspace file is compacted afterwards (`vacuumAfter`).
 */
export const migration0009: Migration = {
  version: 9,
  name: '0009-candle-blocks',
  vacuumAfter: true,
  up(db) {
    db.exec(`
      CREATE TABLE candle_blocks (
        dataset_id INTEGER NOT NULL,
        timeframe_ms INTEGER NOT NULL CHECK (timeframe_ms >= 0),
        first_ts INTEGER NOT NULL,
        last_ts INTEGER NOT NULL,
        bars INTEGER NOT NULL CHECK (bars > 0),
        data BLOB NOT NULL,
        PRIMARY KEY (dataset_id, timeframe_ms, first_ts)
      );
    `);
    for (const id of db.prepare('SELECT DISTINCT dataset_id FROM candles').pluck().all() as number[]) {
      copySeries(db, id, 0, db.prepare('SELECT ts, open, high, low, close, volume FROM candles WHERE dataset_id = ? AND ts > ? ORDER BY ts LIMIT ?').raw(), [id]);
    }
    for (const [id, tf] of db.prepare('SELECT DISTINCT dataset_id, timeframe_ms FROM rollups').raw().all() as [number, number][]) {
      copySeries(db, id, tf, db.prepare('SELECT ts, open, high, low, close, volume, bar_count FROM rollups WHERE dataset_id = ? AND timeframe_ms = ? AND ts > ? ORDER BY ts LIMIT ?').raw(), [id, tf]);
    }
    db.exec('DROP TABLE candles; DROP TABLE rollups;');
  },
};

/** Copies one series a block at a time: `page` reads the next BARS rows after a ts ([ts, …columns]). */
function copySeries(db: Database, datasetId: number, timeframeMs: number, page: Statement, keys: number[]): void {
  const insert = db.prepare('INSERT INTO candle_blocks (dataset_id, timeframe_ms, first_ts, last_ts, bars, data) VALUES (?, ?, ?, ?, ?, ?)');
  for (let after = -8.64e15; ; ) {
    const rows = page.all(...keys, after, BARS) as (number | null)[][];
    if (rows.length === 0) return;
    const width = rows[0]!.length - 1;
    const ts = Float64Array.from(rows, (r) => r[0]!);
    const cols = Array.from({ length: width }, (_, k) => Float64Array.from(rows, (r) => r[k + 1] ?? NaN));
    const data = encodeBlock(ts, cols);
    insert.run(datasetId, timeframeMs, ts[0]!, ts[ts.length - 1]!, ts.length, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    after = ts[ts.length - 1]!;
    if (rows.length < BARS) return;
  }
}

import type { Db } from '../connection.js';

/**
 * Staging of one file's rows in a TEMP table (per connection, on disk through temp_store=FILE so a
 * 1 GB CSV does not live in memory). Nothing touches the workspace until `mergeStage` runs in the
 * caller's transaction: a cancelled or killed import leaves the workspace as it was.
 *
 * Duplicate timestamps inside the file are resolved here by the documented rule "the last line
 * wins": every repeat counts as a duplicate, and as a conflict too when its values differ.
 */
export interface Stage {
  extraCount: number;
  insert(ts: number, o: number, h: number, l: number, c: number, v: number, line: number, extras: number[]): void;
  drop(): void;
}

const extraCols = (n: number) => Array.from({ length: n }, (_, i) => `e${i}`);

export function createStage(db: Db, extraCount: number): Stage {
  db.pragma('temp_store = FILE');
  db.exec('DROP TABLE IF EXISTS temp.import_stage');
  const extras = extraCols(extraCount);
  db.exec(`CREATE TEMP TABLE import_stage (
    ts INTEGER PRIMARY KEY, open REAL, high REAL, low REAL, close REAL, volume REAL,
    line INTEGER NOT NULL, first_line INTEGER NOT NULL, dups INTEGER NOT NULL DEFAULT 0, conflicts INTEGER NOT NULL DEFAULT 0
    ${extras.map((e) => `, ${e} REAL`).join('')})`);
  const differs = ['open', 'high', 'low', 'close', 'volume', ...extras].map((c) => `${c} IS NOT excluded.${c}`).join(' OR ');
  const stmt = db.prepare(
    `INSERT INTO import_stage (ts, open, high, low, close, volume, line, first_line${extras.map((e) => `, ${e}`).join('')})
     VALUES (?, ?, ?, ?, ?, ?, ?, ?${extras.map(() => ', ?').join('')})
     ON CONFLICT(ts) DO UPDATE SET dups = dups + 1, conflicts = conflicts + (${differs}),
       open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume,
       line = excluded.line${extras.map((e) => `, ${e} = excluded.${e}`).join('')}`,
  );
  return {
    extraCount,
    insert: extraCount
      ? (ts, o, h, l, c, v, line, ex) => void stmt.run(ts, o, h, l, c, Number.isNaN(v) ? null : v, line, line, ...ex.map((x) => (Number.isNaN(x) ? null : x)))
      : (ts, o, h, l, c, v, line) => void stmt.run(ts, o, h, l, c, Number.isNaN(v) ? null : v, line, line),
    drop: () => db.exec('DROP TABLE IF EXISTS temp.import_stage'),
  };
}

export interface StageStats {
  rows: number;
  duplicates: number;
  conflicts: number;
  firstTs: number | null;
  lastTs: number | null;
  conflictSample: { ts: number; firstLine: number; keptLine: number }[];
}

export function stageStats(db: Db): StageStats {
  const s = db
    .prepare('SELECT count(*) AS rows, coalesce(sum(dups), 0) AS duplicates, coalesce(sum(conflicts > 0), 0) AS conflicts, min(ts) AS firstTs, max(ts) AS lastTs FROM import_stage')
    .get() as Omit<StageStats, 'conflictSample'>;
  const conflictSample = db.prepare('SELECT ts, first_line AS firstLine, line AS keptLine FROM import_stage WHERE conflicts > 0 ORDER BY ts LIMIT 5').all() as StageStats['conflictSample'];
  return { ...s, conflictSample };
}

/** The first `limit` staged timestamps in time order, for the bar spacing when no timeframe was given. */
export function stagedTimestamps(db: Db, limit: number): Float64Array {
  return Float64Array.from(db.prepare('SELECT ts FROM import_stage ORDER BY ts LIMIT ?').pluck().all(limit) as number[]);
}

export function findSourceByHash(db: Db, contentHash: string): { datasetId: number; fileName: string; importedAt: number } | null {
  const row = db.prepare('SELECT dataset_id AS datasetId, file_name AS fileName, imported_at AS importedAt FROM dataset_sources WHERE content_hash = ? LIMIT 1').get(contentHash);
  return (row as { datasetId: number; fileName: string; importedAt: number } | undefined) ?? null;
}

export function findOrCreateDataset(db: Db, symbol: string, timeframeMs: number, exchange: string | null, now: number): { id: number; created: boolean } {
  const existing = db.prepare('SELECT id FROM datasets WHERE symbol = ? AND timeframe_ms = ?').pluck().get(symbol, timeframeMs) as number | undefined;
  if (existing !== undefined) return { id: existing, created: false };
  const info = db.prepare('INSERT INTO datasets (symbol, timeframe_ms, exchange, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(symbol, timeframeMs, exchange, now, now);
  return { id: Number(info.lastInsertRowid), created: true };
}

export interface MergeResult {
  newRows: number;
  /** Staged bars whose timestamp the dataset already had with the same values. */
  overlapIdentical: number;
  /** Staged bars that replaced different values already in the dataset (the later import wins). */
  overlapConflicts: number;
}

/** Moves the staged rows into the dataset; call inside the import's transaction. */
export function mergeStage(db: Db, datasetId: number, extraNames: string[]): MergeResult {
  const staged = db.prepare('SELECT count(*) FROM import_stage').pluck().get() as number;
  const overlap = db.prepare('SELECT count(*) FROM import_stage s JOIN candles c ON c.dataset_id = ? AND c.ts = s.ts').pluck().get(datasetId) as number;
  const changed = db
    .prepare(
      `INSERT INTO candles (dataset_id, ts, open, high, low, close, volume)
       SELECT ?, ts, open, high, low, close, volume FROM import_stage WHERE true ORDER BY ts
       ON CONFLICT(dataset_id, ts) DO UPDATE SET open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume
       WHERE candles.open IS NOT excluded.open OR candles.high IS NOT excluded.high OR candles.low IS NOT excluded.low
          OR candles.close IS NOT excluded.close OR candles.volume IS NOT excluded.volume`,
    )
    .run(datasetId).changes;
  const newRows = staged - overlap;
  extraNames.forEach((name, i) => {
    db.prepare('INSERT INTO dataset_columns (dataset_id, name) VALUES (?, ?) ON CONFLICT(dataset_id, name) DO NOTHING').run(datasetId, name);
    const columnId = db.prepare('SELECT id FROM dataset_columns WHERE dataset_id = ? AND name = ?').pluck().get(datasetId, name) as number;
    db.prepare(
      `INSERT INTO extra_values (column_id, ts, value) SELECT ?, ts, e${i} FROM import_stage WHERE e${i} IS NOT NULL ORDER BY ts
       ON CONFLICT(column_id, ts) DO UPDATE SET value = excluded.value`,
    ).run(columnId);
  });
  const overlapConflicts = changed - newRows;
  return { newRows, overlapIdentical: overlap - overlapConflicts, overlapConflicts };
}

/** Refreshes row count and range after rows changed. */
export function refreshDatasetStats(db: Db, datasetId: number, now: number): void {
  db.prepare(
    `UPDATE datasets SET (row_count, first_ts, last_ts) = (SELECT count(*), min(ts), max(ts) FROM candles WHERE dataset_id = ?), updated_at = ? WHERE id = ?`,
  ).run(datasetId, now, datasetId);
}

export interface SourceRecord {
  datasetId: number;
  contentHash: string;
  fileName: string;
  format: string;
  bytes: number;
  rowsRead: number;
  rowsImported: number;
  rowsRejected: number;
  duplicates: number;
  importedAt: number;
  report: unknown;
}

export function recordSource(db: Db, s: SourceRecord): void {
  const info = db
    .prepare(
      `INSERT INTO dataset_sources (dataset_id, content_hash, file_name, format, bytes, rows_read, rows_imported, rows_rejected, duplicates, imported_at, report_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(s.datasetId, s.contentHash, s.fileName, s.format, s.bytes, s.rowsRead, s.rowsImported, s.rowsRejected, s.duplicates, s.importedAt, JSON.stringify(s.report));
  if (info.changes !== 1) throw new Error('recording the import source failed');
}

import type { DatasetSummary } from '../../../src-shared/contract/datasets.js';
import { msToTimeframe } from '../../../src-shared/domain/timeframe.js';
import type { Db } from '../connection.js';

interface DatasetRow {
  id: number;
  symbol: string;
  timeframe_ms: number;
  row_count: number;
  first_ts: number | null;
  last_ts: number | null;
  health_score: number | null;
  health_verdict: 'clean' | 'suspect' | 'bad' | null;
  created_at: number;
  extra_columns: string | null;
}

/** Rough on-disk size of one candle row (key + 5 REALs + b-tree overhead), for the table's size column. */
const BYTES_PER_CANDLE = 56;

const rowToDataset = (r: DatasetRow): DatasetSummary => ({
  id: r.id,
  symbol: r.symbol,
  timeframe: msToTimeframe(r.timeframe_ms),
  timeframeMs: r.timeframe_ms,
  rows: r.row_count,
  firstTs: r.first_ts,
  lastTs: r.last_ts,
  healthScore: r.health_score,
  healthVerdict: r.health_verdict,
  bytes: r.row_count * BYTES_PER_CANDLE,
  extraColumns: r.extra_columns ? (JSON.parse(r.extra_columns) as string[]) : [],
  createdAt: r.created_at,
});

const SELECT_DATASET = `
  SELECT d.id, d.symbol, d.timeframe_ms, d.row_count, d.first_ts, d.last_ts, d.health_score,
         d.health_verdict, d.created_at,
         (SELECT json_group_array(name) FROM (SELECT name FROM dataset_columns c WHERE c.dataset_id = d.id ORDER BY c.id)) AS extra_columns
  FROM datasets d`;

export function listDatasets(db: Db): DatasetSummary[] {
  const rows = db.prepare(`${SELECT_DATASET} ORDER BY d.symbol, d.timeframe_ms`).all() as DatasetRow[];
  return rows.map(rowToDataset);
}

export function getDataset(db: Db, id: number): DatasetSummary | null {
  const row = db.prepare(`${SELECT_DATASET} WHERE d.id = ?`).get(id) as DatasetRow | undefined;
  return row ? rowToDataset(row) : null;
}

/** Deletes a dataset with all it owns in one transaction; false when it did not exist. */
export function deleteDataset(db: Db, id: number): boolean {
  return db.transaction(() => {
    const columnIds = db.prepare('SELECT id FROM dataset_columns WHERE dataset_id = ?').pluck().all(id) as number[];
    const delExtra = db.prepare('DELETE FROM extra_values WHERE column_id = ?');
    for (const c of columnIds) delExtra.run(c);
    db.prepare('DELETE FROM candles WHERE dataset_id = ?').run(id);
    db.prepare('DELETE FROM rollups WHERE dataset_id = ?').run(id);
    const info = db.prepare('DELETE FROM datasets WHERE id = ?').run(id);
    return info.changes === 1;
  })();
}

/** Names of a dataset's extra numeric columns, in import order. */
export function extraColumnNames(db: Db, datasetId: number): string[] {
  return db.prepare('SELECT name FROM dataset_columns WHERE dataset_id = ? ORDER BY id').pluck().all(datasetId) as string[];
}

import { describeInstrument, renamedInstrument, type InstrumentChange } from '../../../src-shared/compute/import/instrument.js';
import type { DatasetSummary } from '../../../src-shared/contract/datasets.js';
import { ContractFailure } from '../../../src-shared/contract/result.js';
import type { ContractKind } from '../../../src-shared/domain/contractKind.js';
import { msToTimeframe } from '../../../src-shared/domain/timeframe.js';
import type { Db } from '../connection.js';
import { cachedStatement } from '../statements.js';
import { deleteSeries } from './candleBlocks.js';

interface DatasetRow {
  id: number;
  symbol: string;
  kind: ContractKind;
  venue: string | null;
  expiry: number | null;
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
  kind: r.kind,
  venue: r.venue,
  expiry: r.expiry,
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
  SELECT d.id, d.symbol, d.kind, d.venue, d.expiry, d.timeframe_ms, d.row_count, d.first_ts, d.last_ts, d.health_score,
         d.health_verdict, d.created_at,
         (SELECT json_group_array(name) FROM (SELECT name FROM dataset_columns c WHERE c.dataset_id = d.id ORDER BY c.id)) AS extra_columns
  FROM datasets d`;

export function listDatasets(db: Db): DatasetSummary[] {
  const rows = cachedStatement(db, `${SELECT_DATASET} ORDER BY d.symbol, d.kind, d.venue, d.expiry, d.timeframe_ms`).all() as DatasetRow[];
  return rows.map(rowToDataset);
}

export function getDataset(db: Db, id: number): DatasetSummary | null {
  const row = cachedStatement(db, `${SELECT_DATASET} WHERE d.id = ?`).get(id) as DatasetRow | undefined;
  return row ? rowToDataset(row) : null;
}

/** Deletes a dataset with all it owns in one transaction; false when it did not exist. */
export function deleteDataset(db: Db, id: number): boolean {
  return db.transaction(() => {
    const columnIds = cachedStatement(db, 'SELECT id FROM dataset_columns WHERE dataset_id = ?').pluck().all(id) as number[];
    const delExtra = cachedStatement(db, 'DELETE FROM extra_values WHERE column_id = ?');
    for (const c of columnIds) delExtra.run(c);
    deleteSeries(db, id);
    const info = cachedStatement(db, 'DELETE FROM datasets WHERE id = ?').run(id);
    return info.changes === 1;
  })();
}

/** Names of a dataset's extra numeric columns, in import order. */
export function extraColumnNames(db: Db, datasetId: number): string[] {
  return cachedStatement(db, 'SELECT name FROM dataset_columns WHERE dataset_id = ? ORDER BY id').pluck().all(datasetId) as string[];
}

/** The dataset of this instrument and timeframe, if any: the identity imports append to and renames must not collide with. */
export function findInstrumentDataset(db: Db, i: { symbol: string; kind: ContractKind; venue: string | null; expiry: number | null }, timeframeMs: number): number | null {
  // the expressions match the datasets_instrument index, so this is one index lookup
  const id = db
    .prepare(`SELECT id FROM datasets WHERE symbol = ? AND kind = ? AND ifnull(venue, '') = ifnull(?, '') AND ifnull(expiry, 0) = ifnull(?, 0) AND timeframe_ms = ?`)
    .pluck()
    .get(i.symbol, i.kind, i.venue, i.expiry, timeframeMs) as number | undefined;
  return id ?? null;
}

/**
 * Renames a dataset's instrument (see `renamedInstrument` for the rules); refused with a sentence
 * when the input is bad or another dataset of the same timeframe already is that instrument, in
 * which case nothing changes. Runs keep the symbol they were trained under: their prediction
 * files and backtests are keyed by it.
 */
export function renameDataset(db: Db, id: number, change: InstrumentChange, now: number): DatasetSummary {
  return db.transaction(() => {
    const current = getDataset(db, id);
    if (!current) throw new ContractFailure('NOT_FOUND', `Dataset ${id} does not exist.`);
    const next = renamedInstrument(current, change);
    if (!next.ok) throw new ContractFailure('BAD_REQUEST', next.error);
    const i = next.instrument;
    const other = findInstrumentDataset(db, i, current.timeframeMs);
    if (other !== null && other !== id) {
      throw new ContractFailure('CONFLICT', `Dataset ${other} is already ${describeInstrument(i)} at ${current.timeframe}; delete or rename that one first (datasets of one instrument and timeframe are not merged by renaming).`);
    }
    const info = cachedStatement(db, 'UPDATE datasets SET symbol = ?, kind = ?, venue = ?, expiry = ?, updated_at = ? WHERE id = ?').run(i.symbol, i.kind, i.venue, i.expiry, now, id);
    if (info.changes !== 1) throw new Error(`dataset ${id} vanished during its rename`);
    return getDataset(db, id)!;
  })();
}

import type { Db } from '../connection.js';

/** One dataset a run read, as the run recorded it when it started, with the files imported into it. */
export interface RunDatasetLineage {
  datasetId: number;
  symbol: string;
  /** The dataset's own bar size at the time (the run may have read a roll-up of it). */
  timeframeMs: number;
  /** Rows the dataset held when the run started. */
  rows: number;
  /** SHA-256 of each source file the dataset held when the run started, in import order. */
  sourceHashes: string[];
  /** The dataset's source files now (name, hash, when imported); empty once the dataset is deleted. */
  sources: { fileName: string; contentHash: string; importedAt: number }[];
}

/** The datasets a run read, with the source hashes it recorded, ordered by symbol. */
export function runLineage(db: Db, runId: number): RunDatasetLineage[] {
  const rows = db.prepare('SELECT dataset_id AS datasetId, symbol, timeframe_ms AS timeframeMs, rows, source_hashes AS hashes FROM run_datasets WHERE run_id = ? ORDER BY symbol').all(runId) as {
    datasetId: number;
    symbol: string;
    timeframeMs: number;
    rows: number;
    hashes: string;
  }[];
  const sources = db.prepare('SELECT file_name AS fileName, content_hash AS contentHash, imported_at AS importedAt FROM dataset_sources WHERE dataset_id = ? ORDER BY id');
  return rows.map(({ hashes, ...r }) => ({ ...r, sourceHashes: JSON.parse(hashes) as string[], sources: sources.all(r.datasetId) as RunDatasetLineage['sources'] }));
}

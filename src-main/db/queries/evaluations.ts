import type { Db } from '../connection.js';
import { OWN_BARS, readSeriesAll } from './candleBlocks.js';

export function saveEvaluation(db: Db, runId: number, samples: number, reportJson: string, now: number): number {
  return Number(db.prepare("INSERT INTO evaluations (run_id, split, created_at, samples, report_json) VALUES (?, 'test', ?, ?, ?)").run(runId, now, samples, reportJson).lastInsertRowid);
}

/** The newest evaluation of a run, or null. */
export function latestEvaluation(db: Db, runId: number): { id: number; createdAt: number; reportJson: string } | null {
  const row = db.prepare('SELECT id, created_at AS createdAt, report_json AS reportJson FROM evaluations WHERE run_id = ? ORDER BY id DESC LIMIT 1').get(runId);
  return (row as { id: number; createdAt: number; reportJson: string } | undefined) ?? null;
}

/** Closes of a dataset keyed by time, for baselines that look at the previous bar. */
export function closesOf(db: Db, datasetId: number, timeframeMs?: number): { ts: Float64Array; close: Float64Array } {
  // A run at a coarser bar size than the dataset's own reads the roll-up it trained on.
  const own = timeframeMs === undefined || (db.prepare('SELECT timeframe_ms FROM datasets WHERE id = ?').pluck().get(datasetId) as number | undefined) === timeframeMs;
  const c = readSeriesAll(db, datasetId, own ? OWN_BARS : timeframeMs!);
  return { ts: c.ts, close: c.close };
}

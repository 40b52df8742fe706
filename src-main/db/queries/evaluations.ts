import type { Db } from '../connection.js';

export function saveEvaluation(db: Db, runId: number, samples: number, reportJson: string, now: number): number {
  return Number(db.prepare("INSERT INTO evaluations (run_id, split, created_at, samples, report_json) VALUES (?, 'test', ?, ?, ?)").run(runId, now, samples, reportJson).lastInsertRowid);
}

/** The newest evaluation of a run, or null. */
export function latestEvaluation(db: Db, runId: number): { id: number; createdAt: number; reportJson: string } | null {
  const row = db.prepare('SELECT id, created_at AS createdAt, report_json AS reportJson FROM evaluations WHERE run_id = ? ORDER BY id DESC LIMIT 1').get(runId);
  return (row as { id: number; createdAt: number; reportJson: string } | undefined) ?? null;
}

/** Closes of a dataset keyed by time, for baselines that look at the previous bar. */
export function closesOf(db: Db, datasetId: number): { ts: Float64Array; close: Float64Array } {
  const ts = Float64Array.from(db.prepare('SELECT ts FROM candles WHERE dataset_id = ? ORDER BY ts').pluck().all(datasetId) as number[]);
  const close = Float64Array.from(db.prepare('SELECT close FROM candles WHERE dataset_id = ? ORDER BY ts').pluck().all(datasetId) as number[]);
  return { ts, close };
}

import { z } from 'zod';
import { ContractFailure } from '../../../src-shared/contract/result.js';
import { isFinishedRunStatus, trainingConfigSchema, type EpochMetrics, type RunDetail, type RunStatus, type RunSummary, type TrainingConfig } from '../../../src-shared/contract/training.js';
import { msToTimeframe } from '../../../src-shared/domain/timeframe.js';
import type { Db } from '../connection.js';
import { batchHistory } from './runBatches.js';

interface RunRow {
  id: number;
  name: string;
  status: RunStatus;
  config_json: string;
  backend: string | null;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  failure: string | null;
  best_epoch: number | null;
  summary_json: string | null;
  test_json: string | null;
  epochs_done: number;
  last_val_acc: number | null;
  verdict: string | null;
  sweep_id: number | null;
}

const SELECT_RUN = `
  SELECT r.*, (SELECT count(*) FROM run_epochs e WHERE e.run_id = r.id) AS epochs_done,
         (SELECT val_acc FROM run_epochs e WHERE e.run_id = r.id ORDER BY epoch DESC LIMIT 1) AS last_val_acc,
         (SELECT json_extract(report_json, '$.bootstrap.verdicts.accuracyVsMajority') FROM evaluations v WHERE v.run_id = r.id ORDER BY v.id DESC LIMIT 1) AS verdict,
         (SELECT t.sweep_id FROM sweep_trials t WHERE t.run_id = r.id) AS sweep_id
  FROM runs r`;

const RESUMABLE: RunStatus[] = ['paused', 'interrupted', 'failed'];

/**
 * A paused or interrupted run can always go on (one cut off in its first epoch restarts from
 * scratch). A failed run only from a checkpoint: one that failed before finishing an epoch would
 * fail the same way again, so it is not offered.
 */
function isResumable(status: RunStatus, epochsDone: number, epochsPlanned: number): boolean {
  if (!RESUMABLE.includes(status) || epochsDone >= epochsPlanned) return false;
  return status !== 'failed' || epochsDone > 0;
}

function rowToRun(db: Db, r: RunRow): RunSummary {
  const config = JSON.parse(r.config_json) as { model: string; epochs: number; validation?: 'holdout' | 'walk-forward'; folds?: number; timeframe?: string; ensemble?: unknown };
  // An ensemble (src-main/runs/ensemble.ts) keeps its members' shared config and trains nothing.
  const ensemble = config.ensemble !== undefined;
  const walkForward = config.validation === 'walk-forward';
  const datasets = (db.prepare('SELECT dataset_id AS id, symbol, timeframe_ms AS tf FROM run_datasets WHERE run_id = ? ORDER BY symbol').all(r.id) as { id: number; symbol: string; tf: number }[]).map((d) => ({
    id: d.id,
    symbol: d.symbol,
    timeframe: msToTimeframe(d.tf),
  }));
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    model: ensemble ? 'ensemble' : config.model,
    datasets,
    epochsDone: r.epochs_done,
    // Walk-forward trains a fresh model per fold; epochs are numbered on across folds.
    epochsPlanned: ensemble ? 0 : walkForward ? config.epochs * (config.folds ?? 1) : config.epochs,
    bestEpoch: r.best_epoch,
    backend: r.backend,
    createdAt: r.created_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    failure: r.failure,
    lastValAcc: r.last_val_acc,
    test: r.test_json ? (JSON.parse(r.test_json) as RunSummary['test']) : null,
    verdict: r.verdict === null ? null : r.verdict === 'better' ? 'better' : 'not better than baseline',
    resumable: isResumable(r.status, r.epochs_done, walkForward ? config.epochs * (config.folds ?? 1) : config.epochs),
    // Runs from before a run chose its timeframe trained on their datasets' own (one) timeframe.
    timeframe: config.timeframe ?? (datasets[0]?.timeframe ?? '?'),
    validation: walkForward ? 'walk-forward' : 'holdout',
    ...(r.sweep_id === null ? {} : { sweepId: r.sweep_id }),
  };
}

export interface NewRun {
  name: string;
  config: { seed: number } & Record<string, unknown>;
  datasets: { id: number; symbol: string; timeframeMs: number; rows: number }[];
  checkpointDirFor: (runId: number) => string;
  now: number;
}

/** Creates a run with the exact datasets (and their source files' hashes) it will read. */
export function createRun(db: Db, r: NewRun): number {
  return db.transaction(() => {
    const id = Number(
      db.prepare("INSERT INTO runs (name, status, config_json, seed, created_at, checkpoint_dir) VALUES (?, 'queued', ?, ?, ?, '')").run(r.name, JSON.stringify(r.config), r.config.seed, r.now).lastInsertRowid,
    );
    db.prepare('UPDATE runs SET checkpoint_dir = ? WHERE id = ?').run(r.checkpointDirFor(id), id);
    const hashes = db.prepare('SELECT json_group_array(content_hash) FROM (SELECT content_hash FROM dataset_sources WHERE dataset_id = ? ORDER BY id)').pluck();
    const link = db.prepare('INSERT INTO run_datasets (run_id, dataset_id, symbol, timeframe_ms, rows, source_hashes) VALUES (?, ?, ?, ?, ?, ?)');
    for (const d of r.datasets) link.run(id, d.id, d.symbol, d.timeframeMs, d.rows, hashes.get(d.id));
    return id;
  })();
}

export function setRunStatus(db: Db, runId: number, status: RunStatus, now: number, failure: string | null = null, hostPid: number | null = null): void {
  const started = status === 'running' ? ', started_at = coalesce(started_at, @now), host_pid = @hostPid' : '';
  const ended = isFinishedRunStatus(status) || status === 'failed' ? ', ended_at = @now' : '';
  const info = db.prepare(`UPDATE runs SET status = @status, failure = @failure${started}${ended} WHERE id = @id`).run({ status, failure, now, id: runId, ...(status === 'running' ? { hostPid } : {}) });
  if (info.changes !== 1) throw new Error(`run ${runId} does not exist`);
}

export function setRunBackend(db: Db, runId: number, backend: string | null, summaryJson: string | null): void {
  db.prepare('UPDATE runs SET backend = coalesce(?, backend), summary_json = coalesce(?, summary_json) WHERE id = ?').run(backend, summaryJson, runId);
}

export function setRunResult(db: Db, runId: number, bestEpoch: number | null, testJson: string | null): void {
  db.prepare('UPDATE runs SET best_epoch = ?, test_json = ? WHERE id = ?').run(bestEpoch, testJson, runId);
}

export function recordEpoch(db: Db, runId: number, m: EpochMetrics): void {
  db.prepare(
    `INSERT INTO run_epochs (run_id, epoch, train_loss, val_loss, train_acc, val_acc, lr, samples_per_sec, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(run_id, epoch) DO UPDATE SET train_loss = excluded.train_loss, val_loss = excluded.val_loss, train_acc = excluded.train_acc,
       val_acc = excluded.val_acc, lr = excluded.lr, samples_per_sec = excluded.samples_per_sec, seconds = excluded.seconds`,
  ).run(runId, m.epoch, m.trainLoss, m.valLoss, m.trainAcc, m.valAcc, m.lr, m.samplesPerSec, m.seconds);
}

export function listRuns(db: Db): RunSummary[] {
  return (db.prepare(`${SELECT_RUN} ORDER BY r.id DESC`).all() as RunRow[]).map((r) => rowToRun(db, r));
}

// Not strict, unlike a new run's config: a key a later version dropped is ignored when reading.
const storedConfigSchema = z.object(trainingConfigSchema.shape);

/** A run's stored config read with the contract's schema; a field stored before it existed takes its default. */
function storedConfig(runId: number, json: string): TrainingConfig {
  const parsed = storedConfigSchema.safeParse(JSON.parse(json));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ContractFailure('WORKSPACE', `Run ${runId}'s config was stored in a shape this version does not read (${issue?.path.join('.') || 'config'}: ${issue?.message ?? 'wrong shape'}).`);
}

export function getRun(db: Db, runId: number): (RunDetail & { checkpointDir: string }) | null {
  const r = db.prepare(`${SELECT_RUN} WHERE r.id = ?`).get(runId) as (RunRow & { checkpoint_dir: string }) | undefined;
  if (!r) return null;
  const epochs = db
    .prepare('SELECT epoch, train_loss AS trainLoss, val_loss AS valLoss, train_acc AS trainAcc, val_acc AS valAcc, lr, samples_per_sec AS samplesPerSec, seconds FROM run_epochs WHERE run_id = ? ORDER BY epoch')
    .all(runId) as EpochMetrics[];
  return {
    ...rowToRun(db, r),
    config: storedConfig(r.id, r.config_json),
    epochs,
    batchHistory: batchHistory(db, r.id),
    modelSummary: r.summary_json ? (JSON.parse(r.summary_json) as RunDetail['modelSummary']) : null,
    checkpointDir: r.checkpoint_dir,
  };
}

export function deleteRun(db: Db, runId: number): boolean {
  return db.prepare('DELETE FROM runs WHERE id = ?').run(runId).changes === 1;
}

/**
 * Runs left 'running' or 'queued' by a host process (app, server or CLI) that is gone:
 * they are marked interrupted and can be resumed. A run whose host is still alive (another
 * Candela process on the same workspace) is left alone.
 */
export function markInterruptedRuns(db: Db, now: number, isAlive: (pid: number) => boolean): number {
  const orphans = (db.prepare("SELECT id, host_pid AS pid FROM runs WHERE status IN ('running', 'queued')").all() as { id: number; pid: number | null }[]).filter(
    (r) => r.pid === null || !isAlive(r.pid),
  );
  const mark = db.prepare("UPDATE runs SET status = 'interrupted', failure = 'Candela stopped while this run was active; resume it from its last checkpoint.' WHERE id = ?");
  for (const r of orphans) mark.run(r.id);
  return orphans.length;
}

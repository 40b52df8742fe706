import type { SweepStatus, TrialStatus } from '../../../src-shared/contract/sweeps.js';
import type { Db } from '../connection.js';

/** A sweep as stored; the service parses `specJson` with the contract's schema. */
export interface SweepRecord {
  id: number;
  name: string;
  status: SweepStatus;
  specJson: string;
  parallel: number;
  createdAt: number;
  endedAt: number | null;
  usedMs: number;
  hostPid: number | null;
  failure: string | null;
  bestTrialId: number | null;
  selectionJson: string | null;
}

export interface TrialRecord {
  id: number;
  sweepId: number;
  index: number;
  runId: number;
  paramsJson: string;
  status: TrialStatus;
  objective: number | null;
  valLosses: (number | null)[];
  reason: string | null;
  finishedSeq: number | null;
  createdAt: number;
  endedAt: number | null;
}

interface SweepRow {
  id: number;
  name: string;
  status: SweepStatus;
  spec_json: string;
  parallel: number;
  created_at: number;
  ended_at: number | null;
  used_ms: number;
  host_pid: number | null;
  failure: string | null;
  best_trial_id: number | null;
  selection_json: string | null;
}

interface TrialRow {
  id: number;
  sweep_id: number;
  trial_index: number;
  run_id: number;
  params_json: string;
  status: TrialStatus;
  objective: number | null;
  val_losses_json: string;
  reason: string | null;
  finished_seq: number | null;
  created_at: number;
  ended_at: number | null;
}

const rowToSweep = (r: SweepRow): SweepRecord => ({
  id: r.id,
  name: r.name,
  status: r.status,
  specJson: r.spec_json,
  parallel: r.parallel,
  createdAt: r.created_at,
  endedAt: r.ended_at,
  usedMs: r.used_ms,
  hostPid: r.host_pid,
  failure: r.failure,
  bestTrialId: r.best_trial_id,
  selectionJson: r.selection_json,
});

const rowToTrial = (r: TrialRow): TrialRecord => ({
  id: r.id,
  sweepId: r.sweep_id,
  index: r.trial_index,
  runId: r.run_id,
  paramsJson: r.params_json,
  status: r.status,
  objective: r.objective,
  valLosses: JSON.parse(r.val_losses_json) as (number | null)[],
  reason: r.reason,
  finishedSeq: r.finished_seq,
  createdAt: r.created_at,
  endedAt: r.ended_at,
});

function changedOne(info: { changes: number }, what: string): void {
  if (info.changes !== 1) throw new Error(`${what} does not exist`);
}

export function createSweep(db: Db, s: { name: string; specJson: string; parallel: number; now: number; hostPid: number }): number {
  return Number(
    db.prepare("INSERT INTO sweeps (name, status, spec_json, parallel, created_at, host_pid) VALUES (?, 'running', ?, ?, ?, ?)").run(s.name, s.specJson, s.parallel, s.now, s.hostPid).lastInsertRowid,
  );
}

/** Sets a sweep's status; an ended status stamps `ended_at`, 'running' records which process drives it. */
export function setSweepStatus(db: Db, sweepId: number, status: SweepStatus, now: number, failure: string | null = null, hostPid: number | null = null): void {
  const ended = status === 'completed' || status === 'stopped' || status === 'failed';
  const info = db
    .prepare(`UPDATE sweeps SET status = @status, failure = @failure${ended ? ', ended_at = @now' : ''}${status === 'running' ? ', host_pid = @hostPid' : ''} WHERE id = @id`)
    .run({ status, failure, id: sweepId, ...(ended ? { now } : {}), ...(status === 'running' ? { hostPid } : {}) });
  changedOne(info, `sweep ${sweepId}`);
}

/** Adds active time to the sweep's clock (its time budget counts only time spent running). */
export function addSweepTime(db: Db, sweepId: number, ms: number): void {
  changedOne(db.prepare('UPDATE sweeps SET used_ms = used_ms + ? WHERE id = ?').run(Math.max(0, Math.round(ms)), sweepId), `sweep ${sweepId}`);
}

export function setSweepResult(db: Db, sweepId: number, bestTrialId: number | null, selectionJson: string | null): void {
  changedOne(db.prepare('UPDATE sweeps SET best_trial_id = ?, selection_json = ? WHERE id = ?').run(bestTrialId, selectionJson, sweepId), `sweep ${sweepId}`);
}

export function getSweep(db: Db, sweepId: number): SweepRecord | null {
  const r = db.prepare('SELECT * FROM sweeps WHERE id = ?').get(sweepId) as SweepRow | undefined;
  return r ? rowToSweep(r) : null;
}

export function listSweeps(db: Db): SweepRecord[] {
  return (db.prepare('SELECT * FROM sweeps ORDER BY id DESC').all() as SweepRow[]).map(rowToSweep);
}

/** Links a new trial to its run (created just before, not yet started). */
export function createTrial(db: Db, t: { sweepId: number; index: number; runId: number; paramsJson: string; now: number }): number {
  return Number(
    db
      .prepare("INSERT INTO sweep_trials (sweep_id, trial_index, run_id, params_json, status, created_at) VALUES (?, ?, ?, ?, 'running', ?)")
      .run(t.sweepId, t.index, t.runId, t.paramsJson, t.now).lastInsertRowid,
  );
}

/** The trials of a sweep in the order they were proposed. */
export function listTrials(db: Db, sweepId: number): TrialRecord[] {
  return (db.prepare('SELECT * FROM sweep_trials WHERE sweep_id = ? ORDER BY trial_index').all(sweepId) as TrialRow[]).map(rowToTrial);
}

export function setTrialStatus(db: Db, trialId: number, status: TrialStatus, reason: string | null = null): void {
  changedOne(db.prepare('UPDATE sweep_trials SET status = ?, reason = coalesce(?, reason) WHERE id = ?').run(status, reason, trialId), `trial ${trialId}`);
}

/** Records how a trial ended; `finished_seq` is its place among the sweep's finished trials. */
export function finishTrial(db: Db, trialId: number, status: TrialStatus, objective: number | null, reason: string | null, now: number): void {
  const info = db
    .prepare(
      `UPDATE sweep_trials SET status = @status, objective = @objective, reason = coalesce(@reason, reason), ended_at = @now,
         finished_seq = coalesce(finished_seq, (SELECT coalesce(max(finished_seq), 0) + 1 FROM sweep_trials t WHERE t.sweep_id = sweep_trials.sweep_id))
       WHERE id = @id`,
    )
    .run({ status, objective, reason, now, id: trialId });
  changedOne(info, `trial ${trialId}`);
}

/** Stores a trial's validation loss at an epoch (1-based); a repeated epoch (a resumed run) overwrites. */
export function recordTrialValLoss(db: Db, trialId: number, epoch: number, valLoss: number | null): void {
  const row = db.prepare('SELECT val_losses_json FROM sweep_trials WHERE id = ?').pluck().get(trialId) as string | undefined;
  if (row === undefined) throw new Error(`trial ${trialId} does not exist`);
  const curve = JSON.parse(row) as (number | null)[];
  while (curve.length < epoch) curve.push(null);
  curve[epoch - 1] = valLoss;
  db.prepare('UPDATE sweep_trials SET val_losses_json = ? WHERE id = ?').run(JSON.stringify(curve.slice(0, Math.max(epoch, curve.length))), trialId);
}

/** The sweep a run is a trial of, or null: trial runs keep their test split sealed. */
export function sweepOfRun(db: Db, runId: number): number | null {
  return (db.prepare('SELECT sweep_id FROM sweep_trials WHERE run_id = ?').pluck().get(runId) as number | undefined) ?? null;
}

/**
 * Sweeps a previous session left running, whose driving process is gone, become 'interrupted' (and
 * their unfinished trials with them), to be resumed by hand. Returns their ids.
 */
export function markInterruptedSweeps(db: Db, isAlive: (pid: number) => boolean): number[] {
  const orphans = (db.prepare("SELECT id, host_pid AS pid FROM sweeps WHERE status IN ('running', 'stopping', 'paused')").all() as { id: number; pid: number | null }[]).filter(
    (r) => r.pid === null || !isAlive(r.pid),
  );
  const sweep = db.prepare("UPDATE sweeps SET status = 'interrupted', failure = 'Candela stopped while this sweep was active; resume it to continue.' WHERE id = ?");
  const trials = db.prepare("UPDATE sweep_trials SET status = 'interrupted' WHERE sweep_id = ? AND status IN ('running', 'paused')");
  db.transaction(() => {
    for (const r of orphans) {
      sweep.run(r.id);
      trials.run(r.id);
    }
  })();
  return orphans.map((r) => r.id);
}

/** Renames a run (the winner's name says it is the best of N trials). */
export function renameSweepRun(db: Db, runId: number, name: string): void {
  changedOne(db.prepare('UPDATE runs SET name = ? WHERE id = ?').run(name, runId), `run ${runId}`);
}

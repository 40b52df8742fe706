import type { RunStatus } from '../../../src-shared/contract/training.js';
import type { Db } from '../connection.js';

/**
 * The figures of every run the Runs view lists, read in one pass: the newest evaluation's and
 * backtest's headline numbers straight out of their JSON (json_extract, so no report is parsed in
 * JavaScript), the best validation epoch, tags and seed group. Hundreds of runs stay one query.
 */
export interface RunFacts {
  id: number;
  configJson: string;
  accuracy: number | null;
  accuracyLow: number | null;
  accuracyHigh: number | null;
  macroAuc: number | null;
  macroAucLow: number | null;
  macroAucHigh: number | null;
  majorityAccuracy: number | null;
  majorityLow: number | null;
  majorityHigh: number | null;
  persistenceAccuracy: number | null;
  classPriorAccuracy: number | null;
  macroF1: number | null;
  logLoss: number | null;
  brier: number | null;
  samples: number | null;
  evaluationId: number | null;
  sharpe: number | null;
  backtestId: number | null;
  bestValLoss: number | null;
  bestValAcc: number | null;
  seedGroupId: number | null;
}

const SELECT_FACTS = `
  SELECT r.id, r.config_json AS configJson,
    json_extract(v.report_json, '$.classification.accuracy') AS accuracy,
    json_extract(v.report_json, '$.bootstrap.accuracy.lower') AS accuracyLow,
    json_extract(v.report_json, '$.bootstrap.accuracy.upper') AS accuracyHigh,
    json_extract(v.report_json, '$.roc.macroAuc') AS macroAuc,
    json_extract(v.report_json, '$.bootstrap.macroAuc.lower') AS macroAucLow,
    json_extract(v.report_json, '$.bootstrap.macroAuc.upper') AS macroAucHigh,
    json_extract(v.report_json, '$.baselines.majority.accuracy') AS majorityAccuracy,
    json_extract(v.report_json, '$.bootstrap.majorityAccuracy.lower') AS majorityLow,
    json_extract(v.report_json, '$.bootstrap.majorityAccuracy.upper') AS majorityHigh,
    json_extract(v.report_json, '$.baselines.persistence.accuracy') AS persistenceAccuracy,
    json_extract(v.report_json, '$.baselines.classPrior.expectedAccuracy') AS classPriorAccuracy,
    json_extract(v.report_json, '$.classification.macro.f1') AS macroF1,
    json_extract(v.report_json, '$.probabilistic.logLoss') AS logLoss,
    json_extract(v.report_json, '$.probabilistic.brier') AS brier,
    v.samples AS samples, v.id AS evaluationId,
    json_extract(b.summary_json, '$.portfolio.sharpe') AS sharpe, b.id AS backtestId,
    (SELECT min(val_loss) FROM run_epochs e WHERE e.run_id = r.id) AS bestValLoss,
    (SELECT max(val_acc) FROM run_epochs e WHERE e.run_id = r.id) AS bestValAcc,
    coalesce((SELECT g.id FROM seed_groups g WHERE g.source_run_id = r.id ORDER BY g.id DESC LIMIT 1),
             (SELECT m.group_id FROM seed_group_members m WHERE m.run_id = r.id ORDER BY m.group_id DESC LIMIT 1)) AS seedGroupId
  FROM runs r
  LEFT JOIN evaluations v ON v.id = (SELECT max(id) FROM evaluations WHERE run_id = r.id)
  LEFT JOIN backtests b ON b.id = (SELECT max(id) FROM backtests WHERE run_id = r.id)`;

/** Facts of every run, or of the given ones (in id order). */
export function runFacts(db: Db, runIds?: readonly number[]): RunFacts[] {
  if (!runIds) return db.prepare(`${SELECT_FACTS} ORDER BY r.id DESC`).all() as RunFacts[];
  const one = db.prepare(`${SELECT_FACTS} WHERE r.id = ?`);
  return runIds.flatMap((id) => (one.get(id) as RunFacts | undefined) ?? []);
}

/** Every run's tags, by run id. */
export function runTags(db: Db): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const r of db.prepare('SELECT run_id AS runId, tag FROM run_tags ORDER BY run_id, tag').all() as { runId: number; tag: string }[]) {
    const list = out.get(r.runId) ?? [];
    list.push(r.tag);
    out.set(r.runId, list);
  }
  return out;
}

/** Replaces a run's tags; false when the run does not exist. */
export function setRunTags(db: Db, runId: number, tags: readonly string[]): boolean {
  return db.transaction(() => {
    if (!db.prepare('SELECT 1 FROM runs WHERE id = ?').get(runId)) return false;
    db.prepare('DELETE FROM run_tags WHERE run_id = ?').run(runId);
    const add = db.prepare('INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)');
    for (const t of tags) add.run(runId, t);
    return true;
  })();
}

export interface SeedGroupRow {
  id: number;
  sourceRunId: number;
  sourceName: string;
  parallel: number;
  createdAt: number;
  members: { position: number; seed: number; runId: number | null; started: boolean; status: RunStatus | null; failure: string | null }[];
}

/** A group whose first member is the source run (already finished) and the other seeds pending. */
export function createSeedGroup(db: Db, sourceRunId: number, seeds: readonly number[], parallel: number, now: number): number {
  return db.transaction(() => {
    const id = Number(db.prepare('INSERT INTO seed_groups (source_run_id, parallel, created_at) VALUES (?, ?, ?)').run(sourceRunId, parallel, now).lastInsertRowid);
    const add = db.prepare('INSERT INTO seed_group_members (group_id, position, seed, run_id, started) VALUES (?, ?, ?, ?, ?)');
    seeds.forEach((seed, i) => add.run(id, i, seed, i === 0 ? sourceRunId : null, i === 0 ? 1 : 0));
    return id;
  })();
}

/** Records the run started for a pending seed. */
export function setSeedMemberRun(db: Db, groupId: number, position: number, runId: number): void {
  const info = db.prepare('UPDATE seed_group_members SET run_id = ?, started = 1 WHERE group_id = ? AND position = ? AND started = 0').run(runId, groupId, position);
  if (info.changes !== 1) throw new Error(`seed ${position} of group ${groupId} was already started`);
}

/** One seed group with its members and their runs' status, or every group (newest first). */
export function seedGroups(db: Db, groupId?: number): SeedGroupRow[] {
  const groups = (
    groupId === undefined
      ? db.prepare('SELECT g.id, g.source_run_id AS sourceRunId, r.name AS sourceName, g.parallel, g.created_at AS createdAt FROM seed_groups g JOIN runs r ON r.id = g.source_run_id ORDER BY g.id DESC').all()
      : db.prepare('SELECT g.id, g.source_run_id AS sourceRunId, r.name AS sourceName, g.parallel, g.created_at AS createdAt FROM seed_groups g JOIN runs r ON r.id = g.source_run_id WHERE g.id = ?').all(groupId)
  ) as Omit<SeedGroupRow, 'members'>[];
  const members = db.prepare(
    'SELECT m.position, m.seed, m.run_id AS runId, m.started, r.status, r.failure FROM seed_group_members m LEFT JOIN runs r ON r.id = m.run_id WHERE m.group_id = ? ORDER BY m.position',
  );
  return groups.map((g) => ({
    ...g,
    members: (members.all(g.id) as (Omit<SeedGroupRow['members'][number], 'started'> & { started: number })[]).map((m) => ({ ...m, started: m.started === 1 })),
  }));
}

export interface NewEnsembleRun {
  name: string;
  /** The members' shared config with the `ensemble` key that marks the run. */
  configJson: string;
  seed: number;
  /** The member whose datasets (and their source hashes) the ensemble records as its own. */
  datasetsFrom: number;
  testJson: string;
  checkpointRoot: string;
  now: number;
}

/** An ensemble as a finished run: nothing to train, its folder holds the averaged predictions. */
export function createEnsembleRun(db: Db, e: NewEnsembleRun): { runId: number; checkpointDir: string } {
  return db.transaction(() => {
    const runId = Number(
      db
        .prepare("INSERT INTO runs (name, status, config_json, seed, backend, created_at, started_at, ended_at, checkpoint_dir, test_json) VALUES (?, 'completed', ?, ?, 'ensemble', ?, ?, ?, '', ?)")
        .run(e.name, e.configJson, e.seed, e.now, e.now, e.now, e.testJson).lastInsertRowid,
    );
    const checkpointDir = `${e.checkpointRoot}/run-${runId}`;
    db.prepare('UPDATE runs SET checkpoint_dir = ? WHERE id = ?').run(checkpointDir, runId);
    db.prepare('INSERT INTO run_datasets (run_id, dataset_id, symbol, timeframe_ms, rows, source_hashes) SELECT ?, dataset_id, symbol, timeframe_ms, rows, source_hashes FROM run_datasets WHERE run_id = ?').run(runId, e.datasetsFrom);
    return { runId, checkpointDir };
  })();
}

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../connection.js';
import { listRuns } from '../queries/runs.js';
import { createSweep, createTrial, finishTrial, listTrials, markInterruptedSweeps, recordTrialValLoss, setTrialStatus, sweepOfRun } from '../queries/sweeps.js';
import { migration0001 } from './0001-initial.js';
import { migration0002 } from './0002-training-runs.js';
import { migration0003 } from './0003-evaluations.js';
import { migration0004 } from './0004-backtests.js';
import { migration0005 } from './0005-instruments.js';
import { migration0006 } from './0006-run-batches.js';
import { migration0007 } from './0007-sweeps.js';

const before = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006];

/** A version-6 workspace with two runs, as runs were stored before sweeps. */
function version6Workspace() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, before);
  for (const id of [1, 2]) db.prepare("INSERT INTO runs (id, name, status, config_json, seed, created_at, checkpoint_dir) VALUES (?, 'r', 'completed', '{\"model\":\"mlp\",\"epochs\":3}', 1, 0, '/x')").run(id);
  return db;
}

describe('0007-sweeps', () => {
  it('keeps existing runs, which belong to no sweep', () => {
    const db = version6Workspace();
    expect(migrate(db, [...before, migration0007])).toBe(7);
    expect(listRuns(db).map((r) => r.sweepId)).toEqual([undefined, undefined]);
    expect(sweepOfRun(db, 1)).toBeNull();
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('links trials to runs, records curves and the finishing order, and tags the runs with their sweep', () => {
    const db = version6Workspace();
    migrate(db, [...before, migration0007]);
    const sweepId = createSweep(db, { name: 's', specJson: '{}', parallel: 2, now: 5, hostPid: 1 });
    const a = createTrial(db, { sweepId, index: 0, runId: 1, paramsJson: '{"lr":0.01}', now: 6 });
    const b = createTrial(db, { sweepId, index: 1, runId: 2, paramsJson: '{"lr":0.001}', now: 6 });
    expect(() => createTrial(db, { sweepId, index: 1, runId: 1, paramsJson: '{}', now: 6 })).toThrow(/UNIQUE/);
    recordTrialValLoss(db, b, 1, 0.7);
    recordTrialValLoss(db, b, 2, null);
    recordTrialValLoss(db, b, 2, 0.65); // a resumed run reports epoch 2 again
    finishTrial(db, b, 'pruned', 0.65, 'worse than the median', 9);
    finishTrial(db, a, 'completed', 0.6, null, 10);
    const trials = listTrials(db, sweepId);
    expect(trials.map((t) => [t.index, t.status, t.finishedSeq])).toEqual([
      [0, 'completed', 2],
      [1, 'pruned', 1],
    ]);
    expect(trials[1].valLosses).toEqual([0.7, 0.65]);
    expect(trials[1].reason).toBe('worse than the median');
    expect(listRuns(db).map((r) => r.sweepId)).toEqual([sweepId, sweepId]);
  });

  it('marks sweeps whose process is gone interrupted, with their unfinished trials', () => {
    const db = version6Workspace();
    migrate(db, [...before, migration0007]);
    const gone = createSweep(db, { name: 'gone', specJson: '{}', parallel: 1, now: 0, hostPid: 111 });
    const alive = createSweep(db, { name: 'alive', specJson: '{}', parallel: 1, now: 0, hostPid: 222 });
    const t = createTrial(db, { sweepId: gone, index: 0, runId: 1, paramsJson: '{}', now: 0 });
    setTrialStatus(db, t, 'paused');
    expect(markInterruptedSweeps(db, (pid) => pid === 222)).toEqual([gone]);
    expect(db.prepare('SELECT id, status FROM sweeps ORDER BY id').all()).toEqual([
      { id: gone, status: 'interrupted' },
      { id: alive, status: 'running' },
    ]);
    expect(listTrials(db, gone)[0].status).toBe('interrupted');
    // Deleting a trial's run removes the trial; deleting the sweep removes its trials.
    db.prepare('DELETE FROM sweeps WHERE id = ?').run(gone);
    expect(db.prepare('SELECT count(*) FROM sweep_trials').pluck().get()).toBe(0);
  });
});

import type { Migration } from './registry.js';

/**
 * Hyperparameter sweeps (issue 13). A sweep keeps its spec and, once it has ended, its winner and
 * selection statistics; each trial is a normal run (runs.id) with the parameters it was proposed,
 * its per-epoch validation-loss curve (what the pruners read), its objective and how it ended.
 * `trial_index` is the order of proposal: a resumed sweep proposes index max + 1 from the seed and
 * the finished trials, so nothing finished is proposed or trained again. `finished_seq` orders
 * trials by when they finished (the history the TPE sampler and the best-so-far curve read).
 * `used_ms` is the time the sweep has been active, so a time budget survives pauses and restarts.
 */
export const migration0007: Migration = {
  version: 7,
  name: '0007-sweeps',
  up(db) {
    db.exec(`
      CREATE TABLE sweeps (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'paused', 'interrupted', 'stopping', 'completed', 'stopped', 'failed')),
        spec_json TEXT NOT NULL,
        parallel INTEGER NOT NULL CHECK (parallel >= 1),
        created_at INTEGER NOT NULL,
        ended_at INTEGER,
        used_ms INTEGER NOT NULL DEFAULT 0,
        host_pid INTEGER,
        failure TEXT,
        best_trial_id INTEGER,
        selection_json TEXT
      );
      CREATE TABLE sweep_trials (
        id INTEGER PRIMARY KEY,
        sweep_id INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
        trial_index INTEGER NOT NULL CHECK (trial_index >= 0),
        run_id INTEGER NOT NULL UNIQUE REFERENCES runs(id) ON DELETE CASCADE,
        params_json TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'paused', 'interrupted', 'completed', 'pruned', 'failed', 'stopped')),
        objective REAL,
        val_losses_json TEXT NOT NULL DEFAULT '[]',
        reason TEXT,
        finished_seq INTEGER,
        created_at INTEGER NOT NULL,
        ended_at INTEGER,
        UNIQUE (sweep_id, trial_index)
      );
      CREATE INDEX sweep_trials_sweep ON sweep_trials (sweep_id, trial_index);
    `);
  },
};

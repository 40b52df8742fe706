import type { Migration } from './registry.js';

/**
 * Training runs, linked to the exact datasets (and their content at the time, by the hashes of
 * their source files) and the config that produced them, so every number can be traced.
 */
export const migration0002: Migration = {
  version: 2,
  name: '0002-training-runs',
  up(db) {
    db.exec(`
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'paused', 'completed', 'stopped', 'early-stopped', 'failed', 'interrupted')),
        config_json TEXT NOT NULL,
        seed INTEGER NOT NULL,
        backend TEXT,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        ended_at INTEGER,
        failure TEXT,
        host_pid INTEGER,
        best_epoch INTEGER,
        checkpoint_dir TEXT NOT NULL,
        summary_json TEXT,
        test_json TEXT
      );

      CREATE TABLE run_datasets (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        dataset_id INTEGER NOT NULL,
        symbol TEXT NOT NULL,
        timeframe_ms INTEGER NOT NULL,
        rows INTEGER NOT NULL,
        source_hashes TEXT NOT NULL,
        PRIMARY KEY (run_id, dataset_id)
      ) WITHOUT ROWID;

      CREATE TABLE run_epochs (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL,
        train_loss REAL, val_loss REAL, train_acc REAL, val_acc REAL, lr REAL,
        samples_per_sec REAL, seconds REAL,
        PRIMARY KEY (run_id, epoch)
      ) WITHOUT ROWID;
    `);
  },
};

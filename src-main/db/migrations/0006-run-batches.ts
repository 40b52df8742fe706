import type { Migration } from './registry.js';

/**
 * A run's per-batch curve (loss and throughput per reported batch), so it survives a reload while
 * the run is live and stays with the run once it has finished. `position` is where the batch lies
 * along the run in epochs (epoch − 1 + batch / batches): the host thins the series evenly along
 * it (see queries/runBatches.ts), so a run keeps a bounded number of rows however long it trains.
 */
export const migration0006: Migration = {
  version: 6,
  name: '0006-run-batches',
  up(db) {
    db.exec(`
      CREATE TABLE run_batches (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL CHECK (epoch >= 1),
        batch INTEGER NOT NULL CHECK (batch >= 0),
        batches INTEGER NOT NULL CHECK (batches >= 0),
        step INTEGER NOT NULL,
        position REAL NOT NULL CHECK (position >= 0),
        loss REAL,
        samples_per_sec REAL,
        at INTEGER NOT NULL
      );
      CREATE INDEX run_batches_run ON run_batches (run_id, position);
    `);
  },
};

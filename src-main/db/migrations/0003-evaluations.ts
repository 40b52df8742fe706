import type { Migration } from './registry.js';

/** Evaluation reports of runs, stored whole (JSON) beside the run that produced the predictions. */
export const migration0003: Migration = {
  version: 3,
  name: '0003-evaluations',
  up(db) {
    db.exec(`
      CREATE TABLE evaluations (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        split TEXT NOT NULL CHECK (split IN ('test')),
        created_at INTEGER NOT NULL,
        samples INTEGER NOT NULL,
        report_json TEXT NOT NULL
      );
      CREATE INDEX evaluations_run ON evaluations(run_id, created_at);
    `);
  },
};

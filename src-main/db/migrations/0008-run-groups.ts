import type { Migration } from './registry.js';

/**
 * Many runs (issue 13): a run's tags, and seed groups. A seed group repeats a source run's config
 * with K seeds; its members are the seeds in order, the source run first. A member's run_id is
 * null until a slot frees and its run is started, so a group with `parallel` < K survives an app
 * restart with its remaining seeds still to start. Deleting a member run leaves its seed in the
 * group without a run (reported as such); deleting the source run deletes the group.
 */
export const migration0008: Migration = {
  version: 8,
  name: '0008-run-groups',
  up(db) {
    db.exec(`
      CREATE TABLE run_tags (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (run_id, tag)
      );
      CREATE TABLE seed_groups (
        id INTEGER PRIMARY KEY,
        source_run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        parallel INTEGER NOT NULL CHECK (parallel >= 1),
        created_at INTEGER NOT NULL
      );
      CREATE TABLE seed_group_members (
        group_id INTEGER NOT NULL REFERENCES seed_groups(id) ON DELETE CASCADE,
        position INTEGER NOT NULL CHECK (position >= 0),
        seed INTEGER NOT NULL,
        run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        started INTEGER NOT NULL DEFAULT 0 CHECK (started IN (0, 1)),
        PRIMARY KEY (group_id, position)
      );
      CREATE INDEX seed_group_members_run ON seed_group_members (run_id);
    `);
  },
};

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../connection.js';
import { createSeedGroup, runTags, seedGroups, setRunTags, setSeedMemberRun } from '../queries/runGroups.js';
import { migrations } from './index.js';

const upTo7 = migrations.slice(0, 7);
const upTo8 = migrations.slice(0, 8);

/** A version-7 workspace with three runs, as runs were stored before tags and seed groups. */
function version7Workspace() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, upTo7);
  for (const id of [1, 2, 3]) db.prepare("INSERT INTO runs (id, name, status, config_json, seed, created_at, checkpoint_dir) VALUES (?, ?, 'completed', '{}', ?, 0, '/x')").run(id, `r${id}`, 40 + id);
  return db;
}

describe('0008-run-groups', () => {
  it('adds tags and seed groups to a workspace that has runs, leaving the runs as they were', () => {
    const db = version7Workspace();
    expect(migrate(db, upTo8)).toBe(8);
    expect(runTags(db).size).toBe(0);
    expect(seedGroups(db)).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(3);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('keeps a group’s pending seeds, records started ones, and follows deletions of runs', () => {
    const db = version7Workspace();
    migrate(db, upTo8);
    const g = createSeedGroup(db, 1, [41, 42, 43], 1, 1000);
    setSeedMemberRun(db, g, 1, 2);
    expect(() => setSeedMemberRun(db, g, 1, 3)).toThrow(/already started/);
    expect(seedGroups(db, g)[0]!.members).toEqual([
      { position: 0, seed: 41, runId: 1, started: true, status: 'completed', failure: null },
      { position: 1, seed: 42, runId: 2, started: true, status: 'completed', failure: null },
      { position: 2, seed: 43, runId: null, started: false, status: null, failure: null },
    ]);
    // A deleted member leaves its seed in the group, started but without a run.
    db.prepare('DELETE FROM runs WHERE id = 2').run();
    expect(seedGroups(db, g)[0]!.members[1]).toMatchObject({ runId: null, started: true });
    // Tags go with their run; deleting the source run deletes the group.
    expect(setRunTags(db, 1, ['best', 'keep'])).toBe(true);
    expect(setRunTags(db, 99, ['x'])).toBe(false);
    expect(runTags(db).get(1)).toEqual(['best', 'keep']);
    db.prepare('DELETE FROM runs WHERE id = 1').run();
    expect(runTags(db).size).toBe(0);
    expect(seedGroups(db)).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM seed_group_members').pluck().get()).toBe(0);
  });
});

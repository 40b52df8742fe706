import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../connection.js';
import { migration0001 } from './0001-initial.js';
import { migration0002 } from './0002-training-runs.js';

describe('0002-training-runs', () => {
  it('upgrades a version-1 workspace with datasets in place', () => {
    const db = new Database(':memory:');
    migrate(db, [migration0001]);
    db.prepare("INSERT INTO datasets (symbol, timeframe_ms, created_at, updated_at) VALUES ('BTC/USDT', 60000, 0, 0)").run();
    expect(migrate(db, [migration0001, migration0002])).toBe(2);
    expect(db.prepare('SELECT count(*) FROM datasets').pluck().get()).toBe(1);
    db.prepare("INSERT INTO runs (name, status, config_json, seed, created_at, checkpoint_dir) VALUES ('r', 'queued', '{}', 1, 0, '/x')").run();
    expect(() => db.prepare("INSERT INTO runs (name, status, config_json, seed, created_at, checkpoint_dir) VALUES ('r', 'exploded', '{}', 1, 0, '/x')").run()).toThrow(/CHECK/);
  });
});

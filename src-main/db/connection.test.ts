import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openWorkspaceDb, WorkspaceVersionError } from './connection.js';
import { LATEST_SCHEMA_VERSION } from './migrations/index.js';
import { checkMigrationOrder } from './migrations/registry.js';

const dirs: string[] = [];
const tempFile = () => {
  const d = mkdtempSync(join(tmpdir(), 'candela-db-'));
  dirs.push(d);
  return join(d, 'candela.db');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('openWorkspaceDb', () => {
  it('creates a WAL workspace at the latest schema version', () => {
    const db = openWorkspaceDb(tempFile());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('reopens an up-to-date workspace without re-running migrations', () => {
    const file = tempFile();
    openWorkspaceDb(file).close();
    const db = openWorkspaceDb(file);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('refuses a workspace written by a newer version and leaves its bytes untouched', () => {
    const file = tempFile();
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.exec('CREATE TABLE future(x)');
    raw.close();
    const before = createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(() => openWorkspaceDb(file)).toThrow(WorkspaceVersionError);
    expect(() => openWorkspaceDb(file)).toThrow(/newer version of Candela/);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(before);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });

  it('rolls a failing migration back entirely and keeps the previous version', () => {
    const db = new Database(':memory:');
    const good = { version: 1, name: '0001-a', up: (d: Database.Database) => d.exec('CREATE TABLE a(x)') };
    const bad = {
      version: 2,
      name: '0002-b',
      up: (d: Database.Database) => {
        d.exec('CREATE TABLE b(x)');
        throw new Error('boom');
      },
    };
    expect(() => migrate(db, [good, bad])).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'b'").pluck().get()).toBe(0);
  });
});

describe('migration registry', () => {
  it('refuses versions that do not increase by one', () => {
    const up = () => undefined;
    expect(() => checkMigrationOrder([{ version: 1, name: 'a', up }, { version: 3, name: 'c', up }])).toThrow(/expected 2/);
    expect(() => checkMigrationOrder([{ version: 2, name: 'b', up }])).toThrow(/expected 1/);
  });
});

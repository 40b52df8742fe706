import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { LATEST_SCHEMA_VERSION, migrations } from './migrations/index.js';
import type { Migration } from './migrations/registry.js';
import { sqliteBindingFor } from './nativeBinding.js';

export type Db = Database.Database;

export class WorkspaceVersionError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `This workspace was written by a newer version of Candela (schema ${found}; this version knows up to ${supported}). ` +
        'It was left untouched: update Candela or choose another workspace.',
    );
    this.name = 'WorkspaceVersionError';
  }
}

export interface OpenOptions {
  readonly?: boolean;
  migrations?: readonly Migration[];
}

/**
 * Opens (creating when absent) a workspace database and brings its schema up to date. Every
 * process opens the workspace here (DB worker, training process, CLI, server), so the native
 * binding is chosen here too, for the runtime this runs in (see nativeBinding.ts); a test keeps
 * `new Database(` out of the rest of src-main.
 * The version is read before anything is written, so a newer workspace is never modified —
 * not even by switching it to WAL.
 */
export function openWorkspaceDb(file: string, opts: OpenOptions = {}): Db {
  const list = opts.migrations ?? migrations;
  const latest = opts.migrations ? list.length : LATEST_SCHEMA_VERSION;
  const binding = bindingOptions();
  const found = file === ':memory:' ? null : storedSchemaVersion(file, binding);
  if (found !== null && found > latest) throw new WorkspaceVersionError(found, latest);
  const db = new Database(file, { ...binding, readonly: opts.readonly ?? false });
  if (opts.readonly) return db;
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Imports hold the write lock for a whole file; other writers wait rather than fail.
  db.pragma('busy_timeout = 30000');
  migrate(db, list);
  return db;
}

/**
 * The migrations opening `file` would apply, read without writing (a read-only look at its
 * schema version): null for a new workspace, one that is up to date, or one newer than this
 * version (opening refuses that one with its own sentence). The CLI says so before a long upgrade.
 */
export function pendingMigrations(file: string, list: readonly Migration[] = migrations): { from: number; to: number; names: string[] } | null {
  const from = storedSchemaVersion(file);
  if (from === null || from === 0 || from >= list.length) return null;
  return { from, to: list.length, names: list.slice(from).map((m) => m.name) };
}

/** The native binding for this runtime as better-sqlite3 options (see nativeBinding.ts). */
function bindingOptions(): Database.Options {
  const nativeBinding = sqliteBindingFor();
  return nativeBinding ? { nativeBinding } : {};
}

/** The schema version stored in `file`, read through a read-only connection; null when there is no file. */
function storedSchemaVersion(file: string, binding = bindingOptions()): number | null {
  if (!existsSync(file)) return null;
  const probe = new Database(file, { ...binding, readonly: true, fileMustExist: true });
  try {
    return probe.pragma('user_version', { simple: true }) as number;
  } finally {
    probe.close();
  }
}

/** Applies each pending migration in its own transaction, recording its version in user_version. */
export function migrate(db: Db, list: readonly Migration[] = migrations): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > list.length) throw new WorkspaceVersionError(current, list.length);
  const pending = list.slice(current);
  for (const m of pending) {
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  // VACUUM cannot run inside a transaction: after them, so the freed pages go back to the disk.
  if (pending.some((m) => m.vacuumAfter) && !db.memory) db.exec('VACUUM');
  return db.pragma('user_version', { simple: true }) as number;
}

export const schemaVersion = (db: Db): number => db.pragma('user_version', { simple: true }) as number;

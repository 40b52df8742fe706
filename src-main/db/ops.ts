import { schemaVersion, type Db } from './connection.js';
import { deleteDataset, getDataset, listDatasets } from './queries/datasets.js';

/**
 * Every database operation the services may call, each `(db, ...args)`. The worker thread
 * dispatches on these names and the client type is derived from them, so an operation is
 * declared exactly once (Signal's `Interface.std.ts` pattern).
 */
export const dbOps = {
  schemaVersion,
  sqliteVersion: (db: Db): string => db.prepare('SELECT sqlite_version()').pluck().get() as string,
  listDatasets,
  getDataset,
  deleteDataset,
  dbFileBytes: (db: Db): number => {
    const pageCount = db.pragma('page_count', { simple: true }) as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    return pageCount * pageSize;
  },
} satisfies Record<string, (db: Db, ...args: never[]) => unknown>;

export type DbOps = typeof dbOps;
export type DbOpName = keyof DbOps;

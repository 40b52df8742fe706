import type { Statement } from 'better-sqlite3';
import type { Db } from './connection.js';

const cache = new WeakMap<Db, Map<string, Statement>>();

/**
 * The connection's prepared statement for `sql`, prepared on first use. Preparing costs more than
 * running a small statement, and an import of 136 files ran each of its dozen statements once
 * per file; a chart request should not re-parse SQL either. A statement that is iterating cannot
 * be used again until it finishes, so callers that nest reads of one query use `db.prepare`.
 */
export function cachedStatement(db: Db, sql: string): Statement {
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s;
}

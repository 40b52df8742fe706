import type { Db } from './connection.js';

/**
 * Runs `work` inside one write transaction that may span awaits (better-sqlite3's own
 * `db.transaction` cannot: it commits when the callback returns its promise). `BEGIN IMMEDIATE`
 * takes the write lock up front, so a concurrent writer fails at the start rather than midway.
 * Any throw rolls everything back. The connection must be one nothing else uses meanwhile
 * (jobs get their own, see createJobRunner), or other statements would join the transaction.
 */
export async function inWriteTransaction<T>(db: Db, work: () => Promise<T>): Promise<T> {
  db.exec('BEGIN IMMEDIATE');
  try {
    const value = await work();
    db.exec('COMMIT');
    return value;
  } catch (e) {
    // A failed COMMIT or an error SQLite already rolled back leaves no transaction open.
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}

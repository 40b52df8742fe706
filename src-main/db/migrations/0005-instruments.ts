import type { Database } from 'better-sqlite3';
import { resolveInstrument, type ContractKind } from '../../../src-shared/compute/import/instrument.js';
import type { Migration } from './registry.js';

/**
 * One name per instrument: a dataset is identified by its canonical symbol, contract kind, venue,
 * expiry and timeframe, so `BTCUSDT` and `BTC/USDT` are one name while the spot and perpetual
 * markets of a pair stay apart. The old UNIQUE (symbol, timeframe_ms) is part of the table, so the
 * table is rebuilt. Foreign keys are on during migrations and cannot be switched off inside their
 * transaction; dropping a parent table then deletes its children's rows (ON DELETE CASCADE), and
 * renaming it rewrites their REFERENCES. So the tables that reference datasets are first rebuilt
 * to reference the new table, the old one is dropped with nothing referring to it, and renaming
 * the new one carries their references along.
 *
 * Existing datasets are renamed to their canonical symbol, and their kind and venue inferred from
 * the old symbol, the exchange recorded at import and the first source file's name and format (the
 * file's header is not kept, so a Binance futures file named like a spot file stays spot; the user
 * can correct it). Where two datasets would become the same instrument, the later one keeps its
 * old symbol: a migration never merges candles. Runs keep the symbols they were trained under.
 */
export const migration0005: Migration = {
  version: 5,
  name: '0005-instruments',
  up(db) {
    db.exec(`
      CREATE TABLE datasets_0005 (
        id INTEGER PRIMARY KEY,
        symbol TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'spot' CHECK (kind IN ('spot', 'perpetual', 'future')),
        venue TEXT,
        expiry INTEGER CHECK (expiry IS NULL OR kind = 'future'),
        timeframe_ms INTEGER NOT NULL CHECK (timeframe_ms > 0),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        row_count INTEGER NOT NULL DEFAULT 0,
        first_ts INTEGER,
        last_ts INTEGER,
        health_score REAL,
        health_verdict TEXT CHECK (health_verdict IN ('clean', 'suspect', 'bad'))
      );
    `);
    const old = db
      .prepare(
        `SELECT d.*, (SELECT s.file_name FROM dataset_sources s WHERE s.dataset_id = d.id ORDER BY s.id LIMIT 1) AS source_file,
                     (SELECT s.format FROM dataset_sources s WHERE s.dataset_id = d.id ORDER BY s.id LIMIT 1) AS source_format
         FROM datasets d ORDER BY d.id`,
      )
      .all() as OldDataset[];
    const insert = db.prepare(
      `INSERT INTO datasets_0005 (id, symbol, kind, venue, expiry, timeframe_ms, created_at, updated_at, row_count, first_ts, last_ts, health_score, health_verdict)
       VALUES (@id, @symbol, @kind, @venue, @expiry, @timeframe_ms, @created_at, @updated_at, @row_count, @first_ts, @last_ts, @health_score, @health_verdict)`,
    );
    for (const d of old) {
      const found = resolveInstrument({ symbol: d.symbol, fileName: d.source_file ?? '', exchange: d.exchange, family: d.source_format ?? '', header: null });
      const candidates: Candidate[] = [
        { symbol: found.symbol ?? d.symbol, kind: found.kind, venue: found.venue, expiry: found.expiry },
        { symbol: d.symbol, kind: found.kind, venue: found.venue, expiry: found.expiry },
        { symbol: d.symbol, kind: 'spot', venue: null, expiry: null },
      ];
      const free = candidates.find((c) => !taken(db, c, d.timeframe_ms)) ?? { ...candidates[2]!, symbol: `${d.symbol}#${d.id}` };
      insert.run({ ...d, ...free });
    }
    moveChildren(db, 'datasets', 'datasets_0005');
    db.exec(`
      DROP TABLE datasets;
      ALTER TABLE datasets_0005 RENAME TO datasets;
      -- NULLs are distinct in a UNIQUE index: venue and expiry count as '' and 0 when unknown
      CREATE UNIQUE INDEX datasets_instrument ON datasets (symbol, kind, ifnull(venue, ''), ifnull(expiry, 0), timeframe_ms);
    `);
    const broken = db.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0) throw new Error(`0005-instruments left ${broken.length} rows without their dataset`);
  },
};

interface OldDataset {
  id: number;
  symbol: string;
  timeframe_ms: number;
  exchange: string | null;
  created_at: number;
  updated_at: number;
  row_count: number;
  first_ts: number | null;
  last_ts: number | null;
  health_score: number | null;
  health_verdict: string | null;
  source_file: string | null;
  source_format: string | null;
}

interface Candidate {
  symbol: string;
  kind: ContractKind;
  venue: string | null;
  expiry: number | null;
}

function taken(db: Database, c: Candidate, timeframeMs: number): boolean {
  return (
    db
      .prepare(`SELECT 1 FROM datasets_0005 WHERE symbol = ? AND kind = ? AND ifnull(venue, '') = ifnull(?, '') AND ifnull(expiry, 0) = ifnull(?, 0) AND timeframe_ms = ?`)
      .get(c.symbol, c.kind, c.venue, c.expiry, timeframeMs) !== undefined
  );
}

/**
 * Rebuilds every table whose REFERENCES name `from` so it references `to` instead, rows and
 * indexes kept (the table-rebuild procedure of https://sqlite.org/lang_altertable.html).
 */
function moveChildren(db: Database, from: string, to: string): void {
  const children = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE ?`).all(`%REFERENCES ${from}(%`) as { name: string; sql: string }[];
  for (const child of children) {
    const indexes = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).pluck().all(child.name) as string[];
    const rebuilt = `${child.name}_0005`;
    const sql = child.sql.replace(/^CREATE TABLE\s+"?\w+"?/, `CREATE TABLE ${rebuilt}`).replaceAll(`REFERENCES ${from}(`, `REFERENCES ${to}(`);
    db.exec(sql);
    db.exec(`INSERT INTO ${rebuilt} SELECT * FROM ${child.name}`);
    db.exec(`DROP TABLE ${child.name}`);
    db.exec(`ALTER TABLE ${rebuilt} RENAME TO ${child.name}`);
    for (const index of indexes) db.exec(index);
  }
}

import type { Migration } from './registry.js';

/**
 * Datasets and their candles. Candles are keyed (dataset_id, ts) WITHOUT ROWID so a chart
 * viewport is one index range scan and the key is the storage order; ts is integer UTC ms.
 */
export const migration0001: Migration = {
  version: 1,
  name: '0001-initial',
  up(db) {
    db.exec(`
      CREATE TABLE datasets (
        id INTEGER PRIMARY KEY,
        symbol TEXT NOT NULL,
        timeframe_ms INTEGER NOT NULL CHECK (timeframe_ms > 0),
        exchange TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        row_count INTEGER NOT NULL DEFAULT 0,
        first_ts INTEGER,
        last_ts INTEGER,
        health_score REAL,
        health_verdict TEXT CHECK (health_verdict IN ('clean', 'suspect', 'bad')),
        UNIQUE (symbol, timeframe_ms)
      );

      CREATE TABLE dataset_sources (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        content_hash TEXT NOT NULL,
        file_name TEXT NOT NULL,
        format TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        rows_read INTEGER NOT NULL,
        rows_imported INTEGER NOT NULL,
        rows_rejected INTEGER NOT NULL,
        duplicates INTEGER NOT NULL,
        imported_at INTEGER NOT NULL,
        report_json TEXT NOT NULL,
        UNIQUE (dataset_id, content_hash)
      );
      CREATE INDEX dataset_sources_hash ON dataset_sources(content_hash);

      CREATE TABLE candles (
        dataset_id INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        open REAL NOT NULL,
        high REAL NOT NULL,
        low REAL NOT NULL,
        close REAL NOT NULL,
        volume REAL,
        PRIMARY KEY (dataset_id, ts)
      ) WITHOUT ROWID;

      CREATE TABLE dataset_columns (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        UNIQUE (dataset_id, name)
      );

      CREATE TABLE extra_values (
        column_id INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        value REAL,
        PRIMARY KEY (column_id, ts)
      ) WITHOUT ROWID;

      CREATE TABLE rollups (
        dataset_id INTEGER NOT NULL,
        timeframe_ms INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        open REAL NOT NULL,
        high REAL NOT NULL,
        low REAL NOT NULL,
        close REAL NOT NULL,
        volume REAL,
        bar_count INTEGER NOT NULL,
        PRIMARY KEY (dataset_id, timeframe_ms, ts)
      ) WITHOUT ROWID;

      CREATE TABLE dataset_health (
        dataset_id INTEGER PRIMARY KEY REFERENCES datasets(id) ON DELETE CASCADE,
        computed_at INTEGER NOT NULL,
        report_json TEXT NOT NULL,
        flags BLOB
      );
    `);
  },
};

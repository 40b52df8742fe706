import type { OhlcvColumns } from '../../../src-shared/compute/features/index.js';
import type { Db } from '../connection.js';
import { loadCandleArrays } from './candles.js';

/** A dataset as training reads it: symbol, and candles with every extra column aligned to them. */
export interface TrainingCandles {
  symbol: string;
  timeframeMs: number;
  candles: OhlcvColumns;
}

/**
 * Loads a dataset for training: its base candles (loadCandleArrays) plus each extra column
 * (funding rate, open interest, …) as a Float64Array aligned to the candles' timestamps; a bar
 * without a stored value gets NaN. Null when the dataset does not exist.
 */
export function loadTrainingCandles(db: Db, datasetId: number): TrainingCandles | null {
  const ds = db.prepare('SELECT symbol, timeframe_ms AS timeframeMs FROM datasets WHERE id = ?').get(datasetId) as { symbol: string; timeframeMs: number } | undefined;
  if (!ds) return null;
  const base = loadCandleArrays(db, datasetId);
  const columns = db.prepare('SELECT id, name FROM dataset_columns WHERE dataset_id = ? ORDER BY id').all(datasetId) as { id: number; name: string }[];
  const extras: Record<string, Float64Array> = {};
  const values = db.prepare('SELECT ts, value FROM extra_values WHERE column_id = ? ORDER BY ts').raw();
  for (const col of columns) {
    const out = new Float64Array(base.ts.length).fill(NaN);
    // Both sides are sorted by ts: one merge pass aligns them.
    let i = 0;
    for (const [ts, value] of values.iterate(col.id) as IterableIterator<[number, number | null]>) {
      while (i < base.ts.length && base.ts[i] < ts) i++;
      if (i === base.ts.length) break;
      if (base.ts[i] === ts && value !== null) out[i] = value;
    }
    extras[col.name] = out;
  }
  return { symbol: ds.symbol, timeframeMs: ds.timeframeMs, candles: columns.length > 0 ? { ...base, extras } : base };
}

import type { OhlcvColumns } from '../../../src-shared/compute/features/index.js';
import type { ContractKind } from '../../../src-shared/domain/contractKind.js';
import type { Db } from '../connection.js';
import { loadCandleArrays } from './candles.js';
import { OWN_BARS, readSeriesAll, readSeriesPage, rollupBarCounts } from './candleBlocks.js';

/** A dataset as training reads it: symbol, contract kind, and candles with every extra column aligned to them. */
export interface TrainingCandles {
  symbol: string;
  kind: ContractKind;
  /** The bar size of `candles`: the dataset's own, or the roll-up asked for. */
  timeframeMs: number;
  candles: OhlcvColumns;
}

export interface TrainingCandlesOptions {
  /** Bar size to read: the dataset's own (default) or one of its roll-ups. */
  timeframeMs?: number;
  /** Extra columns to include (default: all the dataset has). */
  extraColumns?: readonly string[];
}

interface DatasetRow {
  symbol: string;
  kind: ContractKind;
  timeframeMs: number;
}

const rollupArrays = (db: Db, datasetId: number, timeframeMs: number) => readSeriesAll(db, datasetId, timeframeMs);

/**
 * Loads a dataset for training: its candles at the asked bar size (its own bars, or a roll-up
 * built at import) plus each extra column (funding rate, open interest, …) as a Float64Array
 * aligned to those bars: a bar of the dataset's own takes the value stamped at its open time; a
 * rolled-up bar the last value stamped inside it (known by its close, so it never sees a later
 * bar's value). A bar without one gets NaN. Null when the
 * dataset does not exist, or it has no roll-up of that size.
 */
export function loadTrainingCandles(db: Db, datasetId: number, options: TrainingCandlesOptions = {}): TrainingCandles | null {
  const ds = db.prepare('SELECT symbol, kind, timeframe_ms AS timeframeMs FROM datasets WHERE id = ?').get(datasetId) as DatasetRow | undefined;
  if (!ds) return null;
  const tf = options.timeframeMs ?? ds.timeframeMs;
  const own = tf === ds.timeframeMs;
  const base = own ? loadCandleArrays(db, datasetId) : rollupArrays(db, datasetId, tf);
  if (!own && base.ts.length === 0) return null;
  let columns = db.prepare('SELECT id, name FROM dataset_columns WHERE dataset_id = ? ORDER BY id').all(datasetId) as { id: number; name: string }[];
  if (options.extraColumns) {
    const wanted = new Set(options.extraColumns);
    columns = columns.filter((c) => wanted.has(c.name));
  }
  const extras: Record<string, Float64Array> = {};
  const values = db.prepare('SELECT ts, value FROM extra_values WHERE column_id = ? ORDER BY ts').raw();
  const n = base.ts.length;
  for (const col of columns) {
    const out = new Float64Array(n).fill(NaN);
    // Both sides are sorted by ts: one merge pass puts each value into the bar that contains it.
    let i = 0;
    for (const [ts, value] of values.iterate(col.id) as IterableIterator<[number, number | null]>) {
      while (i + 1 < n && base.ts[i + 1]! <= ts) i++;
      if (i >= n || base.ts[i]! > ts) continue;
      // A roll-up bar holds every value stamped inside it; the dataset's own bars only their own.
      if (own ? ts !== base.ts[i] : ts >= base.ts[i]! + tf) continue;
      if (value !== null) out[i] = value;
    }
    extras[col.name] = out;
  }
  return { symbol: ds.symbol, kind: ds.kind, timeframeMs: tf, candles: columns.length > 0 ? { ...base, extras } : base };
}

/** What the training plan needs to know of one dataset, without reading its candles. */
export interface TrainingPlanFacts {
  id: number;
  symbol: string;
  timeframeMs: number;
  rows: number;
  extraColumns: string[];
  /** Its roll-ups: bar size and number of bars. */
  rollups: { timeframeMs: number; bars: number }[];
}

/** Facts of each dataset, in the order asked; null where a dataset does not exist. */
export function trainingPlanFacts(db: Db, datasetIds: readonly number[]): (TrainingPlanFacts | null)[] {
  const dsQ = db.prepare('SELECT id, symbol, timeframe_ms AS timeframeMs, row_count AS rows FROM datasets WHERE id = ?');
  const colsQ = db.prepare('SELECT name FROM dataset_columns WHERE dataset_id = ? ORDER BY name').pluck();
  return datasetIds.map((id) => {
    const ds = dsQ.get(id) as { id: number; symbol: string; timeframeMs: number; rows: number } | undefined;
    if (!ds) return null;
    return { ...ds, extraColumns: colsQ.all(id) as string[], rollups: rollupBarCounts(db, id) };
  });
}

/** The first `limit` bars of a dataset at a bar size (the plan measures the features' warm-up on them). */
export function trainingCandlePrefix(db: Db, datasetId: number, timeframeMs: number, limit: number): OhlcvColumns | null {
  const ds = db.prepare('SELECT timeframe_ms AS timeframeMs FROM datasets WHERE id = ?').get(datasetId) as { timeframeMs: number } | undefined;
  if (!ds) return null;
  const own = timeframeMs === ds.timeframeMs;
  return readSeriesPage(db, datasetId, own ? OWN_BARS : timeframeMs, -Infinity, limit);
}

import { BacktestInputError, LookAheadError } from './errors.js';

/** OHLC columns of one symbol; `ts` is each bar's open time (integer UTC ms), strictly increasing. */
export interface CandleColumns {
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
}

/**
 * Out-of-sample class probabilities aligned to the bars: row i (`probs[i*classes .. +classes]`) is
 * the model's output computed from data up to the CLOSE of bar i, and `ts[i]` is the open time of
 * the last bar the model saw (so `ts[i] <= candles.ts[i]`; equality is the normal case). A row of
 * NaN means "no prediction" (e.g. outside the test split). The engine acts on row i at the open of
 * bar i + 1, never within bar i: there is no setting that fills on the signal's own bar.
 */
export interface BarPredictions {
  ts: Float64Array;
  probs: Float32Array;
  classes: number;
}

/** Everything the engine needs for one symbol. */
export interface SymbolInput {
  symbol: string;
  candles: CandleColumns;
  predictions: BarPredictions;
  /** Average true range per bar, in price units, known at each bar's close (needed for ATR stops or ATR slippage). */
  atr?: Float64Array;
  /**
   * Funding rate per bar: the sum of the per-8h rates of funding events whose time falls in
   * [ts[i], ts[i+1]); 0 or NaN where none. Build it from an event list with `fundingEventsToBars`.
   */
  fundingRate?: Float64Array;
}

/**
 * Refuses predictions that could carry information from the future of the bar they are aligned
 * to: every row with a prediction must have `predictions.ts[i] <= candles.ts[i]`. A stale
 * prediction (earlier timestamp) is allowed. Throws `LookAheadError` at the first offending bar.
 */
export function assertPredictionsCausal(barTs: Float64Array, predictions: BarPredictions): void {
  const { ts, probs, classes } = predictions;
  if (ts.length !== barTs.length) {
    throw new BacktestInputError(`predictions.ts has ${ts.length} rows for ${barTs.length} bars`);
  }
  for (let i = 0; i < barTs.length; i++) {
    if (Number.isNaN(probs[i * classes])) continue;
    const p = ts[i];
    if (Number.isNaN(p)) {
      throw new LookAheadError(`prediction for bar ${i} has no timestamp, so it cannot be shown to precede the bar`, i);
    }
    if (!(p <= barTs[i])) {
      throw new LookAheadError(
        `prediction for bar ${i} (ts ${barTs[i]}) is stamped ${p}: it uses data after that bar; ` +
          'a signal may only use bars up to and including the one it is aligned to',
        i,
      );
    }
  }
}

/**
 * Places predictions stamped with their own timestamps onto bars: bar i receives the prediction
 * whose timestamp equals `barTs[i]`; bars without one get a NaN row. Predictions whose timestamp
 * matches no bar are dropped (they can never move to an earlier bar, so this cannot leak the future).
 * Both timestamp arrays must be sorted ascending.
 */
export function alignPredictionsToBars(
  barTs: Float64Array,
  predTs: Float64Array,
  probs: Float32Array,
  classes: number,
): BarPredictions {
  if (probs.length !== predTs.length * classes) {
    throw new BacktestInputError(`probs has ${probs.length} values for ${predTs.length} rows × ${classes} classes`);
  }
  const n = barTs.length;
  const outProbs = new Float32Array(n * classes).fill(Number.NaN);
  const outTs = new Float64Array(n).fill(Number.NaN);
  let j = 0;
  for (let i = 0; i < n; i++) {
    while (j < predTs.length && predTs[j] < barTs[i]) j++;
    if (j < predTs.length && predTs[j] === barTs[i]) {
      outTs[i] = barTs[i];
      outProbs.set(probs.subarray(j * classes, (j + 1) * classes), i * classes);
    }
  }
  return { ts: outTs, probs: outProbs, classes };
}

/**
 * Timestamps finite and strictly increasing, prices positive and finite, high/low around
 * open/close. Its own function with one loop so that V8 optimizes it whole (see runBarLoop).
 */
function assertCandlesValid(candles: CandleColumns, where: string): void {
  const n = candles.ts.length;
  const { ts, open, high, low, close } = candles;
  for (let i = 0; i < n; i++) {
    const t = ts[i];
    if (!Number.isFinite(t) || (i > 0 && !(t > ts[i - 1]))) {
      throw new BacktestInputError(`${where}: candle timestamps must be finite and strictly increasing (bar ${i})`);
    }
    const o = open[i];
    const h = high[i];
    const l = low[i];
    const c = close[i];
    // Written so that NaN fails every test: NaN comparisons are false.
    if (!(o > 0 && l > 0 && h < Infinity)) {
      throw new BacktestInputError(`${where}: bar ${i} has a non-positive or non-finite price`);
    }
    if (!(h >= o && h >= c && l <= o && l <= c)) {
      throw new BacktestInputError(`${where}: bar ${i} has high/low outside open/close (or a NaN)`);
    }
  }
}

/** Checks lengths, ordering and finiteness of one symbol's inputs; throws `BacktestInputError`. */
export function validateSymbolInput(input: SymbolInput): void {
  const { candles, predictions, symbol } = input;
  const n = candles.ts.length;
  const where = `symbol ${symbol}`;
  for (const [name, col] of [['open', candles.open], ['high', candles.high], ['low', candles.low], ['close', candles.close]] as const) {
    if (col.length !== n) throw new BacktestInputError(`${where}: candles.${name} has ${col.length} rows, ts has ${n}`);
  }
  assertCandlesValid(candles, where);
  if (!Number.isInteger(predictions.classes) || predictions.classes < 2) {
    throw new BacktestInputError(`${where}: predictions.classes must be an integer >= 2`);
  }
  if (predictions.probs.length !== n * predictions.classes) {
    throw new BacktestInputError(`${where}: predictions.probs has ${predictions.probs.length} values for ${n} bars × ${predictions.classes} classes`);
  }
  if (input.atr && input.atr.length !== n) throw new BacktestInputError(`${where}: atr has ${input.atr.length} rows for ${n} bars`);
  if (input.fundingRate && input.fundingRate.length !== n) {
    throw new BacktestInputError(`${where}: fundingRate has ${input.fundingRate.length} rows for ${n} bars`);
  }
  assertPredictionsCausal(candles.ts, predictions);
}

import { annualizationCalendar, type AnnualizationCalendar } from './calendar.js';
import { BacktestInputError } from './errors.js';
import { fixedFundingPerBar, sparseFunding, type SparseFunding } from './funding.js';
import { validateSymbolInput, type SymbolInput } from './inputs.js';
import type { BacktestSettings } from './settings.js';
import { decodeSignals, type DecodedSignals } from './signals.js';
import { rollingLogReturnVolatility } from './volatility.js';

/**
 * One symbol made ready for simulation: inputs validated (including the look-ahead check),
 * signals decoded, funding and volatility laid out per bar. Independent of `minConfidence`, so a
 * threshold sweep prepares each symbol once.
 */
export interface PreparedSymbol {
  symbol: string;
  n: number;
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  /** ATR per bar (NaN → 0), only when ATR stops, targets or slippage use it; else null. */
  atr: Float64Array | null;
  signals: DecodedSignals;
  classes: number;
  /** Bars carrying funding (sum of the per-8h rates falling in the bar) and their rates; empty when funding is off. */
  funding: SparseFunding;
  /** Per-bar σ of log returns for `vol-target` sizing, else null. */
  volatility: Float64Array | null;
  /**
   * Bars the strategy can act on: from the bar after the first prediction (its first possible
   * fill) to the bar after the last prediction, capped at the last bar. A position still open at
   * the close of `end` is closed there (exit reason `end`). `start > end` when there is nothing to do.
   */
  start: number;
  end: number;
  calendar: AnnualizationCalendar;
}

/** Validates and precomputes what the simulation reads; throws `BacktestInputError` / `LookAheadError`. */
export function prepareSymbol(input: SymbolInput, s: BacktestSettings): PreparedSymbol {
  validateSymbolInput(input);
  const { candles, predictions } = input;
  const n = candles.ts.length;
  const { classes } = predictions;
  if (s.downClass >= classes || s.upClass >= classes) {
    throw new BacktestInputError(`symbol ${input.symbol}: downClass/upClass outside the ${classes} prediction columns`);
  }
  const needsAtr = (s.stopUnit === 'atr' && (s.stopLoss !== null || s.takeProfit !== null)) || s.slippageAtrFraction > 0;
  if (needsAtr && !input.atr) throw new BacktestInputError(`symbol ${input.symbol}: ATR stops or ATR slippage need an atr column`);
  if (s.fundingSource === 'column' && !input.fundingRate) {
    throw new BacktestInputError(`symbol ${input.symbol}: fundingSource 'column' needs a fundingRate column`);
  }
  const calendar = annualizationCalendar(candles.ts, s.calendar);
  const signals = decodeSignals(predictions.probs, classes, s.downClass, s.upClass);

  const funding = sparseFunding(
    s.fundingSource === 'fixed'
      ? fixedFundingPerBar(candles.ts, s.fundingRatePer8h, calendar.barSpacingMs)
      : s.fundingSource === 'column' && input.fundingRate
        ? input.fundingRate
        : new Float64Array(0),
  );

  let atr: Float64Array | null = null;
  if (needsAtr && input.atr) {
    // An ATR that is not known yet (warm-up NaN) becomes 0: no ATR slippage, and no entry where
    // an ATR stop or target is needed (see simulate.ts).
    const src = input.atr;
    atr = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = src[i];
      atr[i] = a > 0 ? a : 0;
    }
  }

  const volatility = s.sizing === 'vol-target' ? rollingLogReturnVolatility(candles.close, s.volLookbackBars) : null;

  let start = n;
  let end = n - 1;
  if (signals.firstPrediction >= 0 && signals.firstPrediction + 1 < n) {
    start = signals.firstPrediction + 1;
    end = Math.min(signals.lastPrediction + 1, n - 1);
  }
  return {
    symbol: input.symbol,
    n,
    ts: candles.ts,
    open: candles.open,
    high: candles.high,
    low: candles.low,
    close: candles.close,
    atr,
    signals,
    classes,
    funding,
    volatility,
    start,
    end,
    calendar,
  };
}

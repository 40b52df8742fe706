import type { AnnualizationCalendar } from './calendar.js';
import type { SymbolInput } from './inputs.js';
import { prepareSymbol, type PreparedSymbol } from './prepare.js';
import { resolveBacktestSettings, type BacktestSettings } from './settings.js';
import { createSimulationBuffers, EQUITY_CAP, simulate, type SimulationTotals } from './simulate.js';
import { TradeLog, type TradeList } from './trades.js';

/** One symbol's backtest: per-bar curves (length n, aligned to the candles), trades and totals. */
export interface BacktestResult {
  symbol: string;
  settings: BacktestSettings;
  /** The candles' bar open times. */
  ts: Float64Array;
  /** Equity at each bar's close; `initialEquity` before the window, the final equity after it. */
  equity: Float64Array;
  /** Signed exposure (q × close / equity) at each bar's close. */
  position: Float64Array;
  /** Side held at any time during each bar (+1, −1, 0). */
  sideDuring: Int8Array;
  /**
   * Buy and hold over the same window, in the same currency: `initialEquity × close[t] / open[start]`
   * inside the window (bought at the first possible fill, the open of `start`), flat outside.
   */
  buyAndHoldEquity: Float64Array;
  trades: TradeList;
  totals: SimulationTotals;
  /**
   * Why the account stopped trading before the end, if it did: `ruined` (equity wiped out, by a
   * gap through the liquidation price or losses down to 1e-9 of the start) or `equity-cap` (grew
   * past 1e100 × the start — a sign of look-ahead; see simulate.ts). Null otherwise.
   */
  halted: 'ruined' | 'equity-cap' | null;
  /** First and last bar of the backtest window (inclusive); start > end when nothing could trade. */
  window: { start: number; end: number };
  calendar: AnnualizationCalendar;
}

/**
 * Buy-and-hold equity over a prepared symbol's window (see `BacktestResult.buyAndHoldEquity`).
 * Same reference prices as a zero-cost always-long strategy, so the two agree to rounding.
 */
export function buyAndHoldEquity(p: PreparedSymbol, initialEquity: number): Float64Array {
  const out = new Float64Array(p.n).fill(initialEquity);
  if (p.start > p.end) return out;
  const base = p.open[p.start];
  for (let t = p.start; t <= p.end; t++) out[t] = (initialEquity * p.close[t]) / base;
  for (let t = p.end + 1; t < p.n; t++) out[t] = out[p.end];
  return out;
}

/**
 * Backtests one symbol's out-of-sample predictions. Signals from bar t's prediction fill at bar
 * t + 1's open; predictions stamped later than their bar are refused (`LookAheadError`). See
 * simulate.ts for the execution, stop, funding and liquidation rules, and settings.ts for defaults.
 */
export function runBacktest(input: SymbolInput, settings: Partial<BacktestSettings> = {}): BacktestResult {
  const s = resolveBacktestSettings(settings);
  return backtestPrepared(prepareSymbol(input, s), s);
}

/**
 * The backtest of a symbol already prepared with settings that differ from `s` at most in
 * `minConfidence` (preparation does not depend on it). `runBacktest` is this after
 * `prepareSymbol`, so a threshold sweep built on it reproduces a plain run bit for bit. `log` may
 * be one kept across runs (it is cleared first, and the result copies the trades out of it), so
 * that it does not grow anew on each.
 */
export function backtestPrepared(p: PreparedSymbol, s: BacktestSettings, log: TradeLog = new TradeLog()): BacktestResult {
  const buffers = createSimulationBuffers(p.n);
  const totals = simulate(p, s, s.minConfidence, buffers, log);
  return {
    symbol: p.symbol,
    settings: s,
    ts: p.ts,
    equity: buffers.equity,
    position: buffers.position,
    sideDuring: buffers.sideDuring,
    buyAndHoldEquity: buyAndHoldEquity(p, s.initialEquity),
    trades: log.toTradeList(),
    totals,
    halted: totals.finalEquity <= 0 ? 'ruined' : totals.finalEquity >= s.initialEquity * EQUITY_CAP ? 'equity-cap' : null,
    window: { start: p.start, end: p.end },
    calendar: p.calendar,
  };
}

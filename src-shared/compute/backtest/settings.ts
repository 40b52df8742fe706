import { bps, fraction, type Bps, type Fraction } from '../../domain/units.js';
import { BacktestInputError } from './errors.js';

/** Which sides the strategy may take; flat is always allowed. */
export type TradeDirection = 'long-short' | 'long-only';

/**
 * How big a position is when it is opened, as a fraction of equity (notional / equity), before the
 * leverage cap. The size is fixed for the life of a trade (quantity constant, no rebalancing).
 * - `fixed`: `fixedFraction`.
 * - `confidence`: `fixedFraction × (p − 1/K) / (1 − 1/K)`, clamped to [0, 1] — zero at chance
 *   (p = 1/K for K classes), full size at certainty.
 * - `vol-target`: `volTargetAnnual / (σ_bar × √periodsPerYear)`, σ_bar the standard deviation of the
 *   last `volLookbackBars` close-to-close log returns known at the signal bar's close
 *   (Moreira & Muir 2017, "Volatility-Managed Portfolios").
 * - `kelly`: `kellyFraction × (p − (1 − p) / b)` (Kelly 1956; the "trading" form f = p − q/b),
 *   p the predicted probability of the traded side, b the payoff ratio (mean winning trade return /
 *   mean losing trade |return|) observed on this symbol's trades closed so far; `kellyPriorPayoff`
 *   until `kellyMinTrades` trades with at least one win and one loss have closed. With three classes
 *   the FLAT probability counts as a loss, which keeps the bet small.
 */
export type PositionSizing = 'fixed' | 'confidence' | 'vol-target' | 'kelly';

/** Unit of `stopLoss` / `takeProfit`: a fraction of the entry price, or a multiple of the ATR. */
export type StopUnit = 'fraction' | 'atr';

/** Where the per-8h funding rate comes from. */
export type FundingSource = 'none' | 'fixed' | 'column';

/** How an annualization calendar is chosen; see `periodsPerYear` in calendar.ts. */
export type CalendarMode = 'auto' | '24/7' | 'sessions';

/**
 * Backtest settings: a plain JSON-serializable object. Every field has a default
 * (`DEFAULT_BACKTEST_SETTINGS`); callers pass a partial object to `resolveBacktestSettings`.
 */
export interface BacktestSettings {
  /** Default `long-short`. A DOWN signal closes a long (and opens nothing) in `long-only`. */
  direction: TradeDirection;
  /** Column of the DOWN class in the probability rows. Default 0 (order DOWN/FLAT/UP). */
  downClass: number;
  /** Column of the UP class. Default 2 (order DOWN/FLAT/UP); any other column is FLAT. */
  upClass: number;
  /**
   * The predicted class (argmax; ties go to the lower column) must have at least this probability
   * to count as a signal. Default 0 (plain argmax).
   */
  minConfidence: number;
  /** What a below-threshold prediction means: close the position (`flat`, default) or keep it (`hold`). Rows with no prediction always mean flat. */
  whenUncertain: 'flat' | 'hold';
  /** Default `fixed`. */
  sizing: PositionSizing;
  /** Size for `fixed`, maximum size for `confidence`. Default 1 (fully invested, no leverage). */
  fixedFraction: number;
  /** Annualized volatility target for `vol-target`. Default 0.2. */
  volTargetAnnual: number;
  /** Look-back of the realized volatility for `vol-target`. Default 20 bars. */
  volLookbackBars: number;
  /** Multiplier on the full Kelly bet. Default 0.5 ("half Kelly"). */
  kellyFraction: number;
  /** Closed trades needed before the observed payoff ratio replaces the prior. Default 20. */
  kellyMinTrades: number;
  /** Payoff ratio assumed before enough trades have closed. Default 1. */
  kellyPriorPayoff: number;
  /** Upper bound on notional / equity at entry. Default 1. */
  maxLeverage: number;
  /** Close a trade at the open after it has been held this many bars; null = no limit. Default null. */
  maxHoldingBars: number | null;
  /**
   * After a stop, take-profit, max-hold or liquidation exit: wait until the signal has asked for
   * something else before re-entering the same side (`after-signal-change`, default), or re-enter
   * at the next open if it still asks for it (`immediately`).
   */
  reentryAfterForcedExit: 'after-signal-change' | 'immediately';
  /** Default `fraction`. ATR stops need an `atr` column. */
  stopUnit: StopUnit;
  /** Stop-loss distance from the entry bar's open, in `stopUnit`; null = none. Default null. */
  stopLoss: number | null;
  /** Take-profit distance from the entry bar's open, in `stopUnit`; null = none. Default null. */
  takeProfit: number | null;
  /** Fee on market (taker) fills. Default 5 bps. */
  takerFeeBps: Bps;
  /** Fee on limit (maker) fills. Default 2 bps. */
  makerFeeBps: Bps;
  /**
   * Order type of signal-driven entries and exits at the open. `market` (default) pays taker fee and
   * slippage; `limit` assumes a limit order at the open price filled in full (maker fee, no
   * slippage) — optimistic, because a real limit order at the open may not fill.
   */
  signalOrderType: 'market' | 'limit';
  /** Take-profit orders rest as limit orders (`limit`, default: maker fee, no slippage) or fire as market orders. */
  takeProfitOrderType: 'market' | 'limit';
  /** Slippage on market fills, adverse to the trader, in bps of the price. Default 0. */
  slippageBps: Bps;
  /** Extra slippage on market fills as a fraction of the last known ATR (needs `atr`). Default 0. */
  slippageAtrFraction: Fraction;
  /** Default `none`. */
  fundingSource: FundingSource;
  /** Rate charged per 8 h at 00/08/16 UTC for `fixed`; longs pay a positive rate. Default 0.0001. */
  fundingRatePer8h: Fraction;
  /** Maintenance margin as a fraction of notional; see the liquidation model in simulate.ts. Default 0.005. */
  maintenanceMargin: Fraction;
  /** Starting equity per symbol, in quote currency. Default 1. */
  initialEquity: number;
  /** Annualization calendar. Default `auto`. */
  calendar: CalendarMode;
}

export const DEFAULT_BACKTEST_SETTINGS: Readonly<BacktestSettings> = Object.freeze({
  direction: 'long-short',
  downClass: 0,
  upClass: 2,
  minConfidence: 0,
  whenUncertain: 'flat',
  sizing: 'fixed',
  fixedFraction: 1,
  volTargetAnnual: 0.2,
  volLookbackBars: 20,
  kellyFraction: 0.5,
  kellyMinTrades: 20,
  kellyPriorPayoff: 1,
  maxLeverage: 1,
  maxHoldingBars: null,
  reentryAfterForcedExit: 'after-signal-change',
  stopUnit: 'fraction',
  stopLoss: null,
  takeProfit: null,
  takerFeeBps: bps(5),
  makerFeeBps: bps(2),
  signalOrderType: 'market',
  takeProfitOrderType: 'limit',
  slippageBps: bps(0),
  slippageAtrFraction: fraction(0),
  fundingSource: 'none',
  fundingRatePer8h: fraction(0.0001),
  maintenanceMargin: fraction(0.005),
  initialEquity: 1,
  calendar: 'auto',
} satisfies BacktestSettings);

function check(ok: boolean, field: keyof BacktestSettings, why: string): void {
  if (!ok) throw new BacktestInputError(`settings.${field}: ${why}`);
}

const finiteAtLeast = (x: number, min: number): boolean => Number.isFinite(x) && x >= min;

/**
 * Fills defaults and validates. Throws `BacktestInputError` naming the first bad field.
 * Zero-cost and no-stop configurations are valid; negative costs are not.
 */
export function resolveBacktestSettings(partial: Partial<BacktestSettings> = {}): BacktestSettings {
  const s: BacktestSettings = { ...DEFAULT_BACKTEST_SETTINGS, ...partial };
  check(s.direction === 'long-short' || s.direction === 'long-only', 'direction', 'long-short or long-only');
  check(Number.isInteger(s.downClass) && s.downClass >= 0, 'downClass', 'a column index');
  check(Number.isInteger(s.upClass) && s.upClass >= 0 && s.upClass !== s.downClass, 'upClass', 'a column index other than downClass');
  check(s.minConfidence >= 0 && s.minConfidence <= 1, 'minConfidence', 'within [0, 1]');
  check(s.whenUncertain === 'flat' || s.whenUncertain === 'hold', 'whenUncertain', 'flat or hold');
  check(['fixed', 'confidence', 'vol-target', 'kelly'].includes(s.sizing), 'sizing', 'fixed, confidence, vol-target or kelly');
  check(finiteAtLeast(s.fixedFraction, 0), 'fixedFraction', 'finite and >= 0');
  check(finiteAtLeast(s.volTargetAnnual, 0), 'volTargetAnnual', 'finite and >= 0');
  check(Number.isInteger(s.volLookbackBars) && s.volLookbackBars >= 2, 'volLookbackBars', 'an integer >= 2');
  check(finiteAtLeast(s.kellyFraction, 0), 'kellyFraction', 'finite and >= 0');
  check(Number.isInteger(s.kellyMinTrades) && s.kellyMinTrades >= 0, 'kellyMinTrades', 'an integer >= 0');
  check(Number.isFinite(s.kellyPriorPayoff) && s.kellyPriorPayoff > 0, 'kellyPriorPayoff', 'finite and > 0');
  check(Number.isFinite(s.maxLeverage) && s.maxLeverage > 0, 'maxLeverage', 'finite and > 0');
  check(s.maxHoldingBars === null || (Number.isInteger(s.maxHoldingBars) && s.maxHoldingBars >= 1), 'maxHoldingBars', 'null or an integer >= 1');
  check(s.reentryAfterForcedExit === 'after-signal-change' || s.reentryAfterForcedExit === 'immediately', 'reentryAfterForcedExit', 'after-signal-change or immediately');
  check(s.stopUnit === 'fraction' || s.stopUnit === 'atr', 'stopUnit', 'fraction or atr');
  check(s.stopLoss === null || (Number.isFinite(s.stopLoss) && s.stopLoss > 0), 'stopLoss', 'null or > 0');
  check(s.stopUnit !== 'fraction' || s.stopLoss === null || s.stopLoss < 1, 'stopLoss', 'below 1 as a fraction of price');
  check(s.takeProfit === null || (Number.isFinite(s.takeProfit) && s.takeProfit > 0), 'takeProfit', 'null or > 0');
  check(finiteAtLeast(s.takerFeeBps, 0), 'takerFeeBps', 'finite and >= 0');
  check(finiteAtLeast(s.makerFeeBps, 0), 'makerFeeBps', 'finite and >= 0');
  check(s.signalOrderType === 'market' || s.signalOrderType === 'limit', 'signalOrderType', 'market or limit');
  check(s.takeProfitOrderType === 'market' || s.takeProfitOrderType === 'limit', 'takeProfitOrderType', 'market or limit');
  check(finiteAtLeast(s.slippageBps, 0), 'slippageBps', 'finite and >= 0');
  check(finiteAtLeast(s.slippageAtrFraction, 0), 'slippageAtrFraction', 'finite and >= 0');
  check(['none', 'fixed', 'column'].includes(s.fundingSource), 'fundingSource', 'none, fixed or column');
  check(Number.isFinite(s.fundingRatePer8h), 'fundingRatePer8h', 'finite');
  check(s.maintenanceMargin >= 0 && s.maintenanceMargin < 1, 'maintenanceMargin', 'within [0, 1)');
  check(Number.isFinite(s.initialEquity) && s.initialEquity > 0, 'initialEquity', 'finite and > 0');
  check(['auto', '24/7', 'sessions'].includes(s.calendar), 'calendar', 'auto, 24/7 or sessions');
  return s;
}

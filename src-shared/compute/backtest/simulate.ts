import { bpsToFraction } from '../../domain/units.js';
import { firstIndexAtOrAfter } from './funding.js';
import type { PreparedSymbol } from './prepare.js';
import type { BacktestSettings } from './settings.js';
import { EXIT_END, EXIT_LIQUIDATION, EXIT_MAX_HOLD, EXIT_SIGNAL, EXIT_STOP, EXIT_TAKE_PROFIT, type TradeLog } from './trades.js';

/**
 * The bar-by-bar simulation. One account per symbol, one position at a time, linear (perpetual /
 * margin) accounting: equity = cash + q × price with q the signed quantity, so longs and shorts
 * share every formula.
 *
 * Order of events in bar t (all inside the backtest window, see `PreparedSymbol.start/end`):
 * 1. Decision at the OPEN of t from the prediction of bar t − 1 (computed at t − 1's close). The
 *    engine never reads the prediction of bar t before bar t + 1: same-bar fills cannot be expressed.
 *    - A trade held `maxHoldingBars` bars is closed first (reason `max-hold`).
 *    - If the target side differs from the held side, the position is closed (reason `signal`) and
 *      the new one opened, both at the open. Sizes are fixed at entry (no rebalancing while held).
 *    - After a forced exit (stop, take-profit, max-hold, liquidation) the same side is, by default
 *      (`reentryAfterForcedExit: 'after-signal-change'`), not re-entered until the signal has asked
 *      for something else at least once, so a persisting signal does not churn in and out of the
 *      same trade; `'immediately'` re-enters at the next open if the signal still says so.
 * 2. Funding: the position held during bar t pays `q × open × rate[t]` (longs pay positive rates),
 *    rate[t] being the funding times inside [ts[t], ts[t+1]). Valuing at the open is exact for
 *    bars of up to 8 h aligned to the hour grid (the funding time is then the bar's open) and an
 *    approximation for longer bars. Funding is charged even if a stop closes the trade later in the
 *    bar (the intrabar order of a mid-bar funding time and a stop is unknown: conservative).
 * 3. Stops within the bar, on its high and low, levels set from the entry bar's OPEN (the reference
 *    price, not the slipped fill, so that costs never move the levels):
 *    - The open is the first price of the bar: an open beyond the take-profit fills the limit at the
 *      open; an open beyond the stop or the liquidation price fills at the open (gaps are not
 *      filled at the level).
 *    - Otherwise, when the range touches both the stop and the target, the STOP is assumed first
 *      (conservative: the path inside the bar is unknown).
 * 4. Liquidation model (cross margin on the symbol's whole account): the position is liquidated
 *    when equity = cash + q·P falls to the maintenance margin m·|q|·P, i.e. at
 *    P_liq = −cash / (q (1 − side·m)). It is closed there at market (taker fee and slippage);
 *    a gap through P_liq fills at the open, and equity that would end below zero is set to zero
 *    (the venue's insurance fund absorbs the rest), after which the account stops trading. An
 *    account closed out below 1e-9 of its initial equity counts as wiped out too (it also keeps
 *    the arithmetic away from subnormal numbers, which are two orders of magnitude slower). Real
 *    venues may also keep the remaining maintenance margin as a liquidation fee; that is not modeled.
 *    With leverage 1 a long is never liquidated (P_liq ≤ 0) and a short is near a doubling of price.
 *    When the stop and the liquidation price are both touched, the one nearer the entry fires.
 * 4b. Equity cap: an account that has grown past 1e100 × its initial equity opens no new trades.
 *    Only a leak (look-ahead) or absurd leverage gets there; compounding further would overflow to
 *    Infinity and NaN within a long run, and every output must stay finite. `BacktestResult.halted`
 *    reports both this and a wiped-out account.
 * 5. At the close of the window's last bar an open position is closed at the close (reason `end`,
 *    market order), so every fee is counted and the trade list reconciles with the totals.
 *
 * Fills: market orders pay the taker fee on the fill notional and slippage adverse to the trader,
 * `price × slippageBps + slippageAtrFraction × ATR[t − 1]` (the last ATR known before the bar);
 * limit orders (take-profit by default, signal orders optionally) pay the maker fee and no slippage.
 */

/** Per-bar outputs; arrays of at least n elements, overwritten on every call. */
export interface SimulationBuffers {
  /** Equity at each bar's close (mark to market), in quote currency. */
  equity: Float64Array;
  /** Signed exposure at each bar's close: q × close / equity (0 when flat). */
  position: Float64Array;
  /** Side held at any time during the bar after its open fills (+1, −1, 0), even if stopped intrabar. */
  sideDuring: Int8Array;
}

/** Sums over the whole run; each also equals the sum of the matching trade column. */
export interface SimulationTotals {
  fees: number;
  /** Net funding paid (negative when received). */
  funding: number;
  slippage: number;
  /** Σ |fill notional| / equity before the fill, over all fills. */
  turnover: number;
  trades: number;
  finalEquity: number;
}

/** Allocates buffers for n bars. */
export function createSimulationBuffers(n: number): SimulationBuffers {
  return { equity: new Float64Array(n), position: new Float64Array(n), sideDuring: new Int8Array(n) };
}

// Slots of the totals vector the bar loop keeps current (see runBarLoop for why it does not
// return them). Numbers in a Float64Array also never change representation (integer 0 vs double),
// a change that V8 answers by deoptimizing the code that built the object.
const TOTAL_FEES = 0;
const TOTAL_FUNDING = 1;
const TOTAL_SLIPPAGE = 2;
const TOTAL_TURNOVER = 3;
const TOTAL_SLOTS = 4;

/** Multiple of the initial equity above which no new trade is opened (see 4b above). */
export const EQUITY_CAP = 1e100;

const SIZING_FIXED = 0;
const SIZING_CONFIDENCE = 1;
const SIZING_VOL_TARGET = 2;
const SIZING_KELLY = 3;

/**
 * Runs one symbol at one confidence threshold, writing per-bar equity/position into `out` and the
 * closed trades into `log` (cleared first). See the module comment for the event order and the
 * fill, stop, funding and liquidation rules.
 *
 * Written for speed (the goal is ≥ 50 M bar-steps per second on one core): all state lives in
 * local variables, the two exit paths (at the open; within or at the close of the bar) are
 * spelled out inline rather than shared through a closure, and nothing is allocated per bar.
 */
export function simulate(
  p: PreparedSymbol,
  s: BacktestSettings,
  minConfidence: number,
  out: SimulationBuffers,
  log: TradeLog,
): SimulationTotals {
  log.clear();
  const totals = new Float64Array(TOTAL_SLOTS);
  runBarLoop(p, s, minConfidence, out, log, totals);
  // After the window the account is flat: its equity is the last close's. Done here rather than
  // after the bar loop so that the loop is the last thing its function runs (see runBarLoop).
  const finalEquity = p.start <= p.end ? out.equity[p.end] : s.initialEquity;
  const after = Math.max(p.end + 1, Math.min(p.start, p.n));
  out.equity.fill(finalEquity, after, p.n);
  out.position.fill(0, after, p.n);
  out.sideDuring.fill(0, after, p.n);
  return {
    fees: totals[TOTAL_FEES],
    funding: totals[TOTAL_FUNDING],
    slippage: totals[TOTAL_SLIPPAGE],
    turnover: totals[TOTAL_TURNOVER],
    trades: log.count,
    finalEquity,
  };
}

/**
 * The bar loop proper. It ends with the loop: V8 compiles a long loop on the fly (on-stack
 * replacement) before any code after it has run, and such code would then deoptimize the
 * function at the end of every call; running totals are therefore stored into `totals` as they
 * change (on fills and funding, not per bar).
 */
function runBarLoop(
  p: PreparedSymbol,
  s: BacktestSettings,
  minConfidence: number,
  out: SimulationBuffers,
  log: TradeLog,
  totals: Float64Array,
): void {
  // Imported constants copied to locals: under some module loaders (vitest's SSR transform) every
  // access to an import is a getter call, which the bar loop must not pay.
  const exitSignal = EXIT_SIGNAL;
  const exitStop = EXIT_STOP;
  const exitTakeProfit = EXIT_TAKE_PROFIT;
  const exitMaxHold = EXIT_MAX_HOLD;
  const exitLiquidation = EXIT_LIQUIDATION;
  const exitEnd = EXIT_END;
  const { n, ts, open, high, low, close, start, end, atr, funding, volatility } = p;
  const direction = p.signals.direction;
  const confidence = p.signals.confidence;
  const equityOut = out.equity;
  const positionOut = out.position;
  const sideOut = out.sideDuring;
  const e0 = s.initialEquity;
  const ruinLevel = e0 * 1e-9;
  const capLevel = e0 * EQUITY_CAP;
  const takerRate = bpsToFraction(s.takerFeeBps);
  const makerRate = bpsToFraction(s.makerFeeBps);
  const slipFraction = bpsToFraction(s.slippageBps);
  const slipAtr = s.slippageAtrFraction;
  const longOnly = s.direction === 'long-only';
  const holdUncertain = s.whenUncertain === 'hold';
  const blockAfterForcedExit = s.reentryAfterForcedExit === 'after-signal-change';
  const maxHold = s.maxHoldingBars ?? 0;
  const signalMaker = s.signalOrderType === 'limit';
  const signalRate = signalMaker ? makerRate : takerRate;
  const takeProfitMaker = s.takeProfitOrderType === 'limit';
  const atrLevels = s.stopUnit === 'atr';
  const atrStops = atrLevels && (s.stopLoss !== null || s.takeProfit !== null);
  const stopLoss = s.stopLoss ?? 0;
  const hasStop = s.stopLoss !== null;
  const takeProfit = s.takeProfit ?? 0;
  const hasTakeProfit = s.takeProfit !== null;
  const mm = s.maintenanceMargin;
  const maxLeverage = s.maxLeverage;
  const fixedFraction = s.fixedFraction;
  const kellyMinTrades = s.kellyMinTrades;
  const kellyPriorPayoff = s.kellyPriorPayoff;
  const kellyFraction = s.kellyFraction;
  const sizing =
    s.sizing === 'fixed' ? SIZING_FIXED : s.sizing === 'confidence' ? SIZING_CONFIDENCE : s.sizing === 'vol-target' ? SIZING_VOL_TARGET : SIZING_KELLY;
  const chance = 1 / p.classes;
  const volTargetPerBar = s.volTargetAnnual / Math.sqrt(p.calendar.periodsPerYear);
  const lastBarEnd = n > 0 ? ts[n - 1] + p.calendar.barSpacingMs : 0;
  // Funding walks a sparse list of (bar, rate) with a pointer: no per-bar read of a mostly-zero column.
  const fundingBars = funding.bars;
  const fundingRates = funding.rates;
  let fundingAt = firstIndexAtOrAfter(fundingBars, start);
  let nextFundingBar = fundingAt < fundingBars.length ? fundingBars[fundingAt] : -1;

  // Account and open-trade state.
  let cash = e0;
  let q = 0; // signed quantity
  let side = 0;
  let held = 0; // bars the open trade has been held through
  let blockedSide = 0; // side not to re-enter after a forced exit until the signal changes
  let liq = 0; // liquidation price of the open position; recomputed whenever cash changes
  let stopPx = 0;
  let takeProfitPx = 0;
  let entryBar = 0;
  let entryTs = 0;
  let entryPrice = 0;
  let entryEquity = 0;
  let entrySize = 0;
  let tradeFees = 0;
  let tradeFunding = 0;
  let tradeSlippage = 0;
  // Totals and the running payoff statistics used by Kelly sizing.
  let fees = 0;
  let fundingPaid = 0;
  let slippage = 0;
  let turnover = 0;
  let winSum = 0;
  let winCount = 0;
  let lossSum = 0;
  let lossCount = 0;

  // Before the window: flat at the initial equity (builtin fills keep the function to one loop,
  // which V8 optimizes more reliably than several).
  const firstInWindow = start < n ? start : n;
  equityOut.fill(e0, 0, firstInWindow);
  positionOut.fill(0, 0, firstInWindow);
  sideOut.fill(0, 0, firstInWindow);

  for (let t = start; t <= end; t++) {
    const o = open[t];
    const conf = confidence[t - 1];
    let target = conf >= minConfidence ? direction[t - 1] : holdUncertain && conf >= 0 ? side : 0;
    if (longOnly && target < 0) target = 0;

    // --- 1. Orders at the open: max-hold exit, then signal exit / entry.
    let openExit = -1;
    if (side !== 0) {
      if (maxHold > 0 && held >= maxHold) {
        openExit = exitMaxHold;
        if (blockAfterForcedExit) blockedSide = side;
      }
    }
    if (blockedSide !== 0) {
      if (target === blockedSide) target = 0;
      else blockedSide = 0;
    }
    if (openExit < 0 && side !== 0 && target !== side) openExit = exitSignal;
    if (openExit >= 0) {
      const atrPrev = atr !== null ? atr[t - 1] : 0; // the last ATR known before this bar
      const qty = side * q;
      const adj = signalMaker ? 0 : o * slipFraction + slipAtr * atrPrev;
      let fill = o - side * adj;
      if (fill < 0) fill = 0;
      const fee = qty * fill * signalRate;
      const equityBefore = cash + q * fill;
      if (equityBefore > 0) turnover += (qty * fill) / equityBefore;
      cash += q * fill - fee;
      if (cash < ruinLevel) cash = 0; // losses beyond the account are not carried as debt
      fees += fee;
      slippage += qty * adj;
      const pnl = cash - entryEquity;
      if (pnl > 0) {
        winSum += pnl / entryEquity;
        winCount++;
      } else if (pnl < 0) {
        lossSum -= pnl / entryEquity;
        lossCount++;
      }
      log.record(entryBar, t, entryTs, ts[t], side, entryPrice, fill, qty, entrySize, entryEquity, pnl,
        tradeFees + fee, tradeFunding, tradeSlippage + qty * adj, t - entryBar, openExit);
      q = 0;
      side = 0;
      held = 0;
      totals[TOTAL_FEES] = fees;
      totals[TOTAL_SLIPPAGE] = slippage;
      totals[TOTAL_TURNOVER] = turnover;
    }
    if (target !== 0 && side === 0 && cash > 0 && cash < capLevel) {
      const atrPrev = atr !== null ? atr[t - 1] : 0;
      // ATR levels need a known ATR (warm-up bars have none): no entry without one.
      if (!(atrStops && atrPrev <= 0)) {
        let size: number;
        if (sizing === SIZING_FIXED) size = fixedFraction;
        else if (sizing === SIZING_CONFIDENCE) {
          const k = (conf - chance) / (1 - chance);
          size = fixedFraction * (k < 0 ? 0 : k > 1 ? 1 : k);
        } else if (sizing === SIZING_VOL_TARGET) {
          const sigma = volatility !== null ? volatility[t - 1] : Number.NaN;
          size = sigma > 0 ? volTargetPerBar / sigma : sigma === 0 ? maxLeverage : 0;
        } else {
          const observed = winCount + lossCount >= kellyMinTrades && winCount > 0 && lossCount > 0;
          const payoff = observed ? winSum / winCount / (lossSum / lossCount) : kellyPriorPayoff;
          size = kellyFraction * (conf - (1 - conf) / payoff);
        }
        if (size > maxLeverage) size = maxLeverage;
        if (size > 0) {
          const adj = signalMaker ? 0 : o * slipFraction + slipAtr * atrPrev;
          const fill = o + target * adj;
          const qty = (size * cash) / fill;
          const fee = qty * fill * signalRate;
          entryEquity = cash;
          q = target * qty;
          cash -= q * fill + fee;
          side = target;
          held = 0;
          entryBar = t;
          entryTs = ts[t];
          entryPrice = fill;
          entrySize = size;
          tradeFees = fee;
          tradeSlippage = qty * adj;
          tradeFunding = 0;
          fees += fee;
          slippage += qty * adj;
          turnover += size;
          // Levels from the reference price (the open), so costs never move them; a missing level
          // sits at an infinity the price can never reach.
          stopPx = !hasStop ? -side * Infinity : atrLevels ? o - side * stopLoss * atrPrev : o * (1 - side * stopLoss);
          takeProfitPx = !hasTakeProfit ? side * Infinity : atrLevels ? o + side * takeProfit * atrPrev : o * (1 + side * takeProfit);
          liq = -cash / (q * (1 - side * mm));
          totals[TOTAL_FEES] = fees;
          totals[TOTAL_SLIPPAGE] = slippage;
          totals[TOTAL_TURNOVER] = turnover;
        }
      }
    }

    // --- 2. Funding on the position held during the bar; 3. stops, target, liquidation; 5. end.
    let fundingRate = 0;
    if (t === nextFundingBar) {
      fundingRate = fundingRates[fundingAt++];
      nextFundingBar = fundingAt < fundingBars.length ? fundingBars[fundingAt] : -1;
    }
    const sideInBar = side;
    if (side !== 0) {
      if (fundingRate !== 0) {
        const f = q * o * fundingRate;
        cash -= f;
        tradeFunding += f;
        fundingPaid += f;
        totals[TOTAL_FUNDING] = fundingPaid;
        liq = -cash / (q * (1 - side * mm));
      }
      let barExit = -1;
      let ref = 0;
      let maker = false;
      if (side > 0) {
        const trigger = liq > stopPx ? liq : stopPx;
        if (o >= takeProfitPx) {
          barExit = exitTakeProfit;
          ref = o;
          maker = takeProfitMaker;
        } else if (low[t] <= trigger) {
          barExit = liq > stopPx ? exitLiquidation : exitStop;
          ref = o < trigger ? o : trigger;
        } else if (high[t] >= takeProfitPx) {
          barExit = exitTakeProfit;
          ref = takeProfitPx;
          maker = takeProfitMaker;
        }
      } else {
        const trigger = liq < stopPx ? liq : stopPx;
        if (o <= takeProfitPx) {
          barExit = exitTakeProfit;
          ref = o;
          maker = takeProfitMaker;
        } else if (high[t] >= trigger) {
          barExit = liq < stopPx ? exitLiquidation : exitStop;
          ref = o > trigger ? o : trigger;
        } else if (low[t] <= takeProfitPx) {
          barExit = exitTakeProfit;
          ref = takeProfitPx;
          maker = takeProfitMaker;
        }
      }
      if (barExit >= 0) {
        if (blockAfterForcedExit) blockedSide = side;
      }
      else {
        held++;
        if (t === end) {
          barExit = exitEnd;
          ref = close[t];
        }
      }
      if (barExit >= 0) {
        const atrPrev = atr !== null ? atr[t - 1] : 0;
        const qty = side * q;
        const adj = maker ? 0 : ref * slipFraction + slipAtr * atrPrev;
        let fill = ref - side * adj;
        if (fill < 0) fill = 0;
        const fee = qty * fill * (maker ? makerRate : takerRate);
        const equityBefore = cash + q * fill;
        if (equityBefore > 0) turnover += (qty * fill) / equityBefore;
        cash += q * fill - fee;
        if (cash < ruinLevel) cash = 0; // the venue's insurance fund absorbs a gap beyond the account
        fees += fee;
        slippage += qty * adj;
        const pnl = cash - entryEquity;
        if (pnl > 0) {
          winSum += pnl / entryEquity;
          winCount++;
        } else if (pnl < 0) {
          lossSum -= pnl / entryEquity;
          lossCount++;
        }
        log.record(entryBar, t, entryTs, t + 1 < n ? ts[t + 1] : lastBarEnd, side, entryPrice, fill, qty, entrySize, entryEquity,
          pnl, tradeFees + fee, tradeFunding, tradeSlippage + qty * adj, t - entryBar + 1, barExit);
        q = 0;
        side = 0;
        held = 0;
        totals[TOTAL_FEES] = fees;
        totals[TOTAL_SLIPPAGE] = slippage;
        totals[TOTAL_TURNOVER] = turnover;
      }
    }

    const px = close[t];
    const eq = cash + q * px;
    equityOut[t] = eq;
    positionOut[t] = q !== 0 ? (q * px) / eq : 0;
    sideOut[t] = sideInBar;
  }
}

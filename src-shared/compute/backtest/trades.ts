/** Why a trade was closed; the numeric code is the index (stored in `TradeList.exitReason`). */
export const EXIT_REASONS = ['signal', 'stop', 'take-profit', 'max-hold', 'liquidation', 'end'] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

export const EXIT_SIGNAL = 0;
export const EXIT_STOP = 1;
export const EXIT_TAKE_PROFIT = 2;
export const EXIT_MAX_HOLD = 3;
export const EXIT_LIQUIDATION = 4;
export const EXIT_END = 5;

/**
 * Closed trades as columns (struct of arrays), trimmed to `count`. Money is in quote currency,
 * prices are fill prices after slippage. `exitTs` is the exit bar's open time for fills at the
 * open, and that bar's end (next bar's open, or open + median spacing for the last bar) for fills
 * within or at the close of a bar, whose exact time inside the bar is unknown.
 */
export interface TradeList {
  count: number;
  entryBar: Int32Array;
  exitBar: Int32Array;
  entryTs: Float64Array;
  exitTs: Float64Array;
  /** +1 long, −1 short. */
  side: Int8Array;
  entryPrice: Float64Array;
  exitPrice: Float64Array;
  /** Units held (always positive). */
  quantity: Float64Array;
  /** Notional at entry / equity at entry (the size the sizing rule chose). */
  size: Float64Array;
  /** Equity just before entry. */
  entryEquity: Float64Array;
  /** Net of fees, slippage and funding: equity after exit − equity before entry. */
  pnl: Float64Array;
  /** `pnl / entryEquity`. */
  returnFraction: Float64Array;
  /** Entry + exit fees. */
  fees: Float64Array;
  /** Funding paid (negative when received). */
  funding: Float64Array;
  /** Cost of slippage on both fills: quantity × |fill − reference price|. */
  slippage: Float64Array;
  /** Bars during which the position was open (entry bar included; an exit at an open excludes that bar). */
  barsHeld: Int32Array;
  /** Index into `EXIT_REASONS`. */
  exitReason: Uint8Array;
}

/** One trade as a plain object, for tables and JSON. */
export interface Trade {
  entryTs: number;
  exitTs: number;
  entryBar: number;
  exitBar: number;
  side: 'long' | 'short';
  entryPrice: number;
  exitPrice: number;
  quantity: number;
  size: number;
  pnl: number;
  returnFraction: number;
  fees: number;
  funding: number;
  slippage: number;
  barsHeld: number;
  exitReason: ExitReason;
}

/**
 * Columns for `count` trades, zero-filled (for building trade lists outside the simulation). The
 * columns are views of one buffer: a backtest's re-runs (breakeven search, cost grid) build a list
 * per symbol per run, and eighteen allocations each cost more than copying the trades into them.
 */
export function allocateTradeList(count: number): TradeList {
  // 12 Float64 columns first (8-byte aligned), then 3 Int32, then 2 one-byte columns.
  const buffer = new ArrayBuffer(count * (12 * 8 + 3 * 4 + 2));
  let at = 0;
  const f64 = () => {
    const a = new Float64Array(buffer, at, count);
    at += count * 8;
    return a;
  };
  const i32 = () => {
    const a = new Int32Array(buffer, at, count);
    at += count * 4;
    return a;
  };
  const entryTs = f64();
  const exitTs = f64();
  const entryPrice = f64();
  const exitPrice = f64();
  const quantity = f64();
  const size = f64();
  const entryEquity = f64();
  const pnl = f64();
  const returnFraction = f64();
  const fees = f64();
  const funding = f64();
  const slippage = f64();
  const entryBar = i32();
  const exitBar = i32();
  const barsHeld = i32();
  const side = new Int8Array(buffer, at, count);
  const exitReason = new Uint8Array(buffer, at + count, count);
  return { count, entryBar, exitBar, entryTs, exitTs, side, entryPrice, exitPrice, quantity, size, entryEquity, pnl, returnFraction, fees, funding, slippage, barsHeld, exitReason };
}

// Field offsets of one trade row in `TradeLog.rows`. Module-local on purpose: the simulation
// writes rows through `TradeLog.record`, so the layout is known in this file only.
const ROW_ENTRY_BAR = 0;
const ROW_EXIT_BAR = 1;
const ROW_ENTRY_TS = 2;
const ROW_EXIT_TS = 3;
const ROW_SIDE = 4;
const ROW_ENTRY_PRICE = 5;
const ROW_EXIT_PRICE = 6;
const ROW_QUANTITY = 7;
const ROW_SIZE = 8;
const ROW_ENTRY_EQUITY = 9;
const ROW_PNL = 10;
const ROW_FEES = 11;
const ROW_FUNDING = 12;
const ROW_SLIPPAGE = 13;
const ROW_BARS_HELD = 14;
const ROW_REASON = 15;
const ROW_STRIDE = 16;

/**
 * Growable trade rows written by the simulation: one Float64Array, a row of `ROW_STRIDE` numbers
 * per trade. Row-major because an exit then costs one buffer load and sixteen stores, where
 * sixteen separate columns would cost sixteen field loads and bounds checks; `toTradeList` turns
 * the rows into columns once at the end.
 */
export class TradeLog {
  count = 0;
  rows: Float64Array;

  constructor(capacity = 64) {
    this.rows = new Float64Array(Math.max(1, capacity) * ROW_STRIDE);
  }

  /** Forgets all trades, keeping the buffer (threshold sweeps reuse one log). */
  clear(): void {
    this.count = 0;
  }

  /** Appends one closed trade (the simulation's only write path). */
  record(
    entryBar: number,
    exitBar: number,
    entryTs: number,
    exitTs: number,
    side: number,
    entryPrice: number,
    exitPrice: number,
    quantity: number,
    size: number,
    entryEquity: number,
    pnl: number,
    fees: number,
    funding: number,
    slippage: number,
    barsHeld: number,
    reason: number,
  ): void {
    const o = this.count * ROW_STRIDE;
    if (o === this.rows.length) {
      const bigger = new Float64Array(this.rows.length * 2);
      bigger.set(this.rows);
      this.rows = bigger;
    }
    const row = this.rows;
    row[o + ROW_ENTRY_BAR] = entryBar;
    row[o + ROW_EXIT_BAR] = exitBar;
    row[o + ROW_ENTRY_TS] = entryTs;
    row[o + ROW_EXIT_TS] = exitTs;
    row[o + ROW_SIDE] = side;
    row[o + ROW_ENTRY_PRICE] = entryPrice;
    row[o + ROW_EXIT_PRICE] = exitPrice;
    row[o + ROW_QUANTITY] = quantity;
    row[o + ROW_SIZE] = size;
    row[o + ROW_ENTRY_EQUITY] = entryEquity;
    row[o + ROW_PNL] = pnl;
    row[o + ROW_FEES] = fees;
    row[o + ROW_FUNDING] = funding;
    row[o + ROW_SLIPPAGE] = slippage;
    row[o + ROW_BARS_HELD] = barsHeld;
    row[o + ROW_REASON] = reason;
    this.count++;
  }

  /** The rows as right-sized columns. */
  toTradeList(): TradeList {
    const k = this.count;
    const r = this.rows;
    const list = allocateTradeList(k);
    for (let i = 0, o = 0; i < k; i++, o += ROW_STRIDE) {
      list.entryBar[i] = r[o + ROW_ENTRY_BAR];
      list.exitBar[i] = r[o + ROW_EXIT_BAR];
      list.entryTs[i] = r[o + ROW_ENTRY_TS];
      list.exitTs[i] = r[o + ROW_EXIT_TS];
      list.side[i] = r[o + ROW_SIDE];
      list.entryPrice[i] = r[o + ROW_ENTRY_PRICE];
      list.exitPrice[i] = r[o + ROW_EXIT_PRICE];
      list.quantity[i] = r[o + ROW_QUANTITY];
      list.size[i] = r[o + ROW_SIZE];
      list.entryEquity[i] = r[o + ROW_ENTRY_EQUITY];
      list.pnl[i] = r[o + ROW_PNL];
      list.returnFraction[i] = r[o + ROW_PNL] / r[o + ROW_ENTRY_EQUITY];
      list.fees[i] = r[o + ROW_FEES];
      list.funding[i] = r[o + ROW_FUNDING];
      list.slippage[i] = r[o + ROW_SLIPPAGE];
      list.barsHeld[i] = r[o + ROW_BARS_HELD];
      list.exitReason[i] = r[o + ROW_REASON];
    }
    return list;
  }
}

/** The trade columns as plain objects (for tables, JSON, IPC). */
export function tradesToObjects(list: TradeList): Trade[] {
  const out: Trade[] = [];
  for (let i = 0; i < list.count; i++) {
    out.push({
      entryTs: list.entryTs[i],
      exitTs: list.exitTs[i],
      entryBar: list.entryBar[i],
      exitBar: list.exitBar[i],
      side: list.side[i] > 0 ? 'long' : 'short',
      entryPrice: list.entryPrice[i],
      exitPrice: list.exitPrice[i],
      quantity: list.quantity[i],
      size: list.size[i],
      pnl: list.pnl[i],
      returnFraction: list.returnFraction[i],
      fees: list.fees[i],
      funding: list.funding[i],
      slippage: list.slippage[i],
      barsHeld: list.barsHeld[i],
      exitReason: EXIT_REASONS[list.exitReason[i]],
    });
  }
  return out;
}

/** Concatenates trade lists (e.g. all symbols of a portfolio) in the given order. */
export function mergeTradeLists(lists: readonly TradeList[]): TradeList {
  let total = 0;
  for (const l of lists) total += l.count;
  const out = allocateTradeList(total);
  let at = 0;
  for (const l of lists) {
    const k = l.count;
    out.entryBar.set(l.entryBar.subarray(0, k), at);
    out.exitBar.set(l.exitBar.subarray(0, k), at);
    out.entryTs.set(l.entryTs.subarray(0, k), at);
    out.exitTs.set(l.exitTs.subarray(0, k), at);
    out.side.set(l.side.subarray(0, k), at);
    out.entryPrice.set(l.entryPrice.subarray(0, k), at);
    out.exitPrice.set(l.exitPrice.subarray(0, k), at);
    out.quantity.set(l.quantity.subarray(0, k), at);
    out.size.set(l.size.subarray(0, k), at);
    out.entryEquity.set(l.entryEquity.subarray(0, k), at);
    out.pnl.set(l.pnl.subarray(0, k), at);
    out.returnFraction.set(l.returnFraction.subarray(0, k), at);
    out.fees.set(l.fees.subarray(0, k), at);
    out.funding.set(l.funding.subarray(0, k), at);
    out.slippage.set(l.slippage.subarray(0, k), at);
    out.barsHeld.set(l.barsHeld.subarray(0, k), at);
    out.exitReason.set(l.exitReason.subarray(0, k), at);
    at += k;
  }
  return out;
}

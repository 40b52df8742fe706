/**
 * A symbol's stored trades as one byte block of columns (the workspace keeps a backtest's trades
 * per symbol this way, db/queries/backtests.ts): a 136-symbol backtest closes ~180k trades, and
 * one row per trade cost 0.7 s of inserts and ~360k short-lived objects, where a block per symbol
 * costs one insert of bytes copied from the simulation's columns.
 *
 * Layout for `count` trades, in the platform's byte order (little-endian wherever Candela runs),
 * each column contiguous, in this order:
 *   11 × Float64 [count]: entryTs, exitTs, entryPrice, exitPrice, size, quantity, pnl,
 *                         returnFraction, fees, funding, slippage
 *   Int32 [count]: barsHeld
 *   Int8 [count]: side (+1 long, −1 short)
 *   Uint8 [count]: exitReason, the index into EXIT_REASONS; so EXIT_REASONS only ever grows at its end.
 */
import { EXIT_REASONS, type ExitReason, type TradeList } from './trades.js';

const F64_COLUMNS = ['entryTs', 'exitTs', 'entryPrice', 'exitPrice', 'size', 'quantity', 'pnl', 'returnFraction', 'fees', 'funding', 'slippage'] as const;
type F64Column = (typeof F64_COLUMNS)[number];

/** One stored trade as the views show it: the trade without its bar indices, which belonged to one computation's arrays. */
export type StoredTrade = Record<F64Column, number> & { side: 'long' | 'short'; barsHeld: number; exitReason: ExitReason };

/** Bytes a block of `count` trades takes. */
export const tradeColumnsBytes = (count: number): number => count * (F64_COLUMNS.length * 8 + 4 + 2);

/** The columns of a block of `n` trades, as views of `buffer` (which starts at the block and is 8-byte aligned). */
function columnViews(buffer: ArrayBufferLike, n: number): { f64: Float64Array; barsHeld: Int32Array; side: Int8Array; exitReason: Uint8Array } {
  const at = F64_COLUMNS.length * 8 * n;
  return {
    f64: new Float64Array(buffer, 0, F64_COLUMNS.length * n),
    barsHeld: new Int32Array(buffer, at, n),
    side: new Int8Array(buffer, at + 4 * n, n),
    exitReason: new Uint8Array(buffer, at + 5 * n, n),
  };
}

/** The trades of a list (its first `count`) as one block. */
export function encodeTradeColumns(list: TradeList): Uint8Array {
  const n = list.count;
  const bytes = new Uint8Array(tradeColumnsBytes(n));
  const { f64, barsHeld, side, exitReason } = columnViews(bytes.buffer, n);
  F64_COLUMNS.forEach((name, c) => f64.set(list[name].subarray(0, n), c * n));
  barsHeld.set(list.barsHeld.subarray(0, n));
  side.set(list.side.subarray(0, n));
  exitReason.set(list.exitReason.subarray(0, n));
  return bytes;
}

/** Trades as objects, for the encoder's inverse and for migrating rows written one per trade. */
export function encodeTradeObjects(trades: readonly StoredTrade[]): Uint8Array {
  const n = trades.length;
  const bytes = new Uint8Array(tradeColumnsBytes(n));
  const { f64, barsHeld, side, exitReason } = columnViews(bytes.buffer, n);
  trades.forEach((t, i) => {
    F64_COLUMNS.forEach((name, c) => (f64[c * n + i] = t[name]));
    barsHeld[i] = t.barsHeld;
    side[i] = t.side === 'long' ? 1 : -1;
    const reason = EXIT_REASONS.indexOf(t.exitReason);
    if (reason < 0) throw new Error(`unknown exit reason "${t.exitReason}"`);
    exitReason[i] = reason;
  });
  return bytes;
}

/** The trades of one block, in their stored order; throws when the bytes cannot be `count` trades. */
export function decodeTradeColumns(block: Uint8Array, count: number): StoredTrade[] {
  if (block.byteLength !== tradeColumnsBytes(count)) throw new Error(`a block of ${count} trades takes ${tradeColumnsBytes(count)} bytes, not ${block.byteLength}`);
  // A copy at offset 0: a Float64Array view needs an offset that is a multiple of 8, which a
  // driver's buffer need not give. `new Uint8Array` copies even a Node Buffer, whose slice() is a view.
  const n = count;
  const { f64, barsHeld, side, exitReason } = columnViews(new Uint8Array(block).buffer, n);
  const out: StoredTrade[] = [];
  for (let i = 0; i < n; i++) {
    const reason = EXIT_REASONS[exitReason[i]];
    if (reason === undefined) throw new Error(`trade ${i + 1} of the block has an unknown exit reason code ${exitReason[i]}`);
    // Keys in the order the views and JSON have always listed them.
    out.push({
      side: side[i] > 0 ? 'long' : 'short',
      entryTs: f64[i],
      exitTs: f64[n + i],
      entryPrice: f64[2 * n + i],
      exitPrice: f64[3 * n + i],
      size: f64[4 * n + i],
      quantity: f64[5 * n + i],
      pnl: f64[6 * n + i],
      returnFraction: f64[7 * n + i],
      fees: f64[8 * n + i],
      funding: f64[9 * n + i],
      slippage: f64[10 * n + i],
      barsHeld: barsHeld[i],
      exitReason: reason,
    });
  }
  return out;
}

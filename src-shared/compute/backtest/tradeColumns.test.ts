import { describe, expect, it } from 'vitest';
import { decodeTradeColumns, encodeTradeColumns, encodeTradeObjects, tradeColumnsBytes } from './tradeColumns.js';
import { allocateTradeList, EXIT_REASONS, tradesToObjects } from './trades.js';

function sampleList(count: number) {
  const list = allocateTradeList(count);
  for (let i = 0; i < count; i++) {
    list.entryTs[i] = 1_700_000_000_000 + i * 60_000;
    list.exitTs[i] = list.entryTs[i] + 300_000;
    list.entryBar[i] = i;
    list.exitBar[i] = i + 5;
    list.side[i] = i % 2 ? 1 : -1;
    list.entryPrice[i] = 100 + i / 3;
    list.exitPrice[i] = 100 - i / 7;
    list.quantity[i] = 0.1 * (i + 1);
    list.size[i] = 0.5;
    list.entryEquity[i] = 1000 + i;
    list.pnl[i] = i % 3 === 0 ? -Math.PI * i : Math.E;
    list.returnFraction[i] = list.pnl[i] / list.entryEquity[i];
    list.fees[i] = 0.04 * i;
    list.funding[i] = i === 1 ? -0.5 : 0.25;
    list.slippage[i] = 1e-9 * i;
    list.barsHeld[i] = 5 + i;
    list.exitReason[i] = i % EXIT_REASONS.length;
  }
  return list;
}

describe('a symbol’s trades as one block of columns', () => {
  it('decodes to the trades the simulation closed, bit for bit, without their bar indices', () => {
    const list = sampleList(13);
    const block = encodeTradeColumns(list);
    expect(block.byteLength).toBe(tradeColumnsBytes(13));
    const expected = tradesToObjects(list).map(({ entryBar: _e, exitBar: _x, ...t }) => t);
    expect(decodeTradeColumns(block, 13)).toEqual(expected);
    // Decoding reads a block at any byte offset, as a driver may hand it over.
    const shifted = new Uint8Array(block.byteLength + 3);
    shifted.set(block, 3);
    expect(decodeTradeColumns(shifted.subarray(3), 13)).toEqual(expected);
    // …and a Node Buffer that is a view into a larger one (whose slice() would be a view too).
    const pooled = Buffer.alloc(block.byteLength + 5);
    pooled.set(block, 5);
    expect(decodeTradeColumns(pooled.subarray(5), 13)).toEqual(expected);
    // Trades given as objects (a migration's rows) encode to the same bytes.
    expect(Array.from(encodeTradeObjects(expected))).toEqual(Array.from(block));
    expect(decodeTradeColumns(encodeTradeColumns(allocateTradeList(0)), 0)).toEqual([]);
  });

  it('refuses a block whose size or exit reasons cannot be the trades it claims', () => {
    const block = encodeTradeColumns(sampleList(4));
    expect(() => decodeTradeColumns(block, 5)).toThrow(/a block of 5 trades takes 470 bytes, not 376/);
    const bad = block.slice();
    bad[bad.length - 1] = 99;
    expect(() => decodeTradeColumns(bad, 4)).toThrow(/trade 4 of the block has an unknown exit reason code 99/);
    expect(() => encodeTradeObjects([{ ...decodeTradeColumns(block, 4)[0]!, exitReason: 'panic' as never }])).toThrow(/unknown exit reason "panic"/);
  });
});

import { describe, expect, it } from 'vitest';
import type { TradePayload } from '../../../src-shared/contract/backtests.js';
import { planTradeMarkers } from './tradeMarkers.js';

const BAR = 300_000;
const trade = (entryBar: number, bars: number, over: Partial<TradePayload> = {}): TradePayload => ({
  symbol: 'X',
  side: 'long',
  entryTs: entryBar * BAR,
  exitTs: (entryBar + bars) * BAR,
  entryPrice: 100,
  exitPrice: 101,
  size: 1,
  quantity: 0.01,
  pnl: 0.01,
  returnFraction: 0.01,
  fees: 0.001,
  funding: 0,
  slippage: 0,
  barsHeld: bars,
  exitReason: 'signal',
  ...over,
});

describe('planTradeMarkers', () => {
  const many = Array.from({ length: 1000 }, (_, i) => trade(i * 10, 5, { side: i % 2 ? 'short' : 'long' }));

  it('draws each entry and exit, told apart by side and exit reason, when few trades are in view', () => {
    const trades = [trade(10, 5), trade(30, 4, { side: 'short', exitReason: 'stop', pnl: -0.01 }), trade(50, 3, { exitReason: 'take-profit' }), trade(70, 2, { exitReason: 'end', pnl: -0.001 }), trade(90, 2, { pnl: -0.002 })];
    const plan = planTradeMarkers(trades, 0, 100 * BAR, 100);
    expect(plan.mode).toBe('trades');
    expect(plan.visibleTrades).toBe(5);
    expect(plan.markers.map((m) => [m.timeMs / BAR, m.kind, m.text])).toEqual([
      [10, 'long-entry', 'L'],
      [15, 'exit-win', ''],
      [30, 'short-entry', 'S'],
      [34, 'stop', 'SL'],
      [50, 'long-entry', 'L'],
      [53, 'take-profit', 'TP'],
      [70, 'long-entry', 'L'],
      [72, 'other-exit', 'end'],
      [90, 'long-entry', 'L'],
      [92, 'exit-loss', ''],
    ]);
  });

  it('counts trades per bucket when a thousand are in view, and every trade is counted once', () => {
    const plan = planTradeMarkers(many, 0, 10_000 * BAR, 10_000);
    expect(plan.mode).toBe('counts');
    expect(plan.visibleTrades).toBe(1000);
    expect(plan.markers.length).toBeLessThanOrEqual(40);
    expect(plan.markers.every((m) => m.kind === 'cluster')).toBe(true);
    expect(plan.markers.reduce((s, m) => s + Number(m.text), 0)).toBe(1000);
    const times = plan.markers.map((m) => m.timeMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('goes back to entries and exits when zoomed in to a few trades', () => {
    const plan = planTradeMarkers(many, 2000 * BAR, 2300 * BAR, 300);
    expect(plan.mode).toBe('trades');
    // Trades entering at bars 2000, 2010, …, 2300, and the one entered at 1990 that exits at 1995 is out.
    expect(plan.visibleTrades).toBe(31);
    expect(plan.markers).toHaveLength(62);
    expect(plan.markers.filter((m) => m.kind === 'long-entry' || m.kind === 'short-entry').every((m) => m.text === 'L' || m.text === 'S')).toBe(true);
  });

  it('counts when trades are too dense for the bars in view even if few', () => {
    const dense = Array.from({ length: 30 }, (_, i) => trade(i, 1));
    expect(planTradeMarkers(dense, 0, 30 * BAR, 30).mode).toBe('counts');
    expect(planTradeMarkers(dense, 0, 30 * BAR, 30, { minBarsPerTrade: 1 }).mode).toBe('trades');
  });

  it('draws trades without labels between the labelled and the counted', () => {
    const plan = planTradeMarkers(many, 0, 499 * BAR, 500);
    expect(plan.mode).toBe('trades');
    expect(plan.visibleTrades).toBe(50);
    expect(plan.markers.every((m) => m.text === '')).toBe(true);
  });

  it('draws the trade picked in the list, labelled, even among counts', () => {
    const dense = Array.from({ length: 30 }, (_, i) => trade(i, 1, { exitReason: i === 7 ? 'stop' : 'signal' }));
    const plan = planTradeMarkers(dense, 0, 30 * BAR, 30, { focus: dense[7] });
    expect(plan.mode).toBe('counts');
    expect(plan.markers.filter((m) => m.kind !== 'cluster').map((m) => [m.timeMs / BAR, m.kind, m.text])).toEqual([
      [7, 'long-entry', 'L'],
      [8, 'stop', 'SL'],
    ]);
    const times = plan.markers.map((m) => m.timeMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

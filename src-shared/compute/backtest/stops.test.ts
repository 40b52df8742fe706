import { describe, expect, it } from 'vitest';
import { bps, fraction } from '../../domain/units.js';
import { runBacktest } from './engine.js';
import { handBars, type HandCall } from './__fixtures__/handBars.js';
import type { BacktestSettings } from './settings.js';
import { tradesToObjects, type Trade } from './trades.js';

type Bar = readonly [number, number, number, number];
const free: Partial<BacktestSettings> = { takerFeeBps: bps(0), makerFeeBps: bps(0) };
const calm: Bar = [100, 100.5, 99.5, 100];

function trades(rows: Bar[], calls: (HandCall | null)[], s: Partial<BacktestSettings>, atr?: number): Trade[] {
  const input = handBars(rows, calls);
  if (atr !== undefined) input.atr = new Float64Array(rows.length).fill(atr);
  return tradesToObjects(runBacktest(input, s).trades);
}

describe('stop-loss and take-profit inside the bar (entry at bar 1 open = 100)', () => {
  const long = { ...free, stopLoss: 0.02, takeProfit: 0.03 };

  it('long stop fills at the stop level', () => {
    const t = trades([calm, [100, 101, 97, 99], calm], ['U', 'U', 'U'], long);
    expect(t[0]).toMatchObject({ exitReason: 'stop', exitBar: 1, exitPrice: 98, barsHeld: 1 });
  });

  it('long take-profit fills at the target as a maker order', () => {
    const t = trades([calm, [100, 103.5, 99.5, 103], calm], ['U', 'U', 'U'], { ...long, makerFeeBps: bps(2), takerFeeBps: bps(5) });
    expect(t[0]).toMatchObject({ exitReason: 'take-profit', exitPrice: 103 });
    // entry: taker 5 bps on 100 × q; exit: maker 2 bps on 103 × q
    expect(t[0].fees).toBeCloseTo(t[0].quantity * (100 * 0.0005 + 103 * 0.0002), 14);
  });

  it('both touched in one bar: the stop is assumed first', () => {
    const t = trades([calm, [100, 104, 97, 101], calm], ['U', 'U', 'U'], long);
    expect(t[0]).toMatchObject({ exitReason: 'stop', exitPrice: 98 });
  });

  it('a gap through the stop fills at the open, not the stop', () => {
    const t = trades([calm, [100, 100.5, 99.6, 100], [95, 96, 94, 95.5]], ['U', 'U', 'U'], long);
    expect(t[0]).toMatchObject({ exitReason: 'stop', exitBar: 2, exitPrice: 95, barsHeld: 2 });
  });

  it('a gap through the target fills the limit at the (better) open, before a stop touched later in the bar', () => {
    const t = trades([calm, [100, 100.5, 99.6, 100], [106, 107, 97, 106]], ['U', 'U', 'U'], long);
    expect(t[0]).toMatchObject({ exitReason: 'take-profit', exitPrice: 106 });
  });

  it('short stop, target and both-touched mirror the long rules', () => {
    const short = { ...long };
    expect(trades([calm, [100, 103, 99, 101], calm], ['D', 'D', 'D'], short)[0]).toMatchObject({ side: 'short', exitReason: 'stop', exitPrice: 102 });
    expect(trades([calm, [100, 100.5, 96, 97], calm], ['D', 'D', 'D'], short)[0]).toMatchObject({ exitReason: 'take-profit', exitPrice: 97 });
    expect(trades([calm, [100, 103, 96, 99], calm], ['D', 'D', 'D'], short)[0]).toMatchObject({ exitReason: 'stop', exitPrice: 102 });
    expect(trades([calm, calm, [105, 106, 104, 105]], ['D', 'D', 'D'], short)[0]).toMatchObject({ exitReason: 'stop', exitPrice: 105 });
  });

  it('ATR multiples: stop 1.5 ATR and target 2 ATR from the entry open (ATR = 2)', () => {
    const atrStops = { ...free, stopUnit: 'atr' as const, stopLoss: 1.5, takeProfit: 2 };
    expect(trades([calm, [100, 101, 96.9, 98], calm], ['U', 'U', 'U'], atrStops, 2)[0]).toMatchObject({ exitReason: 'stop', exitPrice: 97 });
    expect(trades([calm, [100, 104.5, 99.9, 104], calm], ['U', 'U', 'U'], atrStops, 2)[0]).toMatchObject({ exitReason: 'take-profit', exitPrice: 104 });
  });

  it('slippage makes a stop fill worse: 98 × (1 − 10 bps) plus 0.1 ATR', () => {
    const t = trades([calm, [100, 101, 97, 99], calm], ['U', 'U', 'U'], { ...long, slippageBps: bps(10), slippageAtrFraction: fraction(0.1) }, 2);
    expect(t[0].exitPrice).toBeCloseTo(98 * (1 - 0.001) - 0.2, 12);
    // levels come from the unslipped open (100), not from the entry fill 100 × 1.001 + 0.2
    expect(t[0].entryPrice).toBeCloseTo(100.3, 12);
  });

  it('after a stop the same side waits for the signal to change; then re-enters', () => {
    const r = runBacktest(handBars([calm, [100, 101, 97, 99], calm, calm, calm, calm], ['U', 'U', 'U', 'F', 'U', 'U']), long);
    expect(Array.from(r.sideDuring)).toEqual([0, 1, 0, 0, 0, 1]);
    expect(tradesToObjects(r.trades).map((t) => t.exitReason)).toEqual(['stop', 'end']);
    const eager = runBacktest(handBars([calm, [100, 101, 97, 99], calm, calm, calm, calm], ['U', 'U', 'U', 'F', 'U', 'U']), { ...long, reentryAfterForcedExit: 'immediately' });
    expect(Array.from(eager.sideDuring)).toEqual([0, 1, 1, 1, 0, 1]);
  });
});

describe('maximum holding period', () => {
  it('closes at the open after maxHoldingBars bars, and blocks re-entry until the signal changes', () => {
    const r = runBacktest(handBars([calm, calm, calm, calm, calm, calm, calm], ['U', 'U', 'U', 'F', 'U', 'U', 'U']), { ...free, maxHoldingBars: 2 });
    const t = tradesToObjects(r.trades);
    expect(t.map((x) => [x.entryBar, x.exitBar, x.exitReason, x.barsHeld])).toEqual([
      [1, 3, 'max-hold', 2],
      [5, 6, 'end', 2],
    ]);
    expect(Array.from(r.sideDuring)).toEqual([0, 1, 1, 0, 0, 1, 1]);
    const eager = runBacktest(handBars([calm, calm, calm, calm, calm, calm, calm], ['U', 'U', 'U', 'F', 'U', 'U', 'U']), { ...free, maxHoldingBars: 2, reentryAfterForcedExit: 'immediately' });
    expect(tradesToObjects(eager.trades).map((x) => [x.entryBar, x.exitBar, x.exitReason])).toEqual([
      [1, 3, 'max-hold'],
      [3, 4, 'signal'],
      [5, 6, 'end'],
    ]);
  });
});

describe('liquidation (maintenance margin 0.5 %, zero fees, equity 1)', () => {
  const lev5 = { ...free, fixedFraction: 5, maxLeverage: 5, maintenanceMargin: fraction(0.005) };

  it('a 5× short is liquidated where equity meets the maintenance margin', () => {
    // q = −5 / 100 = −0.05, cash = 1 + 5 = 6; equity 6 − 0.05 P = 0.005 × 0.05 P → P = 6 / (0.05 × 1.005)
    const pLiq = 6 / (0.05 * 1.005);
    const r = runBacktest(handBars([calm, [100, 125, 99, 124], calm], ['D', 'D', 'F']), lev5);
    const t = tradesToObjects(r.trades)[0];
    expect(t.exitReason).toBe('liquidation');
    expect(t.exitPrice).toBeCloseTo(pLiq, 10);
    expect(r.equity[1]).toBeCloseTo(0.005 * 0.05 * pLiq, 12);
  });

  it('a 5× long too: P = 4 / (0.05 × 0.995)', () => {
    const pLiq = 4 / (0.05 * 0.995);
    const t = tradesToObjects(runBacktest(handBars([calm, [100, 101, 79, 85], calm], ['U', 'U', 'F']), lev5).trades)[0];
    expect(t).toMatchObject({ exitReason: 'liquidation' });
    expect(t.exitPrice).toBeCloseTo(pLiq, 10);
  });

  it('a nearer stop fires before liquidation', () => {
    const t = tradesToObjects(runBacktest(handBars([calm, [100, 125, 99, 124], calm], ['D', 'D', 'F']), { ...lev5, stopLoss: 0.1 }).trades)[0];
    expect(t.exitReason).toBe('stop');
    expect(t.exitPrice).toBeCloseTo(110, 12);
  });

  it('a gap beyond the liquidation price wipes the account to zero (not below) and it stops trading', () => {
    const r = runBacktest(handBars([calm, calm, [130, 131, 129, 130], calm, calm, calm], ['D', 'D', 'F', 'D', 'D', 'D']), lev5);
    const t = tradesToObjects(r.trades);
    expect(t).toHaveLength(1);
    expect(t[0]).toMatchObject({ exitReason: 'liquidation', exitPrice: 130, pnl: -1 });
    expect(Array.from(r.equity.subarray(2))).toEqual([0, 0, 0, 0]);
    expect(r.halted).toBe('ruined');
  });

  it('leverage 1 long is never liquidated however far the price falls', () => {
    const r = runBacktest(handBars([calm, [100, 100, 1, 2], [2, 2, 1, 1]], ['U', 'U', 'U']), free);
    expect(tradesToObjects(r.trades)[0].exitReason).toBe('end');
    expect(r.equity[2]).toBeCloseTo(0.01, 12);
  });
});

import { describe, expect, it } from 'vitest';
import { backtestSettingsFromStored, backtestSettingsSchema } from '../contract/backtests.js';
import { backtestSettingsLine } from './backtestSettingsLine.js';

describe('backtest settings line', () => {
  it('names costs, direction, threshold and sizing', () => {
    const s = backtestSettingsSchema.parse({ takerFeeBps: 10, slippageBps: 2, minConfidence: 0.5 });
    expect(backtestSettingsLine(s)).toBe('fee 10 bps taker · slippage 2 bps · funding 0 · long & short · min confidence 50 % · sizing fixed 100 % · leverage ≤ 1× · no stops · no max hold');
    expect(backtestSettingsLine(s, { sweep: true })).not.toContain('min confidence');
  });

  it('spells out stops, funding, long-only and sizing choices', () => {
    const s = backtestSettingsSchema.parse({ direction: 'long-only', stopUnit: 'atr', stopLoss: 1.5, takeProfit: 3, fundingSource: 'fixed', fundingRatePer8h: 0.0001, sizing: 'confidence', fixedFraction: 0.5, maxLeverage: 2, maxHoldingBars: 48 });
    expect(backtestSettingsLine(s)).toBe(
      'fee 5 bps taker, 2 maker · slippage 0 bps · funding 0.01 % per 8 h on perpetuals · long only · min confidence 0 % · sizing by confidence up to 50 % · leverage ≤ 2× · stop 1.5 ATR, target 3 ATR · max hold 48 bars',
    );
    expect(backtestSettingsLine({ ...s, stopUnit: 'fraction', stopLoss: 0.02, takeProfit: null })).toContain('stop 2 % · max hold');
  });

  it('reads the form settings back from a stored backtest (the engine stores more)', () => {
    const stored = { direction: 'long-only', downClass: 0, upClass: 2, minConfidence: 0.55, whenUncertain: 'flat', takerFeeBps: 0, slippageBps: 3, calendar: 'auto' } as const;
    expect(backtestSettingsFromStored(stored)).toEqual(backtestSettingsSchema.parse({ direction: 'long-only', minConfidence: 0.55, takerFeeBps: 0, slippageBps: 3 }));
    expect(backtestSettingsFromStored({ takerFeeBps: -1 })).toBeNull();
  });
});

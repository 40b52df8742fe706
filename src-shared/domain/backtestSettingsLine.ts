import type { BacktestSettingsPayload } from '../contract/backtests.js';

/** Up to 4 significant digits without trailing zeros: 0.0001 → "0.0001", 12.5 → "12.5". */
const num = (x: number): string => String(Number(x.toPrecision(4)));
const percent = (fraction: number): string => `${num(fraction * 100)} %`;

/**
 * One line naming every setting a backtest's numbers depend on, for the results card, the sweep,
 * the comparison and the CLI ("fee 10 bps taker · slippage 2 bps · funding 0 · long & short ·
 * min confidence 50 % · sizing fixed 100 %"). Numbers without their settings get compared with
 * numbers from other settings; this line travels with them. `sweep` drops the minimum confidence,
 * which a sweep varies.
 */
export function backtestSettingsLine(s: BacktestSettingsPayload, options: { sweep?: boolean } = {}): string {
  const stopUnit = (d: number) => (s.stopUnit === 'atr' ? `${num(d)} ATR` : percent(d));
  const parts = [
    // The maker fee only applies to resting take-profit orders; without a target it cannot matter.
    s.takeProfit !== null ? `fee ${num(s.takerFeeBps)} bps taker, ${num(s.makerFeeBps)} maker` : `fee ${num(s.takerFeeBps)} bps taker`,
    `slippage ${num(s.slippageBps)} bps`,
    s.fundingSource === 'none' ? 'funding 0' : s.fundingSource === 'column' ? 'funding from the dataset' : `funding ${percent(s.fundingRatePer8h)} per 8 h on perpetuals`,
    s.direction === 'long-only' ? 'long only' : 'long & short',
    ...(options.sweep ? [] : [`min confidence ${percent(s.minConfidence)}`]),
    s.sizing === 'fixed'
      ? `sizing fixed ${percent(s.fixedFraction)}`
      : s.sizing === 'confidence'
        ? `sizing by confidence up to ${percent(s.fixedFraction)}`
        : s.sizing === 'vol-target'
          ? 'sizing volatility target 20 %/yr'
          : 'sizing half Kelly',
    `leverage ≤ ${num(s.maxLeverage)}×`,
    s.stopLoss === null && s.takeProfit === null
      ? 'no stops'
      : [s.stopLoss !== null ? `stop ${stopUnit(s.stopLoss)}` : null, s.takeProfit !== null ? `target ${stopUnit(s.takeProfit)}` : null].filter(Boolean).join(', '),
    s.maxHoldingBars === null ? 'no max hold' : `max hold ${s.maxHoldingBars} bars`,
  ];
  return parts.join(' · ');
}

/**
 * How the portfolio row is made, said wherever it is shown: with symbols whose test periods do not
 * overlap (files from different years), the row compounds them one after another and can lose more
 * than any one symbol, which would look like a contradiction without this sentence.
 */
export const PORTFOLIO_RULE =
  'Portfolio: equal weight among the symbols trading at each bar, rebalanced every bar; test periods that do not overlap follow one another, so their returns compound.';

import type { BreakevenFee } from '../contract/backtests.js';

/**
 * An amount of account currency (fees, funding, a trade's PnL) as a percentage of the starting
 * equity: the one unit the Backtests page and `candela backtest` use for money, so that a fee
 * and a return compare directly whatever the initial equity.
 */
export function equityPct(amount: number | null | undefined, initialEquity: number, digits = 2): string {
  if (amount === null || amount === undefined || !(initialEquity > 0)) return '—';
  return `${((amount / initialEquity) * 100).toFixed(digits)} %`;
}

const bpsText = (x: number): string => `${Number(x.toFixed(1))} bps`;

/**
 * The sentence beside a backtest's results (and its run's verdict) about the fee at which its edge
 * is gone. `breakeven` is undefined for a backtest stored before the figure was computed.
 */
export function breakevenText(breakeven: BreakevenFee | null | undefined, takerFeeBps: number): string {
  if (breakeven === undefined) return 'Breakeven fee not computed for this backtest (stored by an earlier version): run it again to see it.';
  if (breakeven === null) return 'No breakeven fee: the portfolio has no return to compute it from.';
  if (breakeven.status === 'unprofitable-at-zero-cost') return 'Breakeven taker fee: none. The portfolio loses money even with no taker fee.';
  if (breakeven.status === 'profitable-beyond-max') return `Breakeven taker fee: above ${bpsText(breakeven.maxBps)}. The portfolio stays profitable at every fee searched.`;
  const fee = breakeven.takerFeeBps!;
  const margin = fee > takerFeeBps ? `${bpsText(fee - takerFeeBps)} of headroom over` : `already exceeded by`;
  return `Breakeven taker fee: ${bpsText(fee)} (${margin} the ${bpsText(takerFeeBps)} this backtest pays); above it the portfolio loses money.`;
}

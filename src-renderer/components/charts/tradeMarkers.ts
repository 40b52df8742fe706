import type { TradePayload } from '../../../src-shared/contract/backtests.js';

/**
 * Which trade markers a backtest chart draws for the bars in view. A marker per entry and exit
 * stays readable while trades are few and spread out; a thousand trades would bury the candles
 * (two markers each), so past that the chart draws one marker per time bucket with the number of
 * trades opened in it, and entries and exits come back as the person zooms in.
 */

/** How each marker looks is decided by what it stands for; the legend lists the same kinds. */
export type MarkerKind = 'long-entry' | 'short-entry' | 'exit-win' | 'exit-loss' | 'stop' | 'take-profit' | 'other-exit' | 'cluster';

export interface PlannedMarker {
  /** The bar the marker sits on (UTC ms): a trade's entry or exit bar, or a bucket's first entry. */
  timeMs: number;
  kind: MarkerKind;
  /** Short label drawn beside the marker; empty for none. */
  text: string;
}

export interface MarkerPlan {
  /** 'trades': entries and exits; 'counts': trades opened per bucket. */
  mode: 'trades' | 'counts';
  /** Trades with an entry or exit in view. */
  visibleTrades: number;
  markers: PlannedMarker[];
}

export interface MarkerPlanOptions {
  /** Most markers drawn in 'trades' mode (two per trade). Default 120. */
  maxMarkers?: number;
  /** Fewest bars in view per trade: denser than that, markers of neighbouring trades pile up (lightweight-charts stacks those on one bar). Default 1.5. */
  minBarsPerTrade?: number;
  /** Buckets across the view in 'counts' mode. Default 40. */
  buckets?: number;
  /** Trades in view up to which entries and exits carry text (L, S, SL, TP). Default 40. */
  maxLabelled?: number;
  /** The trade picked in the list: its entry and exit are drawn, labelled, whatever the mode. */
  focus?: TradePayload | null;
}

const EXIT_TEXT: Record<string, string> = { stop: 'SL', 'take-profit': 'TP', 'max-hold': 'max', liquidation: 'liq', end: 'end' };

function exitKind(t: TradePayload): MarkerKind {
  if (t.exitReason === 'stop') return 'stop';
  if (t.exitReason === 'take-profit') return 'take-profit';
  if (t.exitReason === 'signal') return t.pnl >= 0 ? 'exit-win' : 'exit-loss';
  return 'other-exit';
}

/**
 * The markers for the view [fromMs, toMs] holding `visibleBars` bars. `trades` sorted by entry time.
 * Markers come out sorted by time, as lightweight-charts requires.
 */
export function planTradeMarkers(trades: readonly TradePayload[], fromMs: number, toMs: number, visibleBars: number, options: MarkerPlanOptions = {}): MarkerPlan {
  const maxMarkers = options.maxMarkers ?? 120;
  const minBarsPerTrade = options.minBarsPerTrade ?? 1.5;
  const buckets = options.buckets ?? 40;
  const maxLabelled = options.maxLabelled ?? 40;
  const inView = trades.filter((t) => (t.entryTs >= fromMs && t.entryTs <= toMs) || (t.exitTs >= fromMs && t.exitTs <= toMs) || (t.entryTs < fromMs && t.exitTs > toMs));
  const n = inView.length;
  const markers: PlannedMarker[] = [];
  if (n * 2 <= maxMarkers && (n === 0 || visibleBars / n >= minBarsPerTrade)) {
    const labelled = n <= maxLabelled;
    for (const t of inView) {
      markers.push({ timeMs: t.entryTs, kind: t.side === 'long' ? 'long-entry' : 'short-entry', text: labelled ? (t.side === 'long' ? 'L' : 'S') : '' });
      markers.push({ timeMs: t.exitTs, kind: exitKind(t), text: labelled ? (EXIT_TEXT[t.exitReason] ?? '') : '' });
    }
    markers.sort((a, b) => a.timeMs - b.timeMs);
    return { mode: 'trades', visibleTrades: n, markers };
  }
  const width = Math.max(1, (toMs - fromMs) / buckets);
  const groups = new Map<number, { first: number; count: number }>();
  for (const t of inView) {
    if (t.entryTs < fromMs || t.entryTs > toMs) continue;
    const b = Math.min(buckets - 1, Math.floor((t.entryTs - fromMs) / width));
    const g = groups.get(b);
    if (g) g.count++;
    else groups.set(b, { first: t.entryTs, count: 1 });
  }
  const focus = options.focus;
  for (const g of groups.values()) markers.push({ timeMs: g.first, kind: 'cluster', text: String(g.count) });
  if (focus) {
    markers.push({ timeMs: focus.entryTs, kind: focus.side === 'long' ? 'long-entry' : 'short-entry', text: focus.side === 'long' ? 'L' : 'S' });
    markers.push({ timeMs: focus.exitTs, kind: exitKind(focus), text: EXIT_TEXT[focus.exitReason] ?? 'exit' });
  }
  markers.sort((a, b) => a.timeMs - b.timeMs);
  return { mode: 'counts', visibleTrades: n, markers };
}

import {
  AreaSeries,
  CandlestickSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  LineSeries,
  type IChartApi,
  type LogicalRange,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import type { CandleColumnsPayload } from '../../../src-shared/contract/datasets.js';
import type { TradePayload } from '../../../src-shared/contract/backtests.js';
import { formatInt, formatUtc } from '../../format.js';
import { planTradeMarkers, type MarkerKind, type MarkerPlan } from './tradeMarkers.js';

const sec = (ms: number) => (ms / 1000) as UTCTimestamp;

/** How each kind of marker is drawn; the legend under the chart is built from the same table. */
const MARKER_STYLE: Record<MarkerKind, { color: string; shape: SeriesMarker<Time>['shape']; position: 'aboveBar' | 'belowBar'; legend: string; glyph: string }> = {
  'long-entry': { color: '#26a69a', shape: 'arrowUp', position: 'belowBar', legend: 'long entry (L)', glyph: '▲' },
  'short-entry': { color: '#ef5350', shape: 'arrowDown', position: 'aboveBar', legend: 'short entry (S)', glyph: '▼' },
  'exit-win': { color: '#4f9cf9', shape: 'circle', position: 'aboveBar', legend: 'exit on signal, gain', glyph: '●' },
  'exit-loss': { color: '#e0a63b', shape: 'circle', position: 'aboveBar', legend: 'exit on signal, loss', glyph: '●' },
  stop: { color: '#d45dd4', shape: 'square', position: 'aboveBar', legend: 'stop-loss exit (SL)', glyph: '■' },
  'take-profit': { color: '#26c6da', shape: 'square', position: 'aboveBar', legend: 'take-profit exit (TP)', glyph: '■' },
  'other-exit': { color: '#8792a2', shape: 'circle', position: 'aboveBar', legend: 'exit at max hold, liquidation or end of test', glyph: '●' },
  cluster: { color: '#c9d1d9', shape: 'circle', position: 'aboveBar', legend: 'number of trades opened near it (zoomed out)', glyph: '●' },
};

const LINES = [
  { color: '#4f9cf9', glyph: '━', legend: 'strategy equity (account currency)' },
  { color: '#8792a2', glyph: '━', legend: 'buy & hold equity' },
  { color: '#ef5350', glyph: '▆', legend: 'drawdown (%)' },
];

export interface BacktestChartHandle {
  /** Scrolls and zooms the chart to a trade, with some bars of context either side. */
  showTrade(t: TradePayload): void;
}

interface Props {
  candles: CandleColumnsPayload;
  trades: TradePayload[];
  series: { ts: number[]; equity: number[]; buyHold: number[]; drawdown: number[] };
}

/**
 * A symbol's backtest on one time axis: candles with trade markers, then equity against buy and
 * hold, then the drawdown, in panes below. The markers follow the zoom (`planTradeMarkers`):
 * entries and exits while they fit, counts per stretch of time when they would bury the candles.
 */
export const BacktestChart = forwardRef<BacktestChartHandle, Props>(function BacktestChart({ candles, trades, series }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const focus = useRef<TradePayload | null>(null);
  const [plan, setPlan] = useState<Pick<MarkerPlan, 'mode' | 'visibleTrades'> | null>(null);
  const barMs = candles.ts.length > 1 ? candles.ts[1]! - candles.ts[0]! : 60_000;

  useImperativeHandle(ref, () => ({
    showTrade(t) {
      focus.current = t;
      const pad = Math.max(20, (t.exitTs - t.entryTs) / barMs) * barMs;
      chart.current?.timeScale().setVisibleRange({ from: sec(t.entryTs - pad), to: sec(t.exitTs + pad) });
    },
  }));

  useEffect(() => {
    const c = createChart(host.current!, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: '#0e1116' }, textColor: '#aab4c3', panes: { separatorColor: '#2a313c' } },
      grid: { vertLines: { color: '#1a2029' }, horzLines: { color: '#1a2029' } },
      timeScale: { timeVisible: true, borderColor: '#2a313c' },
      localization: { timeFormatter: (t: number) => formatUtc(t * 1000) },
    });
    chart.current = c;
    focus.current = null;
    const k = c.addSeries(CandlestickSeries, { upColor: '#26a69a', downColor: '#ef5350', borderVisible: false, wickUpColor: '#26a69a', wickDownColor: '#ef5350' });
    k.setData(candles.ts.map((t, i) => ({ time: sec(t), open: candles.open[i]!, high: candles.high[i]!, low: candles.low[i]!, close: candles.close[i]! })));
    const markerApi = createSeriesMarkers(k, []);
    const sorted = [...trades].sort((a, b) => a.entryTs - b.entryTs);
    const n = candles.ts.length;
    let frame = 0;
    const redraw = (range: LogicalRange | null) => {
      if (!range || n === 0) return;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const from = Math.max(0, Math.floor(range.from));
        const to = Math.min(n - 1, Math.ceil(range.to));
        if (to < from) return;
        const p = planTradeMarkers(sorted, candles.ts[from]!, candles.ts[to]!, to - from + 1, { focus: focus.current });
        markerApi.setMarkers(
          p.markers.map((m) => {
            const st = MARKER_STYLE[m.kind];
            return { time: sec(m.timeMs), position: st.position, color: st.color, shape: st.shape, text: m.text };
          }),
        );
        setPlan((old) => (old && old.mode === p.mode && old.visibleTrades === p.visibleTrades ? old : { mode: p.mode, visibleTrades: p.visibleTrades }));
      });
    };
    c.timeScale().subscribeVisibleLogicalRangeChange(redraw);
    const eq = c.addSeries(LineSeries, { color: LINES[0]!.color, lineWidth: 2, title: 'strategy', priceLineVisible: false }, 1);
    eq.setData(series.ts.map((t, i) => ({ time: sec(t), value: series.equity[i]! })));
    const bh = c.addSeries(LineSeries, { color: LINES[1]!.color, lineWidth: 1, title: 'buy & hold', priceLineVisible: false }, 1);
    bh.setData(series.ts.map((t, i) => ({ time: sec(t), value: series.buyHold[i]! })));
    const dd = c.addSeries(AreaSeries, { lineColor: LINES[2]!.color, topColor: '#ef535000', bottomColor: '#ef535066', title: 'drawdown', priceLineVisible: false, priceFormat: { type: 'percent' } }, 2);
    dd.setData(series.ts.map((t, i) => ({ time: sec(t), value: series.drawdown[i]! * 100 })));
    c.panes()[0]?.setStretchFactor(3);
    c.panes()[1]?.setStretchFactor(1.5);
    c.panes()[2]?.setStretchFactor(1);
    c.timeScale().fitContent();
    redraw(c.timeScale().getVisibleLogicalRange());
    return () => {
      cancelAnimationFrame(frame);
      c.timeScale().unsubscribeVisibleLogicalRangeChange(redraw);
      c.remove();
      chart.current = null;
    };
  }, [candles, trades, series]);

  const symbol = trades[0]?.symbol ?? 'this symbol';
  // Every kind is listed whichever mode is on, so the legend already explains what zooming reveals.
  const kinds = Object.keys(MARKER_STYLE) as MarkerKind[];
  return (
    <figure className="backtest-chart">
      {/* A text summary rather than role="img" on the host: the chart's own scroll and zoom controls live inside it. */}
      <p className="sr-only" data-testid="backtest-chart-summary">
        {`${symbol}: candles with ${formatInt(trades.length)} trades marked, strategy equity against buy and hold, and drawdown, from ${formatUtc(candles.ts[0] ?? null)} to ${formatUtc(candles.ts[candles.ts.length - 1] ?? null)} UTC. The trade list below holds every trade.`}
      </p>
      <div ref={host} className="chart-host tall" data-testid="backtest-chart" />
      <figcaption className="trade-legend" data-testid="backtest-legend">
        <ul>
          {kinds.map((k) => (
            <li key={k} data-kind={k}>
              <span style={{ color: MARKER_STYLE[k].color }} aria-hidden="true">
                {MARKER_STYLE[k].glyph}
              </span>{' '}
              {MARKER_STYLE[k].legend}
            </li>
          ))}
          {LINES.map((l) => (
            <li key={l.legend}>
              <span style={{ color: l.color }} aria-hidden="true">
                {l.glyph}
              </span>{' '}
              {l.legend}
            </li>
          ))}
        </ul>
        <p className="muted small" data-testid="marker-mode" data-mode={plan?.mode ?? ''} aria-live="polite">
          {plan === null
            ? ''
            : plan.mode === 'trades'
              ? `Entries and exits of the ${formatInt(plan.visibleTrades)} trades in view; click a trade in the list to zoom to it.`
              : `${formatInt(plan.visibleTrades)} trades in view, too many to mark one by one: each number counts the trades opened near it (the trade picked in the list keeps its entry and exit). Zoom in (wheel, pinch or drag the time axis) for all entries and exits.`}
        </p>
      </figcaption>
    </figure>
  );
});

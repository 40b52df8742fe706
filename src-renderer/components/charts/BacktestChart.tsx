import {
  AreaSeries,
  CandlestickSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  LineSeries,
  type IChartApi,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import type { CandleColumnsPayload } from '../../../src-shared/contract/datasets.js';
import type { TradePayload } from '../../../src-shared/contract/backtests.js';
import { formatUtc } from '../../format.js';

const sec = (ms: number) => (ms / 1000) as UTCTimestamp;

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
 * A symbol's backtest on one time axis: candles with entry and exit markers, then equity against
 * buy and hold, then the drawdown, in panes below.
 */
export const BacktestChart = forwardRef<BacktestChartHandle, Props>(function BacktestChart({ candles, trades, series }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const barMs = candles.ts.length > 1 ? candles.ts[1]! - candles.ts[0]! : 60_000;

  useImperativeHandle(ref, () => ({
    showTrade(t) {
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
    const k = c.addSeries(CandlestickSeries, { upColor: '#26a69a', downColor: '#ef5350', borderVisible: false, wickUpColor: '#26a69a', wickDownColor: '#ef5350' });
    k.setData(candles.ts.map((t, i) => ({ time: sec(t), open: candles.open[i]!, high: candles.high[i]!, low: candles.low[i]!, close: candles.close[i]! })));
    const markers: SeriesMarker<Time>[] = [];
    for (const t of trades) {
      markers.push({ time: sec(t.entryTs), position: t.side === 'long' ? 'belowBar' : 'aboveBar', color: t.side === 'long' ? '#26a69a' : '#ef5350', shape: t.side === 'long' ? 'arrowUp' : 'arrowDown', text: t.side === 'long' ? 'L' : 'S' });
      markers.push({ time: sec(t.exitTs), position: 'aboveBar', color: t.pnl >= 0 ? '#4f9cf9' : '#e0a63b', shape: 'circle', text: t.exitReason === 'signal' ? '' : t.exitReason });
    }
    markers.sort((a, b) => (a.time as number) - (b.time as number));
    createSeriesMarkers(k, markers);
    const eq = c.addSeries(LineSeries, { color: '#4f9cf9', lineWidth: 2, title: 'strategy', priceLineVisible: false }, 1);
    eq.setData(series.ts.map((t, i) => ({ time: sec(t), value: series.equity[i]! })));
    const bh = c.addSeries(LineSeries, { color: '#8792a2', lineWidth: 1, title: 'buy & hold', priceLineVisible: false }, 1);
    bh.setData(series.ts.map((t, i) => ({ time: sec(t), value: series.buyHold[i]! })));
    const dd = c.addSeries(AreaSeries, { lineColor: '#ef5350', topColor: '#ef535000', bottomColor: '#ef535066', title: 'drawdown', priceLineVisible: false, priceFormat: { type: 'percent' } }, 2);
    dd.setData(series.ts.map((t, i) => ({ time: sec(t), value: series.drawdown[i]! * 100 })));
    c.panes()[0]?.setStretchFactor(3);
    c.panes()[1]?.setStretchFactor(1.5);
    c.panes()[2]?.setStretchFactor(1);
    c.timeScale().fitContent();
    return () => {
      c.remove();
      chart.current = null;
    };
  }, [candles, trades, series]);

  return <div ref={host} className="chart-host tall" data-testid="backtest-chart" />;
});

import {
  CandlestickSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  CrosshairMode,
  HistogramSeries,
  LineSeries,
  type IChartApi,
  type CandlestickData,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { DatasetSummary } from '../../../src-shared/contract/datasets.js';
import { formatUtc } from '../../format.js';
import { datasetsSelectors } from '../../stores/datasetsStore.js';
import { useDatasetsStore, useStores } from '../../stores/stores.js';
import { overlayLines, paneLines, type OverlayName, type PaneIndicator } from './indicatorSeries.js';
import { formatPrice, pricePrecisionFromData, type PricePrecision } from './pricePrecision.js';

/** Beyond this many bars in memory the chart stops loading and suggests a coarser timeframe. */
const MAX_LOADED = 200_000;

const toSec = (ms: number) => (ms / 1000) as UTCTimestamp;

/**
 * The dataset explorer chart: candles with a volume pane, a timeframe switch over the stored
 * rollups, a crosshair OHLCV legend, older history loaded on scroll, overlays (SMA, EMA,
 * Bollinger), an indicator pane (RSI, MACD) and health markers for gaps and bad candles. Prices
 * are written in the decimals the data is quoted in (pricePrecision.ts); the legend sits on the
 * chart itself, and a text summary of the bars loaded stands in for the canvas for screen readers.
 */
export function CandleChart({ dataset, onClose }: { dataset: DatasetSummary; onClose?: () => void }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const candles = useRef<ISeriesApi<'Candlestick'> | null>(null);
  const volume = useRef<ISeriesApi<'Histogram'> | null>(null);
  const markers = useRef<ISeriesMarkersPluginApi<Time> | null>(null);
  const extra = useRef<ISeriesApi<'Line' | 'Histogram'>[]>([]);
  const datasetsStore = useStores().datasets;
  const openChart = useDatasetsStore((s) => s.openChart);
  const loadHealth = useDatasetsStore((s) => s.loadHealth);
  const loaded = useDatasetsStore(datasetsSelectors.chartOf(dataset.id));
  const chartError = useDatasetsStore((s) => s.chartError);
  const report = useDatasetsStore(datasetsSelectors.healthOf(dataset.id));
  const [timeframe, setTimeframe] = useState(dataset.timeframe);
  const [legend, setLegend] = useState<string>('');
  const [overlays, setOverlays] = useState<Record<OverlayName, boolean>>({ sma20: false, ema50: false, bollinger: false });
  const [pane, setPane] = useState<PaneIndicator>('none');
  const [showHealth, setShowHealth] = useState(true);
  const health = useMemo(() => (report ? { ts: report.flaggedTs, level: report.flaggedLevel, gaps: report.summary.largestGaps } : null), [report]);
  const data = useMemo(() => (loaded ? { timeframe: loaded.timeframe, timeframes: loaded.timeframes, c: loaded.candles } : null), [loaded]);
  const [note, setNote] = useState<string | null>(null);
  const precision = useMemo(() => (data ? pricePrecisionFromData(data.c.open, data.c.high, data.c.low, data.c.close) : null), [data]);
  // The crosshair handler is subscribed once per chart; it reads the current precision from here.
  const precisionRef = useRef<PricePrecision>({ precision: 2, minMove: 0.01 });
  precisionRef.current = precision ?? precisionRef.current;

  // Create the chart once per dataset.
  useEffect(() => {
    const el = host.current!;
    const c = createChart(el, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: '#0e1116' }, textColor: '#aab4c3', panes: { separatorColor: '#2a313c' } },
      grid: { vertLines: { color: '#1a2029' }, horzLines: { color: '#1a2029' } },
      crosshair: { mode: CrosshairMode.Normal },
      timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#2a313c' },
      rightPriceScale: { borderColor: '#2a313c' },
      localization: { timeFormatter: (t: number) => formatUtc(t * 1000) },
    });
    candles.current = c.addSeries(CandlestickSeries, { upColor: '#26a69a', downColor: '#ef5350', borderVisible: false, wickUpColor: '#26a69a', wickDownColor: '#ef5350' });
    volume.current = c.addSeries(HistogramSeries, { priceFormat: { type: 'volume' }, color: '#4f9cf966' }, 1);
    c.panes()[0]?.setStretchFactor(3);
    c.panes()[1]?.setStretchFactor(0.7);
    markers.current = createSeriesMarkers(candles.current, []);
    c.subscribeCrosshairMove((param) => {
      const bar = (param.time !== undefined ? param.seriesData.get(candles.current!) : undefined) as CandlestickData<Time> | undefined;
      if (!bar || bar.open === undefined) return setLegend('');
      const v = param.seriesData.get(volume.current!);
      const f = (x: number) => formatPrice(x, precisionRef.current);
      setLegend(`${formatUtc((param.time as number) * 1000)}  O ${f(bar.open)}  H ${f(bar.high)}  L ${f(bar.low)}  C ${f(bar.close)}${v && 'value' in v ? `  V ${v.value.toLocaleString('en-US')}` : ''}`);
    });
    chart.current = c;
    return () => {
      c.remove();
      chart.current = null;
      extra.current = [];
    };
  }, [dataset.id]);

  const load = (tf: string) => {
    setNote(null);
    void openChart(dataset.id, tf);
  };

  useEffect(() => {
    setTimeframe(dataset.timeframe);
    setNote(null);
    void openChart(dataset.id, dataset.timeframe);
  }, [dataset.id, dataset.timeframe, openChart]);
  // The health panel asks for the same report; the store fetches it once per dataset and row count.
  useEffect(() => void loadHealth({ id: dataset.id, rows: dataset.rows }), [loadHealth, dataset.id, dataset.rows]);

  // A fresh load (a dataset or timeframe opened) starts at the newest bar; older pages keep the view.
  const generation = loaded?.generation;
  useEffect(() => {
    if (generation !== undefined) chart.current?.timeScale().scrollToRealTime();
  }, [generation]);

  // Older history on scroll to the left edge.
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    const onRange = (range: { from: number; to: number } | null) => {
      const { chart: d, chartLoading } = datasetsStore.getState();
      if (!range || !d || d.datasetId !== dataset.id || d.exhausted || chartLoading || range.from > 20) return;
      if (d.candles.ts.length >= MAX_LOADED) {
        setNote(`${MAX_LOADED.toLocaleString('en-US')} bars loaded; switch to a coarser timeframe to see further back.`);
        return;
      }
      void datasetsStore.getState().loadOlderCandles();
    };
    c.timeScale().subscribeVisibleLogicalRangeChange(onRange);
    return () => c.timeScale().unsubscribeVisibleLogicalRangeChange(onRange);
  }, [dataset.id, datasetsStore]);

  // Push data, overlays, indicator pane and markers into the chart.
  useEffect(() => {
    const c = chart.current;
    if (!c || !data) return;
    const t = data.c.ts.map(toSec);
    const priceFormat = { type: 'price' as const, ...(precision ?? { precision: 2, minMove: 0.01 }) };
    candles.current!.applyOptions({ priceFormat });
    candles.current!.setData(t.map((time, i) => ({ time, open: data.c.open[i]!, high: data.c.high[i]!, low: data.c.low[i]!, close: data.c.close[i]! })));
    volume.current!.setData(t.map((time, i) => ({ time, value: data.c.volume[i] ?? 0, color: data.c.close[i]! >= data.c.open[i]! ? '#26a69a55' : '#ef535055' })));
    for (const s of extra.current) c.removeSeries(s);
    extra.current = [];
    for (const name of Object.keys(overlays) as OverlayName[]) {
      if (!overlays[name]) continue;
      for (const line of overlayLines(name, t, data.c.close)) {
        const s = c.addSeries(LineSeries, { color: line.color, lineWidth: 1, priceLineVisible: false, lastValueVisible: false, title: line.key, priceFormat });
        s.setData(line.data.map((p) => ({ time: p.time as UTCTimestamp, value: p.value })));
        extra.current.push(s);
      }
    }
    if (pane !== 'none') {
      for (const line of paneLines(pane, t, data.c.close)) {
        const s = line.histogram
          ? c.addSeries(HistogramSeries, { color: line.color, priceLineVisible: false, lastValueVisible: false, title: line.key }, 2)
          : c.addSeries(LineSeries, { color: line.color, lineWidth: 1, priceLineVisible: false, title: line.key }, 2);
        s.setData(line.data.map((p) => ({ time: p.time as UTCTimestamp, value: p.value })));
        extra.current.push(s);
      }
      c.panes()[2]?.setStretchFactor(1);
    }
    const m: SeriesMarker<Time>[] = [];
    if (showHealth && health && data.timeframe === dataset.timeframe) {
      const first = data.c.ts[0] ?? Infinity;
      health.ts.forEach((ts, i) => {
        if (ts >= first) m.push({ time: toSec(ts), position: 'aboveBar', color: health.level[i] === 2 ? '#ef5350' : '#e0a63b', shape: 'circle', text: health.level[i] === 2 ? 'bad' : '' });
      });
      for (const g of health.gaps) if (g.toTs >= first) m.push({ time: toSec(g.toTs), position: 'belowBar', color: '#8792a2', shape: 'arrowUp', text: `gap ${g.missingBars}` });
      m.sort((a, b) => (a.time as number) - (b.time as number));
    }
    markers.current!.setMarkers(m);
  }, [data, precision, overlays, pane, health, showHealth, dataset.timeframe]);

  return (
    <section className="chart-panel" aria-label={`${dataset.symbol} chart`}>
      <div className="chart-toolbar">
        <strong>
          {dataset.symbol} · {data?.timeframe ?? timeframe}
        </strong>
        <div className="segmented" role="group" aria-label="Timeframe">
          {(data?.timeframes ?? [dataset.timeframe]).map((tf) => (
            <button
              key={tf}
              className={tf === (data?.timeframe ?? timeframe) ? 'active' : undefined}
              aria-pressed={tf === (data?.timeframe ?? timeframe)}
              onClick={() => {
                setTimeframe(tf);
                load(tf);
              }}
            >
              {tf}
            </button>
          ))}
        </div>
        {(['sma20', 'ema50', 'bollinger'] as OverlayName[]).map((o) => (
          <label key={o} className="check">
            <input type="checkbox" checked={overlays[o]} onChange={(e) => setOverlays((s) => ({ ...s, [o]: e.target.checked }))} />
            {o === 'sma20' ? 'SMA 20' : o === 'ema50' ? 'EMA 50' : 'Bollinger'}
          </label>
        ))}
        <label className="check">
          Pane
          <select value={pane} onChange={(e) => setPane(e.target.value as PaneIndicator)} aria-label="Indicator pane">
            <option value="none">none</option>
            <option value="rsi">RSI 14</option>
            <option value="macd">MACD</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={showHealth} onChange={(e) => setShowHealth(e.target.checked)} />
          Health markers
        </label>
        {onClose ? (
          <button className="chart-close" onClick={onClose} aria-label={`Close chart of ${dataset.symbol}`}>
            Close chart
          </button>
        ) : null}
      </div>
      {chartError ? <p className="error" role="alert">The candles could not be read: {chartError}</p> : null}
      {note ? <p className="muted">{note}</p> : null}
      <div className="chart-frame">
        <div ref={host} className="chart-host" data-testid="candle-chart" />
        <div className="chart-legend" data-testid="chart-legend">
          {legend || `${(data?.c.ts.length ?? 0).toLocaleString('en-US')} bars loaded${precision ? ` · prices to ${precision.precision} decimals` : ''}`}
        </div>
      </div>
      <p className="sr-only" data-testid="chart-summary">
        {chartSummary(dataset.symbol, data, precision)}
      </p>
    </section>
  );
}

/** What the canvas shows, in one sentence for a screen reader: the bars loaded, their span, range and last close. */
function chartSummary(symbol: string, data: { timeframe: string; c: { ts: number[]; low: number[]; high: number[]; close: number[] } } | null, p: PricePrecision | null): string {
  const n = data?.c.ts.length ?? 0;
  if (!data || n === 0 || !p) return `${symbol} candlestick chart: no bars loaded yet.`;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, data.c.low[i]!);
    hi = Math.max(hi, data.c.high[i]!);
  }
  return `${symbol} ${data.timeframe} candlestick chart of the ${n.toLocaleString('en-US')} bars from ${formatUtc(data.c.ts[0]!)} to ${formatUtc(data.c.ts[n - 1]!)} UTC: low ${formatPrice(lo, p)}, high ${formatPrice(hi, p)}, last close ${formatPrice(data.c.close[n - 1]!, p)}.`;
}

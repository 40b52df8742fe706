import { useEffect, useRef, useState } from 'react';
import { niceTicks } from './smoothing.js';

/**
 * A training curve chart in SVG: x and y ticks with labels, axis titles, raw values faint behind
 * a smoothed line (TensorBoard's convention), per-epoch values as dots, and vertical markers
 * (the best epoch). It takes the width of its container, so two sit side by side on a wide page
 * and stack on a narrow one. `summary` is what a screen reader hears instead of the drawing.
 */
export interface CurveSeries {
  name: string;
  color: string;
  points: readonly { x: number; y: number }[];
  /** 'faint': raw values under a smoothed line; 'line': a line; 'dots': per-epoch values, dots joined by a thin line. */
  style: 'faint' | 'line' | 'dots';
  /** Left out of the legend (the raw values of a series that is also drawn smoothed). */
  hideInLegend?: boolean;
}

export interface CurveMarker {
  x: number;
  label: string;
}

export interface CurveChartProps {
  title: string;
  xTitle: string;
  yTitle: string;
  series: readonly CurveSeries[];
  markers?: readonly CurveMarker[];
  /** The x range to show at least (e.g. 0 to the epochs done); grows to the data. */
  xMin?: number;
  xMinSpan?: number;
  /** Tick and value labels; `step` is the distance between ticks, to choose the decimals by. */
  yFormat?: (v: number, step: number) => string;
  xFormat?: (v: number) => string;
  summary: string;
  /** Shown instead of the plot while no series has a point. */
  empty: string;
  testId?: string;
  height?: number;
}

/** The width of an element, following it as the window resizes. */
export function useWidth(fallback: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => entry && setWidth(Math.max(200, Math.floor(entry.contentRect.width))));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

/** Labels with as many decimals as the tick step needs, so neighbouring ticks never read the same. */
export const decimalsFor = (step: number) => Math.min(8, Math.max(0, -Math.floor(Math.log10(step) + 1e-9)));

const defaultFormat = (step: number) => (v: number) => {
  const decimals = decimalsFor(step);
  return Math.abs(v) >= 1e4 ? v.toExponential(1) : v.toFixed(decimals);
};

export function CurveChart({ title, xTitle, yTitle, series, markers = [], xMin = 0, xMinSpan = 1, yFormat, xFormat, summary, empty, testId, height = 240 }: CurveChartProps) {
  const { ref, width } = useWidth(480);
  // Room above the plot for the markers' labels, so they never sit on a point.
  const pad = { l: 58, r: 14, t: markers.length ? 22 : 10, b: 40 };
  const drawn = series.map((s) => ({ ...s, points: s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)) }));
  const all = drawn.flatMap((s) => s.points);
  const legend = drawn.filter((s) => !s.hideInLegend);
  const caption = (
    <figcaption>
      <span className="curve-title">{title}</span>
      <span className="legend" aria-hidden="true">
        {legend.map((s) => (
          <span key={s.name} className="legend-item">
            <span className={`legend-swatch legend-${s.style}`} style={{ background: s.color }} />
            {s.name}
          </span>
        ))}
        {markers.length ? (
          <span className="legend-item">
            <span className="legend-swatch legend-marker" />
            {markers[0]!.label.replace(/ \d+$/, '')}
          </span>
        ) : null}
      </span>
    </figcaption>
  );
  if (all.length === 0) {
    return (
      <figure className="curve-chart" data-testid={testId} ref={ref}>
        {caption}
        <div className="muted chart-empty" style={{ height: height - 20 }} role="img" aria-label={`${title}: ${empty}`}>
          {empty}
        </div>
      </figure>
    );
  }
  const xs = all.map((p) => p.x).concat(markers.map((m) => m.x));
  const x0 = Math.min(xMin, ...xs);
  const x1 = Math.max(x0 + xMinSpan, ...xs);
  let y0 = Math.min(...all.map((p) => p.y));
  let y1 = Math.max(...all.map((p) => p.y));
  // A flat series (a constant learning rate) gets ±10 % around its value rather than a hair's width.
  const margin = y1 > y0 ? (y1 - y0) * 0.06 : Math.abs(y1) * 0.1 || 0.5;
  y0 -= margin;
  y1 += margin;
  const spread = y1 - y0;
  const plotH = height - pad.t - pad.b;
  const yTicks = niceTicks(y0, y1, Math.max(3, Math.floor(plotH / 36))).filter((t) => t >= y0 && t <= y1);
  const yStep = yTicks.length > 1 ? yTicks[1]! - yTicks[0]! : spread;
  const yFmt = yFormat ? (v: number) => yFormat(v, yStep) : defaultFormat(yStep);
  // The left margin fits the longest tick label (about 6.5 px a character at 11 px) and the axis title.
  pad.l = Math.max(44, 26 + Math.ceil(Math.max(...yTicks.map((t) => yFmt(t).length)) * 6.5));
  const plotW = width - pad.l - pad.r;
  const sx = (x: number) => pad.l + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y: number) => pad.t + (1 - (y - y0) / (y1 - y0)) * plotH;
  const xTicks = niceTicks(x0, x1, Math.max(2, Math.floor(plotW / 80))).filter((t) => t >= x0 && t <= x1);
  const xFmt = xFormat ?? defaultFormat(xTicks.length > 1 ? xTicks[1]! - xTicks[0]! : 1);
  const path = (pts: readonly { x: number; y: number }[]) => pts.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
  return (
    <figure className="curve-chart" data-testid={testId} ref={ref}>
      {caption}
      <svg width={width} height={height} role="img" aria-label={summary}>
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line x1={pad.l} x2={width - pad.r} y1={sy(t)} y2={sy(t)} className="grid" />
            <text x={pad.l - 6} y={sy(t) + 4} textAnchor="end" className="tick">
              {yFmt(t)}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <g key={`x${t}`}>
            <line x1={sx(t)} x2={sx(t)} y1={pad.t + plotH} y2={pad.t + plotH + 4} className="axis" />
            <text x={sx(t)} y={pad.t + plotH + 16} textAnchor="middle" className="tick">
              {xFmt(t)}
            </text>
          </g>
        ))}
        <line x1={pad.l} x2={width - pad.r} y1={pad.t + plotH} y2={pad.t + plotH} className="axis" />
        <line x1={pad.l} x2={pad.l} y1={pad.t} y2={pad.t + plotH} className="axis" />
        <text x={pad.l + plotW / 2} y={height - 4} textAnchor="middle" className="axis-title">
          {xTitle}
        </text>
        <text transform={`translate(12 ${pad.t + plotH / 2}) rotate(-90)`} textAnchor="middle" className="axis-title">
          {yTitle}
        </text>
        {markers.map((m) => (
          <g key={`m${m.x}`} className="marker" data-testid="best-epoch-marker">
            <line x1={sx(m.x)} x2={sx(m.x)} y1={pad.t} y2={pad.t + plotH} />
            <text x={sx(m.x)} y={pad.t - 6} textAnchor={sx(m.x) + 50 > width - pad.r ? 'end' : sx(m.x) - 50 < pad.l ? 'start' : 'middle'} className="tick">
              {m.label}
            </text>
          </g>
        ))}
        {drawn.map((s) => (
          <g key={s.name} data-series={s.name} data-count={s.points.length} data-first-x={s.points[0]?.x} data-last-y={s.points.at(-1)?.y}>
            {s.points.length > 1 || s.style !== 'dots' ? (
              <polyline
                fill="none"
                stroke={s.color}
                strokeWidth={s.style === 'line' ? 2 : s.style === 'dots' ? 1.2 : 1}
                strokeOpacity={s.style === 'faint' ? 0.28 : 1}
                strokeLinejoin="round"
                points={path(s.points)}
              />
            ) : null}
            {/* A lone report of a line (a run shorter than the report interval) would draw nothing. */}
            {s.style !== 'dots' && s.points.length === 1 ? <rect x={sx(s.points[0]!.x) - 2.5} y={sy(s.points[0]!.y) - 2.5} width={5} height={5} fill={s.color} /> : null}
            {s.style === 'dots'
              ? s.points.map((p) => (
                  <circle key={p.x} cx={sx(p.x)} cy={sy(p.y)} r={3} fill={s.color}>
                    <title>{`${s.name}, ${xTitle} ${xFmt(p.x)}: ${p.y.toPrecision(4)}`}</title>
                  </circle>
                ))
              : null}
          </g>
        ))}
      </svg>
    </figure>
  );
}

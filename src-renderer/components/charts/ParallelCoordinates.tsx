import { forwardRef } from 'react';

/**
 * What parallel coordinates draw: one line per item (a run, a sweep's trial) over the settings that
 * vary and a last axis for the metric. A numeric axis holds its own values (`log`: spaced in log, for
 * a setting searched on a log scale); a category axis holds indexes into `categories`. The runs
 * page's HParams payload has this shape.
 */
export interface ParallelData {
  metric: string;
  runIds: readonly number[];
  values: readonly number[];
  dimensions: readonly { field: string; categories: readonly string[] | null; values: readonly number[]; log?: boolean }[];
}

/**
 * Parallel coordinates in SVG (plotly's parcoords is not in the cartesian bundle the app ships):
 * one vertical axis per varying setting and a last one for the metric, one line per run, coloured
 * by the metric from low (blue) to high (amber); lower-is-better metrics are coloured the other
 * way round, so amber always means better. A category axis lists its values evenly spaced.
 */
export const ParallelCoordinates = forwardRef<
  SVGSVGElement,
  { data: ParallelData; lowerIsBetter: boolean; width: number; height?: number; summary: string; lineTitle?: (i: number) => string }
>(function ParallelCoordinates({ data, lowerIsBetter, width, height = 300, summary, lineTitle }, ref) {
  const axes = [
    ...data.dimensions.map((d) => ({ name: d.field, values: d.values, categories: d.categories, log: d.log === true && d.values.every((v) => v > 0) })),
    { name: data.metric, values: data.values, categories: null as readonly string[] | null, log: false },
  ];
  const pad = { l: 40, r: 60, t: 28, b: 22 };
  const plotH = height - pad.t - pad.b;
  const step = axes.length > 1 ? (width - pad.l - pad.r) / (axes.length - 1) : 0;
  const scales = axes.map((a) => {
    if (a.categories) {
      const n = a.categories.length;
      return { y: (v: number) => pad.t + plotH - (n > 1 ? (v / (n - 1)) * plotH : plotH / 2), ticks: a.categories.map((c, i) => ({ v: i, label: c })) };
    }
    const f = a.log ? Math.log : (v: number) => v;
    const lo = Math.min(...a.values);
    const hi = Math.max(...a.values);
    const span = f(hi) - f(lo) || 1;
    const fmt = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(1) : Number(v.toPrecision(3)).toString());
    const mid = a.log ? Math.sqrt(lo * hi) : (lo + hi) / 2;
    return { y: (v: number) => pad.t + plotH - ((f(v) - f(lo)) / span) * plotH, ticks: hi === lo ? [{ v: lo, label: fmt(lo) }] : [lo, mid, hi].map((v) => ({ v, label: fmt(v) })) };
  });
  const mLo = Math.min(...data.values);
  const mHi = Math.max(...data.values);
  const colour = (m: number) => {
    let t = mHi > mLo ? (m - mLo) / (mHi - mLo) : 0.5;
    if (lowerIsBetter) t = 1 - t;
    // Blue (#3d7bd9) to amber (#e8a33d).
    const mix = (a: number, b: number) => Math.round(a + (b - a) * t);
    return `rgb(${mix(0x3d, 0xe8)}, ${mix(0x7b, 0xa3)}, ${mix(0xd9, 0x3d)})`;
  };
  return (
    <svg ref={ref} width={width} height={height} role="img" aria-label={summary} className="parcoords" data-testid="parcoords">
      {data.runIds.map((runId, i) => (
        <polyline
          key={runId}
          fill="none"
          stroke={colour(data.values[i]!)}
          strokeWidth={1.5}
          strokeOpacity={0.8}
          points={axes.map((a, j) => `${pad.l + j * step},${scales[j]!.y(a.values[i]!)}`).join(' ')}
        >
          <title>{`${lineTitle ? lineTitle(i) : `Run ${runId}`}: ${axes.map((a) => `${a.name} ${a.categories ? a.categories[a.values[i]!] : a.values[i]}`).join(', ')}`}</title>
        </polyline>
      ))}
      {axes.map((a, j) => (
        <g key={a.name} transform={`translate(${pad.l + j * step},0)`}>
          <line y1={pad.t} y2={pad.t + plotH} stroke="currentColor" strokeOpacity={0.5} />
          <text y={pad.t - 10} textAnchor="middle" fill="currentColor" fontSize={11} fontWeight={j === axes.length - 1 ? 700 : 400}>
            {a.name}
          </text>
          {scales[j]!.ticks.map((t) => (
            <text key={t.label} x={5} y={scales[j]!.y(t.v) + 4} fill="currentColor" fillOpacity={0.75} fontSize={10}>
              {t.label}
            </text>
          ))}
        </g>
      ))}
    </svg>
  );
});

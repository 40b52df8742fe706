/**
 * A tiny inline SVG line for live figures (CPU %, RAM) where a full chart would be noise. The line
 * spans the range the values actually cover (a CPU pinned at 94–97 % is a flat bar at the top of a
 * 0–100 box), and the range is written beside it so the scale is never a guess.
 */
export function Sparkline({
  values,
  max,
  label,
  width = 240,
  height = 48,
  format = (v) => v.toFixed(0),
}: {
  values: number[];
  /** The largest value the figure can take (100 for a percentage): the range never goes past it. */
  max: number;
  label: string;
  width?: number;
  height?: number;
  format?: (v: number) => string;
}) {
  if (values.length < 2) return <svg width={width} height={height} role="img" aria-label={`${label}: waiting for samples`} />;
  const bottom = Math.min(...values);
  const top = Math.max(...values);
  let lo = bottom;
  let hi = top;
  // A steady figure still gets a visible band: at least 5 % of the full scale around it.
  const minSpan = Math.max(max * 0.05, Number.EPSILON);
  if (hi - lo < minSpan) {
    const mid = (hi + lo) / 2;
    lo = Math.max(0, mid - minSpan / 2);
    hi = Math.min(max, lo + minSpan);
    lo = Math.max(0, hi - minSpan);
  }
  // Room for the longer range label at the hints' 10 px font (~6 px a character): "549.2 MB" did
  // not fit a fixed 44 px and lost its unit.
  const hintWidth = Math.max(44, 6 * Math.max(format(hi).length, format(lo).length) + 6);
  const plot = width - hintWidth;
  const step = plot / (values.length - 1);
  const y = (v: number) => height - 2 - ((Math.min(Math.max(v, lo), hi) - lo) / (hi - lo)) * (height - 4);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return (
    <svg width={width} height={height} role="img" aria-label={`${label}: from ${format(bottom)} to ${format(top)}, now ${format(values[values.length - 1]!)}`} className="sparkline">
      <line x1={0} x2={plot} y1={2} y2={2} className="sparkline-grid" />
      <line x1={0} x2={plot} y1={height - 2} y2={height - 2} className="sparkline-grid" />
      <polyline points={points} fill="none" strokeWidth="1.5" />
      <text x={plot + 4} y={10} className="sparkline-hint">
        {format(hi)}
      </text>
      <text x={plot + 4} y={height - 3} className="sparkline-hint">
        {format(lo)}
      </text>
    </svg>
  );
}

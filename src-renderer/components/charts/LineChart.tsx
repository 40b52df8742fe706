/** A small multi-series SVG line chart for live curves (loss, accuracy) that update every epoch. */
export interface LineSeriesData {
  name: string;
  color: string;
  points: { x: number; y: number | null }[];
  dashed?: boolean;
}

export function LineChart({ title, series, width = 460, height = 220, yLabel, testId }: { title: string; series: LineSeriesData[]; width?: number; height?: number; yLabel?: string; testId?: string }) {
  const pad = { l: 48, r: 12, t: 24, b: 28 };
  const all = series.flatMap((s) => s.points.filter((p) => p.y !== null && Number.isFinite(p.y)) as { x: number; y: number }[]);
  if (all.length === 0) {
    return (
      <figure className="line-chart" data-testid={testId}>
        <figcaption>{title}</figcaption>
        <div className="muted chart-empty" style={{ width, height: height - 24 }}>
          Waiting for the first epoch…
        </div>
      </figure>
    );
  }
  const xMin = Math.min(...all.map((p) => p.x));
  const xMax = Math.max(...all.map((p) => p.x), xMin + 1);
  let yMin = Math.min(...all.map((p) => p.y));
  let yMax = Math.max(...all.map((p) => p.y));
  if (yMax - yMin < 1e-9) {
    yMin -= 0.5;
    yMax += 0.5;
  }
  const sx = (x: number) => pad.l + ((x - xMin) / (xMax - xMin)) * (width - pad.l - pad.r);
  const sy = (y: number) => pad.t + (1 - (y - yMin) / (yMax - yMin)) * (height - pad.t - pad.b);
  const ticks = [yMin, (yMin + yMax) / 2, yMax];
  return (
    <figure className="line-chart" data-testid={testId}>
      <figcaption>
        {title}
        <span className="legend">
          {series.map((s) => (
            <span key={s.name} style={{ color: s.color }}>
              {' '}
              ━ {s.name}
            </span>
          ))}
        </span>
      </figcaption>
      <svg width={width} height={height} role="img" aria-label={`${title}: ${series.map((s) => `${s.name} ${s.points.at(-1)?.y?.toFixed(4) ?? '—'}`).join(', ')}`}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={pad.l} x2={width - pad.r} y1={sy(t)} y2={sy(t)} className="grid" />
            <text x={pad.l - 6} y={sy(t) + 4} textAnchor="end" className="tick">
              {Math.abs(t) >= 100 ? t.toFixed(0) : t.toFixed(3)}
            </text>
          </g>
        ))}
        <text x={(pad.l + width - pad.r) / 2} y={height - 6} textAnchor="middle" className="tick">
          epoch
        </text>
        {yLabel ? (
          <text x={12} y={pad.t - 8} className="tick">
            {yLabel}
          </text>
        ) : null}
        {series.map((s) => {
          const pts = s.points.filter((p) => p.y !== null && Number.isFinite(p.y)) as { x: number; y: number }[];
          return (
            <g key={s.name}>
              <polyline fill="none" stroke={s.color} strokeWidth={1.8} strokeDasharray={s.dashed ? '4 3' : undefined} points={pts.map((p) => `${sx(p.x)},${sy(p.y)}`).join(' ')} />
              {pts.map((p) => (
                <circle key={p.x} cx={sx(p.x)} cy={sy(p.y)} r={2.5} fill={s.color}>
                  <title>{`${s.name} epoch ${p.x}: ${p.y.toFixed(4)}`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

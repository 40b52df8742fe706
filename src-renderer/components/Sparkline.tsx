/** A tiny inline SVG line for live figures (CPU %, RAM) where a full chart would be noise. */
export function Sparkline({ values, max, label, width = 240, height = 48 }: { values: number[]; max: number; label: string; width?: number; height?: number }) {
  if (values.length < 2) return <svg width={width} height={height} role="img" aria-label={`${label}: waiting for samples`} />;
  const step = width / (values.length - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - (Math.min(v, max) / max) * (height - 2) - 1).toFixed(1)}`).join(' ');
  return (
    <svg width={width} height={height} role="img" aria-label={label} className="sparkline">
      <polyline points={points} fill="none" strokeWidth="1.5" />
    </svg>
  );
}

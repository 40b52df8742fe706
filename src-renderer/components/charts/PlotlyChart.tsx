import Plotly, { type Data, type Layout } from 'plotly.js-cartesian-dist-min';
import { useEffect, useRef } from 'react';

const DARK: Layout = {
  paper_bgcolor: '#161b22',
  plot_bgcolor: '#0e1116',
  font: { color: '#d6dde6', size: 11 },
  margin: { l: 56, r: 16, t: 36, b: 44 },
  xaxis: { gridcolor: '#1f2630', zerolinecolor: '#2a313c' },
  yaxis: { gridcolor: '#1f2630', zerolinecolor: '#2a313c' },
  legend: { orientation: 'h', y: -0.2 },
};

/**
 * A plotly chart (the cartesian partial bundle: scatter, bar, heatmap) in the dark theme, with
 * hover tooltips and the modebar's "download as PNG". Re-renders in place when data changes.
 */
export function PlotlyChart({ data, layout, testId, height = 320, fileName }: { data: Data[]; layout: Layout; testId?: string; height?: number; fileName: string }) {
  const el = useRef<HTMLDivElement>(null);
  // Plotly finishes a draw asynchronously (auto-margin redraws run after react() returns). Draws
  // are chained, and the chart is purged only after the last one settles: purging mid-draw leaves
  // plotly's pending redraw reading a layout that is gone, which throws in the console.
  const pending = useRef<Promise<unknown>>(Promise.resolve());
  const alive = useRef(true);
  useEffect(() => {
    const node = el.current!;
    const fullLayout = { ...DARK, ...layout, height, xaxis: { ...(DARK.xaxis as object), ...(layout.xaxis as object) }, yaxis: { ...(DARK.yaxis as object), ...(layout.yaxis as object) } };
    const config = { displaylogo: false, responsive: true, toImageButtonOptions: { format: 'png', filename: fileName, scale: 2 }, modeBarButtonsToRemove: ['lasso2d', 'select2d'] } as const;
    pending.current = pending.current.then(() => (alive.current ? Plotly.react(node, data, fullLayout, config) : undefined)).catch(() => undefined);
  }, [data, layout, height, fileName]);
  useEffect(() => {
    const node = el.current!;
    alive.current = true;
    return () => {
      alive.current = false;
      void pending.current.then(() => Plotly.purge(node));
    };
  }, []);
  // The box holds the chart's height before plotly draws (no jump when it does), and no more after.
  return <div ref={el} className="plotly-chart" style={{ minHeight: height }} data-testid={testId} />;
}

/**
 * Small inline-SVG charts for the HTML report, drawn here so that the report needs no script and
 * no network: line charts (with optional filled bands) and grouped bar charts, with axes, ticks and
 * a legend. Numbers are escaped through `toFixed`; text through `escapeHtml`.
 */

export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface LineSeries {
  name: string;
  x: readonly number[];
  y: readonly (number | null)[];
  color: string;
  dash?: boolean;
}

export interface Band {
  name: string;
  x: readonly number[];
  lower: readonly number[];
  upper: readonly number[];
  color: string;
}

export interface ChartFrame {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  /** Vertical reference lines (e.g. a breakeven cost). */
  vLines?: { x: number; label: string; color: string }[];
}

const M = { l: 58, r: 14, t: 28, b: 58 };

/** "Nice" tick values covering [lo, hi] (1, 2 or 5 × 10^k steps). */
function ticks(lo: number, hi: number, target = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

const fmt = (v: number) => (Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toPrecision(3) : String(Number(v.toPrecision(4))));

function frame(f: ChartFrame, xs: number[], ys: number[], legend: { name: string; color: string }[], body: (sx: (v: number) => number, sy: (v: number) => number) => string, numericX = true): string {
  const W = f.width ?? 520;
  const H = f.height ?? 280;
  const finiteX = xs.filter(Number.isFinite);
  const finiteY = ys.filter(Number.isFinite);
  let x0 = Math.min(...finiteX);
  let x1 = Math.max(...finiteX);
  let y0 = Math.min(...finiteY, 0);
  let y1 = Math.max(...finiteY, 0);
  if (!Number.isFinite(x0)) [x0, x1] = [0, 1];
  if (!Number.isFinite(y0)) [y0, y1] = [0, 1];
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) y1 = y0 + 1;
  const pad = (y1 - y0) * 0.05;
  y0 -= pad;
  y1 += pad;
  const sx = (v: number) => M.l + ((v - x0) / (x1 - x0)) * (W - M.l - M.r);
  const sy = (v: number) => H - M.b - ((v - y0) / (y1 - y0)) * (H - M.t - M.b);
  const xt = numericX ? ticks(x0, x1) : [];
  const yt = ticks(y0, y1);
  const grid = [
    ...yt.map((v) => `<line x1="${M.l}" x2="${W - M.r}" y1="${sy(v).toFixed(1)}" y2="${sy(v).toFixed(1)}" class="${v === 0 ? 'zero' : 'grid'}"/><text x="${M.l - 6}" y="${(sy(v) + 4).toFixed(1)}" text-anchor="end">${fmt(v)}</text>`),
    ...xt.map((v) => `<text x="${sx(v).toFixed(1)}" y="${H - M.b + 16}" text-anchor="middle">${fmt(v)}</text>`),
  ].join('');
  const v = (f.vLines ?? [])
    .filter((l) => Number.isFinite(l.x) && l.x >= x0 && l.x <= x1)
    .map((l, i) => `<line x1="${sx(l.x).toFixed(1)}" x2="${sx(l.x).toFixed(1)}" y1="${M.t}" y2="${H - M.b}" stroke="${l.color}" stroke-dasharray="5 4"/><text x="${(sx(l.x) + 4).toFixed(1)}" y="${M.t + 12 + 14 * i}" fill="${l.color}">${escapeHtml(l.label)}</text>`)
    .join('');
  const leg = legend.map((l, i) => `<rect x="${M.l + i * 150}" y="${H - 18}" width="12" height="8" fill="${l.color}"/><text x="${M.l + i * 150 + 16}" y="${H - 10}">${escapeHtml(l.name)}</text>`).join('');
  return (
    `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(f.title)}">` +
    `<text x="${W / 2}" y="16" text-anchor="middle" class="title">${escapeHtml(f.title)}</text>${grid}` +
    `<line x1="${M.l}" x2="${M.l}" y1="${M.t}" y2="${H - M.b}" class="axis"/><line x1="${M.l}" x2="${W - M.r}" y1="${H - M.b}" y2="${H - M.b}" class="axis"/>` +
    `${body(sx, sy)}${v}` +
    `<text x="${(M.l + W - M.r) / 2}" y="${H - M.b + 32}" text-anchor="middle">${escapeHtml(f.xLabel)}</text>` +
    `<text transform="translate(14 ${(M.t + H - M.b) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(f.yLabel)}</text>${leg}</svg>`
  );
}

/** A line chart; points with a null y break the line. */
export function lineChart(f: ChartFrame, series: readonly LineSeries[], bands: readonly Band[] = []): string {
  const xs = [...series.flatMap((s) => [...s.x]), ...bands.flatMap((b) => [...b.x])];
  const ys = [...series.flatMap((s) => s.y.filter((v): v is number => v !== null)), ...bands.flatMap((b) => [...b.lower, ...b.upper])];
  return frame(f, xs, ys, [...bands, ...series], (sx, sy) => {
    const area = bands
      .map((b) => {
        const top = b.x.map((x, i) => `${sx(x).toFixed(1)},${sy(b.upper[i]!).toFixed(1)}`);
        const bottom = b.x.map((x, i) => `${sx(x).toFixed(1)},${sy(b.lower[i]!).toFixed(1)}`).reverse();
        return `<polygon points="${[...top, ...bottom].join(' ')}" fill="${b.color}" stroke="none"/>`;
      })
      .join('');
    const lines = series
      .map((s) => {
        const parts: string[] = [];
        let d = '';
        s.x.forEach((x, i) => {
          const y = s.y[i];
          if (y === null || y === undefined || !Number.isFinite(y)) {
            if (d) parts.push(d);
            d = '';
            return;
          }
          d += `${d ? 'L' : 'M'}${sx(x).toFixed(1)} ${sy(y).toFixed(1)}`;
        });
        if (d) parts.push(d);
        const marks = s.x.length <= 40 ? s.x.map((x, i) => (s.y[i] === null ? '' : `<circle cx="${sx(x).toFixed(1)}" cy="${sy(s.y[i]!).toFixed(1)}" r="2.5" fill="${s.color}"/>`)).join('') : '';
        return parts.map((p) => `<path d="${p}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ' stroke-dasharray="6 4"' : ''}/>`).join('') + marks;
      })
      .join('');
    return area + lines;
  });
}

/** Grouped bars: one group per category, one bar per series. */
export function barChart(f: ChartFrame, categories: readonly string[], series: readonly { name: string; y: readonly (number | null)[]; color: string }[]): string {
  const n = categories.length;
  const ys = series.flatMap((s) => s.y.filter((v): v is number => v !== null));
  const W = f.width ?? 520;
  const H = f.height ?? 280;
  const slot = (W - M.l - M.r) / Math.max(n, 1);
  const barW = (slot * 0.8) / Math.max(series.length, 1);
  // x in category units: group g spans [g, g + 1).
  return frame({ ...f, width: W, height: H }, [0, n], ys, [...series], (sx, sy) => {
    const bars = series
      .map((s, k) =>
        s.y
          .map((y, g) => {
            if (y === null || !Number.isFinite(y)) return '';
            const x = sx(g) + slot * 0.1 + k * barW;
            const top = Math.min(sy(y), sy(0));
            return `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.abs(sy(y) - sy(0)).toFixed(1)}" fill="${s.color}"><title>${escapeHtml(`${categories[g]} ${s.name}: ${fmt(y)}`)}</title></rect>`;
          })
          .join(''),
      )
      .join('');
    const every = Math.max(1, Math.ceil(n / 12));
    const labels = categories.map((c, g) => (g % every === 0 ? `<text x="${(sx(g) + slot / 2).toFixed(1)}" y="${H - M.b + 14}" text-anchor="middle" class="cat">${escapeHtml(c)}</text>` : '')).join('');
    return bars + labels;
  }, false);
}

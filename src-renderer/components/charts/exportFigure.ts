import { saveDownload } from '../../api/download.js';

/**
 * Saving what the page drew: an SVG chart as its own SVG file (the page's colours written into it,
 * since the stylesheet does not travel with the file) or as a PNG at twice its size, and a table as
 * CSV (RFC 4180 quoting).
 */

function standalone(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const { width, height } = svg.getBoundingClientRect();
  copy.setAttribute('width', String(Math.round(width)));
  copy.setAttribute('height', String(Math.round(height)));
  // Computed styles inlined element by element: text colour, fonts, strokes set by CSS classes.
  const source = svg.querySelectorAll('*');
  copy.querySelectorAll('*').forEach((el, i) => {
    const cs = getComputedStyle(source[i]!);
    const style = ['fill', 'stroke', 'stroke-width', 'stroke-opacity', 'fill-opacity', 'opacity', 'font-size', 'font-family', 'text-anchor']
      .map((p) => `${p}:${cs.getPropertyValue(p)}`)
      .join(';');
    el.setAttribute('style', `${style};${el.getAttribute('style') ?? ''}`);
  });
  const bg = getComputedStyle(document.body).backgroundColor;
  copy.insertAdjacentHTML('afterbegin', `<rect width="100%" height="100%" fill="${bg}"/>`);
  return new XMLSerializer().serializeToString(copy);
}

export function saveSvg(svg: SVGSVGElement, fileName: string): void {
  saveDownload(`${fileName}.svg`, [standalone(svg)], 'image/svg+xml');
}

export async function savePng(svg: SVGSVGElement, fileName: string): Promise<void> {
  const text = standalone(svg);
  const { width, height } = svg.getBoundingClientRect();
  const img = new Image();
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('The chart could not be drawn as an image.'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * 2);
    canvas.height = Math.round(height * 2);
    const ctx = canvas.getContext('2d')!;
    ctx.scale(2, 2);
    ctx.drawImage(img, 0, 0, width, height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (blob) saveDownload(`${fileName}.png`, [blob], 'image/png');
  } finally {
    URL.revokeObjectURL(url);
  }
}

const csvCell = (v: string | number | boolean | null | undefined): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(headers: readonly string[], rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  return [headers, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function saveCsv(fileName: string, headers: readonly string[], rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): void {
  saveDownload(`${fileName}.csv`, [toCsv(headers, rows)], 'text/csv');
}

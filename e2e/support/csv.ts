/** A plausible 1-minute OHLCV series as CSV text, for specs that import something of their own. */
export function minuteCsv(rows: number, startMs = Date.UTC(2024, 0, 1), seed = 1): string {
  const lines = ['timestamp,open,high,low,close,volume'];
  let price = 100 * seed;
  let x = seed * 9301 + 49297;
  for (let i = 0; i < rows; i++) {
    x = (x * 9301 + 49297) % 233280;
    const r = (x / 233280 - 0.5) * 0.004;
    const o = price;
    const c = price * (1 + r);
    lines.push(`${startMs + i * 60_000},${o.toFixed(4)},${(Math.max(o, c) * 1.0005).toFixed(4)},${(Math.min(o, c) * 0.9995).toFixed(4)},${c.toFixed(4)},${(5 + (x % 100) / 10).toFixed(2)}`);
    price = c;
  }
  return lines.join('\n') + '\n';
}

import type { DurationMs } from './units.js';

/**
 * Timeframes Candela names. A dataset's own timeframe may be any bar spacing (e.g. 3m, 2h);
 * these are the ones rollups are built for and the UI offers.
 */
export const TIMEFRAMES = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '12h', '1d', '1w'] as const;
export type TimeframeLabel = (typeof TIMEFRAMES)[number];

/** Rollup targets built above a dataset's base timeframe. */
export const ROLLUP_TIMEFRAMES: readonly TimeframeLabel[] = ['5m', '15m', '1h', '4h', '1d', '1w'];

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses labels like `5m`, `1h`, `1d`, `1w`, `90s` into milliseconds; null when not a timeframe. */
export function timeframeToMs(label: string): DurationMs | null {
  const m = /^(\d+)\s*([smhdw])$/i.exec(label.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = UNIT_MS[m[2]!.toLowerCase()]!;
  return n > 0 ? ((n * unit) as DurationMs) : null;
}

/** The shortest label for a bar spacing in ms (`300000` → `5m`); falls back to seconds. */
export function msToTimeframe(ms: number): string {
  for (const [u, size] of [['w', 604_800_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${u}`;
  }
  return `${Math.max(1, Math.round(ms / 1000))}s`;
}

import type { SymbolInput } from '../inputs.js';

/** Probability rows (DOWN/FLAT/UP) for a hand-written call. */
export const HAND_CALLS = { U: [0.1, 0.2, 0.7], D: [0.7, 0.2, 0.1], F: [0.2, 0.6, 0.2] } as const;
export type HandCall = keyof typeof HAND_CALLS;

/**
 * A small hand-written symbol for tests: bars as [open, high, low, close], one call
 * per bar (null = no prediction), evenly spaced from `startTs` (default 2024-01-01T00:00Z, a
 * funding time), each prediction stamped with its own bar.
 */
export function handBars(
  rows: readonly (readonly [number, number, number, number])[],
  calls: readonly (HandCall | null)[],
  spacingMs = 8 * 3_600_000,
  startTs = Date.UTC(2024, 0, 1),
): SymbolInput {
  const n = rows.length;
  const ts = Float64Array.from({ length: n }, (_, i) => startTs + i * spacingMs);
  const probs = new Float32Array(n * 3).fill(Number.NaN);
  calls.forEach((c, i) => {
    if (c) probs.set(HAND_CALLS[c], i * 3);
  });
  return {
    symbol: 'HAND',
    candles: {
      ts,
      open: Float64Array.from(rows, (r) => r[0]),
      high: Float64Array.from(rows, (r) => r[1]),
      low: Float64Array.from(rows, (r) => r[2]),
      close: Float64Array.from(rows, (r) => r[3]),
    },
    predictions: { ts: ts.slice(), probs, classes: 3 },
  };
}

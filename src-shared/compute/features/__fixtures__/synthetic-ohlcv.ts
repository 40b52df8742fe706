import { mulberry32 } from '../../random.js';
import type { OhlcvColumns } from '../ohlcv.js';

/** Seeded random-walk OHLCV for tests (hourly bars from 2024-01-01T00:00Z). Not a golden: goldens come from scripts/golden. */
export function syntheticOhlcv(n: number, seed = 1, startPrice = 100): OhlcvColumns {
  const rng = mulberry32(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const ts = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  let prev = startPrice;
  for (let t = 0; t < n; t++) {
    ts[t] = 1_704_067_200_000 + t * 3_600_000;
    open[t] = prev * (1 + 0.001 * normal());
    close[t] = open[t] * Math.exp(0.01 * normal());
    high[t] = Math.max(open[t], close[t]) * (1 + 0.004 * Math.abs(normal()));
    low[t] = Math.min(open[t], close[t]) * (1 - 0.004 * Math.abs(normal()));
    volume[t] = 1000 * Math.exp(0.5 * normal());
    prev = close[t];
  }
  return { ts, open, high, low, close, volume };
}

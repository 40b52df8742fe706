const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface CyclicEncoding {
  readonly sin: Float64Array;
  readonly cos: Float64Array;
}

/**
 * Hour of day (UTC) as a point on the unit circle: angle = 2π·h/24 with h the fractional hour
 * (minutes included), so 23:30 sits next to 00:00. Input: bar open times in UTC epoch ms.
 */
export function hourOfDayCyclic(ts: ArrayLike<number>): CyclicEncoding {
  const n = ts.length;
  const sin = new Float64Array(n);
  const cos = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    // Floor modulo: timestamps before 1970 still map into [0, 1 day).
    const msOfDay = ((ts[t] % DAY_MS) + DAY_MS) % DAY_MS;
    const angle = (2 * Math.PI * (msOfDay / HOUR_MS)) / 24;
    sin[t] = Math.sin(angle);
    cos[t] = Math.cos(angle);
  }
  return { sin, cos };
}

/**
 * Day of week (UTC) as a point on the unit circle: angle = 2π·d/7 with d = 0 for Monday … 6 for
 * Sunday (whole days; 1970-01-01 was a Thursday, d = 3).
 */
export function dayOfWeekCyclic(ts: ArrayLike<number>): CyclicEncoding {
  const n = ts.length;
  const sin = new Float64Array(n);
  const cos = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const day = Math.floor(ts[t] / DAY_MS);
    const d = (((day + 3) % 7) + 7) % 7;
    const angle = (2 * Math.PI * d) / 7;
    sin[t] = Math.sin(angle);
    cos[t] = Math.cos(angle);
  }
  return { sin, cos };
}

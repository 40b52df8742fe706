/**
 * The median gap between consecutive distinct timestamps of an ascending series, in ms: the
 * bar timeframe read from content. The median (not the minimum or the mode of all gaps) is
 * robust to weekend and holiday gaps and to a few irregular bars. Zero gaps (duplicate
 * timestamps) are ignored. Returns null with fewer than two distinct timestamps.
 */
export function medianSpacingMs(sortedTs: Float64Array, length: number = sortedTs.length): number | null {
  const n = Math.min(length, sortedTs.length);
  if (n < 2) return null;
  const gaps = new Float64Array(n - 1);
  let m = 0;
  for (let i = 1; i < n; i++) {
    const d = sortedTs[i]! - sortedTs[i - 1]!;
    if (d > 0) gaps[m++] = d;
  }
  if (m === 0) return null;
  const sorted = gaps.subarray(0, m).sort();
  // the lower median: always one of the observed gaps, never a half-way value
  return sorted[(m - 1) >> 1]!;
}

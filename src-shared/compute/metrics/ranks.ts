import { sortDescending } from './sortOrder.js';
import type { RealSeries } from './types.js';

/**
 * 1-based ranks in ascending order of value, tied values sharing the mean of the ranks they span
 * (scipy's `rankdata(method='average')`), the ranking Spearman's correlation needs under ties.
 */
export function averageRanks(values: RealSeries): Float64Array {
  const n = values.length;
  const { order, sorted } = sortDescending(values);
  const ranks = new Float64Array(n);
  let start = 0;
  for (let j = 0; j < n; j++) {
    if (j === n - 1 || sorted[j] !== sorted[j + 1]) {
      // Descending positions start..j hold ascending ranks n − start down to n − j.
      const rank = n - (start + j) / 2;
      for (let t = start; t <= j; t++) ranks[order[t]] = rank;
      start = j + 1;
    }
  }
  return ranks;
}

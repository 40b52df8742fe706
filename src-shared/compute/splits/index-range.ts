/** Half-open range of row indices [start, end); empty when end = start. */
export interface IndexRange {
  readonly start: number;
  readonly end: number;
}

export const rangeLength = (r: IndexRange): number => Math.max(0, r.end - r.start);

/** The rows of a range as a Uint32Array (for APIs that take explicit row lists). */
export function rangeIndices(r: IndexRange): Uint32Array {
  const out = new Uint32Array(rangeLength(r));
  for (let i = 0; i < out.length; i++) out[i] = r.start + i;
  return out;
}

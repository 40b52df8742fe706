/*
 * Conversions to the report's plain-JSON shapes. JSON has no NaN or ±Infinity (JSON.stringify
 * writes them as null silently, and other consumers choke), so every number leaving the library
 * goes through `finiteOrNull` and every typed array becomes a plain array.
 */

/** The number itself when finite, else null. */
export function finiteOrNull(value: number | null | undefined): number | null {
  return value !== null && value !== undefined && Number.isFinite(value) ? value : null;
}

/** A typed array as a plain array, non-finite entries as null. */
export function toJsonArray(values: ArrayLike<number>): (number | null)[] {
  const out = new Array<number | null>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = finiteOrNull(values[i]);
  return out;
}

/** A row-major `size × size` matrix as nested plain arrays. */
export function toJsonMatrix(values: ArrayLike<number>, size: number): (number | null)[][] {
  const rows: (number | null)[][] = [];
  for (let r = 0; r < size; r++) {
    const row: (number | null)[] = [];
    for (let c = 0; c < size; c++) row.push(finiteOrNull(values[r * size + c]));
    rows.push(row);
  }
  return rows;
}

/**
 * Indices of at most `maxPoints` points of a curve of `length` points, evenly spaced by index and
 * always keeping the first and the last: a million-threshold ROC curve is drawn from a thousand
 * points without visible difference, and the report stays small. The areas are computed on the
 * full curve, never on the thinned one.
 */
export function thinnedIndices(length: number, maxPoints: number): number[] {
  if (length <= maxPoints) return Array.from({ length }, (_, i) => i);
  const out: number[] = [];
  const step = (length - 1) / (maxPoints - 1);
  for (let j = 0; j < maxPoints; j++) out.push(Math.round(j * step));
  return out;
}

/** `values` at `indices`, as a JSON array. */
export function pick(values: ArrayLike<number>, indices: readonly number[]): (number | null)[] {
  return indices.map((i) => finiteOrNull(values[i]));
}

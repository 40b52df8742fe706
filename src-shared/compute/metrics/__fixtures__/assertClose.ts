/**
 * Test helpers (kept free of vitest imports so this folder also typechecks under the pure
 * tsconfig.shared.json).
 */

/** Default agreement with scikit-learn's float64 values. */
export const GOLDEN_TOLERANCE = 1e-9;

/**
 * Throws unless `actual` and `expected` agree element-wise within `tolerance` (absolute), with
 * nulls only where expected is null.
 */
export function assertClose(
  actual: number | null | ArrayLike<number | null>,
  expected: number | null | ArrayLike<number | null>,
  tolerance: number = GOLDEN_TOLERANCE,
  label = 'value',
): void {
  const a = typeof actual === 'number' || actual === null ? [actual] : Array.from(actual);
  const e = typeof expected === 'number' || expected === null ? [expected] : Array.from(expected);
  if (a.length !== e.length) throw new Error(`${label}: length ${a.length}, expected ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = e[i];
    if (x === null || y === null) {
      if (x !== y) throw new Error(`${label}[${i}]: ${x}, expected ${y}`);
      continue;
    }
    const ok = x === y || Math.abs(x - y) <= tolerance;
    if (!ok) throw new Error(`${label}[${i}]: ${x}, expected ${y} (|Δ| = ${Math.abs(x - y)} > ${tolerance})`);
  }
}

/**
 * Data set D of the golden script: `n` samples, 3 classes, from integer formulas that give the
 * same float64 values in Python and JavaScript (all intermediates are exact integers below 2⁵³,
 * then one IEEE division per probability, summed in the same order).
 */
export function generatedSet(n: number): { yTrue: Int32Array; probs: Float64Array } {
  const yTrue = new Int32Array(n);
  const probs = new Float64Array(n * 3);
  const multipliers = [7919, 104729, 1299709];
  for (let i = 0; i < n; i++) {
    const y = ((i * 2654435761) % 4294967296) % 3;
    yTrue[i] = y;
    const w = multipliers.map((m, k) => 1 + ((i * m) % 1009) + (y === k ? 400 : 0));
    const s = w[0] + w[1] + w[2];
    for (let k = 0; k < 3; k++) probs[i * 3 + k] = w[k] / s;
  }
  return { yTrue, probs };
}

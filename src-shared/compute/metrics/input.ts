import type { ClassIds, ProbabilityMatrix } from './types.js';

/**
 * Checks that class ids and a probability matrix describe the same samples, and returns the
 * number of samples. Thrown errors (not NaN results) are the answer to malformed input: a wrong
 * shape is a programming error upstream, not a property of the model being judged.
 */
export function checkClassificationInput(
  yTrue: ClassIds,
  probs: ProbabilityMatrix,
  classCount: number,
): number {
  checkClassIds(yTrue, classCount, 'yTrue');
  const n = yTrue.length;
  if (probs.length !== n * classCount) {
    throw new RangeError(
      `probabilities have ${probs.length} values, expected ${n} samples × ${classCount} classes`,
    );
  }
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i];
    // `!(p >= 0)` is also true for NaN, which must not reach a sort or a logarithm.
    if (!(p >= 0 && p <= 1)) {
      throw new RangeError(`probability at index ${i} is ${p}, outside [0, 1]`);
    }
  }
  return n;
}

/** Checks that every id is an integer class index in `[0, classCount)`. */
export function checkClassIds(ids: ClassIds, classCount: number, name: string): void {
  if (!Number.isInteger(classCount) || classCount < 2) {
    throw new RangeError(`classCount must be an integer ≥ 2, got ${classCount}`);
  }
  for (let i = 0; i < ids.length; i++) {
    const c = ids[i];
    if (c < 0 || c >= classCount) {
      throw new RangeError(`${name}[${i}] = ${c} is not a class id in [0, ${classCount})`);
    }
  }
}

/** Checks that two per-sample arrays have the same length. */
export function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length) {
    throw new RangeError(`${what}: lengths differ (${a.length} vs ${b.length})`);
  }
}

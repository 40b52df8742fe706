/**
 * Fills `out` with the batch [batch, window, features] (row-major) of the samples
 * index[batchStart … batchStart+batchSize−1], reading each window straight from its dataset's
 * shared row-major feature matrix. A window is `window` consecutive rows, i.e. one contiguous block
 * of window·features floats, so each sample is a single typed-array copy and no per-sample array
 * is ever allocated. Returns the number of samples written (fewer than batchSize at the end of
 * the index); the rest of `out` is left untouched.
 */
export function gatherWindows(
  matrices: readonly Float32Array[],
  index: Uint32Array,
  batchStart: number,
  batchSize: number,
  window: number,
  features: number,
  out: Float32Array,
): number {
  const count = Math.max(0, Math.min(batchSize, (index.length >>> 1) - batchStart));
  const block = window * features;
  if (out.length < count * block) throw new RangeError(`out holds ${out.length} floats, batch needs ${count * block}`);
  for (let b = 0; b < count; b++) {
    const i = 2 * (batchStart + b);
    const matrix = matrices[index[i]];
    const from = (index[i + 1] - window + 1) * features;
    if (!matrix || from < 0 || from + block > matrix.length) {
      throw new RangeError(`sample ${batchStart + b} (dataset ${index[i]}, row ${index[i + 1]}) has no full window`);
    }
    out.set(matrix.subarray(from, from + block), b * block);
  }
  return count;
}

/**
 * Fills `out[b]` with the label (or regression target) at each sample's end row, for the same
 * batch as {@link gatherWindows}. Returns the number of samples written.
 */
export function gatherLabels(
  labels: readonly ArrayLike<number>[],
  index: Uint32Array,
  batchStart: number,
  batchSize: number,
  out: Int32Array | Float32Array,
): number {
  const count = Math.max(0, Math.min(batchSize, (index.length >>> 1) - batchStart));
  if (out.length < count) throw new RangeError(`out holds ${out.length} labels, batch needs ${count}`);
  for (let b = 0; b < count; b++) {
    const i = 2 * (batchStart + b);
    out[b] = labels[index[i]][index[i + 1]];
  }
  return count;
}

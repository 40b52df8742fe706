import type { RealSeries } from './types.js';

/** Below this size a comparison sort beats the radix sort's fixed histogram cost. */
const RADIX_MIN_LENGTH = 4096;
const DIGIT_BITS = 16;
const BUCKETS = 1 << DIGIT_BITS;
const DIGIT_MASK = BUCKETS - 1;

/** Typed arrays use the platform's byte order; the bit tricks below assume little-endian. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Values in descending order, and where each came from. */
export interface DescendingSort {
  /** `order[j]` is the index of the j-th largest value. */
  readonly order: Uint32Array;
  /** `sorted[j] = values[order[j]]` (with -0 as +0). */
  readonly sorted: Float64Array;
}

/**
 * Sorts values from the largest to the smallest. Ties come out in an unspecified order: every
 * caller groups tied values, so their internal order never matters. Returning the sorted values
 * too lets callers walk them sequentially instead of chasing `values[order[j]]` through memory,
 * which at a million samples costs more than the sort itself.
 *
 * Why not `indices.sort((a, b) => v[b] - v[a])`: a comparator sort of a million indices takes
 * about half a second in V8, and ROC curves need one per class. This is an LSD radix sort on the
 * IEEE-754 bit pattern of each value, mapped so that unsigned order is numeric order, 16 bits per
 * pass, skipping passes whose digit is the same for every value. A Float32Array is sorted on its
 * 32-bit pattern (two passes); a Float64Array on 64 bits (up to four). -0 is treated as +0, as
 * numpy's `diff` does.
 *
 * @throws RangeError on NaN, which has no place in an ordering.
 */
export function sortDescending(values: RealSeries): DescendingSort {
  const n = values.length;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(values[i])) throw new RangeError(`value at index ${i} is NaN`);
  }
  if (n < RADIX_MIN_LENGTH || !LITTLE_ENDIAN) return comparisonSort(values);
  return values instanceof Float32Array ? radixSort32(values) : radixSort64(values);
}

/** Just the order of {@link sortDescending}. */
export function descendingOrder(values: RealSeries): Uint32Array {
  return sortDescending(values).order;
}

function comparisonSort(values: RealSeries): DescendingSort {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[b] - values[a]);
  const sorted = new Float64Array(n);
  for (let j = 0; j < n; j++) sorted[j] = values[order[j]] === 0 ? 0 : values[order[j]];
  return { order, sorted };
}

/**
 * Maps IEEE-754 bits to a key whose ascending unsigned order is DEScending numeric order:
 * negative numbers have all bits flipped, non-negative ones the sign bit set (ascending order),
 * then everything is complemented (descending).
 */
function descendingKey(bits: number): number {
  return (bits & 0x80000000 ? bits : ~(bits | 0x80000000)) >>> 0;
}

/** Inverse of {@link descendingKey} for the high (or only) word. */
function bitsFromKey(key: number): number {
  const ascending = ~key >>> 0;
  return (ascending & 0x80000000 ? ascending & 0x7fffffff : ~ascending) >>> 0;
}

function radixSort32(values: Float32Array): DescendingSort {
  const n = values.length;
  const floats = new Float32Array(n);
  for (let i = 0; i < n; i++) floats[i] = values[i] === 0 ? 0 : values[i];
  const words = new Uint32Array(floats.buffer);
  let keys = new Uint32Array(n);
  let order = new Uint32Array(n);
  const histograms = new Uint32Array(2 * BUCKETS);
  for (let i = 0; i < n; i++) {
    const key = descendingKey(words[i]);
    keys[i] = key;
    order[i] = i;
    histograms[key & DIGIT_MASK]++;
    histograms[BUCKETS + (key >>> DIGIT_BITS)]++;
  }
  let spareKeys = new Uint32Array(n);
  let spareOrder = new Uint32Array(n);
  for (let pass = 0; pass < 2; pass++) {
    const offset = pass * BUCKETS;
    const shift = pass * DIGIT_BITS;
    if (!prefixSums(histograms, offset, (keys[0] >>> shift) & DIGIT_MASK, n)) continue;
    for (let j = 0; j < n; j++) {
      const key = keys[j];
      const to = histograms[offset + ((key >>> shift) & DIGIT_MASK)]++;
      spareKeys[to] = key;
      spareOrder[to] = order[j];
    }
    [keys, spareKeys] = [spareKeys, keys];
    [order, spareOrder] = [spareOrder, order];
  }
  // Decode the sorted keys back into values: no gather through `order` needed.
  for (let j = 0; j < n; j++) words[j] = bitsFromKey(keys[j]);
  return { order, sorted: Float64Array.from(floats) };
}

function radixSort64(values: RealSeries): DescendingSort {
  const n = values.length;
  const floats = new Float64Array(n);
  for (let i = 0; i < n; i++) floats[i] = values[i] === 0 ? 0 : values[i];
  const words = new Uint32Array(floats.buffer);
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  let order = new Uint32Array(n);
  const histograms = new Uint32Array(4 * BUCKETS);
  for (let i = 0; i < n; i++) {
    const highWord = words[2 * i + 1];
    const h = descendingKey(highWord);
    // The low word follows the high word's fate: flipped for negatives (before complement),
    // then complemented with everything else.
    const l = (highWord & 0x80000000 ? words[2 * i] : ~words[2 * i]) >>> 0;
    hi[i] = h;
    lo[i] = l;
    order[i] = i;
    histograms[l & DIGIT_MASK]++;
    histograms[BUCKETS + (l >>> DIGIT_BITS)]++;
    histograms[2 * BUCKETS + (h & DIGIT_MASK)]++;
    histograms[3 * BUCKETS + (h >>> DIGIT_BITS)]++;
  }
  let spareHi = new Uint32Array(n);
  let spareLo = new Uint32Array(n);
  let spareOrder = new Uint32Array(n);
  for (let pass = 0; pass < 4; pass++) {
    const offset = pass * BUCKETS;
    const shift = (pass % 2) * DIGIT_BITS;
    const digitSource = pass < 2 ? lo : hi;
    if (!prefixSums(histograms, offset, (digitSource[0] >>> shift) & DIGIT_MASK, n)) continue;
    for (let j = 0; j < n; j++) {
      const to = histograms[offset + (((pass < 2 ? lo[j] : hi[j]) >>> shift) & DIGIT_MASK)]++;
      spareHi[to] = hi[j];
      spareLo[to] = lo[j];
      spareOrder[to] = order[j];
    }
    [hi, spareHi] = [spareHi, hi];
    [lo, spareLo] = [spareLo, lo];
    [order, spareOrder] = [spareOrder, order];
  }
  for (let j = 0; j < n; j++) {
    const highBits = bitsFromKey(hi[j]);
    words[2 * j + 1] = highBits;
    words[2 * j] = (highBits & 0x80000000 ? lo[j] : ~lo[j]) >>> 0;
  }
  return { order, sorted: floats };
}

/**
 * Turns one digit histogram into bucket start offsets. Returns false (and leaves it) when one
 * bucket holds every value, i.e. the pass would not move anything.
 */
function prefixSums(histograms: Uint32Array, offset: number, someDigit: number, n: number): boolean {
  if (histograms[offset + someDigit] === n) return false;
  let sum = 0;
  for (let b = 0; b < BUCKETS; b++) {
    const c = histograms[offset + b];
    histograms[offset + b] = sum;
    sum += c;
  }
  return true;
}

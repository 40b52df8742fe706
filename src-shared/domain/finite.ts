/**
 * JSON has no NaN or ±Infinity: `JSON.stringify` writes them as null wherever they are, silently,
 * and the reader's type still says `number`. A payload that crosses the DB worker or the wire as
 * JSON goes through `finiteJson` instead, which makes the same conversion on purpose and says so in
 * its type (every number may come back null). The contract schema that then parses the result is
 * what decides which fields may be null and refuses a null anywhere else, so a non-finite value
 * in a field that promises a number fails loudly instead of reaching a chart as null.
 */

/** A finite number, or null for NaN, ±Infinity and a missing value. */
export function finiteOrNull(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

type NumericTypedArray = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array | Uint8ClampedArray;

/**
 * The type of `finiteJson(value)`: numbers (branded ones too) become `number | null`, typed arrays
 * plain arrays, undefined properties disappear; strings, booleans and null stay as they are.
 */
export type FiniteJson<T> = T extends number
  ? number | null
  : T extends string | boolean | null
    ? T
    : T extends NumericTypedArray
      ? (number | null)[]
      : T extends readonly (infer E)[]
        ? FiniteJson<E>[]
        : T extends object
          ? { -readonly [K in keyof T]: FiniteJson<T[K]> }
          : never;

function isNumericTypedArray(v: object): v is NumericTypedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array);
}

function toFiniteJson(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (v === null || typeof v !== 'object') return v;
  if (isNumericTypedArray(v)) return Array.from(v, (x) => (Number.isFinite(x) ? x : null));
  // As JSON.stringify does: an undefined element is null, an undefined property is left out.
  if (Array.isArray(v)) return v.map((x: unknown) => (x === undefined ? null : toFiniteJson(x)));
  const out: { [key: string]: unknown } = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined && typeof x !== 'function') out[k] = toFiniteJson(x);
  return out;
}

/**
 * A deep copy of `value` as it reads back from JSON: non-finite numbers null, typed arrays plain
 * arrays, undefined properties dropped. Parse the result with the payload's contract schema to get
 * its exact type back (e.g. `backtestMetricsSchema.parse(finiteJson(metrics))`).
 */
export function finiteJson<T>(value: T): FiniteJson<T> {
  return toFiniteJson(value) as FiniteJson<T>;
}

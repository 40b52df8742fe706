/**
 * A lossless codec for a block of bars stored as one BLOB: a timestamp column and any number of
 * float columns, each compressed on its own.
 *
 * - Timestamps (integer ms, in order) are stored as the first value, the first step and then
 *   step-of-step differences, zigzag varints: a regular series costs one byte a bar
 *   (the delta-of-delta idea of Facebook's Gorilla, Pelkonen et al., VLDB 2015).
 * - A float column whose values are all decimals with at most 12 places (what market files hold)
 *   is stored as integers scaled by 10^d, each the zigzag-varint difference from the previous
 *   one. A value is accepted only if `Math.round(v * 10^d) / 10^d === v` exactly, which is the
 *   decoding formula, so decoding returns the very same doubles. Anything else (NaN mixed with
 *   numbers, -0, more digits, huge values) keeps the column as raw float64 bytes.
 * - A column with only NaN (no volume in the file) takes no bytes.
 *
 * Layout: [version=1][varint bars][varint columns][ts column][column]…, every column starting
 * with its mode byte. Pure: typed arrays in, bytes out.
 */

const VERSION = 1;
const MODE_RAW = 0;
const MODE_ALL_NAN = 1;
const MODE_DECIMAL = 2;
const MODE_TS_STEPS = 3;

const MAX_DECIMALS = 12;
const POW10 = Array.from({ length: MAX_DECIMALS + 1 }, (_, d) => 10 ** d);
/** Scaled integers stay below 2^50, so differences and their zigzag stay exact doubles. */
const MAX_SCALED = 2 ** 50;

/** One decoded block: `bars` timestamps and one Float64Array per stored column, all of length `bars`. */
export interface DecodedBlock {
  bars: number;
  ts: Float64Array;
  columns: Float64Array[];
}

class ByteWriter {
  buf: Uint8Array;
  at = 0;
  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(64, capacity));
  }
  /** Room for `n` more bytes, so a loop can write without checking. */
  reserve(n: number): void {
    this.ensure(n);
  }
  private ensure(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.at + n));
    next.set(this.buf.subarray(0, this.at));
    this.buf = next;
  }
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.at++] = b;
  }
  /** Unsigned varint of an integer in [0, 2^53): at most 8 bytes. */
  uvar(v: number): void {
    this.ensure(8);
    const buf = this.buf;
    let at = this.at;
    if (v < 0x80000000) {
      // 32-bit integer arithmetic: the usual case, and several times faster
      while (v >= 0x80) {
        buf[at++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
    } else {
      while (v >= 0x80) {
        buf[at++] = (v % 0x80) | 0x80;
        v = Math.floor(v / 0x80);
      }
    }
    buf[at++] = v;
    this.at = at;
  }
  /** Zigzag varint of an integer in (-2^52, 2^52). */
  svar(v: number): void {
    this.uvar(v >= 0 ? v * 2 : -v * 2 - 1);
  }
  f64s(values: Float64Array, n: number): void {
    this.ensure(n * 8);
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.at, n * 8);
    for (let i = 0; i < n; i++) view.setFloat64(i * 8, values[i]!, true);
    this.at += n * 8;
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.at);
  }
}

class ByteReader {
  at = 0;
  constructor(private readonly buf: Uint8Array) {}
  byte(): number {
    if (this.at >= this.buf.length) throw new Error('The candle block is cut short.');
    return this.buf[this.at++]!;
  }
  uvar(): number {
    const buf = this.buf;
    let b = buf[this.at++]!;
    if (b < 0x80) return b;
    let v = b & 0x7f;
    let scale = 0x80;
    for (;;) {
      if (this.at >= buf.length) throw new Error('The candle block is cut short.');
      b = buf[this.at++]!;
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 0x80;
    }
  }
  svar(): number {
    const z = this.uvar();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
  f64s(out: Float64Array, n: number): void {
    if (this.at + n * 8 > this.buf.length) throw new Error('The candle block is cut short.');
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.at, n * 8);
    for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
    this.at += n * 8;
  }
}

const isNegativeZero = (v: number) => v === 0 && 1 / v < 0;

/** The fewest decimals (≤ 12) that hold `v` exactly from `d` up, or -1. */
function decimalsOf(v: number, d: number): number {
  for (; d <= MAX_DECIMALS; d++) if (Math.round(v * POW10[d]!) / POW10[d]! === v) return d;
  return -1;
}

function writeTimestamps(w: ByteWriter, ts: Float64Array, n: number): void {
  let integral = true;
  for (let i = 0; i < n && integral; i++) integral = Number.isInteger(ts[i]) && Math.abs(ts[i]!) < MAX_SCALED / 4;
  if (!integral) {
    w.byte(MODE_RAW);
    w.f64s(ts, n);
    return;
  }
  w.byte(MODE_TS_STEPS);
  if (n === 0) return;
  w.reserve(n * 8);
  const buf = w.buf;
  let at = putSigned(buf, w.at, ts[0]!);
  let prevStep = 0;
  for (let i = 1; i < n; i++) {
    const step = ts[i]! - ts[i - 1]!;
    at = putSigned(buf, at, step - prevStep);
    prevStep = step;
  }
  w.at = at;
}

/**
 * Writes the zigzag varint of an integer in (-2^52, 2^52) at `at` (room checked by the caller)
 * and returns the next position. Small values take 32-bit integer arithmetic.
 */
function putSigned(buf: Uint8Array, at: number, v: number): number {
  if (v > -0x40000000 && v < 0x40000000) {
    let z = (v << 1) ^ (v >> 31);
    while (z >= 0x80) {
      buf[at++] = (z & 0x7f) | 0x80;
      z >>>= 7;
    }
    buf[at++] = z;
    return at;
  }
  let z = v >= 0 ? v * 2 : -v * 2 - 1;
  while (z >= 0x80) {
    // Quotient and remainder without %, an fmod call; both exact for integers below 2^53.
    const q = Math.floor(z / 0x80);
    buf[at++] = (z - q * 0x80) | 0x80;
    z = q;
  }
  buf[at++] = z;
  return at;
}

function writeColumn(w: ByteWriter, values: Float64Array, n: number): void {
  let allNaN = true;
  for (let i = 0; i < n && allNaN; i++) allNaN = Number.isNaN(values[i]);
  if (allNaN) {
    w.byte(MODE_ALL_NAN);
    return;
  }
  const start = w.at;
  // One pass that checks as it writes: a value that needs more decimals restarts the column at
  // that many (at most 12 restarts), so every value is checked at the decimals finally used.
  w.reserve(2 + n * 8);
  for (let d = 0; d >= 0; ) {
    const p = POW10[d]!;
    const buf = w.buf;
    let at = start;
    buf[at++] = MODE_DECIMAL;
    buf[at++] = d;
    let prev = 0;
    let i = 0;
    for (; i < n; i++) {
      const v = values[i]!;
      const s = Math.round(v * p);
      if (s / p !== v || s >= MAX_SCALED || s <= -MAX_SCALED || (v === 0 && 1 / v < 0)) break;
      at = putSigned(buf, at, s - prev);
      prev = s;
    }
    if (i === n) {
      w.at = at;
      return;
    }
    const v = values[i]!;
    d = Number.isFinite(v) && !isNegativeZero(v) ? decimalsOf(v, d + 1) : -1;
  }
  w.at = start;
  w.byte(MODE_RAW);
  w.f64s(values, n);
}

/**
 * Encodes the first `bars` entries of `ts` and of each column. `ts` must be integer ms for the
 * compact form (any other values are kept raw); NaN is allowed in columns.
 */
export function encodeBlock(ts: Float64Array, columns: readonly Float64Array[], bars: number = ts.length): Uint8Array {
  const w = new ByteWriter(bars * (2 + columns.length * 5) + 16);
  w.byte(VERSION);
  w.uvar(bars);
  w.uvar(columns.length);
  writeTimestamps(w, ts, bars);
  for (const c of columns) writeColumn(w, c, bars);
  return w.bytes();
}

const cutShort = () => new Error('The candle block is cut short.');

/** Reads `n` zigzag varints at `at` as running sums divided by `p` into `out`; returns the next position. */
function readScaled(buf: Uint8Array, at: number, out: Float64Array, n: number, p: number): number {
  const len = buf.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (at >= len) throw cutShort();
    let b = buf[at++]!;
    let z: number;
    if (b < 0x80) z = b;
    else {
      z = b & 0x7f;
      let shift = 7;
      // up to four bytes in 32-bit arithmetic, beyond that in doubles
      for (;;) {
        if (at >= len) throw cutShort();
        b = buf[at++]!;
        if (shift < 28) {
          z |= (b & 0x7f) << shift;
          if (b < 0x80) {
            z >>>= 0;
            break;
          }
          shift += 7;
        } else {
          // A running power of two: 2 ** shift is a Math.pow call, and values of five bytes or
          // more (deltas of prices with many decimals) made this loop ~40 ns a value.
          let scale = 268435456; // 2^28
          z = (z >>> 0) + (b & 0x7f) * scale;
          while (b >= 0x80) {
            if (at >= len) throw cutShort();
            b = buf[at++]!;
            scale *= 128;
            z += (b & 0x7f) * scale;
          }
          break;
        }
      }
    }
    if (z < 0x80000000) s += (z >>> 1) ^ -(z & 1);
    else {
      // Zigzag in doubles without %, which is an fmod call: z is an integer below 2^53, so z / 2 and its floor are exact.
      const half = Math.floor(z / 2);
      s += z === 2 * half ? half : -half - 1;
    }
    out[i] = s / p;
  }
  return at;
}

/** Reads a timestamp column (first value, then step-of-step differences) into `ts`; returns the next position. */
function readSteps(buf: Uint8Array, at: number, ts: Float64Array, n: number): number {
  const deltas = new Float64Array(n);
  at = readScaled(buf, at, deltas, n, 1);
  // deltas holds the running sums: ts[0], then ts[0] + Σ step-of-step, i.e. each step plus ts[0]
  const t0 = deltas[0]!;
  let t = t0;
  ts[0] = t0;
  for (let i = 1; i < n; i++) {
    t += deltas[i]! - t0;
    ts[i] = t;
  }
  return at;
}

/** Decodes a block written by `encodeBlock`; throws on bytes it did not write. */
export function decodeBlock(bytes: Uint8Array): DecodedBlock {
  const r = new ByteReader(bytes);
  const version = r.byte();
  if (version !== VERSION) throw new Error(`Unknown candle block version ${version}.`);
  const bars = r.uvar();
  const count = r.uvar();
  const ts = new Float64Array(bars);
  const tsMode = r.byte();
  if (tsMode === MODE_RAW) r.f64s(ts, bars);
  else if (tsMode === MODE_TS_STEPS) {
    if (bars > 0) r.at = readSteps(bytes, r.at, ts, bars);
  } else throw new Error(`Unknown timestamp mode ${tsMode} in a candle block.`);
  const columns: Float64Array[] = [];
  for (let k = 0; k < count; k++) {
    const out = new Float64Array(bars);
    const mode = r.byte();
    if (mode === MODE_RAW) r.f64s(out, bars);
    else if (mode === MODE_ALL_NAN) out.fill(NaN);
    else if (mode === MODE_DECIMAL) {
      const p = POW10[r.byte()]!;
      r.at = readScaled(bytes, r.at, out, bars, p);
    }
    else throw new Error(`Unknown column mode ${mode} in a candle block.`);
    columns.push(out);
  }
  return { bars, ts, columns };
}

/**
 * A growable struct-of-arrays of parsed candles. Reuse one across chunks with `clear()`.
 * Growing replaces the arrays, so read `ts`, `open` … after filling, not before.
 */
export class CandleBatch {
  length = 0;
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  /** NaN where the file has no volume column or the cell is empty. */
  volume: Float64Array;
  /** One array per plan extra, in plan order; NaN where a cell is missing or not numeric. */
  extras: Float64Array[];
  /** 1-based line number in the file (for JSON input: the 1-based record number). */
  lineNo: Int32Array;
  private cap: number;

  constructor(extraCount: number, capacity = 4096) {
    this.cap = Math.max(16, capacity);
    this.ts = new Float64Array(this.cap);
    this.open = new Float64Array(this.cap);
    this.high = new Float64Array(this.cap);
    this.low = new Float64Array(this.cap);
    this.close = new Float64Array(this.cap);
    this.volume = new Float64Array(this.cap);
    this.extras = Array.from({ length: extraCount }, () => new Float64Array(this.cap));
    this.lineNo = new Int32Array(this.cap);
  }

  get capacity(): number {
    return this.cap;
  }

  clear(): void {
    this.length = 0;
  }

  /** Reserves the next row and returns its index; the caller fills every array at that index. */
  reserve(): number {
    if (this.length === this.cap) this.grow();
    return this.length++;
  }

  /** Appends one candle without extras (extras, if any, are set to NaN). */
  append(ts: number, open: number, high: number, low: number, close: number, volume: number, lineNo: number): void {
    const i = this.reserve();
    this.ts[i] = ts;
    this.open[i] = open;
    this.high[i] = high;
    this.low[i] = low;
    this.close[i] = close;
    this.volume[i] = volume;
    this.lineNo[i] = lineNo;
    for (const e of this.extras) e[i] = NaN;
  }

  /** Takes these columns (ts, open, high, low, close, volume, lineNo; no extras) as its storage, emptied. */
  adopt(cols: [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Int32Array]): void {
    if (this.extras.length > 0) throw new Error('A batch with extra columns cannot adopt plain columns.');
    [this.ts, this.open, this.high, this.low, this.close, this.volume, this.lineNo] = cols;
    this.cap = cols[0].length;
    this.length = 0;
  }

  /** Appends rows [from, to) of another batch's columns (no extras: they are set to NaN). */
  appendColumns(src: { ts: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array; lineNo: Int32Array }, from: number, to: number): void {
    const n = to - from;
    while (this.length + n > this.cap) this.grow();
    const at = this.length;
    this.ts.set(src.ts.subarray(from, to), at);
    this.open.set(src.open.subarray(from, to), at);
    this.high.set(src.high.subarray(from, to), at);
    this.low.set(src.low.subarray(from, to), at);
    this.close.set(src.close.subarray(from, to), at);
    this.volume.set(src.volume.subarray(from, to), at);
    this.lineNo.set(src.lineNo.subarray(from, to), at);
    for (const e of this.extras) e.fill(NaN, at, at + n);
    this.length += n;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const f = (a: Float64Array): Float64Array => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.ts = f(this.ts);
    this.open = f(this.open);
    this.high = f(this.high);
    this.low = f(this.low);
    this.close = f(this.close);
    this.volume = f(this.volume);
    this.extras = this.extras.map(f);
    const l = new Int32Array(cap);
    l.set(this.lineNo);
    this.lineNo = l;
    this.cap = cap;
  }
}

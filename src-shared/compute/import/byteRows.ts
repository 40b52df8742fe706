import type { CandleBatch } from './candleBatch.js';
import { epochToMs } from './parseDateTime.js';
import type { ParsePlan } from './plan.js';
import { createRowParser, type RowStatus } from './rowParser.js';
import { LineTooLongError, MAX_LINE_CHARS } from './lineSplitter.js';
import { validateCandle } from './validateCandle.js';

const NL = 10;
const CR = 13;
const QUOTE = 34;
const DOT = 46;
const MAX_EXACT = 2 ** 53;
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Same bounds as the row parser: times outside 1900 … 2200 are not market data. */
const MIN_TS = -2_208_988_800_000;
const MAX_TS = 7_258_118_400_000;

/** Decodes bytes [start, end) of a UTF-8 buffer to text (TextDecoder or Buffer#toString: the caller's runtime). */
export type DecodeUtf8 = (bytes: Uint8Array, start: number, end: number) => string;

/**
 * Reads a delimited file's bytes straight into candles, without decoding the text or cutting it
 * into line strings: on a plain numeric file that is where most of the parsing time went.
 *
 * Each line is first tried on a strict byte path: epoch times and prices written as digits with
 * an optional `.` fraction, no quote anywhere on the line. The numbers it reads are the doubles
 * `parseDecimal`'s own fast path gives (an integer m < 2^53 divided once by 10^k), and the same
 * `validateCandle` decides, so the outcome is the row parser's. Any line the byte path is not
 * sure of (a sign, spaces, an empty volume, a text date, a quote, a short row, a header repeated)
 * is decoded and handed to the row parser itself, so every message and rule stays as it was.
 * Line ends, a UTF-8 byte-order mark and the line-length limit are handled as LineSplitter does.
 */
export class DelimitedByteReader {
  /** Lines seen so far (1-based number of the last complete line). */
  lineNo = 0;
  private carry: Uint8Array | null = null;
  private started = false;
  private readonly parseRow: ReturnType<typeof createRowParser>;
  private readonly delim: number;
  private readonly wanted: number;
  private readonly values: Float64Array;
  private readonly required: number;
  private readonly tc: number;
  private readonly oc: number;
  private readonly hc: number;
  private readonly lc: number;
  private readonly cc: number;
  private readonly vc: number;

  /** Whether the byte path can read this plan's rows at all (else use LineSplitter and the row parser). */
  static supports(plan: ParsePlan): boolean {
    return (
      plan.format === 'delimited' &&
      plan.time.kind === 'epoch' &&
      plan.columns.date2 === undefined &&
      plan.extras.length === 0 &&
      !plan.decimalComma &&
      plan.delimiter.length === 1 &&
      plan.delimiter.charCodeAt(0) < 128
    );
  }

  constructor(
    private readonly plan: ParsePlan,
    private readonly decode: DecodeUtf8,
    private readonly maxLineLength = MAX_LINE_CHARS,
  ) {
    if (!DelimitedByteReader.supports(plan)) throw new Error('This plan is read with LineSplitter and the row parser.');
    this.parseRow = createRowParser(plan);
    this.delim = plan.delimiter.charCodeAt(0);
    const c = plan.columns;
    this.tc = c.time;
    this.oc = c.open;
    this.hc = c.high;
    this.lc = c.low;
    this.cc = c.close;
    this.vc = c.volume ?? -1;
    this.wanted = Math.max(c.time, c.open, c.high, c.low, c.close, this.vc) + 1;
    this.required = Math.max(c.time, c.open, c.high, c.low, c.close) + 1;
    this.values = new Float64Array(this.wanted);
  }

  /**
   * Reads the complete lines of the next chunk into `out`, calling `reject` for each refused
   * line; returns the number of candles appended. Throws LineTooLongError.
   */
  push(chunk: Uint8Array, out: CandleBatch, reject: (line: number, reason: string) => void): number {
    let buf = chunk;
    if (this.carry) {
      buf = new Uint8Array(this.carry.length + chunk.length);
      buf.set(this.carry);
      buf.set(chunk, this.carry.length);
      this.carry = null;
    }
    let p = 0;
    if (!this.started && buf.length > 0) {
      if (buf.length < 3 && buf[0] === 0xef) {
        this.carry = buf.slice();
        return 0;
      }
      this.started = true;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) p = 3;
    }
    let rows = 0;
    let quote = buf.indexOf(QUOTE, p);
    for (;;) {
      const nl = buf.indexOf(NL, p);
      if (nl === -1) break;
      if (quote !== -1 && quote < p) quote = buf.indexOf(QUOTE, p);
      rows += this.line(buf, p, nl, quote !== -1 && quote < nl, out, reject);
      p = nl + 1;
    }
    if (p < buf.length) {
      this.carry = buf.slice(p);
      // bytes ≥ characters: only a long carry needs decoding to be measured as the splitter does
      if (this.carry.length > this.maxLineLength + 1 && this.decode(this.carry, 0, this.carry.length).length > this.maxLineLength + 1) throw new LineTooLongError(this.lineNo + 1, this.maxLineLength);
    }
    return rows;
  }

  /** Reads the last line when the file does not end with a newline. */
  end(out: CandleBatch, reject: (line: number, reason: string) => void): number {
    const rest = this.carry;
    this.carry = null;
    if (!rest || rest.length === 0) return 0;
    return this.line(rest, 0, rest.length, rest.indexOf(QUOTE) !== -1, out, reject);
  }

  private line(buf: Uint8Array, start: number, nl: number, hasQuote: boolean, out: CandleBatch, reject: (line: number, reason: string) => void): number {
    let end = nl;
    if (end > start && buf[end - 1] === CR) end--;
    const lineNo = ++this.lineNo;
    if (end - start > this.maxLineLength && this.decode(buf, start, end).length > this.maxLineLength) throw new LineTooLongError(lineNo, this.maxLineLength);
    if (lineNo <= this.plan.dataStartLine) return 0;
    let status: RowStatus | null = hasQuote ? null : this.fast(buf, start, end, lineNo, out);
    if (status === null) status = this.parseRow(this.decode(buf, start, end), lineNo, out);
    if (status === 'ok') return 1;
    if (status !== 'skip') reject(lineNo, status);
    return 0;
  }

  /** The strict byte path; null when the line must go to the row parser. */
  private fast(buf: Uint8Array, start: number, end: number, lineNo: number, out: CandleBatch): RowStatus | null {
    if (start === end) return 'skip';
    const values = this.values;
    const wanted = this.wanted;
    const d = this.delim;
    // One pass over the bytes: each cell is read as `digits[.digits]` while its end is sought;
    // anything else in it makes it NaN (parseDecimal's fast path would not take it either).
    let found = 0;
    let i = start;
    while (found < wanted) {
      const s = i;
      let m = 0;
      let dot = -1;
      let plain = true;
      for (; i < end; i++) {
        const c = buf[i]!;
        if (c === d) break;
        const digit = c - 48;
        if (digit >= 0 && digit <= 9) m = m * 10 + digit;
        else if (c === DOT && dot < 0) dot = i;
        else plain = false;
      }
      if (!plain || i === s || dot === s || m >= MAX_EXACT) values[found++] = NaN;
      else if (dot < 0) values[found++] = m;
      else values[found++] = i - dot - 1 <= 22 ? m / POW10[i - dot - 1]! : NaN;
      if (i >= end) break;
      i++;
    }
    if (found < this.required) return null;
    const t = values[this.tc]!;
    if (t !== t) return null;
    const ts = epochToMs(t);
    if (!(ts >= MIN_TS && ts <= MAX_TS)) return null;
    const o = values[this.oc]!;
    const h = values[this.hc]!;
    const l = values[this.lc]!;
    const c = values[this.cc]!;
    if (o !== o || h !== h || l !== l || c !== c) return null;
    let v = NaN;
    if (this.vc >= 0 && this.vc < found) {
      v = values[this.vc]!;
      if (v !== v) return null;
    }
    // validateCandle's rule, spelled out for the valid case: a call here is not inlined, and
    // boxing its five doubles cost more than all the parsing. A refusal takes its reason from it.
    if (!(l > 0 && o >= l && o <= h && c >= l && c <= h && h < Infinity && !(v < 0) && v !== Infinity)) {
      const reason = validateCandle(o, h, l, c, v);
      if (reason !== null) return reason;
    }
    const k = out.reserve();
    out.ts[k] = ts;
    out.open[k] = o;
    out.high[k] = h;
    out.low[k] = l;
    out.close[k] = c;
    out.volume[k] = v;
    out.lineNo[k] = lineNo;
    return 'ok';
  }
}

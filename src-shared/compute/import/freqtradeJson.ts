import type { CandleBatch } from './candleBatch.js';
import { CHAR_DOT, parseDecimal } from './parseDecimal.js';
import { epochToMs, parseDateTime } from './parseDateTime.js';
import { validateCandle } from './validateCandle.js';

/** A record of the JSON array that could not be imported; `lineNo` is its 1-based record number. */
export interface JsonRejection {
  lineNo: number;
  reason: string;
}

/** The whole file is not a JSON array of candles; the message is one sentence for a person. */
export class JsonCandlesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonCandlesError';
  }
}

const NOT_CANDLES = 'The JSON file is not an array of candles like [[ms, open, high, low, close, volume], …].';

/**
 * Reads freqtrade's candle JSON (`[[ms, o, h, l, c, v], …]`, pandas `orient="values"`) and the
 * array-of-objects form (`[{"date": …, "open": …}, …]`, pandas `orient="records"`) in chunks,
 * so a file far larger than one line limit streams. Records may be split across chunks.
 * Dates may be epoch numbers (unit by magnitude) or date strings.
 */
export class FreqtradeJsonReader {
  private carry = '';
  private started = false;
  private finished = false;
  private record = 0;
  private readonly starts = new Int32Array(8);
  private readonly ends = new Int32Array(8);

  /** Parses the complete records in `chunk`, appending valid candles to `out`. Throws JsonCandlesError. */
  push(chunk: string, out: CandleBatch): JsonRejection[] {
    const rejected: JsonRejection[] = [];
    const text = this.carry.length === 0 ? chunk : this.carry + chunk;
    this.carry = '';
    const n = text.length;
    let i = 0;
    if (!this.started) {
      i = skipSpace(text, i, true);
      if (i === n) return rejected;
      if (text.charCodeAt(i) !== 91 /* [ */) throw new JsonCandlesError(NOT_CANDLES);
      i++;
      this.started = true;
    }
    while (i < n) {
      i = skipSpace(text, i, false);
      if (i === n) break;
      const c = text.charCodeAt(i);
      if (this.finished) throw new JsonCandlesError('The JSON file has text after its closing bracket.');
      if (c === 93 /* ] */) {
        this.finished = true;
        i++;
        continue;
      }
      const close = c === 91 ? ']' : c === 123 /* { */ ? '}' : '';
      if (close === '') throw new JsonCandlesError(NOT_CANDLES);
      const j = text.indexOf(close, i);
      if (j === -1) {
        this.carry = text.slice(i);
        break;
      }
      this.record++;
      const reason = c === 91 ? this.readArrayRecord(text, i + 1, j, out) : readObjectRecord(text.slice(i, j + 1), this.record, out);
      if (reason !== null) rejected.push({ lineNo: this.record, reason });
      i = j + 1;
    }
    return rejected;
  }

  /** Finishes the file; throws JsonCandlesError when it was empty or the array never closed. */
  end(): void {
    if (!this.started) throw new JsonCandlesError('The file is empty.');
    if (!this.finished) throw new JsonCandlesError('The JSON file ends before its closing bracket; it may be truncated.');
  }

  get recordsSeen(): number {
    return this.record;
  }

  private readArrayRecord(text: string, a: number, b: number, out: CandleBatch): string | null {
    const { starts, ends } = this;
    let f = 0;
    let p = a;
    while (f < 8) {
      const j = text.indexOf(',', p);
      starts[f] = p;
      if (j === -1 || j >= b) {
        ends[f++] = b;
        break;
      }
      ends[f++] = j;
      p = j + 1;
    }
    if (f < 5) return `the record has ${f} value${f === 1 ? '' : 's'}, expected [time, open, high, low, close, volume]`;
    const ts = timeValue(text, starts[0], ends[0]);
    if (Number.isNaN(ts)) return `time ${text.slice(starts[0], ends[0]).trim()} is not a date or timestamp`;
    const o = numberValue(text, starts[1], ends[1]);
    const h = numberValue(text, starts[2], ends[2]);
    const l = numberValue(text, starts[3], ends[3]);
    const c = numberValue(text, starts[4], ends[4]);
    const v = f > 5 ? numberValue(text, starts[5], ends[5]) : NaN;
    if (o !== o || h !== h || l !== l || c !== c) return 'a price is missing or not a number';
    const reason = validateCandle(o, h, l, c, v);
    if (reason !== null) return reason;
    out.append(ts, o, h, l, c, v, this.record);
    return null;
  }
}

/**
 * Whether decoded text (the start of a file is enough) is JSON rather than a delimited table:
 * its first non-blank character opens an array or object. Lets the caller route a JSON file to
 * `FreqtradeJsonReader` before splitting it into lines (a one-line JSON file may exceed the
 * line limit).
 */
export function startsLikeJson(text: string): boolean {
  const i = skipSpace(text, 0, true);
  const c = i < text.length ? text.charCodeAt(i) : 0;
  return c === 91 || c === 123;
}

/**
 * Parses a whole freqtrade JSON candle file held in memory. Rejected records are returned with
 * their 1-based record number; a file that is not an array of candles throws JsonCandlesError.
 */
export function parseFreqtradeJson(text: string, out: CandleBatch): { rejected: JsonRejection[] } {
  const reader = new FreqtradeJsonReader();
  const rejected = reader.push(text, out);
  reader.end();
  return { rejected };
}

function skipSpace(text: string, i: number, allowBom: boolean): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9 || c === 44 || (allowBom && c === 0xfeff)) i++;
    else break;
  }
  return i;
}

function unquoted(text: string, a: number, b: number): [number, number] {
  while (a < b && text.charCodeAt(a) <= 32) a++;
  while (b > a && text.charCodeAt(b - 1) <= 32) b--;
  if (b - a >= 2 && text.charCodeAt(a) === 34 && text.charCodeAt(b - 1) === 34) return [a + 1, b - 1];
  return [a, b];
}

function numberValue(text: string, a: number, b: number): number {
  const [s, e] = unquoted(text, a, b);
  return parseDecimal(text, s, e, CHAR_DOT, -1);
}

function timeValue(text: string, a: number, b: number): number {
  const [s, e] = unquoted(text, a, b);
  const v = parseDecimal(text, s, e, CHAR_DOT, -1);
  return v === v ? epochToMs(v) : parseDateTime(text, s, e, false);
}

const TIME_KEYS = ['date', 'timestamp', 'time', 'datetime', 'open_time', 't', 'ts'];
const KEYS = {
  open: ['open', 'o'],
  high: ['high', 'h'],
  low: ['low', 'l'],
  close: ['close', 'c'],
  volume: ['volume', 'vol', 'v'],
};

function readObjectRecord(json: string, record: number, out: CandleBatch): string | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    // a `}` inside a string value ends the slice early; such records are not candles we know
    return 'the record is not valid JSON';
  }
  if (typeof value !== 'object' || value === null) return 'the record is not an object';
  const rec = value as Record<string, unknown>;
  const pick = (keys: string[]): unknown => {
    for (const k of keys) if (k in rec) return rec[k];
    for (const k of Object.keys(rec)) if (keys.includes(k.toLowerCase())) return rec[k];
    return undefined;
  };
  const rawTime = pick(TIME_KEYS);
  let ts = NaN;
  if (typeof rawTime === 'number') ts = epochToMs(rawTime);
  else if (typeof rawTime === 'string') ts = timeValue(rawTime, 0, rawTime.length);
  if (Number.isNaN(ts)) return `time ${JSON.stringify(rawTime ?? null)} is not a date or timestamp`;
  const num = (x: unknown): number => (typeof x === 'number' ? x : typeof x === 'string' ? parseDecimal(x, 0, x.length, CHAR_DOT, -1) : NaN);
  const o = num(pick(KEYS.open));
  const h = num(pick(KEYS.high));
  const l = num(pick(KEYS.low));
  const c = num(pick(KEYS.close));
  const v = num(pick(KEYS.volume));
  if (o !== o || h !== h || l !== l || c !== c) return 'a price is missing or not a number';
  const reason = validateCandle(o, h, l, c, v);
  if (reason !== null) return reason;
  out.append(ts, o, h, l, c, v, record);
  return null;
}

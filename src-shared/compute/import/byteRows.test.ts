import { describe, expect, it } from 'vitest';
import { DelimitedByteReader } from './byteRows.js';
import { CandleBatch } from './candleBatch.js';
import { LineSplitter, LineTooLongError } from './lineSplitter.js';
import { createRowParser } from './rowParser.js';
import { sniffFormat } from './sniff.js';

const decoder = new TextDecoder();
const decode = (b: Uint8Array, s: number, e: number) => decoder.decode(b.subarray(s, e));
const encoder = new TextEncoder();

/** What the text path (LineSplitter + row parser) makes of a file: candles and refusals. */
function viaText(text: string, plan: ReturnType<typeof planOf>) {
  const batch = new CandleBatch(0);
  const rejected: [number, string][] = [];
  const parse = createRowParser(plan);
  const splitter = new LineSplitter();
  let lineNo = 0;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (const line of [...splitter.push(body), ...splitter.end()]) {
    lineNo++;
    if (lineNo <= plan.dataStartLine) continue;
    const s = parse(line, lineNo, batch);
    if (s !== 'ok' && s !== 'skip') rejected.push([lineNo, s]);
  }
  return { rows: snapshot(batch), rejected };
}

function viaBytes(bytes: Uint8Array, plan: ReturnType<typeof planOf>, cuts: number[]) {
  const batch = new CandleBatch(0);
  const rejected: [number, string][] = [];
  const reader = new DelimitedByteReader(plan, decode);
  let at = 0;
  let rows = 0;
  for (const cut of [...cuts, bytes.length]) {
    rows += reader.push(bytes.subarray(at, cut), batch, (l, r) => rejected.push([l, r]));
    at = cut;
  }
  rows += reader.end(batch, (l, r) => rejected.push([l, r]));
  expect(rows).toBe(batch.length);
  return { rows: snapshot(batch), rejected };
}

const snapshot = (b: CandleBatch) => Array.from({ length: b.length }, (_, i) => [b.lineNo[i], b.ts[i], b.open[i], b.high[i], b.low[i], b.close[i], b.volume[i]]);

function planOf(text: string) {
  const sniff = sniffFormat(text.split('\n').slice(0, 50), 'BTC_USDT_1m.csv', {});
  if (!sniff.ok) throw new Error(sniff.error);
  return sniff.plan;
}

const TRICKY = [
  '\ufefftimestamp,open,high,low,close,volume',
  '1707225600000,60000,60045.85454,59979.3083,60000.67652,4.480597282',
  '1707225660000,60000.67652,60073.46258,59925.44832,60040.70678,13.70324159\r',
  '',
  '# a comment',
  'timestamp,open,high,low,close,volume',
  '1707225720,100.5,101,99,100,', // seconds, empty volume
  '1707225780000, 100.5,101,99,100,1', // a space
  '1707225840000,100.5,101,99,100,-1', // negative volume
  '1707225900000,"100.5",101,99,100,1', // quoted
  '1707225960000,+100.5,101,99,100,1', // a sign
  '1707226020000,100.5,99,101,100,1', // high below low
  '1707226080000,1e2,101,99,100,1', // exponent
  '1707226140000,100.5,101,99', // short
  'x,100.5,101,99,100,1', // not a time
  '99999999999999999999,100.5,101,99,100,1', // too large
  '1707226200000,100.50000000000000000000001,101,99,100,1', // long fraction
  '1707226260000,100.,101,99,100,1',
  '1707226320000,100.5,101,99,100,7,extra,"quoted, with comma"',
  '1707226380000,100.5,101,99,100,NaN',
  '1707226440000,0,101,0,100,1', // zero prices
  '1707226500000,100.5,101,99,100,1', // no newline at the end
].join('\n');

describe('DelimitedByteReader', () => {
  it('reads every line exactly as LineSplitter and the row parser do, wherever the chunks are cut', () => {
    const plan = planOf(TRICKY);
    expect(DelimitedByteReader.supports(plan)).toBe(true);
    const bytes = encoder.encode(TRICKY);
    const expected = viaText(TRICKY, plan);
    expect(expected.rows.length).toBeGreaterThan(5);
    expect(expected.rejected.length).toBeGreaterThan(5);
    expect(viaBytes(bytes, plan, [])).toEqual(expected);
    for (let cut = 0; cut <= bytes.length; cut++) expect(viaBytes(bytes, plan, [cut])).toEqual(expected);
    expect(viaBytes(bytes, plan, Array.from({ length: bytes.length }, (_, i) => i))).toEqual(expected);
  });

  it('refuses a line longer than the limit with its line number, as the splitter does', () => {
    const plan = planOf(TRICKY);
    const reader = new DelimitedByteReader(plan, decode, 100);
    const long = encoder.encode(`timestamp,open,high,low,close,volume\n1,2,3\n${'9'.repeat(150)}`);
    expect(() => reader.push(long, new CandleBatch(0), () => undefined)).toThrow(LineTooLongError);
    expect(() => new DelimitedByteReader(plan, decode, 100).push(long.subarray(0, 80), new CandleBatch(0), () => undefined)).not.toThrow();
  });

  it('is used only for plans whose rows it can read (epoch times, dot decimals, no extra columns)', () => {
    expect(DelimitedByteReader.supports(planOf('time,open,high,low,close\n2024-01-01 00:00,1,2,0.5,1.5\n2024-01-01 00:01,1,2,0.5,1.5'))).toBe(false);
    expect(DelimitedByteReader.supports(planOf('time;open;high;low;close\n1707225600000;1,5;2;0,5;1,5\n1707225660000;1,5;2;0,5;1,5'))).toBe(false);
  });
});

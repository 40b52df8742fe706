import { CandleBatch } from './candleBatch.js';
import { CHAR_COMMA, CHAR_DOT, isMissingValue, parseDecimal } from './parseDecimal.js';
import { epochToMs, parseDateTime, parseTimeOfDay } from './parseDateTime.js';
import type { ParsePlan } from './plan.js';
import { locateQuotedFields } from './splitFields.js';
import { validateCandle } from './validateCandle.js';

export { CandleBatch } from './candleBatch.js';

/** `ok`: a candle was appended; `skip`: blank, comment or repeated header line; otherwise the rejection reason. */
export type RowStatus = 'ok' | 'skip' | string;

/** Times outside 1900-01-01 … 2200-01-01 are misread units or garbage, never market data. */
const MIN_TS = -2_208_988_800_000;
const MAX_TS = 7_258_118_400_000;

/**
 * Builds the per-line parser for a delimited plan. The returned function reads one line
 * (without its newline), appends a validated candle to `out` and returns 'ok', or returns
 * 'skip' / a rejection reason and leaves `out` untouched.
 *
 * Hot path: cells are located with `indexOf` and numbers read straight from the line by
 * `parseDecimal`, so a plain numeric row allocates nothing; quotes, failures and messages take
 * slower paths.
 */
export function createRowParser(plan: ParsePlan): (line: string, lineNo: number, out: CandleBatch) => RowStatus {
  if (plan.format !== 'delimited') throw new Error(`A ${plan.family} plan is read with parseFreqtradeJson, not row by row.`);
  const delim = plan.delimiter;
  const delimCode = delim.charCodeAt(0);
  const dec = plan.decimalComma ? CHAR_COMMA : CHAR_DOT;
  const thou = plan.decimalComma ? CHAR_DOT : CHAR_COMMA;
  const { time: tc, open: oc, high: hc, low: lc, close: cc } = plan.columns;
  const d2 = plan.columns.date2 ?? -1;
  const vc = plan.columns.volume ?? -1;
  const extraCols = Int32Array.from(plan.extras.map((e) => e.index));
  const extraCount = extraCols.length;
  const epoch = plan.time.kind === 'epoch';
  const dayFirst = plan.time.dayFirst;
  const required = Math.max(tc, d2, oc, hc, lc, cc) + 1;
  const wanted = Math.max(required, vc + 1, ...Array.from(extraCols, (c) => c + 1));
  const starts = new Int32Array(wanted);
  const ends = new Int32Array(wanted);
  const header = plan.header;

  const cell = (line: string, k: number): string => {
    const t = line.slice(starts[k], ends[k]).trim();
    return t.length > 40 ? `${t.slice(0, 37)}...` : t;
  };

  /** Lines that are not data but not errors either. */
  const isSkippable = (line: string, found: number): boolean => {
    const t = line.trim();
    if (t === '' || t.charCodeAt(0) === 35 /* # comment */) return true;
    if (header !== null && found > tc && cell(line, tc) === header[tc]) return true;
    return t.replaceAll(delim, '').trim() === '';
  };

  return (line: string, lineNo: number, out: CandleBatch): RowStatus => {
    const n = line.length;
    if (n === 0) return 'skip';
    let found = 0;
    if (line.indexOf('"') === -1) {
      let p = 0;
      for (;;) {
        const j = line.indexOf(delim, p);
        starts[found] = p;
        if (j === -1) {
          ends[found++] = n;
          break;
        }
        ends[found++] = j;
        if (found === wanted) break;
        p = j + 1;
      }
    } else {
      found = locateQuotedFields(line, delimCode, starts, ends, wanted);
    }
    if (found < required) {
      if (isSkippable(line, found)) return 'skip';
      return `the line has ${found} field${found === 1 ? '' : 's'}, expected at least ${required}`;
    }

    let ts: number;
    if (epoch) {
      const v = parseDecimal(line, starts[tc], ends[tc], dec, -1);
      ts = v === v ? epochToMs(v) : parseDateTime(line, starts[tc], ends[tc], dayFirst);
    } else {
      ts = parseDateTime(line, starts[tc], ends[tc], dayFirst);
    }
    if (d2 >= 0) ts += parseTimeOfDay(line, starts[d2], ends[d2]);
    if (!(ts >= MIN_TS && ts <= MAX_TS)) {
      if (isSkippable(line, found)) return 'skip';
      if (d2 >= 0) return `time '${cell(line, tc)} ${cell(line, d2)}' is not a date and time`;
      return ts === ts ? `time '${cell(line, tc)}' is outside the years 1900–2200` : `time '${cell(line, tc)}' is not a date or timestamp`;
    }

    const o = parseDecimal(line, starts[oc], ends[oc], dec, thou);
    const h = parseDecimal(line, starts[hc], ends[hc], dec, thou);
    const l = parseDecimal(line, starts[lc], ends[lc], dec, thou);
    const c = parseDecimal(line, starts[cc], ends[cc], dec, thou);
    if (o !== o || h !== h || l !== l || c !== c) {
      if (isSkippable(line, found)) return 'skip';
      return priceProblem(line, o, h, l, c);
    }
    let v = NaN;
    if (vc >= 0 && vc < found) {
      v = parseDecimal(line, starts[vc], ends[vc], dec, thou);
      if (v !== v && !isMissingValue(line, starts[vc], ends[vc])) return `volume '${cell(line, vc)}' is not a number`;
    }
    const reason = validateCandle(o, h, l, c, v);
    if (reason !== null) return reason;

    const i = out.reserve();
    out.ts[i] = ts;
    out.open[i] = o;
    out.high[i] = h;
    out.low[i] = l;
    out.close[i] = c;
    out.volume[i] = v;
    out.lineNo[i] = lineNo;
    for (let k = 0; k < extraCount; k++) {
      const col = extraCols[k]!;
      out.extras[k]![i] = col < found ? parseDecimal(line, starts[col], ends[col], dec, thou) : NaN;
    }
    return 'ok';
  };

  function priceProblem(line: string, o: number, h: number, l: number, c: number): string {
    const cols = [oc, hc, lc, cc];
    const names = ['open', 'high', 'low', 'close'];
    const values = [o, h, l, c];
    let missing = 0;
    for (const col of cols) if (isMissingValue(line, starts[col], ends[col])) missing++;
    if (missing === 4) return 'prices are empty or null (no trading in this bar)';
    for (let k = 0; k < 4; k++) {
      if (values[k] !== values[k]) {
        return isMissingValue(line, starts[cols[k]!], ends[cols[k]!])
          ? `${names[k]} is missing`
          : `${names[k]} '${cell(line, cols[k]!)}' is not a number`;
      }
    }
    return 'a price is not a number';
  }
}

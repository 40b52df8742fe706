import { msToTimeframe } from '../../domain/timeframe.js';
import type { ParsePlan } from './plan.js';

const DELIMITER_NAMES: Record<string, string> = { '\t': 'tab', ',': ',', ';': ';', '|': '|', ' ': 'space' };

/** Short lines for the import preview, e.g. "Delimiter: ;  decimal comma", "time ← 'Date' + 'Time' (…)". */
export function describePlan(plan: ParsePlan): string[] {
  const out: string[] = [`Format: ${plan.family}`];
  const name = (i: number): string => (plan.header ? `'${plan.header[i]}'` : `column ${i + 1}`);
  if (plan.format === 'json') {
    out.push('JSON array of [time, open, high, low, close, volume]');
  } else {
    out.push(`Delimiter: ${DELIMITER_NAMES[plan.delimiter] ?? plan.delimiter}${plan.decimalComma ? '  decimal comma' : ''}`);
    const skipped = plan.dataStartLine - (plan.header ? 1 : 0);
    out.push(
      plan.header
        ? `Header on line ${plan.dataStartLine}${skipped > 0 ? ` (${skipped} line${skipped === 1 ? '' : 's'} before it skipped)` : ''}`
        : `No header; data from line ${plan.dataStartLine + 1}`,
    );
    const c = plan.columns;
    const source = c.date2 !== undefined ? `${name(c.time)} + ${name(c.date2)}` : name(c.time);
    const how =
      plan.time.kind === 'epoch'
        ? 'epoch numbers, unit per value'
        : `e.g. ${plan.time.example}${plan.time.dayFirst ? ', day first' : ''}${plan.time.hasZone ? '' : ', no zone: read as UTC'}`;
    out.push(`time ← ${source} (${how})`);
    out.push(`open, high, low, close ← ${[c.open, c.high, c.low, c.close].map(name).join(', ')}`);
    out.push(c.volume !== null ? `volume ← ${name(c.volume)}` : 'volume: none');
    if (plan.extras.length > 0) out.push(`extras: ${plan.extras.map((e) => e.name).join(', ')}`);
  }
  if (plan.symbol) out.push(`symbol: ${plan.symbol} (from ${plan.symbolSource === 'column' ? 'the symbol column' : plan.symbolSource === 'override' ? 'your choice' : 'the file name'})`);
  if (plan.timeframeMs !== null) {
    out.push(`timeframe: ${msToTimeframe(plan.timeframeMs)} (from ${plan.timeframeSource === 'override' ? 'your choice' : 'the file name'})`);
  }
  const expiry = plan.expiry !== null ? ` expiring ${new Date(plan.expiry).toISOString().slice(0, 10)}` : '';
  out.push(`contract: ${plan.kind}${expiry} (from ${plan.kindReason})`);
  if (plan.venue) out.push(`venue: ${plan.venue}`);
  return out;
}

import { basename } from 'node:path';
import { stat } from 'node:fs/promises';
import type { ImportOverrides, ImportPreview } from '../../src-shared/contract/datasets.js';
import { CandleBatch, createRowParser, describePlan, FreqtradeJsonReader, sniffFormat, type ParsePlan } from '../../src-shared/compute/import/index.js';
import { splitFields } from '../../src-shared/compute/import/splitFields.js';
import { msToTimeframe } from '../../src-shared/domain/timeframe.js';
import { readSampleLines } from './readText.js';

const SAMPLE_ROWS = 8;

/** What importing this file would detect, without writing anything: the import dialog's preview. */
export async function previewFile(path: string, overrides: ImportOverrides = {}): Promise<ImportPreview> {
  const file = basename(path);
  const empty: ImportPreview = { file: path, ok: false, error: null, format: null, detected: [], symbol: null, kind: null, venue: null, timeframe: null, header: null, columns: {}, extras: [], sampleRows: [], columnIndex: {}, sampleParsed: [], warnings: [] };
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return { ...empty, error: `The file ${file} does not exist or cannot be read.` };
  if (info.size === 0) return { ...empty, error: 'The file is empty.' };
  const lines = await readSampleLines(path);
  const sniff = sniffFormat(lines, file, overrides);
  if (!sniff.ok) {
    // A table the detection could not map still shows its columns and rows, so they can be remapped.
    const t = sniff.table;
    if (!t) return { ...empty, error: sniff.error };
    const sample = sampleLines(lines, t.dataStartLine);
    return {
      ...empty,
      error: sniff.error,
      header: t.header,
      sampleRows: sample.map((l) => splitFields(l.text, t.delimiter)),
      ...(t.plan ? { columnIndex: columnIndexOf(t.plan), sampleParsed: parseSample(t.plan, sample) } : {}),
    };
  }
  const plan = sniff.plan;
  const name = (i: number | null | undefined) => (i === null || i === undefined ? null : (plan.header?.[i] ?? `column ${i + 1}`));
  const columns: Record<string, string> = {};
  for (const [role, index] of Object.entries(plan.columns)) {
    const n = name(index as number | null);
    if (n !== null) columns[role === 'date2' ? 'time of day' : role] = n;
  }
  const sample = plan.format === 'json' ? [] : sampleLines(lines, plan.dataStartLine);
  return {
    ...empty,
    ok: true,
    format: plan.family,
    detected: describePlan(plan),
    symbol: plan.symbol,
    kind: plan.kind,
    venue: plan.venue,
    timeframe: plan.timeframeMs === null ? null : msToTimeframe(plan.timeframeMs),
    header: plan.header,
    columns,
    extras: plan.extras.map((e) => e.name),
    ...(plan.format === 'json'
      ? jsonSample(lines.join('\n'))
      : { sampleRows: sample.map((l) => splitFields(l.text, plan.delimiter)), columnIndex: columnIndexOf(plan), sampleParsed: parseSample(plan, sample) }),
    warnings: sniff.warnings,
  };
}

/** The first non-blank data lines with their 1-based line numbers. */
function sampleLines(lines: string[], dataStartLine: number): { text: string; line: number }[] {
  return lines
    .slice(dataStartLine)
    .map((text, i) => ({ text, line: dataStartLine + i + 1 }))
    .filter((l) => l.text.trim() !== '')
    .slice(0, SAMPLE_ROWS);
}

function columnIndexOf(plan: ParsePlan): ImportPreview['columnIndex'] {
  const { time, date2, open, high, low, close, volume, symbol } = plan.columns;
  const columnIndex: ImportPreview['columnIndex'] = { time, open, high, low, close };
  if (date2 !== undefined) columnIndex.timeOfDay = date2;
  if (volume !== null) columnIndex.volume = volume;
  if (symbol !== null) columnIndex.symbol = symbol;
  return columnIndex;
}

/**
 * Reads the sample lines with the importer's own row parser, so the time shown beside each raw
 * value is the one the import will store (zone, unit and date order applied), and a line the
 * import would reject shows the same reason.
 */
function parseSample(plan: ParsePlan, sample: { text: string; line: number }[]): ImportPreview['sampleParsed'] {
  const parse = createRowParser(plan);
  const batch = new CandleBatch(plan.extras.length, 16);
  return sample.map(({ text, line }) => {
    batch.clear();
    const status = parse(text, line, batch);
    if (status === 'ok') return { line, ts: batch.ts[0]!, problem: null };
    return { line, ts: null, problem: status === 'skip' ? 'skipped: not a data line' : status };
  });
}

/**
 * The first JSON records as written (one cell each: a JSON file has no columns to remap) and how
 * the importer's reader reads them; `line` is the record number, as the import summary counts.
 */
function jsonSample(text: string): Pick<ImportPreview, 'sampleRows' | 'columnIndex' | 'sampleParsed'> {
  // freqtrade records never nest, so each is the text between one bracket or brace pair
  const records = (text.replace(/^\s*\[/, '').match(/\[[^[\]]*\]|\{[^{}]*\}/g) ?? []).slice(0, SAMPLE_ROWS);
  const batch = new CandleBatch(0, 256);
  let rejections: { lineNo: number; reason: string }[] = [];
  try {
    rejections = new FreqtradeJsonReader().push(text, batch);
  } catch {
    // the sniff already read this text; a throw here means a sample cut mid-file, which shows as no times
  }
  const tsByRecord = new Map<number, number>();
  for (let i = 0; i < batch.length; i++) tsByRecord.set(batch.lineNo[i]!, batch.ts[i]!);
  return {
    sampleRows: records.map((r) => [r]),
    columnIndex: {},
    sampleParsed: records.map((_, k) => {
      const line = k + 1;
      const ts = tsByRecord.get(line);
      return ts === undefined ? { line, ts: null, problem: rejections.find((r) => r.lineNo === line)?.reason ?? null } : { line, ts, problem: null };
    }),
  };
}

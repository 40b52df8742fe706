/**
 * The Sweeps page's search-space form and its JSON twin (space.json). The form holds one row per
 * searched field, as the person typed it (strings, so a half-typed number stays on screen); these
 * functions turn rows into the `params` of space.json, read rows back from the JSON, and say in a
 * sentence what is wrong with a row. The field list and each field's type and bounds come from the
 * training contract, so the form offers exactly what the sweep's schema accepts.
 */
import { SWEEPABLE_FIELDS } from '../../src-shared/contract/sweeps.js';
import { TRAINING_DEFAULTS, trainingConfigSchema } from '../../src-shared/contract/training.js';
import { z } from 'zod';

export type SpaceRowKind = 'choice' | 'int' | 'float';

/** One searched field as typed in the form. */
export interface SpaceRow {
  /** Stable key for the row (React), not part of the space. */
  id: number;
  field: string;
  kind: SpaceRowKind;
  /** Choice values, separated by commas. */
  values: string;
  low: string;
  high: string;
  /** Int ranges only; empty means 1. */
  step: string;
  log: boolean;
}

/** What the training contract says about a searchable field. */
export interface SweepFieldInfo {
  field: string;
  type: 'int' | 'float' | 'enum' | 'boolean';
  /** The values an enum or boolean takes. */
  options: readonly (string | boolean)[];
  min: number;
  max: number;
  /** The kinds a row for this field may be: a float range would give an int field fractions. */
  kinds: readonly SpaceRowKind[];
  description: string;
}

function unwrap(t: z.ZodType): z.ZodType {
  let cur = t;
  while (cur instanceof z.ZodDefault || cur instanceof z.ZodOptional) cur = cur.unwrap() as z.ZodType;
  return cur;
}

function describeField(field: (typeof SWEEPABLE_FIELDS)[number]): SweepFieldInfo {
  const shape = trainingConfigSchema.shape[field] as z.ZodType;
  const t = unwrap(shape);
  const description = shape.description ?? field;
  if (t instanceof z.ZodEnum) return { field, type: 'enum', options: t.options as string[], min: NaN, max: NaN, kinds: ['choice'], description };
  if (t instanceof z.ZodBoolean) return { field, type: 'boolean', options: [true, false], min: NaN, max: NaN, kinds: ['choice'], description };
  if (t instanceof z.ZodNumber) {
    const int = t.isInt === true;
    return { field, type: int ? 'int' : 'float', options: [], min: t.minValue ?? -Infinity, max: t.maxValue ?? Infinity, kinds: int ? ['choice', 'int'] : ['choice', 'float'], description };
  }
  // The contract test of SWEEPABLE_FIELDS keeps this list to numbers, enums and booleans.
  throw new Error(`The training config field ${field} is neither a number, an enum nor a boolean.`);
}

/** Every field a sweep may search, in the contract's order. */
export const SWEEP_FIELDS: readonly SweepFieldInfo[] = SWEEPABLE_FIELDS.map(describeField);
const infoOf = new Map(SWEEP_FIELDS.map((f) => [f.field, f]));
export const sweepFieldInfo = (field: string): SweepFieldInfo | undefined => infoOf.get(field);

const bound = (v: number) => (Number.isFinite(v) && Math.abs(v) < 2 ** 52 ? String(v) : null);

/** What a row's field accepts, in words, for its hint: "whole numbers from 1 to 512", "one of mlp, gru". */
export function fieldHint(info: SweepFieldInfo): string {
  if (info.type === 'enum' || info.type === 'boolean') return `one of ${info.options.map(String).join(', ')}`;
  const [lo, hi] = [bound(info.min), bound(info.max)];
  const what = info.type === 'int' ? 'whole numbers' : 'numbers';
  return lo !== null && hi !== null ? `${what} from ${lo} to ${hi}` : lo !== null ? `${what} from ${lo}` : what;
}

let nextId = 1;
const newId = () => nextId++;

/** A new row for a field: a choice of the field's default (what a run would use unsearched). */
export function newSpaceRow(field: string): SpaceRow {
  const info = sweepFieldInfo(field);
  const fallback = info?.type === 'enum' || info?.type === 'boolean' ? info.options.map(String).join(', ') : '';
  const def = (TRAINING_DEFAULTS as Record<string, unknown>)[field];
  return { id: newId(), field, kind: 'choice', values: def === undefined ? fallback : String(def), low: '', high: '', step: '', log: false };
}

/** The first searchable field no row uses yet (null when every one is used). */
export function unusedField(rows: readonly SpaceRow[]): string | null {
  const used = new Set(rows.map((r) => r.field));
  return SWEEP_FIELDS.find((f) => !used.has(f.field))?.field ?? null;
}

/** A row moved to another field: its kind is kept where the new field allows it, otherwise a choice. */
export function withField(row: SpaceRow, field: string): SpaceRow {
  const info = sweepFieldInfo(field);
  const kind = info && info.kinds.includes(row.kind) ? row.kind : 'choice';
  const values = info && (info.type === 'enum' || info.type === 'boolean') && row.field !== field ? info.options.map(String).join(', ') : row.values;
  return { ...row, field, kind, values, log: kind === 'choice' ? false : row.log };
}

type Parsed<T> = { value: T } | { problem: string };

/** One typed entry of a row, checked against the field's type and bounds. */
function parseNumber(info: SweepFieldInfo, what: string, text: string): Parsed<number> {
  const t = text.trim();
  if (t === '') return { problem: `${info.field}: give the ${what}.` };
  const v = Number(t);
  if (!Number.isFinite(v)) return { problem: `${info.field}: the ${what} "${t}" is not a number.` };
  if (info.type === 'int' && !Number.isInteger(v)) return { problem: `${info.field}: the ${what} ${t} is not a whole number.` };
  if (v < info.min) return { problem: `${info.field}: the ${what} ${t} is below the smallest allowed value, ${bound(info.min) ?? info.min}.` };
  if (v > info.max) return { problem: `${info.field}: the ${what} ${t} is above the largest allowed value, ${bound(info.max) ?? info.max}.` };
  return { value: v };
}

function parseChoice(info: SweepFieldInfo, text: string): Parsed<(number | string | boolean)[]> {
  const parts = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) return { problem: `${info.field}: give at least one value, separated by commas (${fieldHint(info)}).` };
  const out: (number | string | boolean)[] = [];
  for (const p of parts) {
    let v: number | string | boolean;
    if (info.type === 'enum') {
      if (!info.options.includes(p)) return { problem: `${info.field}: "${p}" is not one of ${info.options.join(', ')}.` };
      v = p;
    } else if (info.type === 'boolean') {
      if (p !== 'true' && p !== 'false') return { problem: `${info.field}: "${p}" is not true or false.` };
      v = p === 'true';
    } else {
      const n = parseNumber(info, 'value', p);
      if ('problem' in n) return n;
      v = n.value;
    }
    if (out.includes(v)) return { problem: `${info.field}: the value ${p} is given twice.` };
    out.push(v);
  }
  return { value: out };
}

/** A row as space.json's parameter, or the sentence saying what is wrong with it. */
export function rowToParam(row: SpaceRow): Parsed<Record<string, unknown>> {
  const info = sweepFieldInfo(row.field);
  if (!info) return { problem: `"${row.field}" cannot be searched; choose one of ${SWEEPABLE_FIELDS.join(', ')}.` };
  if (!info.kinds.includes(row.kind)) return { problem: `${row.field}: a ${row.kind} range does not fit a field of ${fieldHint(info)}; use ${info.kinds.join(' or ')}.` };
  if (row.kind === 'choice') {
    const values = parseChoice(info, row.values);
    return 'problem' in values ? values : { value: { choice: values.value } };
  }
  const low = parseNumber(info, 'low end', row.low);
  if ('problem' in low) return low;
  const high = parseNumber(info, 'high end', row.high);
  if ('problem' in high) return high;
  if (low.value > high.value) return { problem: `${row.field}: the low end ${low.value} is above the high end ${high.value}.` };
  if (row.log && (row.kind === 'int' ? low.value < 1 : low.value <= 0)) {
    return { problem: `${row.field}: a log scale needs a low end ${row.kind === 'int' ? 'of at least 1' : 'above 0'}.` };
  }
  if (row.kind === 'float') return { value: { float: [low.value, high.value], ...(row.log ? { log: true } : {}) } };
  let step: number | undefined;
  if (row.step.trim() !== '') {
    const s = Number(row.step.trim());
    if (!Number.isInteger(s) || s < 1) return { problem: `${row.field}: the step "${row.step.trim()}" is not a positive whole number.` };
    if ((high.value - low.value) % s !== 0) return { problem: `${row.field}: the step ${s} does not divide the range ${low.value}–${high.value} (a width of ${high.value - low.value}).` };
    if (row.log && s !== 1) return { problem: `${row.field}: a log-scale range cannot have a step.` };
    step = s;
  }
  return { value: { int: [low.value, high.value], ...(step !== undefined && step !== 1 ? { step } : {}), ...(row.log ? { log: true } : {}) } };
}

/** Every row as space.json's `params`, or one sentence per problem (a field searched twice included). */
export function rowsToParams(rows: readonly SpaceRow[]): { params: Record<string, unknown> } | { problems: string[] } {
  const problems: string[] = [];
  const params: Record<string, unknown> = {};
  const seen = new Map<string, number>();
  for (const row of rows) seen.set(row.field, (seen.get(row.field) ?? 0) + 1);
  if (rows.length === 0) problems.push('Search at least one field: add a row.');
  for (const [field, n] of seen) if (n > 1) problems.push(`${field} is searched in ${n} rows; keep one row per field.`);
  for (const row of rows) {
    if (seen.get(row.field)! > 1) continue;
    const p = rowToParam(row);
    if ('problem' in p) problems.push(p.problem);
    else params[row.field] = p.value;
  }
  return problems.length ? { problems } : { params };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const numText = (v: unknown) => (typeof v === 'number' ? String(v) : '');

/**
 * The rows space.json's text describes, or why the form cannot show it (the text is not JSON, has
 * no "params" object, or a parameter is not one of the three shapes). Values are not judged here:
 * a row may hold a low end above its high end, and the form then says so beside it.
 */
export function rowsFromSpaceText(text: string): { rows: SpaceRow[] } | { problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // The page already quotes the parser's message; the form only says what it did.
    return { problem: 'The form keeps its rows until the text is valid JSON again.' };
  }
  if (!isRecord(raw) || !isRecord(raw.params)) return { problem: 'The space needs a "params" object; the form keeps its rows until it has one.' };
  const rows: SpaceRow[] = [];
  for (const [field, p] of Object.entries(raw.params)) {
    const shape = isRecord(p) ? (['choice', 'int', 'float'] as const).filter((k) => k in p) : [];
    if (!isRecord(p) || shape.length !== 1) return { problem: `params.${field} is not {"choice": [...]}, {"int": [low, high]} or {"float": [low, high]}; the form keeps its rows until it is.` };
    const kind = shape[0]!;
    const log = p.log === true;
    if (kind === 'choice') {
      if (!Array.isArray(p.choice)) return { problem: `params.${field}.choice is not a list; the form keeps its rows until it is.` };
      rows.push({ id: newId(), field, kind, values: p.choice.map(String).join(', '), low: '', high: '', step: '', log: false });
      continue;
    }
    const range = p[kind];
    if (!Array.isArray(range) || range.length !== 2) return { problem: `params.${field}.${kind} is not [low, high]; the form keeps its rows until it is.` };
    rows.push({ id: newId(), field, kind, values: '', low: numText(range[0]), high: numText(range[1]), step: kind === 'int' ? numText(p.step) : '', log });
  }
  return { rows };
}

/**
 * space.json's text with its `params` replaced and everything else ("base", …) kept as it was in
 * `file`, the last text that parsed (so a form edit made while the text is half typed is not lost).
 */
export function spaceTextWithParams(file: Record<string, unknown>, params: Record<string, unknown>): string {
  return JSON.stringify({ ...file, params }, null, 2);
}

/** The object a space.json text holds, or null when it is not a JSON object. */
export function spaceFileOf(text: string): Record<string, unknown> | null {
  try {
    const raw: unknown = JSON.parse(text);
    return isRecord(raw) ? raw : null;
  } catch {
    return null;
  }
}

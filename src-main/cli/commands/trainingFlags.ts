/**
 * `candela train`'s config flags, derived from the contract's `trainingConfigSchema`: one flag per
 * field, its help from the field's description and default, its parsing from the field's zod type.
 * A field added to the schema gets a flag without an edit here (the test checks that every field
 * has one). `--config run.json` gives any subset of fields; a flag given on the command line wins.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

import { Option } from 'commander';
import { z } from 'zod';

import { trainingConfigProblems, trainingConfigSchema, type TrainingConfig, type TrainingConfigField, type TrainingConfigInput } from '../../../src-shared/contract/training.js';

/** How a field's value is written after its flag. */
export type FlagValue =
  | { kind: 'switch' }
  | { kind: 'number' }
  | { kind: 'choice'; choices: readonly string[] }
  | { kind: 'text' }
  | { kind: 'numbers' }
  | { kind: 'texts' }
  /** An object of numbers written as a comma list in its key order, e.g. the split: 0.7,0.15,0.15. */
  | { kind: 'number-list'; keys: readonly string[] };

/** One row of the table: a config field and its flag. */
export interface ConfigFlag {
  field: TrainingConfigField;
  /** The flag as typed, e.g. `--batch-size`. */
  flag: string;
  value: FlagValue;
  /** The commander options that set it: one, or a `--x` / `--no-x` pair for a switch. */
  options: Option[];
}

/** Names kept from before the table existed, so that scripts and the README keep working. */
const FLAG_NAMES: Partial<Record<TrainingConfigField, string>> = { datasetIds: 'datasets', featureSet: 'features', includeExtras: 'extras' };

/** Fields that have no flag, each with the reason (the test holds this list to these). */
export const FIELDS_WITHOUT_FLAG: Partial<Record<TrainingConfigField, string>> = {
  extraColumns: 'the plan decides which extra columns a run uses when it starts; --extras asks for them',
};

const kebab = (field: string): string => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The schema type under `.default()` and `.optional()`. */
function bare(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s;
}

function valueOf(field: string, schema: z.ZodType): FlagValue {
  const s = bare(schema);
  switch (s.def.type) {
    case 'boolean':
      return { kind: 'switch' };
    case 'number':
      return { kind: 'number' };
    case 'string':
      return { kind: 'text' };
    case 'enum':
      return { kind: 'choice', choices: (s as z.ZodEnum).options.map(String) };
    case 'array': {
      const element = bare((s as z.ZodArray<z.ZodType>).element).def.type;
      if (element === 'number') return { kind: 'numbers' };
      if (element === 'string') return { kind: 'texts' };
      break;
    }
    case 'object': {
      const shape = (s as z.ZodObject).shape;
      if (Object.values(shape).every((v) => bare(v).def.type === 'number')) return { kind: 'number-list', keys: Object.keys(shape) };
      break;
    }
  }
  throw new Error(`The config field ${field} has a type (${s.def.type}) that has no command-line form yet; add one to trainingFlags.ts.`);
}

const defaultText = (schema: z.ZodType): string => {
  if (!(schema instanceof z.ZodDefault)) return '';
  const d: unknown = schema.def.defaultValue;
  const shown = typeof d === 'object' && d !== null ? Object.values(d).join(',') : String(d);
  return ` (default: ${shown})`;
};

const ARGUMENT: Record<FlagValue['kind'], string> = { switch: '', number: '<n>', choice: '<name>', text: '<text>', numbers: '<list>', texts: '<list>', 'number-list': '<list>' };

function flagOf(field: TrainingConfigField, schema: z.ZodType): ConfigFlag {
  const flag = `--${FLAG_NAMES[field] ?? kebab(field)}`;
  const value = valueOf(field, schema);
  let help = schema.description ?? field;
  if (value.kind === 'choice') help += `: ${value.choices.join(' | ')}`;
  if (value.kind === 'number-list') help += `, as ${value.keys.join(',')}`;
  if (value.kind === 'numbers' || value.kind === 'texts') help += ', comma-separated';
  if (field === 'datasetIds') help += ', or "all"';
  help += defaultText(schema);
  if (value.kind === 'switch') {
    const on = new Option(flag, help);
    const off = new Option(`--no-${flag.slice(2)}`, `turn ${flag} off`);
    return { field, flag, value, options: [on, off] };
  }
  return { field, flag, value, options: [new Option(`${flag} ${ARGUMENT[value.kind]}`, help)] };
}

/** The table: every field of the schema with a flag, in the schema's order. */
export const TRAINING_CONFIG_FLAGS: readonly ConfigFlag[] = (Object.entries(trainingConfigSchema.shape) as [TrainingConfigField, z.ZodType][])
  .filter(([field]) => !(field in FIELDS_WITHOUT_FLAG))
  .map(([field, schema]) => flagOf(field, schema));

/** A flag's text as the field's value; a sentence naming the flag when it cannot be read. */
function parseValue(row: ConfigFlag, raw: unknown): { ok: true; value: unknown } | { ok: false; problem: string } {
  if (row.value.kind === 'switch') return { ok: true, value: raw === true };
  const text = String(raw).trim();
  const number = (t: string): number | null => (t.trim() === '' || !Number.isFinite(Number(t)) ? null : Number(t));
  switch (row.value.kind) {
    case 'number': {
      const n = number(text);
      return n === null ? { ok: false, problem: `${row.flag} takes a number, not "${text}".` } : { ok: true, value: n };
    }
    case 'numbers':
    case 'number-list': {
      const parts = text.split(',').map(number);
      if (parts.some((n) => n === null)) return { ok: false, problem: `${row.flag} takes comma-separated numbers, not "${text}".` };
      if (row.value.kind === 'numbers') return { ok: true, value: parts };
      const keys = row.value.keys;
      if (parts.length !== keys.length) return { ok: false, problem: `${row.flag} takes ${keys.length} numbers (${keys.join(',')}), not "${text}".` };
      return { ok: true, value: Object.fromEntries(keys.map((k, i) => [k, parts[i]])) };
    }
    case 'texts':
      return { ok: true, value: text.split(',').map((t) => t.trim()) };
    default:
      return { ok: true, value: text };
  }
}

/** Adds every config flag to a command. */
export function addTrainingConfigFlags(command: { addOption(option: Option): unknown }): void {
  for (const row of TRAINING_CONFIG_FLAGS) for (const option of row.options) command.addOption(option);
}

/** The fields the command line set, by field; only flags actually given appear. */
export function configFromFlags(opts: Record<string, unknown>): { config: Partial<Record<TrainingConfigField, unknown>>; problems: string[] } {
  const config: Partial<Record<TrainingConfigField, unknown>> = {};
  const problems: string[] = [];
  for (const row of TRAINING_CONFIG_FLAGS) {
    const raw = opts[row.options[0]!.attributeName()];
    if (raw === undefined) continue;
    const parsed = parseValue(row, raw);
    if (parsed.ok) config[row.field] = parsed.value;
    else problems.push(parsed.problem);
  }
  return { config, problems };
}

/** A `--config` file: a JSON object with any subset of the config's fields. */
export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`The config file ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`The config file ${path} is not JSON: ${(e as Error).message}.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`The config file ${path} must hold one JSON object of settings, e.g. {"model": "lstm", "epochs": 20}.`);
  return value as Record<string, unknown>;
}

/**
 * The run's config from a `--config` file and the flags, flags winning field by field; every
 * problem is a sentence naming the flag, or the field and the file, that it came from.
 */
export function mergeTrainingConfig(file: { path: string; config: Record<string, unknown> } | null, flags: Partial<Record<TrainingConfigField, unknown>>): { ok: true; config: TrainingConfig } | { ok: false; problems: string[] } {
  const merged = { ...(file?.config ?? {}), ...flags } as TrainingConfigInput;
  const parsed = trainingConfigSchema.safeParse(merged);
  if (parsed.success) return { ok: true, config: parsed.data };
  const fileName = file ? basename(file.path) : null;
  const nameOf = (path: readonly PropertyKey[]): string => {
    const field = path[0] as TrainingConfigField | undefined;
    if (field === undefined) return fileName ?? 'The config';
    const row = TRAINING_CONFIG_FLAGS.find((r) => r.field === field);
    const inner = path.length > 1 ? ` (${path.slice(1).map(String).join('.')})` : '';
    if (field in flags && row) return `${row.flag}${inner}`;
    if (fileName && field in (file?.config ?? {})) return `"${path.map(String).join('.')}" in ${fileName}`;
    return row ? `${row.flag}${inner}` : path.map(String).join('.');
  };
  return { ok: false, problems: trainingConfigProblems(parsed.error, nameOf) };
}

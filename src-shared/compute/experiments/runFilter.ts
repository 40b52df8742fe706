/**
 * Filtering and sorting many runs for the Runs view and `candela runs --filter`. A run is flattened
 * into one record of named values (its config fields, its metrics) so that one small query language
 * reaches every field, and the query is compiled once into predicates: filtering a thousand runs is
 * a thousand passes over a handful of closures, not a re-parse per run.
 *
 * The query language, clauses separated by spaces (all must hold):
 * - `field op value` with op one of `=`, `!=`, `<`, `<=`, `>`, `>=`, `~` (contains, case-insensitive),
 *   e.g. `lr<0.01`, `model=gru`, `accuracy>=0.55`, `split.train=0.7`. Numbers compare as numbers,
 *   `true`/`false` as booleans, anything else as text (case-insensitive). Quote a value with spaces:
 *   `name~"seed 3"`.
 * - `tag=x` holds when the run carries tag x (`tag~x`: a tag containing x; `tag!=x`: none equals x).
 * - `sweep=3` compares the run's sweep id; `sweep=none` keeps runs outside any sweep.
 * - a bare word keeps runs whose name, model, status or tags contain it.
 * A run without the field (e.g. no evaluation yet, so no accuracy) fails every comparison but `!=`.
 */

/** A value a run can hold in one field. */
export type RunFieldValue = number | string | boolean | null;

/** A run as the filter sees it. */
export interface RunRecord {
  readonly id: number;
  readonly name: string;
  readonly status: string;
  readonly model: string;
  readonly tags: readonly string[];
  readonly sweepId: number | null;
  /** Config fields (nested objects flattened with dots, e.g. `split.train`) and metrics by name. */
  readonly values: Readonly<Record<string, RunFieldValue>>;
}

export type RunQueryOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | '~';

export interface RunQueryClause {
  /** The field as written in `values`, or 'tag', 'sweep', or null for a bare word. */
  readonly field: string | null;
  readonly op: RunQueryOperator;
  readonly value: string;
}

/** A query that cannot be read, with the sentence that says why. */
export class RunQueryError extends Error {
  override name = 'RunQueryError';
}

const CLAUSE = /^([A-Za-z_][\w.]*)\s*(>=|<=|!=|=|<|>|~)\s*(.*)$/;

function tokens(text: string): string[] {
  const out: string[] = [];
  // A token is a run of non-space characters, with double-quoted stretches kept whole.
  const re = /(?:[^\s"]+|"[^"]*")+/g;
  for (const m of text.matchAll(re)) out.push(m[0]);
  if ((text.match(/"/g)?.length ?? 0) % 2 === 1) throw new RunQueryError('The filter has an unclosed quote (").');
  return out;
}

/** Fields every run has besides its values. */
const BUILT_IN = ['tag', 'sweep', 'name', 'status', 'model', 'id'] as const;

/** Levenshtein distance, for "did you mean" on a misspelt field. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

const unquote = (s: string): string => s.replace(/"/g, '');

/**
 * Reads a query. `fields` are the names runs can be filtered by (matched case-insensitively and
 * returned as spelled there); an unknown field is refused with the closest names.
 */
export function parseRunQuery(text: string, fields: Iterable<string>): RunQueryClause[] {
  const known = new Map<string, string>();
  for (const f of fields) known.set(f.toLowerCase(), f);
  for (const f of BUILT_IN) known.set(f, f);
  return tokens(text).map((token) => {
    const m = CLAUSE.exec(token);
    if (!m) return { field: null, op: '~', value: unquote(token).toLowerCase() };
    const [, rawField, op, rawValue] = m as unknown as [string, string, RunQueryOperator, string];
    const field = known.get(rawField.toLowerCase());
    if (!field) {
      const want = rawField.toLowerCase();
      const near = [...known.values()].filter((f) => editDistance(f.toLowerCase(), want) <= 2 || (want.length >= 3 && f.toLowerCase().includes(want))).slice(0, 5);
      throw new RunQueryError(`No run has a field named "${rawField}"${near.length ? `; did you mean ${near.join(', ')}?` : '.'}`);
    }
    const value = unquote(rawValue);
    if (value === '') throw new RunQueryError(`"${token}" compares ${field} with nothing; write a value after ${op}.`);
    if ((op === '<' || op === '<=' || op === '>' || op === '>=') && field !== 'sweep' && !Number.isFinite(Number(value))) {
      throw new RunQueryError(`"${token}": ${op} needs a number, not "${value}".`);
    }
    return { field, op, value };
  });
}

type Predicate = (r: RunRecord) => boolean;

function compareNumber(a: number, op: RunQueryOperator, b: number): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '~':
      return String(a).includes(String(b));
  }
}

/** One clause as a predicate on a single value (null: the run lacks the field). */
function valueTest(op: RunQueryOperator, raw: string): (v: RunFieldValue) => boolean {
  const lower = raw.toLowerCase();
  const n = Number(raw);
  const isNumber = raw.trim() !== '' && Number.isFinite(n);
  const bool = lower === 'true' ? true : lower === 'false' ? false : null;
  return (v) => {
    if (v === null || v === undefined) return op === '!=';
    if (typeof v === 'number') return isNumber ? compareNumber(v, op, n) : op === '~' ? String(v).includes(lower) : op === '!=';
    if (typeof v === 'boolean') return bool === null ? op === '!=' : op === '=' ? v === bool : op === '!=' ? v !== bool : false;
    const s = v.toLowerCase();
    if (op === '~') return s.includes(lower);
    if (op === '=') return s === lower;
    if (op === '!=') return s !== lower;
    // Text ordered only where both sides are numbers written as text (e.g. a timeframe never is).
    const sn = Number(v);
    return isNumber && Number.isFinite(sn) ? compareNumber(sn, op, n) : false;
  };
}

function compile(clause: RunQueryClause): Predicate {
  const { field, op, value } = clause;
  if (field === null) {
    return (r) => r.name.toLowerCase().includes(value) || r.model.toLowerCase().includes(value) || r.status.toLowerCase().includes(value) || r.tags.some((t) => t.toLowerCase().includes(value));
  }
  if (field === 'tag') {
    const test = valueTest(op === '!=' ? '=' : op, value);
    return op === '!=' ? (r) => !r.tags.some(test) : (r) => r.tags.some(test);
  }
  if (field === 'sweep') {
    if (value.toLowerCase() === 'none') return op === '!=' ? (r) => r.sweepId !== null : (r) => r.sweepId === null;
    const test = valueTest(op, value);
    return (r) => test(r.sweepId);
  }
  const test = valueTest(op, value);
  if (field === 'name' || field === 'status' || field === 'model' || field === 'id') return (r) => test(r[field]);
  return (r) => test(r.values[field] ?? null);
}

/** The runs every clause holds for, in their given order. */
export function filterRuns<R extends RunRecord>(runs: readonly R[], clauses: readonly RunQueryClause[]): R[] {
  if (clauses.length === 0) return runs.slice();
  const predicates = clauses.map(compile);
  const out: R[] = [];
  for (const r of runs) {
    let keep = true;
    for (const p of predicates) {
      if (!p(r)) {
        keep = false;
        break;
      }
    }
    if (keep) out.push(r);
  }
  return out;
}

/** Every field name the runs carry, sorted: what a filter may name. */
export function runFields(runs: readonly RunRecord[]): string[] {
  const names = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r.values)) names.add(k);
  return [...names].sort();
}

/** A sort key: 'id', 'name', 'status', 'model', 'sweep' or any field of `values`. */
export type RunSortKey = string;

function sortValue(r: RunRecord, key: RunSortKey): RunFieldValue {
  switch (key) {
    case 'id':
      return r.id;
    case 'name':
      return r.name;
    case 'status':
      return r.status;
    case 'model':
      return r.model;
    case 'sweep':
      return r.sweepId;
    default:
      return r.values[key] ?? null;
  }
}

/**
 * Runs ordered by one key; runs without a value for it come last in either direction, and ties
 * keep the id order (newest first), so a sort never shuffles equal rows between renders.
 */
export function sortRuns<R extends RunRecord>(runs: readonly R[], key: RunSortKey, direction: 'asc' | 'desc'): R[] {
  const sign = direction === 'asc' ? 1 : -1;
  // Keys read once per run, not once per comparison.
  const keyed = runs.map((r) => ({ r, v: sortValue(r, key) }));
  keyed.sort((a, b) => {
    const av = a.v;
    const bv = b.v;
    if (av === null || bv === null) return av === bv ? b.r.id - a.r.id : av === null ? 1 : -1;
    let c: number;
    if (typeof av === 'number' && typeof bv === 'number') c = av - bv;
    else if (typeof av === 'boolean' && typeof bv === 'boolean') c = Number(av) - Number(bv);
    else c = String(av).localeCompare(String(bv), undefined, { numeric: true });
    return c !== 0 ? sign * c : b.r.id - a.r.id;
  });
  return keyed.map((k) => k.r);
}

/**
 * A run's config as flat fields: nested objects by dotted path (`split.train`), arrays as their
 * JSON text (`datasetIds` = "[1,2]"), so every setting is one filterable, diffable value.
 */
export function flattenConfig(config: Readonly<Record<string, unknown>>, prefix = ''): Record<string, RunFieldValue> {
  const out: Record<string, RunFieldValue> = {};
  for (const [k, v] of Object.entries(config)) {
    const name = prefix ? `${prefix}.${k}` : k;
    if (v === undefined) continue;
    if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[name] = v;
    else if (Array.isArray(v)) out[name] = JSON.stringify(v);
    else if (typeof v === 'object') Object.assign(out, flattenConfig(v as Record<string, unknown>, name));
  }
  return out;
}

/** One field of a config diff: its value in each compared run, in their order (null where absent). */
export interface ConfigDifference {
  readonly field: string;
  readonly values: readonly RunFieldValue[];
}

/**
 * The fields whose values are not the same in every one of the configs (absent counts as a
 * value of its own), sorted by name. Identical configs give an empty list.
 */
export function configDiff(configs: readonly Readonly<Record<string, unknown>>[]): ConfigDifference[] {
  const flat = configs.map((c) => flattenConfig(c));
  const names = new Set<string>();
  for (const f of flat) for (const k of Object.keys(f)) names.add(k);
  const out: ConfigDifference[] = [];
  for (const field of [...names].sort()) {
    const values = flat.map((f) => (field in f ? f[field]! : null));
    const first = JSON.stringify(field in flat[0]! ? values[0] : undefined);
    if (flat.some((f, i) => JSON.stringify(field in f ? values[i] : undefined) !== first)) out.push({ field, values });
  }
  return out;
}

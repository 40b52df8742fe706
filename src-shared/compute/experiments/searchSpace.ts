/**
 * A sweep's search space: named training-config fields, each a choice, an integer range or a float
 * range (optionally on a log scale). The JSON form is the one `space.json` uses in issue 13:
 * `{"lr": {"float": [0.0001, 0.01], "log": true}, "hidden": {"choice": [16, 32, 64]},
 * "window": {"int": [16, 64]}}`; {@link parseSearchSpace} turns it into the typed form below and
 * says precisely what is wrong with a bad one, so the CLI and the UI form can show the message.
 */

/** A value a parameter can take; choices may also be strings or booleans (e.g. a model name). */
export type ParamValue = number | string | boolean;

/** One sampled configuration: field name → value. */
export type TrialParams = Record<string, ParamValue>;

/** A finite set of values, unordered (TPE treats it as categorical). */
export interface ChoiceParam {
  readonly kind: 'choice';
  readonly values: readonly ParamValue[];
}

/** Integers in [low, high] on the grid low, low + step, …; `log` samples uniformly in ln(x). */
export interface IntParam {
  readonly kind: 'int';
  readonly low: number;
  readonly high: number;
  /** Default 1. Must divide high − low. Not allowed together with `log`. */
  readonly step?: number;
  /** Requires low ≥ 1. */
  readonly log?: boolean;
}

/** Reals in [low, high]; `log` samples uniformly in ln(x) (learning rates, weight decay). */
export interface FloatParam {
  readonly kind: 'float';
  readonly low: number;
  readonly high: number;
  /** Requires low > 0. */
  readonly log?: boolean;
}

export type ParamSpec = ChoiceParam | IntParam | FloatParam;

/** Field name → parameter; the insertion order of the fields fixes the grid's enumeration order. */
export type SearchSpace = Readonly<Record<string, ParamSpec>>;

/** A search space that does not make sense; `path` names the field (e.g. `lr.float`). */
export class SearchSpaceError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'SearchSpaceError';
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isParamValue(v: unknown): v is ParamValue {
  return (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string' || typeof v === 'boolean';
}

function range(name: string, key: 'int' | 'float', v: unknown): [number, number] {
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'number' || typeof v[1] !== 'number') {
    throw new SearchSpaceError(`${name}.${key}`, `expected [low, high], two numbers`);
  }
  return [v[0], v[1]];
}

/**
 * Parses the JSON form of a search space (the `params` object of `space.json`) and validates it
 * with {@link validateSearchSpace}. Each field is exactly one of `{"choice": [...]}`,
 * `{"int": [low, high], "step"?: n, "log"?: bool}`, `{"float": [low, high], "log"?: bool}`.
 *
 * @throws SearchSpaceError naming the offending field.
 */
export function parseSearchSpace(json: unknown): SearchSpace {
  if (!isRecord(json)) throw new SearchSpaceError('params', 'expected an object of field → parameter');
  const space: Record<string, ParamSpec> = {};
  for (const [name, raw] of Object.entries(json)) {
    if (!isRecord(raw)) throw new SearchSpaceError(name, 'expected {"choice": [...]}, {"int": [low, high]} or {"float": [low, high]}');
    const kinds = (['choice', 'int', 'float'] as const).filter((k) => k in raw);
    if (kinds.length !== 1) throw new SearchSpaceError(name, 'give exactly one of "choice", "int", "float"');
    const allowed = new Set([kinds[0], 'log', ...(kinds[0] === 'int' ? ['step'] : [])]);
    for (const key of Object.keys(raw)) if (!allowed.has(key)) throw new SearchSpaceError(`${name}.${key}`, 'unknown key');
    if (raw.log !== undefined && typeof raw.log !== 'boolean') throw new SearchSpaceError(`${name}.log`, 'expected true or false');
    const log = raw.log === true;
    if (kinds[0] === 'choice') {
      if (log) throw new SearchSpaceError(`${name}.log`, 'a choice has no scale');
      const values = raw.choice;
      if (!Array.isArray(values) || !values.every(isParamValue)) {
        throw new SearchSpaceError(`${name}.choice`, 'expected an array of numbers, strings or booleans');
      }
      space[name] = { kind: 'choice', values: [...values] };
    } else if (kinds[0] === 'int') {
      const [low, high] = range(name, 'int', raw.int);
      if (raw.step !== undefined && typeof raw.step !== 'number') throw new SearchSpaceError(`${name}.step`, 'expected a number');
      space[name] = { kind: 'int', low, high, ...(raw.step === undefined ? {} : { step: raw.step }), ...(log ? { log } : {}) };
    } else {
      const [low, high] = range(name, 'float', raw.float);
      space[name] = { kind: 'float', low, high, ...(log ? { log } : {}) };
    }
  }
  validateSearchSpace(space);
  return space;
}

/**
 * Checks a typed search space: at least one field; choices non-empty and without duplicates; ranges
 * finite with low ≤ high; int bounds and step integers with the step dividing the range; log
 * scales positive (int: low ≥ 1), and no step with log (the grid would not be uniform in either).
 *
 * @throws SearchSpaceError naming the offending field.
 */
export function validateSearchSpace(space: SearchSpace): void {
  const names = Object.keys(space);
  if (names.length === 0) throw new SearchSpaceError('params', 'the search space has no parameter');
  for (const name of names) {
    const p = space[name];
    if (p.kind === 'choice') {
      if (p.values.length === 0) throw new SearchSpaceError(`${name}.choice`, 'needs at least one value');
      if (new Set(p.values).size !== p.values.length) throw new SearchSpaceError(`${name}.choice`, 'has a duplicate value');
      continue;
    }
    const key = `${name}.${p.kind}`;
    if (!Number.isFinite(p.low) || !Number.isFinite(p.high)) throw new SearchSpaceError(key, 'bounds must be finite');
    if (p.low > p.high) throw new SearchSpaceError(key, `low ${p.low} is above high ${p.high}`);
    if (p.kind === 'int') {
      if (!Number.isInteger(p.low) || !Number.isInteger(p.high)) throw new SearchSpaceError(key, 'bounds must be integers');
      const step = p.step ?? 1;
      if (!Number.isInteger(step) || step < 1) throw new SearchSpaceError(`${name}.step`, 'must be a positive integer');
      if ((p.high - p.low) % step !== 0) throw new SearchSpaceError(`${name}.step`, `${step} does not divide high − low = ${p.high - p.low}`);
      if (p.log && p.step !== undefined && p.step !== 1) throw new SearchSpaceError(`${name}.step`, 'a log-scale range cannot have a step');
      if (p.log && p.low < 1) throw new SearchSpaceError(key, 'a log-scale integer range needs low ≥ 1');
    } else if (p.log && p.low <= 0) {
      throw new SearchSpaceError(key, 'a log-scale range needs low > 0');
    }
  }
}

/**
 * The parameter's internal coordinate, in which samplers work: ln(x) on a log scale, x otherwise;
 * for choices, the index of the value (−1 when the value is not one of them).
 */
export function toInternal(p: ParamSpec, value: ParamValue): number {
  if (p.kind === 'choice') return p.values.indexOf(value);
  if (typeof value !== 'number') return Number.NaN;
  return p.log ? Math.log(value) : value;
}

/**
 * Maps an internal coordinate back to a valid value: exp on a log scale, then clamped to the
 * bounds, and for ints rounded to the step grid (rounding in the original scale, so a log-scale
 * int keeps every integer reachable).
 */
export function fromInternal(p: IntParam | FloatParam, x: number): number {
  let v = p.log ? Math.exp(x) : x;
  if (p.kind === 'int') {
    const step = p.step ?? 1;
    v = p.low + Math.round((v - p.low) / step) * step;
  }
  return Math.min(p.high, Math.max(p.low, v));
}

/**
 * The interval samplers work on for a numeric parameter, in internal coordinates. Integers are
 * widened by half a step on each side (half a unit in ln(x) terms on a log scale: ln(low − ½),
 * ln(high + ½)), so that rounding gives the end values as much mass as the inner ones — Optuna's
 * `_transform` does the same.
 */
export function internalBounds(p: IntParam | FloatParam): [number, number] {
  if (p.kind === 'float') return p.log ? [Math.log(p.low), Math.log(p.high)] : [p.low, p.high];
  const half = (p.step ?? 1) / 2;
  return p.log ? [Math.log(p.low - 0.5), Math.log(p.high + 0.5)] : [p.low - half, p.high + half];
}

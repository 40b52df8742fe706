/**
 * The Runs view's rows, comparisons and HParams data, built in the DB worker from one pass over the
 * runs and their newest evaluations and backtests (db/queries/runGroups.ts). Filtering, sorting,
 * diffing and the importance forest are the pure functions of src-shared/compute/experiments.
 */
import { configDiff, filterRuns, flattenConfig, forestImportance, parseRunQuery, RunQueryError, runFields, sortRuns, type RunFieldValue } from '../../src-shared/compute/experiments/index.js';
import { ContractFailure } from '../../src-shared/contract/result.js';
import type { CompareRun, HParams, RunComparison, RunMetricName, RunMetrics, RunRow } from '../../src-shared/contract/runs.js';
import { isFinishedRunStatus, type RunSummary } from '../../src-shared/contract/training.js';
import type { Db } from '../db/connection.js';
import { runFacts, runTags, type RunFacts } from '../db/queries/runGroups.js';
import { getRun, listRuns } from '../db/queries/runs.js';
import { evaluateRun } from '../evaluation/evaluateRun.js';

/** The stored `ensemble` key of an ensemble's config (see ensemble.ts). */
export interface EnsembleMarker {
  runIds: number[];
  weights: number[];
  weighting: 'equal' | 'validation';
}

/** Config keys that only say how a run was made, not what it is; left out of filters and diffs. */
const NOT_SETTINGS = new Set(['ensemble', 'extraColumns']);

export function settingsOf(configJson: string): { config: Record<string, unknown>; ensemble: EnsembleMarker | null } {
  const raw = JSON.parse(configJson) as Record<string, unknown>;
  const ensemble = (raw.ensemble as EnsembleMarker | undefined) ?? null;
  const config = Object.fromEntries(Object.entries(raw).filter(([k]) => !NOT_SETTINGS.has(k)));
  return { config, ensemble };
}

export function metricsOf(f: RunFacts): RunMetrics {
  return {
    accuracy: { value: f.accuracy, low: f.accuracyLow, high: f.accuracyHigh },
    macroAuc: { value: f.macroAuc, low: f.macroAucLow, high: f.macroAucHigh },
    majorityAccuracy: { value: f.majorityAccuracy, low: f.majorityLow, high: f.majorityHigh },
    macroF1: f.macroF1,
    logLoss: f.logLoss,
    brier: f.brier,
    samples: f.samples,
    sharpe: f.sharpe,
    backtestId: f.backtestId,
    bestValLoss: f.bestValLoss,
    bestValAcc: f.bestValAcc,
  };
}

/** The metrics as the flat numbers a filter, sort or the HParams view names. */
export function metricValues(m: RunMetrics): Record<RunMetricName, number | null> {
  return {
    accuracy: m.accuracy.value,
    accuracyLow: m.accuracy.low,
    accuracyHigh: m.accuracy.high,
    majorityAccuracy: m.majorityAccuracy.value,
    macroAuc: m.macroAuc.value,
    macroF1: m.macroF1,
    logLoss: m.logLoss,
    brier: m.brier,
    sharpe: m.sharpe,
    bestValLoss: m.bestValLoss,
    bestValAcc: m.bestValAcc,
  };
}

function rowOf(summary: RunSummary, facts: RunFacts, tags: string[]): RunRow {
  const { config, ensemble } = settingsOf(facts.configJson);
  const metrics = metricsOf(facts);
  const derived = [...(ensemble ? ['ensemble'] : []), ...(facts.seedGroupId !== null ? [`seeds-${facts.seedGroupId}`] : [])];
  return {
    summary,
    tags: [...tags, ...derived.filter((t) => !tags.includes(t))],
    sweepId: summary.sweepId ?? null,
    seedGroupId: facts.seedGroupId,
    ensembleOf: ensemble?.runIds ?? null,
    metrics,
    values: { ...flattenConfig(config), model: summary.model, timeframe: summary.timeframe, symbols: summary.datasets.map((d) => d.symbol).join(','), ...metricValues(metrics) },
  };
}

/** Every run as a row of the Runs view, newest first. */
export function allRunRows(db: Db): RunRow[] {
  const facts = new Map(runFacts(db).map((f) => [f.id, f]));
  const tags = runTags(db);
  return listRuns(db).flatMap((s) => {
    const f = facts.get(s.id);
    return f ? [rowOf(s, f, tags.get(s.id) ?? [])] : [];
  });
}

/** The rows a filter keeps, sorted; a filter that cannot be read is refused with its sentence. */
export function listRunRows(db: Db, filter: string, sort: { key: string; direction: 'asc' | 'desc' }): { rows: RunRow[]; total: number; fields: string[] } {
  const all = allRunRows(db);
  const records = all.map((r) => ({ id: r.summary.id, name: r.summary.name, status: r.summary.status, model: r.summary.model, tags: r.tags, sweepId: r.sweepId, values: r.values, row: r }));
  const fields = runFields(records);
  let clauses;
  try {
    clauses = parseRunQuery(filter, fields);
  } catch (e) {
    if (e instanceof RunQueryError) throw new ContractFailure('BAD_REQUEST', e.message);
    throw e;
  }
  const sortable = new Set([...fields, 'id', 'name', 'status', 'model', 'sweep']);
  if (!sortable.has(sort.key)) throw new ContractFailure('BAD_REQUEST', `Runs cannot be sorted by "${sort.key}"; sort by id, name, status, model, sweep or a field such as accuracy or lr.`);
  return { rows: sortRuns(filterRuns(records, clauses), sort.key, sort.direction).map((r) => r.row), total: all.length, fields };
}

/**
 * Finished runs among `runIds` that have never been evaluated are evaluated now (and stored), so a
 * comparison never shows a finished run without its numbers. A sweep's trials are left alone: their
 * test split is sealed, and only the sweep opens it, for its winner.
 */
export async function evaluateMissing(db: Db, runIds: readonly number[], now: number): Promise<number[]> {
  const done: number[] = [];
  for (const f of runFacts(db, runIds)) {
    if (f.evaluationId !== null) continue;
    const run = getRun(db, f.id);
    if (!run || !isFinishedRunStatus(run.status) || run.sweepId !== undefined) continue;
    try {
      await evaluateRun(db, f.id, now);
      done.push(f.id);
    } catch (e) {
      // A run whose predictions are gone is shown without numbers rather than failing the whole view.
      if (!(e instanceof ContractFailure)) throw e;
    }
  }
  return done;
}

function requireRuns(db: Db, runIds: readonly number[]): void {
  const missing = runIds.filter((id) => !getRun(db, id));
  if (missing.length) throw new ContractFailure('NOT_FOUND', `${missing.length === 1 ? 'Run' : 'Runs'} ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist.`);
}

/** Runs side by side: metrics with their intervals, curves, and only the config fields that differ. */
export async function compareRuns(db: Db, runIds: readonly number[], now: number): Promise<RunComparison> {
  const ids = [...new Set(runIds)];
  requireRuns(db, ids);
  const evaluatedNow = await evaluateMissing(db, ids, now);
  const facts = new Map(runFacts(db, ids).map((f) => [f.id, f]));
  const configs: Record<string, unknown>[] = [];
  const runs: CompareRun[] = ids.map((id) => {
    const run = getRun(db, id)!;
    const f = facts.get(id)!;
    configs.push(settingsOf(f.configJson).config);
    return { runId: id, name: run.name, status: run.status, model: run.model, timeframe: run.timeframe, metrics: metricsOf(f), verdict: run.verdict, epochs: run.epochs };
  });
  return { runs, configDiff: configDiff(configs).map((d) => ({ field: d.field, values: [...d.values] })), evaluatedNow };
}

/**
 * Parallel-coordinates data and per-parameter importance for one metric over the selected runs.
 * Only config fields that vary among the runs that have the metric are parameters; text and
 * boolean fields become the index of their value among the sorted distinct values.
 */
export function hparams(db: Db, runIds: readonly number[], metric: RunMetricName): HParams {
  const ids = [...new Set(runIds)];
  requireRuns(db, ids);
  const facts = runFacts(db, ids);
  const kept: { id: number; value: number; config: Record<string, unknown> }[] = [];
  const leftOut: number[] = [];
  for (const f of facts) {
    const v = metricValues(metricsOf(f))[metric];
    if (v === null || !Number.isFinite(v)) leftOut.push(f.id);
    else kept.push({ id: f.id, value: v, config: settingsOf(f.configJson).config });
  }
  const diff = kept.length >= 2 ? configDiff(kept.map((k) => k.config)) : [];
  const dimensions: HParams['dimensions'] = diff.map(({ field, values }) => {
    if (values.every((v) => typeof v === 'number')) return { field, kind: 'number' as const, categories: null, values: values as number[] };
    const label = (v: RunFieldValue) => (v === null ? '(none)' : String(v));
    const categories = [...new Set(values.map(label))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    return { field, kind: 'category' as const, categories, values: values.map((v) => categories.indexOf(label(v))) };
  });
  let importance: HParams['importance'] = null;
  let importanceUnavailable: string | null = null;
  if (kept.length < 4) importanceUnavailable = `Importance needs at least 4 runs with ${metric}; ${kept.length} of the selected runs have it.`;
  else if (dimensions.length === 0) importanceUnavailable = 'The selected runs share every setting; there is nothing to rank.';
  else {
    const p = dimensions.length;
    const x = new Float64Array(kept.length * p);
    dimensions.forEach((d, j) => d.values.forEach((v, i) => (x[i * p + j] = v)));
    const f = forestImportance(x, p, Float64Array.from(kept, (k) => k.value), { seed: 1 });
    importance = { parameters: f.parameters.map((q, j) => ({ field: dimensions[j]!.field, ...q })), oobMse: f.oobMse, variance: f.variance, trees: f.trees };
  }
  return { metric, runIds: kept.map((k) => k.id), values: kept.map((k) => k.value), leftOut, dimensions, importance, importanceUnavailable };
}

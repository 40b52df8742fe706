/**
 * What a run will train on, decided before it is created: the bar size every chosen dataset can
 * reach (finer ones rolled up to it), the feature columns (the feature set, plus the extra
 * columns every dataset has, when asked), and the samples each split would hold. Anything that
 * would stop the run in its training process is found here and said in a sentence, so a run is
 * never created only to fail at epoch 0. Runs in main: no tfjs, a few small queries and the
 * features of each dataset's first bars (their warm-up).
 */
import { computeFeatureMatrix, resolveFeatureNames, type FeatureSetName, type OhlcvColumns } from '../../../src-shared/compute/features/index.js';
import type { TrainingConfig, TrainingPlan } from '../../../src-shared/contract/training.js';
import { msToTimeframe, timeframeToMs } from '../../../src-shared/domain/timeframe.js';
import type { DbClient } from '../../services/dbWorkerOps.js';
import type { TrainingPlanFacts } from '../../db/queries/trainingData.js';
import { plannedSampleCounts } from '../loop/prepareTrainingData.js';
import { dataSpecFromContract } from '../loop/dataSpec.js';
// The zoo's config module only: its index would load tfjs, which main never does.
import { validateModelConfig } from '../models/config.js';
import { runSymbolLabels } from '../loop/runSymbols.js';
import { pluralize } from '../../../src-shared/compute/health/describeHealth.js';

/** Bars read to measure the features' warm-up; the longest look-back in the catalog is far shorter. */
const WARMUP_PROBE_BARS = 2_000;

const listNames = (names: readonly string[]) => (names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);

/** Bar sizes one dataset can be trained at: its own, and each roll-up built at import, with their bar counts. */
function reachable(d: TrainingPlanFacts): Map<number, number> {
  const m = new Map<number, number>([[d.timeframeMs, d.rows]]);
  for (const r of d.rollups) if (r.timeframeMs > d.timeframeMs) m.set(r.timeframeMs, r.bars);
  return m;
}

/** A dataset as sentences name it: its symbol, with its id where the run holds the same symbol twice. */
type Named = TrainingPlanFacts & { name: string };
const label = (d: Named) => `${d.name} (${msToTimeframe(d.timeframeMs)})`;

/** Chooses the run's bar size; returns it (null when none works) and the sentences that refuse the others. */
function chooseTimeframe(facts: readonly Named[], asked: string | undefined, common: number[]): { tf: number | null; problems: string[] } {
  if (asked === undefined) {
    const coarsest = Math.max(...facts.map((d) => d.timeframeMs));
    if (common.includes(coarsest)) return { tf: coarsest, problems: [] };
    const stuck = facts.filter((d) => !reachable(d).has(coarsest));
    return {
      tf: null,
      problems: [
        `${listNames(stuck.map(label))} cannot be rolled up to ${msToTimeframe(coarsest)}, the bar size of the coarsest dataset chosen${common.length ? `; choose a timeframe all can reach (${common.map(msToTimeframe).join(', ')})` : ', and the datasets share no timeframe; train them in separate runs'}.`,
      ],
    };
  }
  const tf = timeframeToMs(asked);
  if (tf === null) return { tf: null, problems: [`"${asked}" is not a timeframe; use one like 5m, 1h, 1d or 1w.`] };
  const coarser = facts.filter((d) => d.timeframeMs > tf);
  const problems: string[] = [];
  if (coarser.length) {
    problems.push(`${listNames(coarser.map(label))} ${coarser.length === 1 ? 'is' : 'are'} coarser than ${msToTimeframe(tf)} and cannot be split into finer bars; choose ${msToTimeframe(Math.max(...coarser.map((d) => d.timeframeMs)))} or coarser, or leave ${coarser.length === 1 ? 'it' : 'them'} out.`);
  }
  const noRollup = facts.filter((d) => d.timeframeMs <= tf && !reachable(d).has(tf));
  if (noRollup.length) {
    problems.push(`${listNames(noRollup.map(label))} ${noRollup.length === 1 ? 'has' : 'have'} no ${msToTimeframe(tf)} roll-up (roll-ups are built at import for 5m, 15m, 1h, 4h, 1d and 1w where the bar size divides them)${common.length ? `; timeframes all chosen datasets reach: ${common.map(msToTimeframe).join(', ')}` : ''}.`);
  }
  return { tf: problems.length ? null : tf, problems };
}

/** The run's extra columns: those every dataset has (when asked for), and why each other one is left out. */
function chooseExtras(facts: readonly Named[], include: boolean): { used: string[]; leftOut: TrainingPlan['extrasLeftOut'] } {
  const all = [...new Set(facts.flatMap((d) => d.extraColumns))].sort();
  if (!include) return { used: [], leftOut: all.map((column) => ({ column, reason: 'extra columns are off for this run (turn on "Use extra columns" or pass --extras)' })) };
  const used: string[] = [];
  const leftOut: TrainingPlan['extrasLeftOut'] = [];
  for (const column of all) {
    const lacking = facts.filter((d) => !d.extraColumns.includes(column));
    if (lacking.length === 0) used.push(column);
    else leftOut.push({ column, reason: `not in ${listNames(lacking.map((d) => d.name))}; a run uses only the extra columns every dataset has` });
  }
  return { used, leftOut };
}

/** Plans a run of `config` over the workspace's datasets (see the module comment). */
/** The sentence for datasets a config names that the workspace does not have. */
export function missingDatasetsSentence(missing: readonly number[]): string {
  return `Dataset${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'do' : 'does'} not exist.`;
}

/** The facts of the config's datasets, named as the run will name them, and the ids not found. */
async function namedFacts(db: DbClient, config: TrainingConfig): Promise<{ facts: Named[]; missing: number[] }> {
  const found = await db.trainingPlanFacts(config.datasetIds);
  const present = found.filter((d): d is TrainingPlanFacts => d !== null);
  const names = runSymbolLabels(present);
  return { facts: present.map((d, i) => ({ ...d, name: names[i]! })), missing: config.datasetIds.filter((_, i) => !found[i]) };
}

/**
 * Only the extra columns a run of `config` would use: what the model summary needs for its input
 * width, without the plan's warm-up probe and sample counts (the summary follows every form edit).
 */
export async function planExtraColumns(db: DbClient, config: TrainingConfig): Promise<string[]> {
  return chooseExtras((await namedFacts(db, config)).facts, config.includeExtras).used;
}

export async function planTrainingRun(db: DbClient, config: TrainingConfig): Promise<TrainingPlan> {
  const { facts, missing } = await namedFacts(db, config);
  const problems: string[] = [];
  if (missing.length) problems.push(missingDatasetsSentence(missing));
  const reach = facts.map(reachable);
  const common = facts.length ? [...reach[0]!.keys()].filter((tf) => reach.every((r) => r.has(tf))).sort((a, b) => a - b) : [];
  const chosen = facts.length ? chooseTimeframe(facts, config.timeframe, common) : { tf: null, problems: [] };
  problems.push(...chosen.problems);
  const tf = chosen.tf;

  const { used, leftOut } = chooseExtras(facts, config.includeExtras);
  const featureSet = config.featureSet as FeatureSetName;
  const extrasStub: OhlcvColumns | undefined = used.length ? ({ ts: new Float64Array(0), open: new Float64Array(0), high: new Float64Array(0), low: new Float64Array(0), close: new Float64Array(0), volume: new Float64Array(0), extras: Object.fromEntries(used.map((c) => [c, new Float64Array(0)])) } as OhlcvColumns) : undefined;
  const features = resolveFeatureNames(featureSet, extrasStub, { includeExtras: used.length ? 'raw' : 'none' });

  const modelProblems = validateModelConfig({
    kind: config.model,
    window: config.window,
    features: features.length,
    classes: config.labels === 'up-flat-down' ? 3 : 2,
    hidden: config.hidden,
    layers: config.layers,
    dropout: config.dropout,
    magnitudeHead: config.magnitudeHead,
    seed: config.seed,
  });
  problems.push(...modelProblems.map((p) => `The ${config.model.toUpperCase()} model cannot be built: ${p}.`));

  let samples: ({ train: number; val: number; test: number } | null)[] = facts.map(() => null);
  const bars = facts.map((_, i) => (tf === null ? 0 : (reach[i]!.get(tf) ?? 0)));
  if (tf !== null && facts.length) {
    const shapes = await Promise.all(
      facts.map(async (d, i) => {
        const prefix = await db.trainingCandlePrefix(d.id, tf, WARMUP_PROBE_BARS);
        const rows = bars[i]!;
        if (!prefix || prefix.ts.length === 0) return { rows, firstValidRow: rows };
        const fm = computeFeatureMatrix(prefix, featureSet);
        // A probe whose every row is still warming up says only that the warm-up is at least that long.
        return { rows, firstValidRow: fm.firstValidRow >= fm.rows && fm.rows < rows ? rows : fm.firstValidRow };
      }),
    );
    const spec = { ...dataSpecFromContract(config), seed: config.seed };
    const counts = plannedSampleCounts(shapes, spec);
    samples = counts;
    const splitNames = ['train', 'val', 'test'] as const;
    const words = { train: 'training', val: 'validation', test: 'test' } as const;
    counts.forEach((c, i) => {
      const empty = splitNames.filter((k) => c[k] === 0);
      if (empty.length === 0) return;
      const d = facts[i]!;
      problems.push(
        `${d.name} has ${pluralize(bars[i]!, 'bar')} at ${msToTimeframe(tf)}${reach[i]!.get(tf) !== undefined && tf !== d.timeframeMs ? ` (rolled up from ${msToTimeframe(d.timeframeMs)})` : ''}: too few for a window of ${pluralize(spec.window, 'bar')} after ${shapes[i]!.firstValidRow >= bars[i]! ? 'a feature warm-up longer than that' : `a feature warm-up of ${pluralize(shapes[i]!.firstValidRow, 'bar')}`} and a horizon of ${pluralize(spec.horizon, 'bar')}, so its ${listNames(empty.map((k) => words[k]))} split${empty.length > 1 ? 's' : ''} would have no samples. Choose a shorter window or horizon, a finer timeframe, or leave it out.`,
      );
    });
  }

  return {
    timeframe: tf === null ? null : msToTimeframe(tf),
    timeframeMs: tf,
    timeframes: common.map((t) => ({ timeframe: msToTimeframe(t), timeframeMs: t })),
    datasets: facts.map((d, i) => ({
      id: d.id,
      symbol: d.name,
      sourceTimeframe: msToTimeframe(d.timeframeMs),
      rolledUp: tf !== null && tf !== d.timeframeMs,
      bars: bars[i]!,
      samples: samples[i] ?? null,
    })),
    features,
    extraColumns: used,
    extrasLeftOut: leftOut,
    problems,
  };
}

/** The config a run is created with: the plan's timeframe and extra columns written in, so a resume reads the same data. */
export function resolvedConfig(config: TrainingConfig, plan: TrainingPlan): TrainingConfig {
  return { ...config, ...(plan.timeframe ? { timeframe: plan.timeframe } : {}), extraColumns: plan.extraColumns };
}

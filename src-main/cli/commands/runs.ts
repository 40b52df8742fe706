import type { Command } from 'commander';
import type { EnsembleResult, HParams, RunComparison, RunRow, SeedGroup, SeedMetric } from '../../../src-shared/contract/runs.js';
import { RUN_METRIC_NAMES } from '../../../src-shared/contract/runs.js';
import { isoOrNull, withContract } from '../openServices.js';
import { CliError, formatTable, printJson } from '../output.js';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)} %`);
const num = (v: number | null | undefined, d = 4) => (v === null || v === undefined ? '—' : v.toFixed(d));

function runIdsOf(texts: string[]): number[] {
  return texts.map((t) => {
    const id = Number(t);
    if (!Number.isInteger(id) || id <= 0) throw new CliError(`"${t}" is not a run id; see \`candela runs\`.`);
    return id;
  });
}

const positiveInt = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag} takes a whole number of at least 1, not "${v}".`);
  return n;
};

/** `candela runs --json`: every listed run's summary (times as ISO text) with its tags, sweep, seed group and metrics. */
export function runsJson(rows: RunRow[], total: number) {
  return {
    total,
    runs: rows.map((r) => ({
      ...r.summary,
      createdAt: isoOrNull(r.summary.createdAt),
      startedAt: isoOrNull(r.summary.startedAt),
      endedAt: isoOrNull(r.summary.endedAt),
      tags: r.tags,
      sweepId: r.sweepId,
      seedGroupId: r.seedGroupId,
      ensembleOf: r.ensembleOf,
      metrics: r.metrics,
    })),
  };
}

const seedCell = (m: SeedMetric | null, fmt: (v: number) => string) =>
  m === null ? '—' : `${fmt(m.mean)}${m.std === null ? '' : ` ± ${fmt(m.std)}`}${m.interval ? `  [${fmt(m.interval.low)}, ${fmt(m.interval.high)}]` : ''}`;

export function seedGroupText(g: SeedGroup): string {
  const p = (v: number) => (v * 100).toFixed(2);
  const d = (v: number) => v.toFixed(4);
  return [
    `Seed group ${g.groupId}: run ${g.sourceRunId} repeated with ${g.seeds} seeds (${g.evaluated} evaluated)`,
    formatTable(
      ['seed', 'run', 'status'],
      g.members.map((m) => [m.seed, m.runId ?? '—', `${m.status}${m.failure ? ` (${m.failure})` : ''}`]),
    ),
    formatTable(
      ['metric', 'mean ± std  [95 % interval across seeds]'],
      [
        ['accuracy (%)', seedCell(g.metrics.accuracy, p)],
        ['macro F1 (%)', seedCell(g.metrics.macroF1, p)],
        ['log loss', seedCell(g.metrics.logLoss, d)],
        ['Brier', seedCell(g.metrics.brier, d)],
        ['backtest Sharpe', g.metrics.sharpe ? seedCell(g.metrics.sharpe, (v) => v.toFixed(2)) : 'not every seed backtested'],
        ['majority baseline (%)', seedCell(g.baselines.majority, p)],
        ['persistence baseline (%)', seedCell(g.baselines.persistence, p)],
      ],
    ),
    formatTable(
      ['against', 'verdict', 'improvement (points)', '95 % interval'],
      g.verdicts.map((v) => [v.baseline, v.verdict, (v.improvement * 100).toFixed(2), v.interval ? `${(v.interval.low * 100).toFixed(2)} to ${(v.interval.high * 100).toFixed(2)}` : '—']),
    ),
    g.sentence,
  ].join('\n');
}

/** `candela compare --json`: per run its metrics (with intervals) and the config fields that differ. */
export function compareJson(c: RunComparison) {
  return {
    runs: c.runs.map((r) => ({
      runId: r.runId,
      name: r.name,
      status: r.status,
      model: r.model,
      timeframe: r.timeframe,
      verdict: r.verdict,
      metrics: r.metrics,
      epochs: r.epochs.map((e) => ({ epoch: e.epoch, trainLoss: e.trainLoss, valLoss: e.valLoss, trainAcc: e.trainAcc, valAcc: e.valAcc })),
    })),
    configDiff: c.configDiff,
    evaluatedNow: c.evaluatedNow,
  };
}

export function compareText(c: RunComparison): string {
  const interval = (e: { value: number | null; low: number | null; high: number | null }) => `${pct(e.value)}${e.low !== null && e.high !== null ? ` [${pct(e.low)}, ${pct(e.high)}]` : ''}`;
  const headers = ['', ...c.runs.map((r) => `#${r.runId}`)];
  const rows: (string | number)[][] = [
    ['name', ...c.runs.map((r) => r.name)],
    ['status', ...c.runs.map((r) => r.status)],
    ['accuracy [95 %]', ...c.runs.map((r) => interval(r.metrics.accuracy))],
    ['majority [95 %]', ...c.runs.map((r) => interval(r.metrics.majorityAccuracy))],
    ['macro AUC', ...c.runs.map((r) => num(r.metrics.macroAuc.value))],
    ['macro F1', ...c.runs.map((r) => pct(r.metrics.macroF1))],
    ['log loss', ...c.runs.map((r) => num(r.metrics.logLoss))],
    ['Brier', ...c.runs.map((r) => num(r.metrics.brier))],
    ['backtest Sharpe', ...c.runs.map((r) => num(r.metrics.sharpe, 2))],
    ['best val loss', ...c.runs.map((r) => num(r.metrics.bestValLoss))],
    ['verdict', ...c.runs.map((r) => r.verdict ?? '—')],
  ];
  const diff = c.configDiff.length
    ? formatTable(['setting', ...c.runs.map((r) => `#${r.runId}`)], c.configDiff.map((d) => [d.field, ...d.values.map((v) => (v === null ? '—' : String(v)))]))
    : 'The runs share every setting.';
  return [formatTable(headers, rows), 'Settings that differ', diff].join('\n');
}

export function hparamsText(h: HParams): string {
  const lines = [`${h.metric} over ${h.runIds.length} runs${h.leftOut.length ? ` (left out, without it: ${h.leftOut.join(', ')})` : ''}`];
  if (h.importance) {
    const sorted = h.importance.parameters.slice().sort((a, b) => b.share - a.share);
    lines.push(formatTable(['setting', 'share', 'MSE increase when shuffled', '± se'], sorted.map((q) => [q.field, pct(q.share), q.increase.toExponential(2), q.standardError.toExponential(1)])));
    lines.push(`Random-forest permutation importance (${h.importance.trees} trees; out-of-bag MSE ${h.importance.oobMse.toExponential(2)} vs the metric's variance ${h.importance.variance.toExponential(2)}).`);
  } else lines.push(h.importanceUnavailable ?? '');
  return lines.join('\n');
}

export function ensembleText(e: EnsembleResult): string {
  return [
    `Ensemble run ${e.runId}: ${e.name}`,
    formatTable(['member', 'weight', 'best val loss'], e.members.map((m) => [m.runId, m.weight.toFixed(4), num(m.bestValLoss)])),
    `Test: ${e.samples} samples, accuracy ${pct(e.accuracy)} vs majority ${pct(e.majorityAccuracy)}: ${e.verdict ?? 'no verdict'}.`,
    `Evaluate it with \`candela eval ${e.runId}\`, backtest it with \`candela backtest ${e.runId}\`.`,
  ].join('\n');
}

export function registerRunsCommands(program: Command): void {
  program
    .command('runs [runId]')
    .description('List training runs (filter and sort them), or repeat a finished run with K seeds and report each metric as mean ± std with its interval across seeds.')
    .option('--seeds <K>', 'repeat <runId> with K seeds in all (the run itself is the first; K − 1 new runs with seeds seed+1 …), wait for them and print the group summary', positiveInt('--seeds'))
    .option('--parallel <P>', 'with --seeds: how many seeds train at once', positiveInt('--parallel'), 1)
    .option('--group <groupId>', 'print the summary of an existing seed group', positiveInt('--group'))
    .option('--filter <query>', 'keep runs matching a filter: `lr<0.01 model=gru tag=best sweep=3 accuracy>=0.55`, bare words match names')
    .option('--sort <key>', 'sort by a field or metric, e.g. accuracy or lr; append :asc or :desc (default: id, newest first; a key alone sorts descending)')
    .option('--json', 'print one JSON document: {"total","runs":[…]} for the list, the seed group otherwise')
    .action(async (idText: string | undefined, o: { seeds?: number; parallel: number; group?: number; filter?: string; sort?: string; json?: boolean }, cmd: Command) => {
      await withContract(cmd, async (call, services) => {
        if (o.seeds !== undefined || o.group !== undefined) {
          let group: SeedGroup;
          if (o.seeds !== undefined) {
            if (idText === undefined) throw new CliError('--seeds needs the run to repeat: `candela runs --seeds 5 <runId>`.');
            if (o.seeds < 2) throw new CliError('--seeds counts the run itself: give at least 2.');
            const [runId] = runIdsOf([idText]);
            const started = await call('runs.seeds', { runId: runId!, seeds: o.seeds, parallel: o.parallel });
            if (!o.json) process.stderr.write(`Seed group ${started.groupId}: training ${started.seeds - 1} more seed${started.seeds > 2 ? 's' : ''} of run ${runId}, ${started.parallel} at a time…\n`);
            group = await services.seedGroups.whenSettled(started.groupId);
          } else {
            group = await call('runs.seedGroup', { groupId: o.group! });
          }
          if (o.json) printJson(group);
          else process.stdout.write(`${seedGroupText(group)}\n`);
          if (group.members.some((m) => m.status === 'failed')) process.exitCode = 1;
          return;
        }
        if (idText !== undefined) throw new CliError(`A run id goes with --seeds; \`candela runs\` alone lists runs (see \`candela compare ${idText}\` for one run's figures).`);
        const [key, direction] = (o.sort ?? 'id:desc').split(':');
        if (direction !== undefined && direction !== 'asc' && direction !== 'desc') throw new CliError(`--sort takes key, key:asc or key:desc, not "${o.sort}".`);
        const list = await call('runs.list', { filter: o.filter ?? '', sort: { key: key!, direction: direction ?? 'desc' } });
        if (o.json) {
          printJson(runsJson(list.rows, list.total));
          return;
        }
        if (!list.total) {
          process.stdout.write('No runs yet. Start one with `candela train --datasets all`.\n');
          return;
        }
        process.stdout.write(
          `${formatTable(
            ['id', 'name', 'status', 'epochs', 'val acc', 'test / baseline', 'verdict', 'tags', 'backend'],
            list.rows.map(({ summary: r, tags }) => [r.id, r.name, r.status, `${r.epochsDone}/${r.epochsPlanned}`, pct(r.lastValAcc), r.test ? `${pct(r.test.accuracy)} / ${pct(r.test.baselineAccuracy)}` : '—', r.verdict ?? '—', tags.join(' ') || '—', r.backend ?? '—']),
          )}\n`,
        );
        if (list.rows.length < list.total) process.stdout.write(`${list.rows.length} of ${list.total} runs match.\n`);
      });
    });

  program
    .command('compare <runIds...>')
    .description('Runs side by side: test metrics with their 95 % intervals, backtest Sharpe, per-epoch curves (in --json) and only the settings that differ.')
    .option('--json', 'print {"runs":[{"runId","metrics",…,"epochs"}],"configDiff":[{"field","values"}]}')
    .action(async (ids: string[], o: { json?: boolean }, cmd: Command) => {
      const runIds = runIdsOf(ids);
      await withContract(cmd, async (call) => {
        // The channel the Runs page's comparison reads.
        const c = await call('runs.compare', { runIds });
        if (o.json) printJson(compareJson(c));
        else process.stdout.write(`${compareText(c)}\n`);
      });
    });

  program
    .command('hparams <runIds...>')
    .description('Which settings matter for a metric over the given runs: random-forest permutation importance (as the Runs page’s HParams view).')
    .option('--metric <name>', `one of ${RUN_METRIC_NAMES.join(', ')}`, 'accuracy')
    .option('--json', 'print the dimensions, metric values and importance as one JSON document')
    .action(async (ids: string[], o: { metric: string; json?: boolean }, cmd: Command) => {
      const runIds = runIdsOf(ids);
      if (!(RUN_METRIC_NAMES as readonly string[]).includes(o.metric)) throw new CliError(`--metric must be one of ${RUN_METRIC_NAMES.join(', ')}.`);
      await withContract(cmd, async (call) => {
        const h = await call('runs.hparams', { runIds, metric: o.metric as HParams['metric'] });
        if (o.json) printJson(h);
        else process.stdout.write(`${hparamsText(h)}\n`);
      });
    });

  program
    .command('ensemble <runIds...>')
    .description('Average the test probabilities of finished runs on the same datasets, timeframe and test period into a new run, evaluated like any run (and backtestable).')
    .option('--weights <how>', 'equal, or validation (weights ∝ 1 / best validation loss)', 'equal')
    .option('--name <name>', 'name of the ensemble run')
    .option('--json', 'print {"runId","members":[{"runId","weight"}],"accuracy","majorityAccuracy","verdict",…}')
    .action(async (ids: string[], o: { weights: string; name?: string; json?: boolean }, cmd: Command) => {
      const runIds = runIdsOf(ids);
      if (o.weights !== 'equal' && o.weights !== 'validation') throw new CliError(`--weights is equal or validation, not "${o.weights}".`);
      await withContract(cmd, async (call) => {
        const e = await call('runs.ensemble', { runIds, weights: o.weights as 'equal' | 'validation', ...(o.name ? { name: o.name } : {}) });
        if (o.json) printJson(e);
        else process.stdout.write(`${ensembleText(e)}\n`);
      });
    });
}

/**
 * `candela sweep --space space.json [...]`: a hyperparameter sweep through the contract's
 * sweeps.* channels, followed to its end. `--json` prints one stable document: the trials (never
 * with test numbers), the winner with its test figures (measured once, after the sweep), and the
 * selection statistics. `--resume <sweepId>` continues an interrupted or paused sweep.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import type { EventName } from '../../../src-shared/contract/index.js';
import { trainingConfigProblems } from '../../../src-shared/contract/training.js';
import { SWEEP_OBJECTIVES, SWEEP_PRUNERS, SWEEP_SAMPLERS, sweepFieldName, sweepSpecSchema, type SweepDetail, type SweepSpecInput } from '../../../src-shared/contract/sweeps.js';
import type { Services } from '../../services/createServices.js';
import { withContract, type ContractCall } from '../openServices.js';
import { CliError, formatTable, printJson } from '../output.js';

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new CliError(`${name} must be a whole number, not "${v}".`);
  return n;
};

const choice = (name: string, allowed: readonly string[]) => (v: string) => {
  if (!allowed.includes(v)) throw new CliError(`${name} must be one of ${allowed.join(', ')}, not "${v}".`);
  return v;
};

/** The documented `candela sweep --json` document. */
export function sweepJson(d: SweepDetail) {
  return {
    sweepId: d.sweepId,
    status: d.status,
    trials: d.trials.map((t) => ({ trialId: t.trialId, runId: t.runId, params: t.params, status: t.status, objective: t.objective, epochs: t.epochs })),
    best: d.best && {
      trialId: d.best.trialId,
      runId: d.best.runId,
      params: d.best.params,
      objective: d.best.objective,
      test: d.best.test && { ...d.best.test, note: d.best.note },
    },
    selection: d.selection && { trials: d.selection.trials, pbo: d.selection.pbo, deflatedSharpe: d.selection.deflatedSharpe, sentence: d.selection.sentence },
  };
}

/** Reads space.json: `{"base": {...}, "params": {...}}`, or the params alone. */
function readSpace(path: string): { base: Record<string, unknown>; params: unknown } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CliError(`${path} could not be read as JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const file = z.object({ base: z.record(z.string(), z.unknown()).default({}), params: z.unknown() }).strict().safeParse(raw);
  if (!file.success) throw new CliError(`${path} must hold {"base": {<training config fields>}, "params": {<field>: {"choice"|"int"|"float": …}}} (${file.error.issues[0]?.message ?? 'wrong shape'}).`);
  return { base: file.data.base, params: file.data.params };
}

const fmt = (v: number | null) => (v === null ? '—' : Number(v.toPrecision(4)).toString());

/** One stderr line per trial as it ends, and the sweep's status changes. */
function followSweep(s: Services, call: ContractCall, sweepId: number): () => void {
  const reported = new Set<number>();
  let busy = Promise.resolve();
  const off = s.events.subscribe((name: EventName, payload: unknown) => {
    if (name !== 'sweeps.updated' || (payload as { sweepId: number }).sweepId !== sweepId) return;
    busy = busy.then(async () => {
      const d = await call('sweeps.get', { sweepId });
      for (const t of d.trials) {
        if (reported.has(t.trialId) || t.status === 'running' || t.status === 'paused' || t.status === 'interrupted') continue;
        reported.add(t.trialId);
        const params = Object.entries(t.params).map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : String(v)}`).join(' ');
        process.stderr.write(`trial ${t.index + 1}/${d.trialsPlanned} (run ${t.runId}) ${t.status} after ${t.epochs} epoch${t.epochs === 1 ? '' : 's'} · ${d.objective} ${fmt(t.objective)} · best so far ${fmt(t.bestSoFar)} · ${params}${t.reason ? ` · ${t.reason}` : ''}\n`);
      }
    });
  });
  return off;
}

/**
 * Waits (at most 15 s) until the paused trials' processes have checkpointed and said so: ending them
 * sooner would lose the epoch in progress and leave their last messages to a closed workspace.
 */
async function untilTrialsPaused(s: Services, call: ContractCall, sweepId: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const d = await call('sweeps.get', { sweepId });
    const runs = await Promise.all(d.trials.filter((t) => t.status === 'paused').map((t) => s.db.getRun(t.runId)));
    if (runs.every((r) => r?.status !== 'running')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function printHuman(d: SweepDetail): void {
  const lines = [
    `Sweep ${d.sweepId} (${d.name}): ${d.status}${d.failure ? ` — ${d.failure}` : ''}`,
    formatTable(
      ['trial', 'run', 'status', d.objective, 'epochs', 'params'],
      d.trials.map((t) => [t.index + 1, t.runId, t.status, fmt(t.objective), t.epochs, Object.entries(t.params).map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : String(v)}`).join(' ')]),
    ),
  ];
  if (d.best) {
    lines.push(`Winner: trial run ${d.best.runId}, ${d.objective} ${fmt(d.best.objective)}.`);
    if (d.best.test) lines.push(`Test: accuracy ${(d.best.test.accuracy * 100).toFixed(2)} % against the majority baseline's ${(d.best.test.baselineAccuracy * 100).toFixed(2)} % (${d.best.test.samples} samples).`);
    lines.push(d.best.note);
  }
  if (d.selection) lines.push(`Selection: ${d.selection.sentence}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function registerSweepCommand(program: Command): void {
  program
    .command('sweep')
    .description('Hyperparameter sweep: trials as normal runs with their test split sealed, pruned on validation loss; only the winner is tested, with the selection statistics (PBO, deflated Sharpe).')
    .option('--space <file>', 'space.json: {"base": {<training config fields>}, "params": {"lr": {"float": [0.0001, 0.01], "log": true}, …}}')
    .option('--sampler <kind>', `sampler: ${SWEEP_SAMPLERS.join(', ')} (default tpe)`, choice('--sampler', SWEEP_SAMPLERS))
    .option('--trials <n>', 'trials to run (default 20)', int('--trials'))
    .option('--parallel <p>', "trials at once (default: the machine's cores, at most the trials)", int('--parallel'))
    .option('--prune <kind>', `pruner on per-epoch validation loss: ${SWEEP_PRUNERS.join(', ')} (default median)`, choice('--prune', SWEEP_PRUNERS))
    .option('--objective <kind>', `what the winner is chosen on, validation only: ${SWEEP_OBJECTIVES.join(', ')} (default val-logloss)`, choice('--objective', SWEEP_OBJECTIVES))
    .option('--seed <s>', "the sweep's seed: proposals are reproducible from it (default 0)", int('--seed'))
    .option('--time-budget <seconds>', 'start no trial after this many seconds of sweeping', int('--time-budget'))
    .option('--datasets <ids>', 'dataset ids, comma-separated (overrides base.datasetIds)')
    .option('--timeframe <tf>', 'bar size to train on, e.g. 1h (overrides base.timeframe)')
    .option('--resume <sweepId>', 'resume an interrupted or paused sweep', int('--resume'))
    .option('--json', 'print the result as one JSON document')
    .action(async (o: { space?: string; sampler?: string; trials?: number; parallel?: number; prune?: string; objective?: string; seed?: number; timeBudget?: number; datasets?: string; timeframe?: string; resume?: number; json?: boolean }, cmd: Command) => {
      let spec: SweepSpecInput | null = null;
      if (o.resume === undefined) {
        if (!o.space) throw new CliError('Give --space space.json (or --resume <sweepId>).');
        const file = readSpace(o.space);
        const base = { ...file.base };
        if (o.datasets !== undefined) {
          const ids = o.datasets.split(',').map((x) => Number(x.trim()));
          if (ids.some((n) => !Number.isInteger(n) || n <= 0)) throw new CliError(`--datasets takes dataset ids separated by commas, not "${o.datasets}"; see \`candela datasets\`.`);
          base.datasetIds = ids;
        }
        if (o.timeframe !== undefined) base.timeframe = o.timeframe;
        const raw = {
          base,
          params: file.params,
          ...(o.sampler ? { sampler: o.sampler } : {}),
          ...(o.trials !== undefined ? { trials: o.trials } : {}),
          ...(o.parallel !== undefined ? { parallel: o.parallel } : {}),
          ...(o.prune ? { prune: o.prune } : {}),
          ...(o.objective ? { objective: o.objective } : {}),
          ...(o.seed !== undefined ? { seed: o.seed } : {}),
          ...(o.timeBudget !== undefined ? { timeBudgetSec: o.timeBudget } : {}),
        };
        // Checked here too, so that a wrong file is answered with its field's name before anything opens.
        const parsed = sweepSpecSchema.safeParse(raw);
        if (!parsed.success) throw new CliError(`The sweep is not valid: ${trainingConfigProblems(parsed.error, sweepFieldName).join(' ')}`);
        spec = raw as SweepSpecInput;
      }
      await withContract(cmd, async (call, s) => {
        let sweepId: number;
        let off = () => {};
        if (spec) {
          sweepId = (await call('sweeps.start', { spec })).sweepId;
          if (!o.json) {
            process.stderr.write(`Sweep ${sweepId} started; Ctrl+C pauses it (continue with \`candela sweep --resume ${sweepId}\`).\n`);
            off = followSweep(s, call, sweepId);
          }
        } else {
          sweepId = o.resume!;
          if (!o.json) off = followSweep(s, call, sweepId);
          await call('sweeps.resume', { sweepId });
        }
        const onSigint = () => {
          process.stderr.write(`\ncandela: pausing sweep ${sweepId}; continue with \`candela sweep --resume ${sweepId}\`.\n`);
          // Paused trials keep their checkpoints; closing the services marks the sweep interrupted, resumable.
          void call('sweeps.pause', { sweepId })
            .catch(() => undefined)
            .then(() => untilTrialsPaused(s, call, sweepId))
            .then(() => s.sweeps.shutdown());
        };
        process.once('SIGINT', onSigint);
        await s.sweeps.whenSettled(sweepId);
        process.removeListener('SIGINT', onSigint);
        off();
        const d = await call('sweeps.get', { sweepId });
        if (o.json) printJson(sweepJson(d));
        else printHuman(d);
        if (d.status !== 'completed') process.exitCode = 1;
      });
    });
}

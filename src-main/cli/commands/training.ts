import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import type { EventName, EventPayloadOf } from '../../../src-shared/contract/index.js';
import type { RunStatus, TrainingPlan } from '../../../src-shared/contract/training.js';
import type { Services } from '../../services/createServices.js';
import { withServices } from '../openServices.js';
import { exportModelTo } from '../../training/host/exportModel.js';
import { CliError, formatTable, printJson } from '../output.js';
import { addTrainingConfigFlags, configFromFlags, mergeTrainingConfig, readConfigFile } from './trainingFlags.js';

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new CliError(`${name} must be a whole number, not "${v}".`);
  return n;
};

/**
 * Listens to one contract event of one run. The bus hands every listener every event; the name
 * decides the payload's type, which TypeScript cannot narrow through a generic, hence the one cast.
 */
function onRunEvent<E extends 'training.progress' | 'training.epoch' | 'training.status'>(s: Services, event: E, runId: number, listener: (payload: EventPayloadOf<E>) => void): () => void {
  return s.events.subscribe((name: EventName, payload: unknown) => {
    if (name !== event) return;
    const typed = payload as EventPayloadOf<E>;
    if (typed.runId === runId) listener(typed);
  });
}

/** Follows a run to its end, drawing a progress bar on a terminal; Ctrl+C pauses it (resumable). */
async function followRun(s: Services, runId: number, json: boolean): Promise<RunStatus> {
  const tty = process.stderr.isTTY === true;
  const bar = tty ? new SingleBar({ format: 'epoch {epoch}/{epochs} |{bar}| batch {value}/{total} · loss {loss} · {rate} samples/s', stream: process.stderr, hideCursor: true }) : null;
  const run = await s.db.getRun(runId);
  let started = false;
  const offProgress = onRunEvent(s, 'training.progress', runId, (q) => {
    if (!bar) return;
    const payload = { epoch: q.epoch, epochs: run?.epochsPlanned ?? '?', loss: q.loss?.toFixed(4) ?? '…', rate: Math.round(q.samplesPerSec ?? 0) };
    if (!started) {
      bar.start(q.batches, q.batch, payload);
      started = true;
    } else {
      bar.setTotal(q.batches);
      bar.update(q.batch, payload);
    }
  });
  const offEpoch = onRunEvent(s, 'training.epoch', runId, ({ metrics: m }) => {
    if (json) return;
    const line = `epoch ${m.epoch}: train loss ${m.trainLoss?.toFixed(4)} · val loss ${m.valLoss?.toFixed(4)} · val acc ${m.valAcc === null ? '—' : (m.valAcc * 100).toFixed(1) + ' %'}\n`;
    if (bar && started) bar.stop();
    started = false;
    process.stderr.write(line);
  });
  const onSigint = () => {
    process.stderr.write('\ncandela: pausing the run (a checkpoint is saved; continue with `candela train --resume ' + runId + '`)…\n');
    try {
      s.training.pause(runId);
    } catch {
      void s.training.stop(runId);
    }
  };
  process.once('SIGINT', onSigint);
  // A paused run's process waits for resume; the CLI ends it once paused (the checkpoint is on disk).
  const offPaused = onRunEvent(s, 'training.status', runId, (p) => {
    if (p.status === 'paused') void s.training.shutdownRun(runId);
  });
  const status = await s.training.whenSettled(runId);
  process.removeListener('SIGINT', onSigint);
  offProgress();
  offEpoch();
  offPaused();
  if (bar && started) bar.stop();
  return status;
}

async function printRunResult(s: Services, runId: number, json: boolean): Promise<void> {
  const run = (await s.db.getRun(runId))!;
  if (json) {
    printJson({
      runId,
      status: run.status,
      backend: run.backend,
      epochs: run.epochs.map((e) => ({ epoch: e.epoch, trainLoss: e.trainLoss, valLoss: e.valLoss, trainAcc: e.trainAcc, valAcc: e.valAcc, lr: e.lr, samplesPerSec: e.samplesPerSec })),
      test: run.test ? { accuracy: run.test.accuracy, baselineAccuracy: run.test.baselineAccuracy, samples: run.test.samples } : null,
      verdict: run.verdict,
      failure: run.failure,
    });
    return;
  }
  process.stdout.write(`Run ${runId} ${run.status} on ${run.backend ?? '?'}${run.failure ? `: ${run.failure}` : ''}\n`);
  if (run.test) process.stdout.write(`Test accuracy ${(run.test.accuracy * 100).toFixed(2)} % vs majority-class baseline ${(run.test.baselineAccuracy * 100).toFixed(2)} % (${run.test.samples} samples)${run.verdict ? ` — ${run.verdict}` : ''}\n`);
}

function printPlan(plan: TrainingPlan): void {
  const out: string[] = [];
  out.push(plan.timeframe ? `Trains on ${plan.timeframe} bars; ${plan.features.length} input columns: ${plan.features.join(', ')}` : 'No timeframe all chosen datasets can reach.');
  out.push(
    formatTable(
      ['id', 'symbol', 'bars', `bars at ${plan.timeframe ?? '—'}`, 'train / val / test samples'],
      plan.datasets.map((d) => [d.id, d.symbol, d.rolledUp ? `${d.sourceTimeframe}, rolled up` : d.sourceTimeframe, d.bars, d.samples ? `${d.samples.train} / ${d.samples.val} / ${d.samples.test}` : '—']),
    ),
  );
  for (const x of plan.extrasLeftOut) out.push(`Left out: ${x.column}: ${x.reason}.`);
  if (plan.timeframes.length) out.push(`Timeframes all chosen datasets reach: ${plan.timeframes.map((t) => t.timeframe).join(', ')}.`);
  for (const p of plan.problems) out.push(`Problem: ${p}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

function readFileOrFail(path: string): Record<string, unknown> {
  try {
    return readConfigFile(path);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

export function registerTrainingCommands(program: Command): void {
  const train = program
    .command('train')
    .description('Train a model on datasets in its own process; prints the per-epoch curve and test accuracy beside the baseline. Every run setting has a flag, and --config reads them from a file.');
  addTrainingConfigFlags(train);
  train
    .option('--config <file>', 'a JSON file holding one object with any of the settings above by field name (e.g. {"model": "lstm", "epochs": 20}); a flag given as well wins')
    .option('--dry-run', 'print the plan (timeframe, bars and samples per dataset, feature columns, problems) and start nothing')
    .option('--walk-forward', 'short for --validation walk-forward')
    .option('--resume <runId>', 'resume a paused or interrupted run from its last checkpoint', int('--resume'))
    .option('--json', 'print {"runId","status","backend","epochs":[…],"test":{…}}')
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      await withServices(cmd, async (s) => {
        let runId: number;
        if (o.resume !== undefined) {
          runId = o.resume as number;
          try {
            await s.training.resume(runId);
          } catch (e) {
            throw new CliError((e as Error).message);
          }
        } else {
          const file = typeof o.config === 'string' ? { path: o.config, config: readFileOrFail(o.config) } : null;
          // "all" is resolved below, not by the table: it needs the workspace.
          const flags = configFromFlags({ ...o, datasets: o.datasets === 'all' ? undefined : o.datasets });
          if (flags.problems.length) throw new CliError(flags.problems.join(' '));
          if (o.walkForward) flags.config.validation = 'walk-forward';
          if (o.datasets === undefined && file?.config.datasetIds === undefined) throw new CliError('Give --datasets (ids like 1,2,3 or "all"); see `candela datasets`.');
          if (o.datasets === 'all') flags.config.datasetIds = (await s.db.listDatasets()).map((d) => d.id);
          const parsed = mergeTrainingConfig(file, flags.config);
          if (!parsed.ok) throw new CliError(parsed.problems.join(' '));
          if (o.dryRun) {
            const plan = await s.training.plan(parsed.config);
            if (o.json) printJson(plan);
            else printPlan(plan);
            if (plan.problems.length) process.exitCode = 1;
            return;
          }
          try {
            runId = await s.training.start(parsed.config);
          } catch (e) {
            throw new CliError((e as Error).message);
          }
          if (!o.json) process.stderr.write(`Run ${runId} started.\n`);
        }
        const status = await followRun(s, runId, !!o.json);
        await s.training.evaluationsSettled();
        await printRunResult(s, runId, !!o.json);
        if (status === 'failed') process.exitCode = 1;
        else if (status === 'paused') process.exitCode = 130;
      });
    });

  program
    .command('export-model <runId>')
    .description("Copy a finished run's model (tfjs model.json + weights.bin) and its preprocessing.json into a folder.")
    .requiredOption('--out <dir>', 'destination folder')
    .action(async (idText: string, o: { out: string }, cmd: Command) => {
      const runId = int('runId')(idText);
      await withServices(cmd, async (s) => {
        const run = await s.db.getRun(runId);
        if (!run) throw new CliError(`Run ${runId} does not exist; see \`candela runs\`.`);
        try {
          const files = await exportModelTo(run.checkpointDir, runId, o.out);
          process.stdout.write(`Exported run ${runId}:\n${files.map((f) => `  ${f}`).join('\n')}\nLoad it with tf.loadLayersModel('file://${o.out}/model.json') after importing Candela's layer registrations.\n`);
        } catch (e) {
          throw new CliError((e as Error).message);
        }
      });
    });
}

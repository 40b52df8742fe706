import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { builtCliScript } from './paths.js';
import { result, type Benchmark } from './types.js';

/** Wall time of one whole process, in seconds; fails with its output when it exits non-zero. */
function timedProcess(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`${args.slice(1).join(' ')} failed (${code}): ${err.slice(-300)}`))));
  });
}

const run = promisify(execFile);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function medianOf(runs: number, args: string[]): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timedProcess(args));
  return median(times);
}

export const cliBenchmark: Benchmark = {
  prefix: 'cli',
  description: 'Whole `candela --help` and `candela system` processes (median of 5), beside a bare `node -e ""` start measured in the same run',
  async run(ctx) {
    const cli = builtCliScript();
    const bare = await medianOf(5, ['-e', '']);
    const help = await medianOf(5, [cli, '--help']);
    const system = await medianOf(5, [cli, '--workspace', join(ctx.tmpDir, 'cli-ws'), 'system']);
    const anchor = { name: 'bare node start (node -e "")', value: bare * 1000, higherIsBetter: false };
    return [result('cli.helpMs', help * 1000, 'ms', anchor, 'goal ≤ 300 ms'), result('cli.systemMs', system * 1000, 'ms', anchor, 'goal ≤ 1,000 ms')];
  },
};

export const journeyBenchmark: Benchmark = {
  prefix: 'journey136',
  description:
    'The 136-symbol journey as whole processes: `candela generate --symbols 136 --bars 20000 --timeframe 5m`, `candela import` of the folder, `candela datasets`, `candela backtest` of a run trained on all 136 (a one-epoch MLP on 200 samples a symbol: the backtest trades its ~408k test predictions, whatever the model), and one GRU epoch on all 136 with default settings',
  async run(ctx) {
    const cli = builtCliScript();
    const out = join(ctx.tmpDir, 'journey136');
    const ws = join(ctx.tmpDir, 'journey136-ws');
    ctx.log('  generate…');
    const generate = await timedProcess([cli, 'generate', '--out', out, '--symbols', '136', '--bars', '20000', '--timeframe', '5m']);
    const files = readdirSync(out).length;
    if (files !== 136) throw new Error(`generate wrote ${files} files, not 136`);
    ctx.log('  import…');
    const imported = await timedProcess([cli, '--workspace', ws, 'import', out, '--json']);
    ctx.log('  datasets…');
    const datasets = await medianOf(3, [cli, '--workspace', ws, 'datasets']);
    ctx.log('  train (setup for the backtest, not timed)…');
    const trained = await run(process.execPath, [cli, '--workspace', ws, 'train', '--datasets', 'all', '--model', 'mlp', '--epochs', '1', '--max-samples-per-symbol', '200', '--json'], { maxBuffer: 16 << 20 });
    const runId = (JSON.parse(trained.stdout) as { runId: number }).runId;
    ctx.log('  backtest…');
    const backtest = await medianOf(3, [cli, '--workspace', ws, 'backtest', String(runId)]);
    ctx.log('  one GRU epoch on all 136 (default settings, wasm, every core)…');
    const trainArgs = [cli, '--workspace', ws, 'train', '--datasets', 'all', '--model', 'gru', '--epochs', '1', '--backend', 'wasm'];
    const plan = JSON.parse((await run(process.execPath, [...trainArgs, '--dry-run', '--json'], { maxBuffer: 16 << 20 })).stdout) as { datasets: { samples?: { train: number } | null }[] };
    const trainSamples = plan.datasets.reduce((n, d) => n + (d.samples?.train ?? 0), 0);
    const gruStarted = performance.now();
    const gru = JSON.parse((await run(process.execPath, [...trainArgs, '--json'], { maxBuffer: 16 << 20 })).stdout) as { status: string; epochs: { samplesPerSec: number }[] };
    const gruSec = (performance.now() - gruStarted) / 1000;
    if (gru.status !== 'completed' || !gru.epochs[0]) throw new Error(`the GRU epoch ended ${gru.status}`);
    return [
      result('journey136.gruEpochSec', gruSec, 's', undefined, `whole \`candela train --model gru --epochs 1\` process (train, validate, test, store), ${trainSamples.toLocaleString('en-US')} training samples at ${Math.round(gru.epochs[0].samplesPerSec).toLocaleString('en-US')} samples/s; goal ≤ 180 s`),
      result('journey136.generateSec', generate, 's', undefined, '136 × 20,000 5m bars written as CSV'),
      result('journey136.importSec', imported, 's', undefined, `${(136 * 20_000).toLocaleString('en-US')} rows in 136 files; goal ≤ 10 s`),
      result('journey136.datasetsSec', datasets, 's', undefined, 'listing 136 datasets (median of 3); goal ≤ 0.5 s'),
      result('journey136.backtestMs', backtest * 1000, 'ms', undefined, '`candela backtest <run>` over 136 symbols, stored, with its breakeven fee, without --analytics (median of 3); goal ≤ 3,000 ms'),
    ];
  },
};

import { Command, CommanderError } from 'commander';
import { CANDELA_VERSION } from '../system/versions.js';
import { registerBenchCommand } from './commands/bench.js';
import { registerDatasetCommands } from './commands/datasets.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSystemCommand } from './commands/system.js';
import { registerTrainingCommands } from './commands/training.js';
import { registerEvaluationCommands } from './commands/evaluation.js';
import { registerBacktestCommand } from './commands/backtest.js';
import { registerSweepCommand } from './commands/sweep.js';
import { registerRunsCommands } from './commands/runs.js';
import { CliError } from './output.js';

export function buildProgram(): Command {
  const program = new Command('candela')
    .description('Candela: machine learning research on market time series — headless server and command line.')
    .version(CANDELA_VERSION)
    .option('--workspace <dir>', 'workspace folder (default: $CANDELA_WORKSPACE or the per-user Candela folder)')
    .showHelpAfterError('(run with --help for usage)');
  registerServeCommand(program);
  registerSystemCommand(program);
  registerDatasetCommands(program);
  registerTrainingCommands(program);
  registerEvaluationCommands(program);
  registerBacktestCommand(program);
  registerSweepCommand(program);
  registerRunsCommands(program);
  registerBenchCommand(program);
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    // Commands that finish but did not fully succeed (a refused file, a failed or interrupted run)
    // say so through process.exitCode; it must survive the caller's assignment of our result.
    const code = process.exitCode;
    return typeof code === 'number' ? code : Number(code ?? 0) || 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    // WorkspaceVersionError is told by name: importing db/ here would load SQLite for `--help`.
    if (e instanceof CliError || (e instanceof Error && e.name === 'WorkspaceVersionError')) {
      process.stderr.write(`candela: ${e.message}\n`);
      return e instanceof CliError ? e.exitCode : 1;
    }
    process.stderr.write(`candela: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { BenchEntry, BenchOptions } from '../benchEntry.js';
import { builtPaths } from '../paths.js';
import { CliError } from '../output.js';

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('Run the benchmarks; each figure is printed beside its anchor measured in the same run.')
    .option('--json', 'print {"results":[{"name","value","unit","anchorName","anchorValue","ratio"}]}')
    .option('--only <prefix>', 'run only benchmarks whose names start with this prefix')
    .option('--list', 'list the benchmarks and exit')
    .action(async (opts: BenchOptions) => {
      const script = builtPaths().benchScript;
      if (!existsSync(script)) throw new CliError('The benchmarks are not built: run `npm run bench` (it builds them first) or `npm run build`.');
      // Loaded by path, not bundled: cli.mjs carries no benchmark code (bench/ imports the product, not the reverse).
      const entry = ((await import(pathToFileURL(script).href)) as { default: BenchEntry }).default;
      const code = await entry.runBenchmarks(opts);
      if (code !== 0) process.exitCode = code;
    });
}

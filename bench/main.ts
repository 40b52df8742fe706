/**
 * The benchmarks' own entry point, bundled to dist/bench/bench.mjs: `npm run bench` runs it
 * directly, and `candela bench` loads it by path (see src-main/cli/benchEntry.ts), so the CLI
 * bundle carries none of this code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import type { BenchEntry, BenchOptions } from '../src-main/cli/benchEntry.js';
import { formatTable, printJson } from '../src-main/cli/output.js';
import { findAnchorsDir } from './paths.js';
import { benchmarks } from './registry.js';
import type { BenchResult } from './types.js';

const fmt = (v: number | null) => (v === null ? '—' : Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : Number(v.toPrecision(4)).toString());

export async function runBenchmarks(opts: BenchOptions): Promise<number> {
  if (opts.list) {
    process.stdout.write(formatTable(['prefix', 'what'], benchmarks.map((b) => [b.prefix, b.description])) + '\n');
    return 0;
  }
  const only = opts.only;
  const selected = benchmarks.filter((b) => !only || b.prefix.startsWith(only) || only.startsWith(b.prefix));
  if (selected.length === 0) {
    process.stderr.write(`candela: No benchmark matches "${only}"; see \`candela bench --list\`.\n`);
    return 1;
  }
  const tmpDir = mkdtempSync(join(tmpdir(), 'candela-bench-'));
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const results: BenchResult[] = [];
  try {
    for (const b of selected) {
      log(`bench: ${b.prefix} — ${b.description}`);
      const rs = await b.run({ anchorsDir: findAnchorsDir(), tmpDir, log });
      results.push(...rs.filter((r) => !only || r.name.startsWith(only) || b.prefix.startsWith(only)));
    }
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
  if (opts.json) {
    printJson({ results });
    return 0;
  }
  const rows = results.map((r) => [r.name, fmt(r.value), r.unit, r.anchorName ?? '—', fmt(r.anchorValue), r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`]);
  process.stdout.write(`${formatTable(['benchmark', 'value', 'unit', 'anchor', 'anchor value', 'ratio'], rows)}\n`);
  for (const r of results.filter((x) => x.note)) process.stdout.write(`  ${r.name}: ${r.note}\n`);
  return 0;
}

export default { runBenchmarks } satisfies BenchEntry;

// Run directly (`node dist/bench/bench.mjs`, what `npm run bench` does) rather than loaded by the CLI.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const program = new Command('bench')
    .description('Run the benchmarks; each figure is printed beside its anchor measured in the same run.')
    .option('--json', 'print {"results":[{"name","value","unit","anchorName","anchorValue","ratio"}]}')
    .option('--only <prefix>', 'run only benchmarks whose names start with this prefix')
    .option('--list', 'list the benchmarks and exit')
    .parse();
  process.exitCode = await runBenchmarks(program.opts<BenchOptions>());
}

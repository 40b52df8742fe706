import type { Command } from 'commander';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchmarks } from '../../../bench/registry.js';
import type { BenchResult } from '../../../bench/types.js';
import { CliError, formatTable, printJson } from '../output.js';

/** ../shared/anchors beside the repository, unless CANDELA_ANCHORS says otherwise. */
function findAnchorsDir(): string | null {
  if (process.env.CANDELA_ANCHORS) return resolve(process.env.CANDELA_ANCHORS);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, '..', 'shared', 'anchors');
    if (existsSync(candidate)) return resolve(candidate);
    dir = dirname(dir);
  }
  return null;
}

const fmt = (v: number | null) => (v === null ? '—' : Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : Number(v.toPrecision(4)).toString());

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('Run the benchmarks; each figure is printed beside its anchor measured in the same run.')
    .option('--json', 'print {"results":[{"name","value","unit","anchorName","anchorValue","ratio"}]}')
    .option('--only <prefix>', 'run only benchmarks whose names start with this prefix')
    .option('--list', 'list the benchmarks and exit')
    .action(async (opts: { json?: boolean; only?: string; list?: boolean }) => {
      if (opts.list) {
        process.stdout.write(formatTable(['prefix', 'what'], benchmarks.map((b) => [b.prefix, b.description])) + '\n');
        return;
      }
      const selected = benchmarks.filter((b) => !opts.only || b.prefix.startsWith(opts.only) || opts.only.startsWith(b.prefix));
      if (selected.length === 0) throw new CliError(`No benchmark matches "${opts.only}"; see \`candela bench --list\`.`);
      const tmpDir = mkdtempSync(join(tmpdir(), 'candela-bench-'));
      const log = (m: string) => process.stderr.write(`${m}\n`);
      const results: BenchResult[] = [];
      try {
        for (const b of selected) {
          log(`bench: ${b.prefix} — ${b.description}`);
          const rs = await b.run({ anchorsDir: findAnchorsDir(), tmpDir, log });
          results.push(...rs.filter((r) => !opts.only || r.name.startsWith(opts.only) || b.prefix.startsWith(opts.only)));
        }
      } finally {
        rmSync(tmpDir, { recursive: true, force: true });
      }
      if (opts.json) {
        printJson({ results });
        return;
      }
      const rows = results.map((r) => [r.name, fmt(r.value), r.unit, r.anchorName ?? '—', fmt(r.anchorValue), r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`]);
      process.stdout.write(`${formatTable(['benchmark', 'value', 'unit', 'anchor', 'anchor value', 'ratio'], rows)}\n`);
      for (const r of results.filter((x) => x.note)) process.stdout.write(`  ${r.name}: ${r.note}\n`);
    });
}

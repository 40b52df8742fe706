import type { Command } from 'commander';
import { importOverridesSchema, type FileImportResult, type ImportOverrides, type ImportPreview } from '../../../src-shared/contract/datasets.js';
import { describeHealth, missingBarsText, pluralize } from '../../../src-shared/compute/health/index.js';
import { timeframeToMs } from '../../../src-shared/domain/timeframe.js';
import { instrumentJson, kindText, registerDatasetRename } from './datasetRename.js';
import { isoOrNull, withContract, type ContractCall } from '../openServices.js';
import { CliError, formatBytes, formatTable, printJson } from '../output.js';
import { importProgressBar } from '../progressBar.js';
import { formatCount } from '../../../src-shared/domain/formatCount.js';

const COLUMN_FLAGS = ['time', 'date', 'open', 'high', 'low', 'close', 'volume', 'symbol'] as const;

function fileJson(f: FileImportResult) {
  return {
    file: f.file,
    ok: f.ok,
    datasetId: f.datasetId,
    symbol: f.symbol,
    kind: f.kind,
    venue: f.venue,
    timeframe: f.timeframe,
    format: f.format,
    rowsRead: f.rowsRead,
    rowsImported: f.rowsImported,
    rowsRejected: f.rowsRejected,
    duplicates: f.duplicates,
    conflicts: f.conflicts,
    firstTs: isoOrNull(f.firstTs),
    lastTs: isoOrNull(f.lastTs),
    warnings: f.warnings,
    rejectedSample: f.rejectedSample,
    error: f.error,
  };
}

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new CliError(`${name} must be a whole number, not "${v}".`);
  return n;
};

export function registerDatasetCommands(program: Command): void {
  const imp = program
    .command('import <paths...>')
    .description('Import OHLCV files or folders (recursively) into the workspace; prints one summary.')
    .option('--symbol <symbol>', 'symbol for every file, any spelling (BTCUSDT, BTC/USDT, BTC-PERP); stored as BASE/QUOTE where it splits (default: from the file name or a symbol column)')
    .option('--kind <kind>', 'spot, perpetual or future (default: from the symbol, the file name or the layout, else spot)')
    .option('--venue <venue>', "exchange id such as binance; 'none' for no venue (default: from the file name or the layout)")
    .option('--timeframe <tf>', 'bar size such as 1m, 5m, 1h, 1d (default: from the file name or the bar spacing)')
    .option('--delimiter <char>', "field delimiter: ',' ';' '|' or 'tab' (default: detected)")
    .option('--day-first', 'read ambiguous dates like 01.02.2024 as day first')
    .option('--month-first', 'read ambiguous dates like 01.02.2024 as month first')
    .option('--json', 'print {"files":[…]} as one JSON document')
    .option('--dry-run', 'only show what would be detected for each file (the preview)');
  for (const c of COLUMN_FLAGS) imp.option(`--col-${c} <name|index>`, `column holding ${c === 'date' ? 'the date when time of day is separate' : c} (header name or 0-based index)`);
  imp.action(async (paths: string[], opts: Record<string, string | boolean | undefined>, cmd: Command) => {
    const columns = Object.fromEntries(COLUMN_FLAGS.flatMap((c) => (opts[`col${c[0]!.toUpperCase()}${c.slice(1)}`] ? [[c, String(opts[`col${c[0]!.toUpperCase()}${c.slice(1)}`])]] : [])));
    const parsed = importOverridesSchema.safeParse({
      symbol: opts.symbol,
      kind: typeof opts.kind === 'string' ? opts.kind.trim().toLowerCase() : undefined,
      venue: typeof opts.venue === 'string' ? (opts.venue.trim().toLowerCase() === 'none' ? '' : opts.venue) : undefined,
      timeframe: opts.timeframe,
      delimiter: opts.delimiter,
      dayFirst: opts.dayFirst ? true : opts.monthFirst ? false : undefined,
      columns: Object.keys(columns).length ? columns : undefined,
    });
    if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => `--${String(i.path[0] ?? '')}: ${i.message}`).join(' '));
    const overrides: ImportOverrides = parsed.data;
    await withContract(cmd, async (call, s) => {
      if (opts.dryRun) {
        const { files } = await call('datasets.scan', { paths });
        const previews = await Promise.all(files.map((f) => call('datasets.preview', { path: f.path, overrides })));
        if (opts.json) printJson({ previews });
        else for (const p of previews) process.stdout.write(`${p.file}\n  ${p.ok ? [`format: ${p.format}`, `symbol: ${p.symbol ?? '?'}  timeframe: ${p.timeframe ?? 'from spacing'}`, ...p.detected, ...firstRowLine(p), ...p.warnings.map((w) => `warning: ${w}`)].join('\n  ') : `refused: ${p.error}`}\n`);
        return;
      }
      const bar = importProgressBar();
      const off = s.events.subscribe((name, payload) => name === 'datasets.importProgress' && bar.update(payload as never));
      let jobId: string | null = null;
      const onSigint = () => {
        if (jobId) void call('datasets.importCancel', { jobId });
        process.stderr.write('\ncandela: cancelling — the file in progress will leave nothing behind…\n');
      };
      process.once('SIGINT', onSigint);
      const started = await call('datasets.import', { paths, overrides });
      jobId = started.jobId;
      if (!opts.json) process.stderr.write(`Importing ${started.fileCount} file${started.fileCount === 1 ? '' : 's'}…\n`);
      const summary = await s.datasets.whenFinished(started.jobId);
      process.removeListener('SIGINT', onSigint);
      bar.stop();
      off();
      if (opts.json) printJson({ files: summary.files.map(fileJson) });
      else {
        const rows = summary.files.map((f) => [f.ok ? 'ok' : f.cancelled ? 'cancelled' : 'FAILED', f.file, f.symbol === null ? '' : `${f.symbol}${f.kind && f.kind !== 'spot' ? ` ${f.kind}` : ''}${f.venue ? ` on ${f.venue}` : ''}`, f.timeframe ?? '', f.rowsImported, f.rowsRejected, f.duplicates, f.ok ? (f.warnings[0] ?? '') : (f.error ?? '')]);
        process.stdout.write(`${formatTable(['', 'file', 'symbol', 'tf', 'imported', 'rejected', 'dups', 'note'], rows)}\n`);
        const ok = summary.files.filter((f) => f.ok).length;
        process.stdout.write(`${ok} of ${summary.files.length} files imported in ${summary.seconds.toFixed(1)} s.\n`);
      }
      if (summary.cancelled) process.exitCode = 130;
      else if (summary.files.some((f) => !f.ok)) process.exitCode = 1;
    });
  });

  const datasets = program
    .command('datasets')
    .description('List the datasets in the workspace (symbol, contract kind, venue, timeframe …); `datasets rename` renames one.')
    .option('--json', 'print {"datasets":[…]}');
  registerDatasetRename(datasets);
  datasets.action(async (opts: { json?: boolean }, cmd: Command) => {
      await withContract(cmd, async (call) => {
        const { datasets: list } = await call('datasets.list', {});
        if (opts.json) {
          printJson({
            datasets: list.map((d) => ({
              id: d.id,
              ...instrumentJson(d),
              timeframe: d.timeframe,
              rows: d.rows,
              firstTs: isoOrNull(d.firstTs),
              lastTs: isoOrNull(d.lastTs),
              health: d.healthVerdict === null ? null : { score: d.healthScore, verdict: d.healthVerdict },
              extraColumns: d.extraColumns,
            })),
          });
          return;
        }
        if (list.length === 0) {
          process.stdout.write('No datasets yet. Import some with `candela import <files or folders>` or `candela generate`.\n');
          return;
        }
        const rows = list.map((d) => [d.id, d.symbol, kindText(d), d.venue ?? '—', d.timeframe, formatCount(d.rows), isoOrNull(d.firstTs) ?? '', isoOrNull(d.lastTs) ?? '', d.healthVerdict ? `${Math.round(d.healthScore ?? 0)} ${d.healthVerdict}` : '—', formatBytes(d.bytes)]);
        process.stdout.write(`${formatTable(['id', 'symbol', 'kind', 'venue', 'tf', 'rows', 'from', 'to', 'health', 'size'], rows)}\n`);
      });
    });

  program
    .command('candles <datasetId>')
    .description(
      "Print a dataset's candles (or a rollup's) for a time range, oldest first. With --limit N it prints the last N bars of the range (the newest), or the first N with --first; with --from and neither flag, the first N from that time.",
    )
    .option('--timeframe <tf>', 'a rollup timeframe (default: the dataset’s own)')
    .option('--from <time>', 'ISO-8601 time or epoch ms (inclusive)')
    .option('--to <time>', 'ISO-8601 time or epoch ms (inclusive)')
    .option('--limit <n>', 'at most this many candles, taken from the end --first/--last names', int('--limit'), 1000)
    .option('--first', 'take the oldest candles of the range (the default when --from is given)')
    .option('--last', 'take the newest candles of the range (the default without --from)')
    .option('--json', 'print JSON')
    .action(async (idText: string, opts: { timeframe?: string; from?: string; to?: string; limit: number; first?: boolean; last?: boolean; json?: boolean }, cmd: Command) => {
      const id = int('datasetId')(idText);
      if (opts.first && opts.last) throw new CliError('--first and --last exclude each other: choose which end of the range --limit keeps.');
      const from = opts.from === undefined ? undefined : parseTime(opts.from, '--from');
      const to = opts.to === undefined ? undefined : parseTime(opts.to, '--to');
      const anchor = candlesAnchor(opts.first, opts.last, from !== undefined);
      await withContract(cmd, async (call) => {
        const ds = await datasetById(call, id);
        const r = await call('datasets.candles', { id, timeframe: opts.timeframe, from, to, limit: opts.limit, anchor });
        const c = r.candles;
        const candles = c.ts.map((ts, i) => ({ ts: new Date(ts).toISOString(), open: c.open[i], high: c.high[i], low: c.low[i], close: c.close[i], volume: c.volume[i] }));
        if (opts.json) printJson({ datasetId: id, symbol: ds.symbol, timeframe: r.timeframe, candles });
        else {
          process.stdout.write(`${formatTable(['time (UTC)', 'open', 'high', 'low', 'close', 'volume'], candles.map((k) => [k.ts, k.open!, k.high!, k.low!, k.close!, k.volume ?? '']))}\n`);
          process.stdout.write(`${candlesNote(candles.length, opts.limit, anchor)}\n`);
        }
      });
    });

  program
    .command('health <datasetId>')
    .description("Show a dataset's data-health report: gaps, closures, suspect and bad candles by reason, score and verdict.")
    .option('--json', 'print JSON')
    .action(async (idText: string, opts: { json?: boolean }, cmd: Command) => {
      const id = int('datasetId')(idText);
      await withContract(cmd, async (call) => {
        const h = await call('datasets.health', { id });
        const summary = h.summary;
        const flagged = h.flaggedTs.map((ts, i) => ({ ts: new Date(ts).toISOString(), flag: h.flaggedLevel[i] === 2 ? 'bad' : 'suspect' }));
        const described = describeHealth(summary);
        if (opts.json) {
          printJson({
            datasetId: id,
            ...summary,
            largestGaps: summary.largestGaps.map((g) => ({ from: isoOrNull(g.fromTs), to: isoOrNull(g.toTs), missingBars: g.missingBars })),
            scoringRule: described.rule,
            breakdown: described.lines.map((l) => ({ key: l.key, label: l.label, value: l.value, explanation: l.explanation, ...(l.part ? { part: true } : {}) })),
            flagged,
          });
          return;
        }
        process.stdout.write(`Data health: ${described.headline}\n${described.rule}\n\n`);
        process.stdout.write(`${formatTable(['check', 'value', 'what it counts'], described.lines.map((l) => [l.part ? `  ${l.label}` : l.label, l.value, l.explanation]))}\n`);
        if (summary.largestGaps.length) process.stdout.write(`Largest gaps (UTC):\n${summary.largestGaps.map((g) => `  ${isoOrNull(g.fromTs)} → ${isoOrNull(g.toTs)}: ${missingBarsText(g.missingBars)}`).join('\n')}\n`);
        process.stdout.write(`${pluralize(flagged.length, 'candle')} flagged (${formatCount(flagged.filter((f) => f.flag === 'bad').length)} bad).\n`);
      });
    });

  program
    .command('delete <datasetId>')
    .description('Delete a dataset (its candles, rollups and health report). Asks for --yes.')
    .option('--yes', 'confirm the deletion')
    .action(async (idText: string, opts: { yes?: boolean }, cmd: Command) => {
      const id = int('datasetId')(idText);
      await withContract(cmd, async (call) => {
        const ds = await datasetById(call, id);
        if (!opts.yes) throw new CliError(`This would delete ${ds.symbol} ${ds.timeframe} (${formatCount(ds.rows)} candles). Run again with --yes to confirm.`);
        await call('datasets.delete', { id });
        process.stdout.write(`Deleted ${ds.symbol} ${ds.timeframe}.\n`);
      });
    });

  program
    .command('generate')
    .description('Write a synthetic market (correlated symbols, regimes, volatility clustering, optional planted signal) as CSV files.')
    .requiredOption('--out <dir>', 'folder for the CSV files')
    .option('--symbols <n>', 'number of symbols', int('--symbols'), 4)
    .option('--bars <n>', 'bars per symbol', int('--bars'), 20_000)
    .option('--timeframe <tf>', 'bar size', '5m')
    .option('--seed <n>', 'random seed (same seed, same files)', int('--seed'), 1)
    .option('--signal <k>', 'planted signal strength 0..1 (0: a pure random walk)', '0')
    .option('--json', 'print {"files":[…]}')
    .action(async (opts: { out: string; symbols: number; bars: number; timeframe: string; seed: number; signal: string; json?: boolean }) => {
      const signal = Number(opts.signal);
      if (!(signal >= 0 && signal <= 1)) throw new CliError(`--signal must be between 0 and 1, not "${opts.signal}".`);
      if (opts.symbols < 1 || opts.symbols > 1000) throw new CliError('--symbols must be from 1 to 1000.');
      if (opts.bars < 2 || opts.bars > 50_000_000) throw new CliError('--bars must be from 2 to 50,000,000.');
      if (timeframeToMs(opts.timeframe) === null) throw new CliError(`--timeframe "${opts.timeframe}" is not a timeframe like 1m, 5m, 1h or 1d.`);
      const { writeGeneratedMarket } = await import('../../datasets/writeGeneratedMarket.js');
      const files = await writeGeneratedMarket({ symbols: opts.symbols, bars: opts.bars, timeframe: opts.timeframe, seed: opts.seed, signal, outDir: opts.out });
      if (opts.json) printJson({ files });
      else process.stdout.write(`Wrote ${files.length} files to ${opts.out}:\n${files.map((f) => `  ${f}`).join('\n')}\n`);
    });
}

/** `first row: 2019.02.15 14:00 → 2019-02-15T14:00:00.000Z (UTC)`: the raw time beside what the import stores. */
export function firstRowLine(p: ImportPreview): string[] {
  const row = p.sampleRows[0];
  const parsed = p.sampleParsed[0];
  if (!row || !parsed) return [];
  const { time, timeOfDay } = p.columnIndex;
  const raw = time === undefined ? row.join(' ') : timeOfDay === undefined ? row[time] : `${row[time]} ${row[timeOfDay]}`;
  return [`first row (line ${parsed.line}): ${raw} → ${parsed.ts === null ? `rejected: ${parsed.problem}` : `${new Date(parsed.ts).toISOString()} (UTC)`}`];
}

/** A dataset's summary from the listing, or the sentence that it does not exist. */
async function datasetById(call: ContractCall, id: number) {
  const ds = (await call('datasets.list', {})).datasets.find((d) => d.id === id);
  if (!ds) throw new CliError(`Dataset ${id} does not exist; see \`candela datasets\`.`);
  return ds;
}

/** Which end of the range `--limit` keeps: the flag named, else the first bars from `--from`, else the newest. */
export function candlesAnchor(first: boolean | undefined, last: boolean | undefined, hasFrom: boolean): 'first' | 'last' {
  if (first) return 'first';
  if (last) return 'last';
  return hasFrom ? 'first' : 'last';
}

/** The line under the table saying which bars these are, so a cut-off range is never mistaken for the whole. */
export function candlesNote(count: number, limit: number, anchor: 'first' | 'last'): string {
  if (count < limit) return `${pluralize(count, 'candle')}: all of the range.`;
  return anchor === 'last'
    ? `The last ${pluralize(count, 'candle')} of the range (the newest, --limit ${limit}); --first shows the oldest.`
    : `The first ${pluralize(count, 'candle')} of the range (the oldest, --limit ${limit}); --last shows the newest.`;
}

function parseTime(text: string, flag: string): number {
  const n = Number(text);
  if (Number.isFinite(n)) return n;
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new CliError(`${flag} "${text}" is neither an ISO-8601 time nor epoch milliseconds.`);
  return t;
}

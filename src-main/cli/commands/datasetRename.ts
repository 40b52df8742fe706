import type { Command } from 'commander';
import { describeInstrument } from '../../../src-shared/compute/import/instrument.js';
import { contractKindSchema, type DatasetSummary } from '../../../src-shared/contract/datasets.js';
import type { ContractKind } from '../../../src-shared/domain/contractKind.js';
import { isoOrNull, withContract } from '../openServices.js';
import { CliError, printJson } from '../output.js';

/** `perpetual`, `future 2024-06-28`: the kind column of `candela datasets`. */
export function kindText(d: Pick<DatasetSummary, 'kind' | 'expiry'>): string {
  return d.kind === 'future' && d.expiry !== null ? `future ${new Date(d.expiry).toISOString().slice(0, 10)}` : d.kind;
}

/** The instrument fields of a dataset in `--json` output (expiry as a UTC date). */
export function instrumentJson(d: Pick<DatasetSummary, 'symbol' | 'kind' | 'venue' | 'expiry'>) {
  return { symbol: d.symbol, kind: d.kind, venue: d.venue, expiry: d.expiry === null ? null : isoOrNull(d.expiry)!.slice(0, 10) };
}

/**
 * `candela datasets rename <id> <symbol> [--kind] [--venue] [--expiry]`: a subcommand of
 * `datasets`, so the listing stays `candela datasets`.
 */
export function registerDatasetRename(datasets: Command): void {
  datasets
    .command('rename <datasetId> <symbol>')
    .description("Rename a dataset's instrument: its symbol (any spelling: BTCUSDT, btc_usdt, BTC-PERP), and optionally kind and venue. Refused when another dataset of that timeframe already is that instrument.")
    .option('--kind <kind>', 'spot, perpetual or future (default: what the symbol says, else unchanged)')
    .option('--venue <venue>', "exchange id such as binance; 'none' for no venue (default: unchanged)")
    .option('--expiry <date>', "a future's expiry day, YYYY-MM-DD (default: what the symbol says, else unchanged)")
    .option('--json', 'print {"dataset":{…}}')
    .action(async (idText: string, symbol: string, opts: { kind?: string; venue?: string; expiry?: string; json?: boolean }, cmd: Command) => {
      const id = Number(idText);
      if (!Number.isInteger(id) || id <= 0) throw new CliError(`datasetId must be a whole number, not "${idText}".`);
      let kind: ContractKind | undefined;
      if (opts.kind !== undefined) {
        const parsed = contractKindSchema.safeParse(opts.kind.trim().toLowerCase());
        if (!parsed.success) throw new CliError(`--kind must be spot, perpetual or future, not "${opts.kind}".`);
        kind = parsed.data;
      }
      let expiry: number | undefined;
      if (opts.expiry !== undefined) {
        expiry = /^\d{4}-\d{2}-\d{2}$/.test(opts.expiry) ? Date.parse(`${opts.expiry}T00:00:00Z`) : NaN;
        if (Number.isNaN(expiry)) throw new CliError(`--expiry must be a date like 2024-06-28, not "${opts.expiry}".`);
      }
      const venue = opts.venue === undefined ? undefined : opts.venue.trim().toLowerCase() === 'none' ? null : opts.venue;
      // `--json` may land on `datasets` itself, which has the same option
      const json = opts.json ?? cmd.parent?.opts<{ json?: boolean }>().json;
      await withContract(cmd, async (call) => {
        const { dataset: d } = await call('datasets.rename', { id, symbol, kind, venue, expiry });
        if (json) printJson({ dataset: { id: d.id, ...instrumentJson(d), timeframe: d.timeframe } });
        else process.stdout.write(`Dataset ${d.id} is now ${describeInstrument(d)} (${d.timeframe}).\n`);
      });
    });
}

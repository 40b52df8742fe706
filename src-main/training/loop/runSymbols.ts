/**
 * The names a run gives its datasets in predictions, evaluations and backtests. Per-symbol results
 * are keyed by these names, so they must differ even when two datasets are the same instrument
 * (spot and perpetual of one pair, or one pair from two venues): a repeated symbol carries its
 * dataset id. Host and training process both name them with this one function.
 */
export function runSymbolLabels(datasets: readonly { id: number; symbol: string }[]): string[] {
  const count = new Map<string, number>();
  for (const d of datasets) count.set(d.symbol, (count.get(d.symbol) ?? 0) + 1);
  return datasets.map((d) => ((count.get(d.symbol) ?? 0) > 1 ? `${d.symbol} #${d.id}` : d.symbol));
}

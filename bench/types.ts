/** One benchmark figure, printed beside its anchor (another tool's figure measured in the same run). */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  anchorName: string | null;
  anchorValue: number | null;
  /** value / anchorValue for rates (higher is better); anchorValue / value for latencies. */
  ratio: number | null;
  note?: string;
}

export interface Benchmark {
  /** Dotted prefix every result name starts with, e.g. `import` or `train.lstm`. */
  prefix: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchResult[]>;
}

export interface BenchContext {
  /** ../shared/anchors when present (CANDELA_ANCHORS overrides). */
  anchorsDir: string | null;
  /** A scratch folder removed after the run. */
  tmpDir: string;
  log(message: string): void;
}

export const result = (name: string, value: number, unit: string, anchor?: { name: string; value: number | null; higherIsBetter?: boolean }, note?: string): BenchResult => {
  const anchorValue = anchor?.value ?? null;
  const ratio = anchorValue && value ? (anchor?.higherIsBetter === false ? anchorValue / value : value / anchorValue) : null;
  return { name, value, unit, anchorName: anchor?.name ?? null, anchorValue, ratio, ...(note ? { note } : {}) };
};

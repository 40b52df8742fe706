/**
 * Bars a label at row t depends on: t + fromOffset … t + toOffset. Splits purge with `toOffset`
 * so that no training label overlaps the bars of the next split.
 */
export interface LabelWindow {
  readonly fromOffset: number;
  readonly toOffset: number;
}

/** Label window of every forward-looking label in this module: bars t+1 … t+horizon. */
export function forwardWindow(horizon: number): LabelWindow {
  if (!Number.isInteger(horizon) || horizon < 1) throw new RangeError(`horizon must be an integer ≥ 1, got ${horizon}`);
  return { fromOffset: 1, toOffset: horizon };
}

/** Class id of a row without a label (the last `horizon` rows, warm-up, missing prices, excluded band). */
export const NO_LABEL = -1;

/**
 * Class schemes. Ids are the index into the names: 'up-flat-down' DOWN=0, FLAT=1, UP=2;
 * 'up-down' DOWN=0, UP=1.
 */
export const CLASS_NAMES = {
  'up-flat-down': ['DOWN', 'FLAT', 'UP'],
  'up-down': ['DOWN', 'UP'],
} as const;

export type ClassScheme = keyof typeof CLASS_NAMES;

export const DOWN = 0;
/** FLAT in 'up-flat-down'. */
export const FLAT = 1;
/** UP id for a scheme: 2 in 'up-flat-down', 1 in 'up-down'. */
export const upClass = (scheme: ClassScheme): number => (scheme === 'up-flat-down' ? 2 : 1);

/** Class labels with everything a consumer needs to interpret and purge them. */
export interface ClassLabels {
  /** Class id per row, or {@link NO_LABEL}. */
  readonly labels: Int8Array;
  readonly scheme: ClassScheme;
  readonly classNames: readonly string[];
  readonly window: LabelWindow;
}

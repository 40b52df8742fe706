/** Inputs or settings a backtest cannot run on (lengths, ordering, missing columns, bad values). */
export class BacktestInputError extends Error {
  override readonly name: string = 'BacktestInputError';
}

/**
 * A prediction row carries a timestamp later than the bar it is aligned to: it was computed with
 * information the strategy could not have had at that bar's close.
 */
export class LookAheadError extends BacktestInputError {
  override readonly name: string = 'LookAheadError';
  constructor(
    message: string,
    /** Index of the first offending bar. */
    readonly bar: number,
  ) {
    super(message);
  }
}

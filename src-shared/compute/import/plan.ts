import type { ContractKind } from '../../domain/contractKind.js';

/**
 * The parse plan: everything the row parser needs to know about one file, decided once by
 * `sniffFormat` from a sample of its first lines.
 */

/** User corrections that win over what sniffing guesses. */
export interface ImportOverrides {
  symbol?: string;
  /** The contract kind, when the file and its name do not say it (see instrument.ts). */
  kind?: ContractKind;
  /** The venue (exchange) id; an empty string for none. */
  venue?: string;
  /** A timeframe label such as `5m`, `1h`, `1d`. */
  timeframe?: string;
  /** Header name (exact, then case-insensitive) or a 0-based column index written as a string. */
  columns?: Partial<Record<ColumnRole, string>>;
  /** `,` `;` `|` a tab character, or the words `tab` / `\t`. */
  delimiter?: string;
  /** Read ambiguous numeric dates (01.02.2019) as day first (true) or month first (false). */
  dayFirst?: boolean;
}

export type ColumnRole = 'time' | 'date' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'symbol';

/** How the time column(s) are read. */
export interface TimeSpec {
  /**
   * `epoch`: numbers whose unit (s, ms, µs, ns; float seconds allowed) is chosen per value by
   * magnitude, so a file that switches from ms to s part-way still parses.
   * `text`: calendar date-times (the text parser still accepts an epoch number in a cell).
   */
  kind: 'epoch' | 'text';
  /** Day-first reading for numeric dates whose first field is not the year (01.02.2019). */
  dayFirst: boolean;
  /** Whether the sample's times carry an explicit zone or offset (`Z`, `+03:00`, `UTC`). */
  hasZone: boolean;
  /** The first sample value (date and time-of-day joined by a space when split), for the UI. */
  example: string;
}

export interface PlanColumns {
  time: number;
  /** A separate time-of-day column added to the date in `time` (MetaTrader). */
  date2?: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number | null;
  symbol: number | null;
}

export interface ParsePlan {
  /** Human label of the recognised export: 'Binance klines', 'MetaTrader 4', 'Generic CSV' … */
  family: string;
  /** `delimited` rows go through `createRowParser`; `json` files through `parseFreqtradeJson`. */
  format: 'delimited' | 'json';
  delimiter: string;
  decimalComma: boolean;
  /** Header names as written (quotes removed, trimmed); null when the file has no header. */
  header: string[] | null;
  /** 0-based index into the file's lines of the first data line (after preamble and header). */
  dataStartLine: number;
  columns: PlanColumns;
  /** Other numeric columns kept beside OHLCV; names are unique case-insensitively. */
  extras: { index: number; name: string }[];
  time: TimeSpec;
  /** The canonical symbol (`BTC/USDT`, see instrument.ts). */
  symbol: string | null;
  symbolSource: 'override' | 'column' | 'filename' | null;
  timeframeMs: number | null;
  timeframeSource: 'override' | 'filename' | null;
  kind: ContractKind;
  /** UTC midnight of a future's expiry day, when named. */
  expiry: number | null;
  /** Where the kind came from, for a person ("the file name says futures"). */
  kindReason: string;
  /** Lower-case venue id (`binance`), when the file name, its layout or the user tells it. */
  venue: string | null;
}

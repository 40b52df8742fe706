/**
 * The calendar of a backtest's returns that the Backtests page draws as a heatmap.
 *
 * A test of three months or more is a year × month grid: one row per calendar year (its label an
 * integer year, never an axis tick like 2,024.6) and one column per calendar month that the test
 * touches in any year, so a test from October to March shows six columns, not twelve with six
 * empty. A shorter test would fill one or two cells of such a grid, so it becomes a week × weekday
 * grid of daily returns (weeks start on Monday, ISO 8601), which shows its shape day by day.
 *
 * A period's return compounds the equity from the end of the previous period (or the equity
 * before the first bar) to the period's last bar, so the cells compound to the test's total
 * return; all dates are UTC, as every timestamp in Candela.
 */

const DAY_MS = 86_400_000;
/** Below this span the month grid would be mostly one or two cells: three months of 30 days. */
export const DAILY_CALENDAR_BELOW_MS = 90 * DAY_MS;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

export interface ReturnsCalendar {
  /** 'month': rows are years, columns months; 'day': rows are weeks (by their Monday), columns weekdays. */
  granularity: 'month' | 'day';
  /** Row labels: integer years ("2024") or the Monday that starts each week ("2024-03-04"). */
  rows: string[];
  /** Column labels: the months the test touches ("Oct") or the seven weekdays. */
  columns: string[];
  /** Return of each cell as a fraction; null where the cell lies outside the test or has no bar. */
  cells: (number | null)[][];
}

/** The period a bar belongs to, as a sortable key, and where it sits in the grid. */
type Locate = (ms: number) => { key: string; row: string; column: number };

const monthOf: Locate = (ms) => {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return { key: `${y}-${String(m + 1).padStart(2, '0')}`, row: String(y), column: m };
};

const dayOf: Locate = (ms) => {
  const dayStart = Math.floor(ms / DAY_MS) * DAY_MS;
  // 1970-01-01 was a Thursday: (days + 3) mod 7 is 0 on Mondays.
  const weekday = (Math.floor(ms / DAY_MS) + 3) % 7;
  const monday = new Date(dayStart - weekday * DAY_MS).toISOString().slice(0, 10);
  return { key: new Date(dayStart).toISOString().slice(0, 10), row: monday, column: weekday };
};

/**
 * The return calendar of an equity curve sampled at bar closes `ts` (ascending UTC ms).
 * `startEquity` is the equity before the first bar (a backtest's initial equity: its first bar
 * already pays a fill); without it the first bar's equity is the start. Empty rows and columns
 * when there are no bars.
 */
export function returnsCalendar(ts: ArrayLike<number>, equity: ArrayLike<number>, startEquity?: number): ReturnsCalendar {
  const n = Math.min(ts.length, equity.length);
  const span = n > 0 ? ts[n - 1]! - ts[0]! : 0;
  const granularity = span < DAILY_CALENDAR_BELOW_MS ? 'day' : 'month';
  const locate = granularity === 'day' ? dayOf : monthOf;
  const periods: { row: string; column: number; ret: number }[] = [];
  let start = startEquity ?? (n > 0 ? equity[0]! : 0);
  for (let i = 0; i < n; i++) {
    const here = locate(ts[i]!);
    if (i < n - 1 && locate(ts[i + 1]!).key === here.key) continue;
    periods.push({ row: here.row, column: here.column, ret: start > 0 ? equity[i]! / start - 1 : 0 });
    start = equity[i]!;
  }
  const rows = [...new Set(periods.map((p) => p.row))];
  if (granularity === 'month') {
    const used = [...new Set(periods.map((p) => p.column))].sort((a, b) => a - b);
    return {
      granularity,
      rows,
      columns: used.map((m) => MONTHS[m]!),
      cells: rows.map((r) => used.map((m) => periods.find((p) => p.row === r && p.column === m)?.ret ?? null)),
    };
  }
  return {
    granularity,
    rows,
    columns: [...WEEKDAYS],
    cells: rows.map((r) => WEEKDAYS.map((_, d) => periods.find((p) => p.row === r && p.column === d)?.ret ?? null)),
  };
}

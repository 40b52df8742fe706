import { useEffect, useMemo, useRef, useState } from 'react';
import {
  backtestSettingsFromStored,
  backtestSettingsSchema,
  type BacktestMetricsPayload,
  type BacktestSettingsInput,
  type BacktestSettingsPayload,
  type BacktestSummary,
  type ResolvedBacktestSettings,
  type TradePayload,
} from '../../src-shared/contract/backtests.js';
import { annualisedCaveat, testPeriodText } from '../../src-shared/domain/annualisedCaveat.js';
import { backtestSettingsLine, PORTFOLIO_RULE } from '../../src-shared/domain/backtestSettingsLine.js';
import { breakevenText, equityPct } from '../../src-shared/domain/backtestUnits.js';
import { BacktestChart, type BacktestChartHandle } from '../components/charts/BacktestChart.js';
import { PlotlyChart } from '../components/charts/PlotlyChart.js';
import { BacktestAnalyticsCard } from './BacktestAnalytics.js';
import { EmptyState } from '../components/layout/EmptyState.js';
import { RunSelect } from '../components/RunSelect.js';
import { formatInt, formatUtc } from '../format.js';
import { backtestsSelectors } from '../stores/backtestsStore.js';
import { useBacktestsStore, useStores, useTrainingStore } from '../stores/stores.js';
import { trainingSelectors } from '../stores/trainingStore.js';

type Metrics = BacktestMetricsPayload;
/** The metrics a table column shows and sorts by. */
type MetricKey = Exclude<keyof Metrics, 'nullReasons'>;
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(2)} %`);
const fix = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? '—' : v.toFixed(d));
/**
 * Money figures (fees, funding, a trade's PnL) are shown as % of the starting equity, in the
 * results table and the trade list alike, so a fee and a return read in the same unit.
 */
const COLUMNS: [MetricKey, string, (m: Metrics, initialEquity: number) => string][] = [
  ['trades', 'Trades', (m) => String(m.trades)],
  ['totalReturn', 'Return', (m) => pct(m.totalReturn)],
  ['buyAndHoldReturn', 'Buy & hold', (m) => pct(m.buyAndHoldReturn)],
  ['sharpe', 'Sharpe (annual)', (m) => fix(m.sharpe)],
  ['sortino', 'Sortino', (m) => fix(m.sortino)],
  ['maxDrawdown', 'Max DD', (m) => pct(m.maxDrawdown)],
  ['winRate', 'Win rate', (m) => pct(m.winRate)],
  ['profitFactor', 'Profit factor', (m) => fix(m.profitFactor)],
  ['exposure', 'Exposure', (m) => pct(m.exposure)],
  ['feesPaid', 'Fees (% of equity)', (m, e) => equityPct(m.feesPaid, e)],
  ['fundingPaid', 'Funding (% of equity)', (m, e) => equityPct(m.fundingPaid, e)],
];

/** The form's fields as typed (empty text for "none"), so that a stored backtest can be put back into it. */
type FormState = {
  direction: string;
  minConfidence: number;
  takerFeeBps: number;
  makerFeeBps: number;
  slippageBps: number;
  stopLoss: number | '';
  takeProfit: number | '';
  stopUnit: string;
  funding: string;
  fundingRatePer8h: number;
  sizing: string;
  fixedFraction: number;
  maxLeverage: number;
  maxHoldingBars: number | '';
};

const formStateOf = (p: BacktestSettingsPayload): FormState => ({
  direction: p.direction,
  minConfidence: p.minConfidence,
  takerFeeBps: p.takerFeeBps,
  makerFeeBps: p.makerFeeBps,
  slippageBps: p.slippageBps,
  stopLoss: p.stopLoss ?? '',
  takeProfit: p.takeProfit ?? '',
  stopUnit: p.stopUnit,
  funding: p.fundingSource,
  fundingRatePer8h: p.fundingRatePer8h,
  sizing: p.sizing,
  fixedFraction: p.fixedFraction,
  maxLeverage: p.maxLeverage,
  maxHoldingBars: p.maxHoldingBars ?? '',
});

const settingsOf = (s: FormState): BacktestSettingsInput => ({
  direction: s.direction as 'long-short' | 'long-only',
  minConfidence: s.minConfidence,
  takerFeeBps: s.takerFeeBps,
  makerFeeBps: s.makerFeeBps,
  slippageBps: s.slippageBps,
  sizing: s.sizing as 'fixed' | 'confidence' | 'vol-target' | 'kelly',
  fixedFraction: s.fixedFraction,
  maxLeverage: s.maxLeverage,
  maxHoldingBars: s.maxHoldingBars === '' ? null : Number(s.maxHoldingBars),
  stopUnit: s.stopUnit as 'fraction' | 'atr',
  stopLoss: s.stopLoss === '' ? null : Number(s.stopLoss),
  takeProfit: s.takeProfit === '' ? null : Number(s.takeProfit),
  fundingSource: s.funding as 'none' | 'fixed' | 'column',
  fundingRatePer8h: s.fundingRatePer8h,
});

/** The line naming a stored backtest's or sweep's settings; says so when they cannot be read back. */
function SettingsLine({ settings, sweep = false, testId }: { settings: ResolvedBacktestSettings; sweep?: boolean; testId?: string }) {
  const p = backtestSettingsFromStored(settings);
  return (
    <p className="muted small" data-testid={testId}>
      {p ? backtestSettingsLine(p, { sweep }) : 'Settings stored in a form this version cannot read.'}
    </p>
  );
}

/** The Sharpe ratio's interval on hover, where the table has no room for it. */
function sharpeTitle(m: Metrics): string | undefined {
  const c = annualisedCaveat(m);
  return c.sharpeInterval ? `95 % interval ${c.sharpeInterval.lower.toFixed(2)} to ${c.sharpeInterval.upper.toFixed(2)} (Lo 2002, IID)${c.warning ? `; ${c.warning}` : ''}` : undefined;
}

/** Annualised figures of a short test, with how long the test was and the Sharpe ratio's interval. */
function Caveat({ metrics, testId, who }: { metrics: Metrics; testId: string; who?: string }) {
  const c = annualisedCaveat(metrics);
  if (!c.warning) {
    return c.sharpeInterval ? (
      <p className="muted small" data-testid={`${testId}-interval`}>
        {who ? `${who}: ` : ''}
        Sharpe 95 % interval {c.sharpeInterval.lower.toFixed(2)} to {c.sharpeInterval.upper.toFixed(2)} (Lo 2002, IID returns).
      </p>
    ) : null;
  }
  return (
    <p className="warn small" role="note" data-testid={testId}>
      {who ? `${who}: ` : ''}
      {c.warning}
    </p>
  );
}

function SettingsForm({ s, setS, onRun, busy, carried }: { s: FormState; setS: React.Dispatch<React.SetStateAction<FormState>>; onRun: (s: BacktestSettingsInput) => void; busy: boolean; carried: number | null }) {
  // An emptied optional field means "none"; an emptied required one reads as 0, as before.
  const optional = new Set<keyof FormState>(['stopLoss', 'takeProfit', 'maxHoldingBars']);
  const set = (k: keyof FormState) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setS((o) => ({ ...o, [k]: e.target.type !== 'number' || (optional.has(k) && e.target.value === '') ? e.target.value : Number(e.target.value) }));
  const settings = () => settingsOf(s);
  return (
    <section className="card" aria-label="Backtest settings">
      <h2>Settings</h2>
      <div className="form-grid">
        <label>
          Direction
          <select value={s.direction} onChange={set('direction')} aria-label="Direction">
            <option value="long-short">long / short</option>
            <option value="long-only">long only</option>
          </select>
        </label>
        <label>
          Min confidence (0–1)
          <input type="number" step="0.01" min={0} max={1} value={s.minConfidence} onChange={set('minConfidence')} aria-label="Min confidence" />
        </label>
        <label>
          Fee (bps)
          <input type="number" min={0} value={s.takerFeeBps} onChange={set('takerFeeBps')} aria-label="Fee bps" />
        </label>
        <label>
          Slippage (bps)
          <input type="number" min={0} value={s.slippageBps} onChange={set('slippageBps')} />
        </label>
        <label>
          Sizing
          <select value={s.sizing} onChange={set('sizing')} aria-label="Sizing">
            <option value="fixed">fixed fraction</option>
            <option value="confidence">scaled by confidence</option>
            <option value="vol-target">volatility target (20 %/yr)</option>
            <option value="kelly">half Kelly</option>
          </select>
        </label>
        <label>
          Fraction / max size
          <input type="number" step="0.1" min={0} value={s.fixedFraction} onChange={set('fixedFraction')} />
        </label>
        <label>
          Leverage cap
          <input type="number" step="0.5" min={0} value={s.maxLeverage} onChange={set('maxLeverage')} />
        </label>
        <label>
          Max holding (bars)
          <input type="number" min={1} placeholder="no limit" value={s.maxHoldingBars} onChange={set('maxHoldingBars')} />
        </label>
        <label>
          Stops in
          <select value={s.stopUnit} onChange={set('stopUnit')}>
            <option value="fraction">fraction of price</option>
            <option value="atr">ATR(14) multiples</option>
          </select>
        </label>
        <label>
          Stop-loss
          <input type="number" step="0.005" min={0} placeholder="none" value={s.stopLoss} onChange={set('stopLoss')} />
        </label>
        <label>
          Take-profit
          <input type="number" step="0.005" min={0} placeholder="none" value={s.takeProfit} onChange={set('takeProfit')} />
        </label>
        <label>
          Funding
          <select value={s.funding} onChange={set('funding')}>
            <option value="none">none</option>
            <option value="fixed">fixed rate (perpetuals)</option>
            <option value="column">dataset funding column</option>
          </select>
        </label>
        {s.funding === 'fixed' ? (
          <label>
            Rate per 8 h
            <input type="number" step="0.0001" value={s.fundingRatePer8h} onChange={set('fundingRatePer8h')} />
          </label>
        ) : null}
      </div>
      {carried !== null ? (
        <p className="note small" role="note" data-testid="carried-confidence">
          Min confidence {Number((carried * 100).toFixed(1))} % carried over from the Evaluation page
          {s.minConfidence !== carried ? ` (now changed to ${Number((s.minConfidence * 100).toFixed(1))} %)` : ''}; run the backtest to use it.
        </p>
      ) : null}
      <p className="muted small">Signals at a bar's close fill at the next bar's open; stops and targets are checked on each bar's high and low (the stop wins when both are touched).</p>
      <button className="primary" onClick={() => onRun(settings())} disabled={busy}>
        {busy ? 'Running…' : 'Run backtest'}
      </button>
    </section>
  );
}

function SymbolDetail({ bt, symbol }: { bt: BacktestSummary; symbol: string }) {
  const detail = useBacktestsStore(backtestsSelectors.detail);
  const view = detail?.view ?? null;
  const candles = detail?.candles ?? null;
  const [selected, setSelected] = useState<number | null>(null);
  const chart = useRef<BacktestChartHandle>(null);
  const hist = useMemo(() => (view ? [{ type: 'histogram', x: view.returns.map((r) => r * 100), nbinsx: 60, marker: { color: '#4f9cf9' }, hovertemplate: '%{x:.3f} %: %{y} bars<extra></extra>' }] : []), [view]);
  const heat = useMemo(() => {
    if (!view) return [];
    const c = view.calendar;
    const z = c.cells.map((row) => row.map((v) => (v === null ? null : v * 100)));
    // Text per cell rather than a texttemplate, which prints a lone "%" in cells outside the test.
    const text = z.map((row) => row.map((v) => (v === null ? '' : `${v.toFixed(2)} %`)));
    const hover = c.granularity === 'month' ? '%{x} %{y}: %{text}<extra></extra>' : 'week of %{y}, %{x}: %{text}<extra></extra>';
    return [{ type: 'heatmap', z, x: c.columns, y: c.rows, text, texttemplate: '%{text}', colorscale: [[0, '#ef5350'], [0.5, '#1f2630'], [1, '#26a69a']], zmid: 0, hovertemplate: hover, colorbar: { ticksuffix: ' %' }, xgap: 2, ygap: 2 }];
  }, [view]);
  const heatTitle = view?.calendar.granularity === 'day' ? 'Daily returns (test under three months)' : 'Monthly returns';
  // Rows are labels (years, or the Monday of each week), never a numeric axis that would tick 2,024.6.
  const heatLayout = useMemo(() => ({ title: { text: heatTitle }, yaxis: { type: 'category', autorange: 'reversed', automargin: true }, xaxis: { type: 'category' } }), [heatTitle]);
  if (detail?.error) return <p className="error" role="alert">{symbol}: {detail.error}</p>;
  if (!view || !candles) return <p className="muted">Loading {symbol}…</p>;
  const trades: TradePayload[] = view.trades;
  const metrics = bt.symbols.find((x) => x.symbol === symbol)?.metrics;
  return (
    <section className="card" aria-label={`${symbol} backtest`}>
      <h2>{symbol}</h2>
      {metrics ? <Caveat metrics={metrics} testId="symbol-caveat" who={symbol} /> : null}
      <BacktestChart ref={chart} candles={candles} trades={trades} series={view.series} />
      <div className="plots">
        <PlotlyChart testId="returns-histogram" fileName={`backtest-${bt.backtestId}-${symbol}-returns`} data={hist} layout={{ title: { text: 'Bar returns (%)' }, bargap: 0.05 }} height={260} />
        <PlotlyChart testId="monthly-heatmap" fileName={`backtest-${bt.backtestId}-${symbol}-calendar`} data={heat} layout={heatLayout as never} height={Math.max(260, 60 + 34 * (view.calendar.rows.length + 1))} />
      </div>
      <div className="table-scroll tall-scroll">
        <table className="data-table compact" aria-label="Trades" data-testid="trade-list">
          <thead>
            <tr>
              <th>Entry (UTC)</th>
              <th>Exit (UTC)</th>
              <th>Side</th>
              <th className="num">Entry</th>
              <th className="num">Exit</th>
              <th className="num">Size</th>
              <th className="num">PnL (% of equity)</th>
              <th className="num">Fees (% of equity)</th>
              <th className="num">Return (% of equity at entry)</th>
              <th>Exit reason</th>
            </tr>
          </thead>
          <tbody>
            {trades.slice(0, 2000).map((t, i) => (
              <tr
                key={i}
                className={i === selected ? 'selected' : undefined}
                tabIndex={0}
                onClick={() => {
                  setSelected(i);
                  chart.current?.showTrade(t);
                }}
                onKeyDown={(e) => e.key === 'Enter' && (setSelected(i), chart.current?.showTrade(t))}
              >
                <td>{formatUtc(t.entryTs)}</td>
                <td>{formatUtc(t.exitTs)}</td>
                <td className={t.side === 'long' ? 'ok' : 'error'}>{t.side}</td>
                <td className="num">{t.entryPrice.toPrecision(7)}</td>
                <td className="num">{t.exitPrice.toPrecision(7)}</td>
                <td className="num">{t.size.toFixed(2)}</td>
                <td className={`num ${t.pnl >= 0 ? 'ok' : 'error'}`}>{equityPct(t.pnl, bt.settings.initialEquity, 3)}</td>
                <td className="num">{equityPct(t.fees, bt.settings.initialEquity, 3)}</td>
                <td className="num">{(t.returnFraction * 100).toFixed(3)} %</td>
                <td>{t.exitReason}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {trades.length > 2000 ? <p className="muted">First 2,000 of {formatInt(trades.length)} trades.</p> : null}
      </div>
    </section>
  );
}

function Sweep({ settings }: { settings: () => BacktestSettingsInput }) {
  const state = useBacktestsStore((s) => s.sweep);
  const runSweep = useBacktestsStore((s) => s.runSweep);
  const result = state?.result ?? null;
  const busy = state?.busy ?? false;
  const error = state?.error ?? null;
  const thresholds = [0.5, 0.55, 0.6, 0.65, 0.7, 0.8];
  const rows = result?.rows ?? [];
  const symbols = rows[0]?.symbols.map((s) => s.symbol) ?? [];
  const years = rows[0] ? annualisedCaveat(rows[0].portfolio).years : null;
  return (
    <section className="card" aria-label="Threshold sweep">
      <h2>Threshold sweep</h2>
      <button
        onClick={() => void runSweep(settings(), thresholds)}
        disabled={busy}
      >
        {busy ? 'Sweeping…' : 'Sweep minimum confidence'}
      </button>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {result ? (
        <>
          <SettingsLine settings={result.settings} sweep testId="sweep-settings" />
          {/* Focusable: a region that scrolls sideways must be reachable from the keyboard. */}
          <div className="table-wide" tabIndex={0} role="region" aria-label="Sweep results">
            <table className="data-table compact" aria-label="Sweep results" data-testid="sweep">
              <thead>
                <tr>
                  <th rowSpan={2}>Min confidence</th>
                  <th colSpan={4} className="group">Portfolio (equal weight)</th>
                  {symbols.map((s) => (
                    <th key={s} className="num group">
                      {s}
                    </th>
                  ))}
                </tr>
                <tr>
                  <th className="num">Return</th>
                  <th className="num">Sharpe</th>
                  <th className="num">Trades</th>
                  <th className="num">Max DD</th>
                  {symbols.map((s) => (
                    <th key={s} className="num">
                      return · trades
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.threshold} data-testid="sweep-row">
                    <td>≥ {(r.threshold * 100).toFixed(0)} %</td>
                    <td className="num">{pct(r.portfolio.totalReturn)}</td>
                    <td className="num">{fix(r.portfolio.sharpe, 2)}</td>
                    <td className="num">{r.portfolio.trades ?? 0}</td>
                    <td className="num">{pct(r.portfolio.maxDrawdown)}</td>
                    {symbols.map((s) => {
                      const m = r.symbols.find((x) => x.symbol === s)?.metrics;
                      return (
                        <td key={s} className="num" title={`Sharpe ${fix(m?.sharpe)}`}>
                          {pct(m?.totalReturn)} · {m?.trades ?? 0}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {years !== null && years < 1 ? (
            <p className="warn small" data-testid="sweep-caveat">
              Test covers {testPeriodText(years)}; the annualised Sharpe ratios above are unreliable (see each backtest’s interval).
            </p>
          ) : null}
        </>
      ) : (
        <p className="muted small">One full backtest per minimum confidence with the Settings card's values (only the minimum confidence varies): the portfolio's return, Sharpe, trades and drawdown, and each symbol's return and trades.</p>
      )}
    </section>
  );
}

/** One empty list for "not loaded yet", so that the selector returns the same value each time. */
const NO_BACKTESTS: BacktestSummary[] = [];

export function BacktestsPage() {
  const { training, backtests } = useStores();
  const allRuns = useTrainingStore((s) => s.runs);
  const runs = useMemo(() => allRuns.filter(trainingSelectors.isFinished), [allRuns]);
  const runId = useBacktestsStore((s) => s.runId);
  const list = useBacktestsStore((s) => s.list) ?? NO_BACKTESTS;
  const current = useBacktestsStore(backtestsSelectors.current);
  const compare = useBacktestsStore(backtestsSelectors.compared);
  const symbol = useBacktestsStore((s) => s.symbol);
  const busy = useBacktestsStore((s) => s.running);
  const error = useBacktestsStore((s) => s.runError ?? s.listError);
  const { selectRun, selectBacktest, compareWith, selectSymbol, run } = backtests.getState();
  const [sort, setSort] = useState<{ k: MetricKey | 'symbol'; dir: 1 | -1 }>({ k: 'symbol', dir: 1 });
  const carried = useBacktestsStore(backtestsSelectors.carriedMinConfidence);
  const [form, setForm] = useState<FormState>(() => formStateOf(backtestSettingsSchema.parse({})));
  // The form shows the settings of the backtest on screen, so after a reload or picking a stored
  // one it never claims settings that the results were not computed with; a minimum confidence
  // carried from Evaluation replaces that one field until a backtest is run with it.
  const shownSettings = current?.settings;
  useEffect(() => {
    const stored = shownSettings ? backtestSettingsFromStored(shownSettings) : null;
    setForm((f) => {
      const next = stored ? formStateOf(stored) : f;
      return carried !== null ? { ...next, minConfidence: carried } : next;
    });
  }, [shownSettings, carried]);
  useEffect(() => void training.getState().refresh(), [training]);
  // Coming back to the page reads the run's backtests afresh (the CLI may have added some).
  useEffect(() => {
    const shown = backtests.getState().runId;
    if (shown !== null) void backtests.getState().selectRun(shown);
  }, [backtests]);
  useEffect(() => {
    if (runId === null && runs[0]) void selectRun(runs[0].id);
  }, [runId, runs, selectRun]);
  if (runs.length === 0) {
    return (
      <div className="page">
        <h1>Backtests</h1>
        <EmptyState title="No finished runs to backtest yet" action={<a href="#/training">Go to Training</a>}>
          <p>A finished run's out-of-sample signals are traded here per symbol, after fees, slippage and funding.</p>
        </EmptyState>
      </div>
    );
  }
  const symbolsSorted = current
    ? [...current.symbols].sort((a, b) => {
        const k = sort.k;
        if (k === 'symbol') return sort.dir * a.symbol.localeCompare(b.symbol);
        return sort.dir * ((a.metrics[k] ?? -Infinity) - (b.metrics[k] ?? -Infinity));
      })
    : [];
  return (
    <div className="page backtests-page">
      <div className="page-header">
        <h1>Backtests</h1>
        <RunSelect label="Run to backtest" runs={runs} value={runId} onChange={(id) => void selectRun(id)} />
        {list.length ? (
          <label className="check">
            Backtest
            <select value={current?.backtestId ?? ''} onChange={(e) => selectBacktest(e.target.value ? Number(e.target.value) : null)} aria-label="Stored backtest">
              {list.map((b) => (
                <option key={b.backtestId} value={b.backtestId}>
                  #{b.backtestId} · {formatUtc(b.createdAt)} · fee {b.settings.takerFeeBps} bps · ≥ {Number((b.settings.minConfidence * 100).toFixed(1))} %
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {list.length > 1 ? (
          <label className="check">
            Compare with
            <select value={compare?.backtestId ?? ''} onChange={(e) => compareWith(e.target.value ? Number(e.target.value) : null)} aria-label="Compare with backtest">
              <option value="">(none)</option>
              {list.filter((b) => b.backtestId !== current?.backtestId).map((b) => (
                <option key={b.backtestId} value={b.backtestId}>
                  #{b.backtestId}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <SettingsForm s={form} setS={setForm} onRun={(s) => void run(s)} busy={busy} carried={carried} />
      {current ? (
        <section className="card" aria-label="Results per symbol">
          <h2>Results · backtest #{current.backtestId}</h2>
          <SettingsLine settings={current.settings} testId="backtest-settings" />
          <div className="table-wide" tabIndex={0} role="region" aria-label="Backtest results">
          <table className="data-table" aria-label="Backtest results" data-testid="backtest-results">
            <thead>
              <tr>
                {[['symbol', 'Symbol'] as const, ...COLUMNS.map(([k, label]) => [k, label] as const)].map(([k, label]) => (
                  <th key={k} scope="col" className={k === 'symbol' ? undefined : 'num'} aria-sort={sort.k === k ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
                    <button type="button" className="th-button" onClick={() => setSort((s) => ({ k, dir: s.k === k ? ((-s.dir) as 1 | -1) : -1 }))}>
                      {label}
                      <span aria-hidden="true" className="sort-arrow">
                        {sort.k === k ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
                      </span>
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {symbolsSorted.map((s) => (
                <tr key={s.symbol} data-testid="backtest-symbol-row" className={s.symbol === symbol ? 'selected' : undefined} onClick={() => void selectSymbol(s.symbol)} tabIndex={0} onKeyDown={(e) => e.key === 'Enter' && void selectSymbol(s.symbol)}>
                  <td>{s.symbol}</td>
                  {COLUMNS.map(([k, , f]) => (
                    <td key={k} className="num" title={k === 'sharpe' ? sharpeTitle(s.metrics) : undefined}>
                      {f(s.metrics, current.settings.initialEquity)}
                    </td>
                  ))}
                </tr>
              ))}
              <tr className="portfolio-row">
                <td>Portfolio (equal weight)</td>
                {COLUMNS.map(([k, , f]) => (
                  <td key={k} className="num" title={k === 'sharpe' ? sharpeTitle(current.portfolio) : undefined}>
                    {f(current.portfolio, current.settings.initialEquity)}
                  </td>
                ))}
              </tr>
              {compare ? (
                <tr className="portfolio-row muted" data-testid="compare-row">
                  <td>Portfolio · backtest #{compare.backtestId}</td>
                  {COLUMNS.map(([k, , f]) => (
                    <td key={k} className="num">{f(compare.portfolio, compare.settings.initialEquity)}</td>
                  ))}
                </tr>
              ) : null}
            </tbody>
          </table>
          </div>
          {compare ? (
            <div className="muted small" data-testid="compare-settings">
              Backtest #{compare.backtestId} was computed with: <SettingsLine settings={compare.settings} />
            </div>
          ) : null}
          <p className="muted small" data-testid="portfolio-rule">{PORTFOLIO_RULE}</p>
          <p className="muted small" data-testid="money-unit">
            Fees, funding and trade PnL are in % of each symbol’s starting equity ({current.settings.initialEquity} in account currency).
          </p>
          <Caveat metrics={current.portfolio} testId="annualised-caveat" who="Portfolio" />
          <p className={current.breakeven?.status === 'found' && current.breakeven.takerFeeBps! > current.settings.takerFeeBps ? 'ok' : 'warn'} data-testid="breakeven">
            {breakevenText(current.breakeven, current.settings.takerFeeBps)}
          </p>
          {!symbol ? <p className="muted">Click a symbol to see its trades on the chart.</p> : null}
        </section>
      ) : (
        <p className="muted">No backtest of this run yet: choose the costs and run one.</p>
      )}
      {current ? <BacktestAnalyticsCard bt={current} /> : null}
      {/* Full width below the results: one row per threshold, the portfolio and every symbol side by side. */}
      {runId !== null ? <Sweep settings={() => settingsOf(form)} /> : null}
      {current && symbol ? <SymbolDetail bt={current} symbol={symbol} /> : null}
    </div>
  );
}

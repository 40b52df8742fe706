import { useEffect, useMemo, useRef, useState } from 'react';
import type { Data } from 'plotly.js-cartesian-dist-min';
import type { BacktestAnalytics, BacktestSummary, MarketMonteCarlo, MonteCarloSummaryPayload, MoreMetricsPayload, RegimeReturnRow } from '../../src-shared/contract/backtests.js';
import { PlotlyChart } from '../components/charts/PlotlyChart.js';
import { HmmStatesSelect, SymbolScopeSelect } from '../components/RegimeControls.js';
import { formatInt } from '../format.js';
import { backtestsSelectors } from '../stores/backtestsStore.js';
import { useBacktestsStore, useStores } from '../stores/stores.js';

const pct = (v: number | null | undefined, d = 1) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(d)} %`);
const fix = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? '—' : v.toFixed(d));
const pValue = (p: number) => (p < 0.001 ? '< 0.001' : p.toFixed(3));

/** Share of paths whose max drawdown is beyond the threshold, read off the per-path samples. */
function beyond(m: MonteCarloSummaryPayload, threshold: number): number {
  let k = 0;
  for (const d of m.maxDrawdownSamples) if (d > threshold) k++;
  return k / Math.max(m.maxDrawdownSamples.length, 1);
}

/** Equity quantile bands of a Monte Carlo as a fan: 5–95 % and 25–75 % filled, the median as a line. */
function fanData(m: MonteCarloSummaryPayload): Data[] {
  const x = m.fan.steps;
  const at = (level: number) => m.fan.bands[m.fan.levels.findIndex((l) => Math.abs(l - level) < 1e-9)] ?? [];
  const line = (level: number, fill: 'tonexty' | 'none', name: string, color: string, show: boolean): Data => ({
    type: 'scatter',
    mode: 'lines',
    x,
    y: at(level).map((e) => (e - 1) * 100),
    name,
    fill,
    fillcolor: color,
    line: { width: show ? 2 : 0, color: show ? '#4f9cf9' : color },
    showlegend: show || fill === 'tonexty',
    hovertemplate: `${name}: %{y:.2f} %<extra></extra>`,
  });
  return [
    line(0.05, 'none', '5th percentile', 'rgba(79,156,249,0.15)', false),
    line(0.95, 'tonexty', '5–95 %', 'rgba(79,156,249,0.15)', false),
    line(0.25, 'none', '25th percentile', 'rgba(79,156,249,0.35)', false),
    line(0.75, 'tonexty', '25–75 %', 'rgba(79,156,249,0.35)', false),
    line(0.5, 'none', 'median', '#4f9cf9', true),
  ];
}

function RegimeRows({ label, rows }: { label: string; rows: RegimeReturnRow[] }) {
  return (
    <>
      {rows
        .filter((r) => r.bars > 0)
        .map((r, i) => (
          <tr key={`${label}-${r.regime}`}>
            <td>{i === 0 ? label : ''}</td>
            <td>{r.regime}</td>
            <td className="num">{formatInt(r.bars)}</td>
            <td className="num">{pct(r.totalReturn, 2)}</td>
            <td className="num">{fix(r.sharpe)}</td>
            <td className="num">{pct(r.maxDrawdown)}</td>
          </tr>
        ))}
    </>
  );
}

function Regimes({ a }: { a: BacktestAnalytics }) {
  const [scope, setScope] = useState('');
  const line = scope ? a.regimes.symbols.find((s) => s.symbol === scope) : a.regimes.portfolio;
  return (
    <div>
      <h3>Per regime</h3>
      <SymbolScopeSelect label="Returns of" allLabel="the portfolio" symbols={a.regimes.symbols.map((s) => s.symbol)} value={scope} onChange={setScope} testId="bt-regime-scope" />
      {line ? (
        <table className="data-table compact" aria-label="Backtest per regime" data-testid="bt-regimes">
          <thead>
            <tr>
              <th>Kind</th>
              <th>Regime</th>
              <th className="num">Bars</th>
              <th className="num">Return</th>
              <th className="num">Sharpe</th>
              <th className="num">Max DD</th>
            </tr>
          </thead>
          <tbody>
            <RegimeRows label="Volatility" rows={line.volatility} />
            <RegimeRows label="Trend" rows={line.trend} />
            {line.hmm ? <RegimeRows label="HMM" rows={line.hmm} /> : null}
            <tr className="portfolio-row">
              <td>All</td>
              <td />
              <td className="num">{formatInt(line.bars)}</td>
              <td className="num">{pct(line.totalReturn, 2)}</td>
              <td />
              <td />
            </tr>
          </tbody>
        </table>
      ) : null}
      <p className="muted small">
        Each bar&apos;s return takes the regime known at the close of the bar before. The portfolio&apos;s regimes are those of the equal-weight index of its symbols. Returns compound within a regime, so Π(1 + return) over the rows is 1 + the whole return.
      </p>
    </div>
  );
}

function MonteCarlo({ a, bt, cost }: { a: BacktestAnalytics; bt: BacktestSummary; cost: React.ReactNode }) {
  const mc = a.monteCarlo!;
  const [thresholdPct, setThresholdPct] = useState(20);
  const [fanOf, setFanOf] = useState<'trades' | 'bars'>('trades');
  const threshold = thresholdPct / 100;
  const methods: [string, MonteCarloSummaryPayload | null][] = [
    [mc.reason ? 'Bar path (block bootstrap)' : 'Trades, bootstrap', mc.reason ? null : mc],
    ['Trades, reordered', mc.reorder],
    [`Bar path, block bootstrap (${mc.blockBootstrap?.blockLength ?? '—'} bars)`, mc.blockBootstrap],
  ];
  const fanSource = fanOf === 'bars' || mc.reason ? mc.blockBootstrap : mc;
  const fan = useMemo(() => (fanSource ? fanData(fanSource) : []), [fanSource]);
  const valid = thresholdPct > 0 && thresholdPct < 100;
  return (
    <div>
      <h3>Monte Carlo</h3>
      <div className="inline-controls">
        <label>
          Drawdown threshold{' '}
          <input type="number" min={1} max={99} step={1} value={thresholdPct} onChange={(e) => setThresholdPct(Number(e.target.value))} data-testid="dd-threshold" aria-invalid={!valid} /> %
        </label>
        <label>
          Fan of{' '}
          <select value={fanOf} onChange={(e) => setFanOf(e.target.value as 'trades' | 'bars')} data-testid="fan-source">
            <option value="trades" disabled={mc.reason !== null}>
              trades (bootstrap)
            </option>
            <option value="bars">bar path (block bootstrap)</option>
          </select>
        </label>
      </div>
      {!valid ? <p className="error">The threshold is a drawdown between 1 and 99 %.</p> : null}
      <div className="table-wide" tabIndex={0} role="region" aria-label="Monte Carlo percentiles">
      <table className="data-table compact" aria-label="Monte Carlo percentiles" data-testid="mc-table">
        <thead>
          <tr>
            <th>Resampling ({formatInt(mc.paths)} paths, seed {a.seed})</th>
            <th className="num">Final return 5 / 50 / 95 %</th>
            <th className="num">Max DD 5 / 50 / 95 %</th>
            <th className="num">Worst 5 %</th>
            <th className="num">P(DD &gt; {thresholdPct} %)</th>
          </tr>
        </thead>
        <tbody>
          {methods
            .filter((m): m is [string, MonteCarloSummaryPayload] => m[1] !== null)
            .map(([name, m]) => (
              <tr key={name}>
                <td>{name}</td>
                <td className="num">
                  {pct(m.finalReturn.p5)} / {pct(m.finalReturn.p50)} / {pct(m.finalReturn.p95)}
                </td>
                <td className="num">
                  {pct(m.maxDrawdown.p5)} / {pct(m.maxDrawdown.p50)} / {pct(m.maxDrawdown.p95)}
                </td>
                <td className="num">{pct(m.worst5PercentFinalReturn)}</td>
                <td className="num" data-testid="dd-probability">
                  {valid ? pct(beyond(m, threshold)) : '—'}
                </td>
              </tr>
            ))}
        </tbody>
      </table>
      </div>
      <p className="muted small">
        Trades: the pooled trades (each its symbol&apos;s share of the portfolio) drawn with replacement, or reordered, which keeps the final return and only moves the drawdown. Bar path: the portfolio&apos;s bar returns resampled in blocks. The model&apos;s signals are those of the real test period; no path re-runs the model (see Resampled market below for that). Fan: the median line, 25–75 % and 5–95 % of paths shaded.
      </p>
      <div className="analytics-pair">
        <PlotlyChart
          testId="mc-fan"
          fileName={`backtest-${bt.backtestId}-monte-carlo`}
          data={fan}
          layout={{ title: { text: `Equity paths (${fanOf === 'bars' || mc.reason ? 'bars' : 'trades'}), % of start` }, showlegend: false, margin: { l: 56, r: 16, t: 36, b: 44 }, xaxis: { title: { text: fanOf === 'bars' || mc.reason ? 'bar' : 'trade' } }, yaxis: { title: { text: 'return (%)' } } }}
          height={280}
        />
        {cost}
      </div>
    </div>
  );
}

function MarketResult({ m, bt }: { m: MarketMonteCarlo; bt: BacktestSummary }) {
  const fan = useMemo(() => fanData(m), [m]);
  const bars = (v: number) => formatInt(Math.round(v));
  return (
    <>
      <div className="table-wide" tabIndex={0} role="region" aria-label="Resampled market percentiles">
        <table className="data-table compact" aria-label="Resampled market percentiles" data-testid="market-mc-table">
          <thead>
            <tr>
              <th>
                Resampled market ({formatInt(m.paths)} paths, seed {m.seed}, blocks of {formatInt(m.blockLength)} bars{m.noise > 0 ? `, noise ${m.noise}` : ''})
              </th>
              <th className="num">5 %</th>
              <th className="num">50 %</th>
              <th className="num">95 %</th>
              <th className="num">This backtest</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>Final return</td>
              <td className="num">{pct(m.finalReturn.p5)}</td>
              <td className="num">{pct(m.finalReturn.p50)}</td>
              <td className="num">{pct(m.finalReturn.p95)}</td>
              <td className="num">{pct(m.original.totalReturn)}</td>
            </tr>
            <tr>
              <td>Max drawdown</td>
              <td className="num">{pct(m.maxDrawdown.p5)}</td>
              <td className="num">{pct(m.maxDrawdown.p50)}</td>
              <td className="num">{pct(m.maxDrawdown.p95)}</td>
              <td className="num">{pct(m.original.maxDrawdown)}</td>
            </tr>
            <tr>
              <td>Longest drawdown (bars)</td>
              <td className="num">{bars(m.longestDrawdown.p5)}</td>
              <td className="num">{bars(m.longestDrawdown.p50)}</td>
              <td className="num">{bars(m.longestDrawdown.p95)}</td>
              <td />
            </tr>
          </tbody>
        </table>
      </div>
      <p className="small" data-testid="market-mc-tail">
        Worst 5 % of paths: mean final return {pct(m.worst5PercentFinalReturn)}. P(max drawdown &gt; {pct(m.drawdownThreshold, 0)}) = {pct(m.probabilityDrawdownBeyond)}. {formatInt(m.paths)} paths in {m.seconds.toFixed(1)} s.
      </p>
      <PlotlyChart
        testId="market-mc-fan"
        fileName={`backtest-${bt.backtestId}-market-monte-carlo`}
        data={fan}
        layout={{ title: { text: 'Portfolio equity on resampled markets, % of start' }, showlegend: false, margin: { l: 56, r: 16, t: 36, b: 44 }, xaxis: { title: { text: 'bar' } }, yaxis: { title: { text: 'return (%)' } } }}
        height={280}
      />
    </>
  );
}

/**
 * Monte Carlo of the market itself: the test period's candles resampled in blocks (and perturbed),
 * the model predicting again on every path. Apart from the Monte Carlo above, which keeps the signals.
 */
function MarketMonteCarloPanel({ bt }: { bt: BacktestSummary }) {
  const { backtests } = useStores();
  const state = useBacktestsStore((s) => s.market[bt.backtestId]);
  const [paths, setPaths] = useState(100);
  const [block, setBlock] = useState('');
  const [noise, setNoise] = useState(0);
  const [seed, setSeed] = useState(1);
  const [ddPct, setDdPct] = useState(20);
  const blockLength = block.trim() === '' ? null : Number(block);
  const problem =
    !Number.isInteger(paths) || paths < 1 || paths > 1000
      ? 'Paths: a whole number from 1 to 1000.'
      : blockLength !== null && (!Number.isInteger(blockLength) || blockLength < 1)
        ? 'Block length: a whole number of bars, at least 1 (empty: automatic).'
        : !(noise >= 0 && noise <= 2)
          ? 'Noise: from 0 to 2 typical bar moves.'
          : !(ddPct > 0 && ddPct < 100)
            ? 'The drawdown threshold is between 1 and 99 %.'
            : !Number.isInteger(seed) || seed < 0
              ? 'Seed: a whole number ≥ 0.'
              : null;
  const running = state?.status === 'running';
  return (
    <div data-testid="market-mc">
      <h3>Resampled market (signals recomputed)</h3>
      <p className="muted small">
        The test period&apos;s candles are resampled in blocks (moving-block bootstrap; optionally each bar perturbed by noise), the run&apos;s model predicts again on every path and the same rules and costs trade its signals. Blocks keep the bars&apos; shapes and short-range dependence; one block as long as the test period and no noise is the real market.
      </p>
      <div className="inline-controls">
        <label>
          Paths <input type="number" min={1} max={1000} step={1} value={paths} onChange={(e) => setPaths(Number(e.target.value))} data-testid="market-paths" disabled={running} />
        </label>
        <label>
          Block (bars) <input type="number" min={1} step={1} value={block} placeholder="auto" onChange={(e) => setBlock(e.target.value)} data-testid="market-block" disabled={running} />
        </label>
        <label>
          Noise <input type="number" min={0} max={2} step={0.05} value={noise} onChange={(e) => setNoise(Number(e.target.value))} data-testid="market-noise" disabled={running} />
        </label>
        <label>
          Seed <input type="number" min={0} step={1} value={seed} onChange={(e) => setSeed(Number(e.target.value))} data-testid="market-seed" disabled={running} />
        </label>
        <label>
          Drawdown threshold <input type="number" min={1} max={99} step={1} value={ddPct} onChange={(e) => setDdPct(Number(e.target.value))} data-testid="market-dd" disabled={running} /> %
        </label>
        {running ? (
          <button type="button" onClick={() => void backtests.getState().cancelMarket(bt.backtestId)} data-testid="market-cancel">
            Cancel
          </button>
        ) : (
          <button
            type="button"
            disabled={problem !== null}
            onClick={() => void backtests.getState().resampleMarket({ backtestId: bt.backtestId, paths, blockLength, noise, seed, drawdownThreshold: ddPct / 100 })}
            data-testid="market-run"
          >
            Resample the market
          </button>
        )}
      </div>
      {problem ? <p className="error">{problem}</p> : null}
      {state?.status === 'running' ? (
        <p className="small" data-testid="market-progress">
          <progress value={state.done} max={state.total} aria-label="Paths predicted" /> {formatInt(state.done)} / {formatInt(state.total)} paths predicted{state.done === state.total ? '; backtesting them…' : ''}
        </p>
      ) : null}
      {state?.status === 'failed' ? (
        <p className="error" role="alert" data-testid="market-error">
          The market could not be resampled: {state.error}
        </p>
      ) : null}
      {state?.status === 'ready' ? <MarketResult m={state.value} bt={bt} /> : null}
    </div>
  );
}

/** This backtest's round-trip cost: fee and slippage on both fills. */
const roundTripOf = (bt: BacktestSummary) => 2 * (bt.settings.takerFeeBps + bt.settings.slippageBps);

function CostCurve({ a, bt }: { a: BacktestAnalytics; bt: BacktestSummary }) {
  const c = a.costSensitivity;
  const current = roundTripOf(bt);
  const data = useMemo<Data[]>(() => {
    const out: Data[] = [{ type: 'scatter', mode: 'lines+markers', name: 'portfolio return', x: c.line.costBps, y: c.line.totalReturn.map((r) => (r === null ? null : r * 100)), line: { color: '#4f9cf9' }, hovertemplate: '%{x:.1f} bps: %{y:.2f} %<extra></extra>' }];
    const ys = c.line.totalReturn.filter((r): r is number => r !== null).map((r) => r * 100);
    const lo = Math.min(0, ...ys);
    const hi = Math.max(0, ...ys);
    if (c.breakevenBps !== null && c.status === 'found') out.push({ type: 'scatter', mode: 'lines', name: `breakeven ${c.breakevenBps.toFixed(1)} bps`, x: [c.breakevenBps, c.breakevenBps], y: [lo, hi], line: { color: '#e0a63b', dash: 'dash' } });
    out.push({ type: 'scatter', mode: 'lines', name: `this backtest ≈ ${current.toFixed(1)} bps`, x: [current, current], y: [lo, hi], line: { color: '#8b949e', dash: 'dot' } });
    return out;
  }, [c, current]);
  return (
    <PlotlyChart
      testId="cost-curve"
      fileName={`backtest-${bt.backtestId}-cost`}
      data={data}
      layout={{ title: { text: 'Portfolio return by round-trip cost' }, legend: { orientation: 'h', y: -0.32 }, margin: { l: 56, r: 16, t: 36, b: 80 }, xaxis: { title: { text: 'round-trip cost (bps)' } }, yaxis: { title: { text: 'return (%)' } } }}
      height={280}
    />
  );
}

function CostSensitivity({ a, bt }: { a: BacktestAnalytics; bt: BacktestSummary }) {
  const c = a.costSensitivity;
  const current = roundTripOf(bt);
  return (
    <div>
      <h3>Cost sensitivity</h3>
      <p className={c.status === 'found' && c.breakevenBps! > current ? 'ok' : 'warn'} data-testid="breakeven-roundtrip">
        {c.status === 'found'
          ? `Breakeven round-trip cost ${c.breakevenBps!.toFixed(2)} bps (half on each fill); this backtest pays about ${current.toFixed(1)} bps a round trip.`
          : c.status === 'unprofitable-at-zero-cost'
            ? 'No breakeven: the portfolio loses even without costs.'
            : `Profitable up to the search's ceiling of ${c.maxBps} bps a round trip.`}{' '}
        Annual turnover {fix(c.turnover.annual, 1)}× over {formatInt(c.turnover.trades)} trades.
      </p>
      <table className="data-table compact" aria-label="Return by fee and slippage" data-testid="cost-grid">
        <thead>
          <tr>
            <th>Fee \ slippage (bps per fill)</th>
            {c.grid.slippageBps.map((s) => (
              <th key={s} className="num">
                {s}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {c.grid.feeBps.map((f, i) => (
            <tr key={f}>
              <td>{f}</td>
              {c.grid.slippageBps.map((s, j) => (
                <td key={s} className="num" title={`Sharpe ${fix(c.grid.sharpe[i]![j])}`}>
                  {pct(c.grid.totalReturn[i]![j], 2)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The metrics beyond the results table, with how each is computed on hover. */
export const MORE_METRICS: [keyof Omit<MoreMetricsPayload, 'nullReasons'>, string, string, (v: number | null) => string][] = [
  ['omega', 'Omega ratio', 'Σ gains above 0 / Σ losses below 0 of bar returns (Keating & Shadwick 2002)', (v) => fix(v)],
  ['sharpeAutocorrelationAdjusted', 'Sharpe, autocorrelation-adjusted', 'annual Sharpe scaled by Lo’s (2002) η(q) instead of √q, 10 lags', (v) => fix(v)],
  ['sortinoAutocorrelationAdjusted', 'Sortino, autocorrelation-adjusted', 'annual Sortino scaled by Lo’s η(q)', (v) => fix(v)],
  ['autocorrelationLag1', 'Autocorrelation (lag 1)', 'of bar returns', (v) => fix(v, 3)],
  ['longestWinStreakTrades', 'Longest win streak (trades)', 'consecutive winning trades', (v) => formatInt(v ?? 0)],
  ['longestLossStreakTrades', 'Longest loss streak (trades)', 'consecutive losing trades', (v) => formatInt(v ?? 0)],
  ['longestWinStreakBars', 'Longest win streak (bars)', 'consecutive bars with a positive return', (v) => formatInt(v ?? 0)],
  ['longestLossStreakBars', 'Longest loss streak (bars)', 'consecutive bars with a negative return', (v) => formatInt(v ?? 0)],
  ['ulcerIndex', 'Ulcer index', '√(mean squared drawdown from the running peak), Martin & McCann 1989', (v) => pct(v, 2)],
  ['recoveryFactor', 'Recovery factor', 'total return / max drawdown', (v) => fix(v)],
  ['tailRatio', 'Tail ratio', '|95th percentile| / |5th percentile| of bar returns', (v) => fix(v)],
  ['gainToPain', 'Gain to pain', 'Σ returns / |Σ negative returns| (Schwager 2012)', (v) => fix(v)],
  ['skewness', 'Skewness', 'of bar returns (biased, as scipy)', (v) => fix(v)],
  ['excessKurtosis', 'Excess kurtosis', 'of bar returns (biased, as scipy)', (v) => fix(v)],
  ['calmar', 'Calmar', 'CAGR / max drawdown over the window', (v) => fix(v)],
];

function MoreMetrics({ a }: { a: BacktestAnalytics }) {
  const cols = [{ name: 'Portfolio', m: a.moreMetrics.portfolio }, ...a.moreMetrics.symbols.map((s) => ({ name: s.symbol, m: s as MoreMetricsPayload }))];
  return (
    <div>
      <h3>More metrics</h3>
      <div className="table-wide" tabIndex={0} role="region" aria-label="More metrics">
        <table className="data-table compact" aria-label="More metrics" data-testid="more-metrics">
          <thead>
            <tr>
              <th>Metric</th>
              {cols.map((c) => (
                <th key={c.name} className="num">
                  {c.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {MORE_METRICS.map(([k, label, how, f]) => (
              <tr key={k}>
                <td title={how}>{label}</td>
                {cols.map((c) => (
                  <td key={c.name} className="num" title={c.m.nullReasons[k]}>
                    {f(c.m[k])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Beside the breakeven line: is the result better than chance? */
function Significance({ a }: { a: BacktestAnalytics }) {
  const vs = a.significance.versusBuyAndHold;
  return (
    <p className="small" data-testid="significance">
      <strong>Better than chance?</strong>{' '}
      {vs ? `Against buy and hold: excess ${pct(vs.excessReturn, 2)}, p = ${pValue(vs.pValue)}${vs.pValue < 0.05 ? ' (significant at 5 %)' : ' (not significant)'}.` : 'Against buy and hold: too few bars.'}{' '}
      Against random entries with the same trades:{' '}
      {a.significance.randomEntry.map((s) => `${s.symbol} ${s.result ? `p = ${pValue(s.result.pValue)}` : `— (${s.reason})`}`).join(' · ')}.
    </p>
  );
}

/** The equal-weight portfolio's equity beside buy and hold: the line the Monte Carlo fans around. */
function PortfolioEquity({ a, bt }: { a: BacktestAnalytics; bt: BacktestSummary }) {
  const eq = a.portfolioEquity;
  const data = useMemo<Data[]>(
    () => [
      { type: 'scatter', mode: 'lines', name: 'portfolio', x: eq.ts.map((t) => new Date(t).toISOString()), y: eq.strategy.map((v) => (v - 1) * 100), line: { color: '#4f9cf9' }, hovertemplate: '%{x}: %{y:.2f} %<extra></extra>' },
      { type: 'scatter', mode: 'lines', name: 'buy and hold', x: eq.ts.map((t) => new Date(t).toISOString()), y: eq.buyHold.map((v) => (v - 1) * 100), line: { color: '#8b949e', dash: 'dot' }, hovertemplate: '%{x}: %{y:.2f} %<extra></extra>' },
    ],
    [eq],
  );
  if (eq.ts.length < 2) return null;
  return <PlotlyChart testId="portfolio-equity" fileName={`backtest-${bt.backtestId}-portfolio`} data={data} layout={{ title: { text: 'Portfolio (equal weight) beside buy and hold, % of start' }, legend: { orientation: 'h', y: -0.25 }, yaxis: { title: { text: 'return (%)' } } }} height={260} />;
}

/** Regimes, Monte Carlo, cost sensitivity and significance of the shown backtest, computed on demand. */
export function BacktestAnalyticsCard({ bt }: { bt: BacktestSummary }) {
  const { backtests } = useStores();
  const a = useBacktestsStore(backtestsSelectors.analytics);
  const [hmm, setHmm] = useState<2 | 3 | null>(null);
  useEffect(() => void backtests.getState().loadAnalytics(bt.backtestId, hmm), [backtests, bt.backtestId, hmm]);
  // While the HMM option recomputes, the previous answer for this backtest stays on screen, so the charts are not torn down mid-draw.
  const last = useRef<{ backtestId: number; value: BacktestAnalytics } | null>(null);
  if (a?.status === 'ready') last.current = { backtestId: a.backtestId, value: a.value };
  const value = a?.status === 'ready' ? a.value : a?.status === 'loading' && last.current?.backtestId === bt.backtestId ? last.current.value : null;
  return (
    <section className="card" aria-label="Backtest analytics" data-testid="backtest-analytics">
      <h2>Regimes, Monte Carlo and costs · backtest #{bt.backtestId}</h2>
      <div className="inline-controls">
        <HmmStatesSelect value={hmm} onChange={setHmm} testId="bt-hmm-states" />
      </div>
      {!a || a.status === 'loading' ? <p className="muted">{value ? 'Recomputing with the new regime option…' : 'Computing regimes, Monte Carlo and cost sensitivity…'}</p> : null}
      {a?.status === 'failed' ? (
        <p className="error" role="alert">
          The analytics could not be computed: {a.error}
        </p>
      ) : null}
      {value ? (
        <>
          <Significance a={value} />
          <PortfolioEquity a={value} bt={bt} />
          {value.monteCarlo ? <MonteCarlo a={value} bt={bt} cost={<CostCurve a={value} bt={bt} />} /> : <CostCurve a={value} bt={bt} />}
          <div className="analytics-pair">
            <CostSensitivity a={value} bt={bt} />
            <Regimes a={value} />
          </div>
          <MoreMetrics a={value} />
        </>
      ) : null}
      <MarketMonteCarloPanel bt={bt} />
    </section>
  );
}

/**
 * A run's report as one self-contained HTML file: inline CSS, charts as inline SVG (svg.ts), no
 * script and no external reference of any kind, so it opens offline, prints to PDF as it looks,
 * and can be mailed as it is. Sections carry stable ids (`REPORT_SECTIONS`) that tests look for.
 */
import type { MonteCarloSummaryPayload, MoreMetricsPayload, RegimeReturnRow } from '../../../src-shared/contract/backtests.js';
import type { RunAnalytics } from '../../../src-shared/contract/evaluation.js';
import { annualisedCaveat } from '../../../src-shared/domain/annualisedCaveat.js';
import { PORTFOLIO_RULE } from '../../../src-shared/domain/backtestSettingsLine.js';
import { breakevenText } from '../../../src-shared/domain/backtestUnits.js';
import type { ReportData } from './runReport.js';
import { barChart, escapeHtml as e, lineChart } from './svg.js';

/** Section ids in the order they appear. */
export const REPORT_SECTIONS = ['config', 'lineage', 'evaluation', 'regimes', 'signal-quality', 'backtest', 'monte-carlo', 'market-monte-carlo', 'cost-sensitivity', 'caveats'] as const;

const pct = (v: number | null | undefined, d = 2) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(d)} %`);
const fix = (v: number | null | undefined, d = 3) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));
const utc = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
const BLUE = '#2f6fd6';
const GREEN = '#1f9d8a';
const ORANGE = '#d9822b';
const GREY = '#8a8f98';

/** A hash, shown in monospace and allowed to wrap anywhere. */
class Hash {
  constructor(readonly text: string) {}
}
type Cell = string | number | Hash;
const cell = (c: Cell) => (c instanceof Hash ? `<code>${e(c.text)}</code>` : e(String(c)));

function table(head: readonly string[] | null, rows: readonly (readonly Cell[])[], numeric: (i: number) => boolean = (i) => i > 0): string {
  const thead = head ? `<thead><tr>${head.map((h, i) => `<th${numeric(i) ? ' class="num"' : ''}>${e(h)}</th>`).join('')}</tr></thead>` : '';
  return `<table>${thead}<tbody>${rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric(i) ? ' class="num"' : ''}>${cell(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

const section = (id: (typeof REPORT_SECTIONS)[number], title: string, body: string) => `<section id="${id}"><h2>${e(title)}</h2>${body}</section>`;
const note = (text: string) => `<p class="note">${e(text)}</p>`;

function configSection(d: ReportData): string {
  const c = d.run.config as Record<string, unknown>;
  const rows = Object.entries(c)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
  return section(
    'config',
    'Run configuration',
    `${table(null, [
      ['run', `#${d.run.id} ${d.run.name}`],
      ['status', d.run.status],
      ['model', d.run.model],
      ['timeframe', d.run.timeframe],
      ['validation', d.run.validation],
      ['backend', d.run.backend ?? '—'],
      ['created', utc(d.run.createdAt)],
      ['epochs', `${d.run.epochsDone} of ${d.run.epochsPlanned} (best ${d.run.bestEpoch ?? '—'})`],
    ], () => false)}<h3>Training config</h3>${table(['setting', 'value'], rows, () => false)}`,
  );
}

function lineageSection(d: ReportData): string {
  const rows = d.lineage.map((l) => [l.symbol, l.datasetId, l.readTimeframe, l.rows, l.bars, l.candleSha256 ? new Hash(l.candleSha256) : 'dataset no longer stored', l.sourceHashes.length ? new Hash(l.sourceHashes.join(' ')) : '—']);
  const sourcesNow = d.lineage.flatMap((l) => l.sources.map((s) => [l.symbol, s.fileName, new Hash(s.contentHash), utc(s.importedAt)]));
  const changed = d.lineage.filter((l) => l.sources.map((s) => s.contentHash).join(' ') !== l.sourceHashes.join(' '));
  return section(
    'lineage',
    'Data lineage',
    `${table(['symbol', 'dataset', 'read at', 'rows at start', 'bars now', 'SHA-256 of the candles read (now)', 'source file SHA-256 (at start)'], rows, (i) => i === 1 || i === 3 || i === 4)}` +
      note('Source hashes are those of the imported files the run recorded when it started. The candle hash is SHA-256 of the little-endian float64 bytes of ts, open, high, low, close and volume at the run’s timeframe, column after column, computed when this report was written: recompute it to check the data has not changed since.') +
      (changed.length ? `<p class="warn">${e(`The source files of ${changed.map((l) => l.symbol).join(', ')} changed since the run started (files added or removed): the run read other data than the datasets hold now.`)}</p>` : '') +
      (sourcesNow.length ? `<h3>Source files now</h3>${table(['symbol', 'file', 'SHA-256', 'imported'], sourcesNow, () => false)}` : ''),
  );
}

function evaluationSection(d: ReportData): string {
  const r = d.evaluation.report;
  const b = r.baselines;
  const v = r.bootstrap.verdicts.accuracyVsMajority;
  const ci = r.bootstrap.accuracy;
  const base = r.bootstrap.majorityAccuracy;
  const rows = [
    ['accuracy', pct(r.classification.accuracy), pct(b.majority?.accuracy), pct(b.classPrior?.expectedAccuracy), pct(b.persistence?.accuracy)],
    ['balanced accuracy', pct(r.classification.balancedAccuracy), pct(b.majority?.balancedAccuracy), '—', pct(b.persistence?.balancedAccuracy)],
    ['macro F1', pct(r.classification.macro.f1), pct(b.majority?.macroF1), '—', pct(b.persistence?.macroF1)],
    ['MCC', fix(r.classification.matthewsCorrelation), fix(b.majority?.matthewsCorrelation), '—', fix(b.persistence?.matthewsCorrelation)],
    ['macro ROC AUC', fix(r.roc.macroAuc), '—', fix(b.classPrior?.macroAuc), '—'],
    ['log loss', fix(r.probabilistic.logLoss, 4), '—', fix(b.classPrior?.logLoss, 4), '—'],
    ['Brier', fix(r.probabilistic.brier, 4), '—', fix(b.classPrior?.brier, 4), '—'],
  ];
  const per = (r.perSymbol ?? []).map((s) => [s.symbol, s.samples, pct(s.accuracy), pct(s.majorityAccuracy), pct(s.persistenceAccuracy), fix(s.macroAuc)]);
  const folds = r.folds.map((f) => [f.fold, `${utc(f.fromTs)} – ${utc(f.toTs)}`, f.samples, pct(f.accuracy), pct(f.majorityAccuracy), f.verdict ?? '—']);
  return section(
    'evaluation',
    'Evaluation beside baselines',
    `<p class="${v === 'better' ? 'ok' : 'warn'} verdict">${e(v === 'better' ? 'Better than the majority-class baseline' : 'Not better than baseline')}${ci && base ? e(` — accuracy 95 % interval ${pct(ci.lower)}–${pct(ci.upper)} vs baseline ${pct(base.lower)}–${pct(base.upper)}`) : ''}</p>` +
      `<p>${e(`${r.samples} test samples · classes ${r.classes.join(' / ')} · evaluated ${utc(d.evaluation.createdAt)} · bootstrap ${r.bootstrap.resamples}× (block ${r.bootstrap.blockLength})`)}</p>` +
      table(['metric', 'model', 'majority', 'class prior', 'persistence'], rows) +
      (per.length ? `<h3>Per symbol</h3>${table(['symbol', 'samples', 'accuracy', 'majority', 'persistence', 'macro AUC'], per)}` : '') +
      (folds.length ? `<h3>Test-period folds</h3>${table(['fold', 'period', 'samples', 'accuracy', 'majority', 'verdict'], folds)}` : ''),
  );
}

function accuracyRows(kind: string, rows: RunAnalytics['regimes']['trend']['rows']) {
  return rows.filter((r) => r.bars > 0).map((r, i) => [i === 0 ? kind : '', r.regime, r.bars, pct(r.accuracy), pct(r.majorityAccuracy), pct(r.persistenceAccuracy)]);
}

function returnRows(kind: string, rows: RegimeReturnRow[] | null) {
  return (rows ?? []).filter((r) => r.bars > 0).map((r, i) => [i === 0 ? kind : '', r.regime, r.bars, pct(r.totalReturn), fix(r.sharpe, 2), pct(r.maxDrawdown)]);
}

function regimesSection(d: ReportData): string {
  const a = d.analytics;
  let body = '';
  if (a) {
    const head = ['kind', 'regime', 'bars', 'accuracy', 'majority', 'persistence'];
    body += `<h3>Accuracy per regime, all symbols</h3>${table(head, [...accuracyRows('volatility', a.regimes.volatility.rows), ...accuracyRows('trend', a.regimes.trend.rows)], (i) => i > 1)}`;
    for (const s of a.regimes.volatility.perSymbol) {
      const trend = a.regimes.trend.perSymbol.find((t) => t.symbol === s.symbol)?.rows ?? [];
      body += `<h3>${e(s.symbol)}</h3>${table(head, [...accuracyRows('volatility', s.rows), ...accuracyRows('trend', trend)], (i) => i > 1)}`;
    }
    body += note(`Volatility: terciles of the trailing ${a.regimes.volatility.lookback}-bar volatility, cut points fitted per symbol on the bars before its test period. Trend: the trailing ${a.regimes.trend.lookback}-bar return beyond ± a typical move of that length (median training volatility × √${a.regimes.trend.lookback}). Every label at a bar uses bars up to that bar only.`);
  } else body += note(`No regimes: ${d.analyticsReason ?? 'not computed'}.`);
  const ba = d.backtestAnalytics;
  if (ba) {
    const head = ['kind', 'regime', 'bars', 'return', 'Sharpe', 'max DD'];
    const lines = [{ name: 'Portfolio', ...ba.regimes.portfolio }, ...ba.regimes.symbols.map((s) => ({ name: s.symbol, ...s }))];
    for (const l of lines) body += `<h3>${e(`Backtest returns per regime · ${l.name} (${l.bars} bars, return ${pct(l.totalReturn)})`)}</h3>${table(head, [...returnRows('volatility', l.volatility), ...returnRows('trend', l.trend)], (i) => i > 1)}`;
    body += note(`${ba.regimes.rule}; the portfolio’s regimes are those of the equal-weight index of its symbols. Returns compound within a regime, so Π(1 + return) over the rows is 1 + the whole return, and the bars add up.`);
  }
  return section('regimes', 'Regimes', body);
}

function signalSection(d: ReportData): string {
  const a = d.analytics;
  if (!a) return section('signal-quality', 'Signal quality', note(`No signal quality: ${d.analyticsReason ?? 'not computed'}.`));
  const sq = a.signalQuality;
  const icRows = [
    ['all symbols', sq.overall.n, fix(sq.overall.ic, 4), fix(sq.overall.rankIc, 4)],
    ...sq.perSymbol.map((s) => [s.symbol, s.n, fix(s.ic, 4), fix(s.rankIc, 4)]),
    ...(sq.magnitude ? [['magnitude head (predicted log return)', sq.magnitude.overall.n, fix(sq.magnitude.overall.ic, 4), fix(sq.magnitude.overall.rankIc, 4)]] : []),
  ];
  const months = barChart(
    { title: 'IC per month (UTC)', xLabel: 'month', yLabel: 'correlation' },
    sq.perMonth.map((m) => m.month),
    [
      { name: 'IC', y: sq.perMonth.map((m) => m.ic), color: BLUE },
      { name: 'rank IC', y: sq.perMonth.map((m) => m.rankIc), color: GREEN },
    ],
  );
  const decay = lineChart({ title: 'IC decay', xLabel: 'horizon (bars)', yLabel: 'correlation' }, [
    { name: 'IC', x: sq.decay.map((r) => r.horizon), y: sq.decay.map((r) => r.ic), color: BLUE },
    { name: 'rank IC', x: sq.decay.map((r) => r.horizon), y: sq.decay.map((r) => r.rankIc), color: GREEN },
  ]);
  const bias = a.bias.map((b) => [b.symbol, b.n, pct(b.upCallShare, 1), `${pct(b.lower, 1)}–${pct(b.upper, 1)}`, pct(b.baseRate, 1), `${pct(b.bias, 1)}${b.biased ? ' (outside)' : ''}`]);
  return section(
    'signal-quality',
    'Signal quality',
    note(`Score ${sq.score} against the log return over the next ${a.horizon} bar(s), the label horizon. IC: Pearson correlation; rank IC: Spearman (average ranks).`) +
      table(['', 'pairs', 'IC', 'rank IC'], icRows) +
      `<div class="charts">${months}${decay}</div>` +
      table(['month', 'pairs', 'IC', 'rank IC'], sq.perMonth.map((m) => [m.month, m.n, fix(m.ic, 4), fix(m.rankIc, 4)])) +
      `<h3>Prediction bias</h3>${table(['symbol', 'samples', 'UP calls', '95 % Wilson interval', 'went up', 'bias'], bias)}` +
      note('Bias: share of UP calls minus the share of bars that went up; “outside” when the base rate lies outside the interval of the share of UP calls.'),
  );
}

function backtestSection(d: ReportData): string {
  const bt = d.backtest;
  if (!bt) return section('backtest', 'Backtest', note(d.backtestReason ?? 'No backtest.'));
  const m = (name: string, x: typeof bt.portfolio) => [name, x.trades, pct(x.totalReturn), pct(x.buyAndHoldReturn), fix(x.sharpe, 2), pct(x.maxDrawdown), pct(x.winRate, 1), fix(x.profitFactor, 2)];
  const s = bt.settings;
  const vs = d.backtestAnalytics?.significance.versusBuyAndHold;
  const rand = d.backtestAnalytics?.significance.randomEntry ?? [];
  return section(
    'backtest',
    `Backtest #${bt.backtestId}`,
    `<p>${e(`${s.direction}, min confidence ${(s.minConfidence * 100).toFixed(1)} %, ${s.sizing} sizing ${s.fixedFraction}, fee ${s.takerFeeBps} bps taker / ${s.makerFeeBps} maker, slippage ${s.slippageBps} bps, funding ${s.fundingSource}${s.stopLoss ? `, stop ${s.stopLoss} ${s.stopUnit}` : ''}${s.takeProfit ? `, target ${s.takeProfit}` : ''}; stored ${utc(bt.createdAt)}.`)}</p>` +
      table(['symbol', 'trades', 'return', 'buy & hold', 'Sharpe', 'max DD', 'win rate', 'profit factor'], [...bt.symbols.map((x) => m(x.symbol, x.metrics)), m('PORTFOLIO', bt.portfolio)]) +
      note(PORTFOLIO_RULE) +
      equityChart(d) +
      `<p>${e(breakevenText(bt.breakeven, s.takerFeeBps))}</p>` +
      `<h3>Better than chance?</h3>` +
      (vs ? `<p>${e(`Against equal-weight buy and hold: excess return ${pct(vs.excessReturn)}, p = ${vs.pValue.toFixed(3)} (block bootstrap of the per-bar difference, ${vs.samples} resamples).`)}</p>` : '') +
      (rand.length ? table(['symbol', 'p (random entries)', 'strategy return', 'random median', 'random 5–95 %'], rand.map((r) => (r.result ? [r.symbol, r.result.pValue.toFixed(3), pct(r.result.observed), pct(r.result.null.p50), `${pct(r.result.null.p5)} to ${pct(r.result.null.p95)}`] : [r.symbol, r.reason ?? '—', '—', '—', '—']))) : '') +
      moreMetricsTable(d) +
      (d.backtestReason ? note(d.backtestReason) : ''),
  );
}

/** The portfolio's equity beside buy and hold, in % of the start, against days since the first bar. */
function equityChart(d: ReportData): string {
  const eq = d.backtestAnalytics?.portfolioEquity;
  if (!eq || eq.ts.length < 2) return '';
  const days = eq.ts.map((t) => (t - eq.ts[0]!) / 86_400_000);
  const chart = lineChart({ title: `Portfolio equity from ${utc(eq.ts[0]!)}`, xLabel: 'days', yLabel: 'return (%)' }, [
    { name: 'strategy', x: days, y: eq.strategy.map((v) => (v - 1) * 100), color: BLUE },
    { name: 'buy and hold', x: days, y: eq.buyHold.map((v) => (v - 1) * 100), color: GREY, dash: true },
  ]);
  return `<div class="charts">${chart}</div>`;
}

/** Metrics beyond the backtest table, per column: portfolio then each symbol. */
function moreMetricsTable(d: ReportData): string {
  const mm = d.backtestAnalytics?.moreMetrics;
  if (!mm) return '';
  const cols = [{ name: 'portfolio', m: mm.portfolio as MoreMetricsPayload }, ...mm.symbols.map((s) => ({ name: s.symbol, m: s as MoreMetricsPayload }))];
  const rows: [keyof Omit<MoreMetricsPayload, 'nullReasons'>, string, (v: number | null) => string][] = [
    ['omega', 'Omega ratio Ω(0)', (v) => fix(v, 2)],
    ['sharpeAutocorrelationAdjusted', 'Sharpe, autocorrelation-adjusted (Lo 2002)', (v) => fix(v, 2)],
    ['sortinoAutocorrelationAdjusted', 'Sortino, autocorrelation-adjusted', (v) => fix(v, 2)],
    ['autocorrelationLag1', 'autocorrelation of bar returns, lag 1', (v) => fix(v, 3)],
    ['longestWinStreakTrades', 'longest win streak (trades)', (v) => String(v ?? '—')],
    ['longestLossStreakTrades', 'longest loss streak (trades)', (v) => String(v ?? '—')],
    ['longestWinStreakBars', 'longest win streak (bars)', (v) => String(v ?? '—')],
    ['longestLossStreakBars', 'longest loss streak (bars)', (v) => String(v ?? '—')],
    ['ulcerIndex', 'ulcer index', (v) => pct(v)],
    ['recoveryFactor', 'recovery factor', (v) => fix(v, 2)],
    ['tailRatio', 'tail ratio', (v) => fix(v, 2)],
    ['gainToPain', 'gain to pain', (v) => fix(v, 2)],
    ['skewness', 'skewness', (v) => fix(v, 2)],
    ['excessKurtosis', 'excess kurtosis', (v) => fix(v, 2)],
    ['calmar', 'Calmar', (v) => fix(v, 2)],
  ];
  return `<h3>More metrics</h3>${table(['metric', ...cols.map((c) => c.name)], rows.map(([k, label, f]) => [label, ...cols.map((c) => f(c.m[k]))]))}`;
}

function fanChart(title: string, m: MonteCarloSummaryPayload, xLabel: string): string {
  const at = (level: number) => (m.fan.bands[m.fan.levels.findIndex((l) => Math.abs(l - level) < 1e-9)] ?? []).map((v) => (v - 1) * 100);
  return lineChart({ title, xLabel, yLabel: 'return (%)' }, [{ name: 'median', x: m.fan.steps, y: at(0.5), color: BLUE }], [
    { name: '5–95 %', x: m.fan.steps, lower: at(0.05), upper: at(0.95), color: 'rgba(47,111,214,0.15)' },
    { name: '25–75 %', x: m.fan.steps, lower: at(0.25), upper: at(0.75), color: 'rgba(47,111,214,0.3)' },
  ]);
}

function monteCarloSection(d: ReportData): string {
  const mc = d.backtestAnalytics?.monteCarlo;
  if (!mc) return section('monte-carlo', 'Monte Carlo', note(d.backtestReason ?? 'No trades or bars to resample.'));
  const band = (b: { p5: number; p50: number; p95: number }) => `${pct(b.p5)} / ${pct(b.p50)} / ${pct(b.p95)}`;
  const methods: [string, MonteCarloSummaryPayload | null][] = [
    ['trades, bootstrap', mc.reason ? null : mc],
    ['trades, reordered', mc.reorder],
    [`bar path, block bootstrap (${mc.blockBootstrap?.blockLength ?? '—'} bars)`, mc.blockBootstrap],
  ];
  const rows = methods.filter((x): x is [string, MonteCarloSummaryPayload] => x[1] !== null).map(([n, x]) => [n, x.steps, band(x.finalReturn), band(x.maxDrawdown), `${x.longestDrawdown.p50}`, pct(x.worst5PercentFinalReturn), pct(x.probabilityDrawdownBeyond, 1)]);
  return section(
    'monte-carlo',
    'Monte Carlo',
    `<p>${e(`${mc.paths} paths, seed ${d.backtestAnalytics!.seed}; percentiles 5 / 50 / 95; P(max drawdown > ${pct(mc.drawdownThreshold, 0)}).`)}</p>` +
      table(['resampling', 'steps', 'final return', 'max drawdown', 'longest DD (median, steps)', 'worst 5 % mean', 'P(DD beyond)'], rows) +
      `<div class="charts">${mc.reason ? '' : fanChart('Equity paths, trades resampled', mc, 'trade')}${mc.blockBootstrap ? fanChart('Equity paths, bar path resampled', mc.blockBootstrap, 'bar') : ''}</div>` +
      note('Trades: the pooled trades of all symbols in exit order, each counted as its symbol’s share of the portfolio, drawn with replacement or reordered (reordering keeps the final return and only moves the drawdown). Bar path: the portfolio’s bar returns resampled in blocks at least as long as the mean holding time.'),
  );
}

function marketMonteCarloSection(d: ReportData): string {
  const m = d.marketMonteCarlo;
  if (!d.backtest) return section('market-monte-carlo', 'Resampled market', note(d.backtestReason ?? 'No backtest.'));
  if (!m) {
    return section(
      'market-monte-carlo',
      'Resampled market',
      note(`Not computed for backtest ${d.backtest.backtestId}: each path re-runs the model, so it is computed on request (“Resample the market” on the Backtests page, or \`candela backtest ${d.run.id} --market-paths 100\`) and shown here afterwards.`),
    );
  }
  const row = (name: string, b: { p5: number; p50: number; p95: number }, f: (v: number) => string, original: string) => [name, f(b.p5), f(b.p50), f(b.p95), original];
  const bars = (v: number) => String(Math.round(v));
  return section(
    'market-monte-carlo',
    'Resampled market',
    `<p>${e(`${m.paths} paths, seed ${m.seed}, computed ${utc(m.computedAt)}: ${m.method}.`)}</p>` +
      table(['', '5 %', '50 %', '95 %', 'this backtest'], [
        row('final return', m.finalReturn, (v) => pct(v), pct(m.original.totalReturn)),
        row('max drawdown', m.maxDrawdown, (v) => pct(v), pct(m.original.maxDrawdown)),
        row('longest drawdown (bars)', m.longestDrawdown, bars, ''),
      ]) +
      `<p>${e(`Worst 5 % of paths: mean final return ${pct(m.worst5PercentFinalReturn)}. P(max drawdown > ${pct(m.drawdownThreshold, 0)}) = ${pct(m.probabilityDrawdownBeyond, 1)}.`)}</p>` +
      `<div class="charts">${fanChart('Portfolio equity on resampled markets', m, 'bar')}</div>` +
      note(
        `Unlike the Monte Carlo above, the model predicts again on every path: the test period's candles are resampled in blocks of ${m.blockLength} bars (each bar kept as its shape relative to the previous close${m.noise > 0 ? `, perturbed by noise of ${m.noise} × a typical bar move` : ''}), the bars before the test and the run's standardizer stay as they were, and the backtest's own settings and costs trade the new signals.${m.sharedBlocks ? ' The symbols share one calendar, so each path uses the same blocks for all of them.' : ' The symbols’ test calendars differ, so each draws its own blocks.'}`,
      ),
  );
}

function costSection(d: ReportData): string {
  const c = d.backtestAnalytics?.costSensitivity;
  if (!c || !d.backtest) return section('cost-sensitivity', 'Cost sensitivity', note(d.backtestReason ?? 'No backtest.'));
  const current = 2 * (d.backtest.settings.takerFeeBps + d.backtest.settings.slippageBps);
  const chart = lineChart(
    {
      title: 'Portfolio return by round-trip cost',
      xLabel: 'round-trip cost (bps)',
      yLabel: 'return (%)',
      vLines: [...(c.status === 'found' ? [{ x: c.breakevenBps!, label: `breakeven ${c.breakevenBps!.toFixed(1)}`, color: ORANGE }] : []), { x: current, label: 'this backtest', color: GREY }],
    },
    [{ name: 'portfolio return', x: c.line.costBps, y: c.line.totalReturn.map((r) => (r === null ? null : r * 100)), color: BLUE }],
  );
  const text =
    c.status === 'found'
      ? `Breakeven round-trip cost ${c.breakevenBps!.toFixed(2)} bps (half charged on each fill, found by bisection); this backtest pays about ${current.toFixed(1)} bps a round trip.`
      : c.status === 'unprofitable-at-zero-cost'
        ? 'No breakeven: the portfolio loses even without costs.'
        : `Profitable up to the search’s ceiling of ${c.maxBps} bps a round trip.`;
  return section(
    'cost-sensitivity',
    'Cost sensitivity',
    `<p>${e(`${text} Annual turnover ${fix(c.turnover.annual, 1)}× over ${c.turnover.trades} trades.`)}</p><div class="charts">${chart}</div>` +
      `<h3>Return (Sharpe) by fee and slippage, bps per fill</h3>` +
      table(['fee \\ slippage', ...c.grid.slippageBps.map(String)], c.grid.feeBps.map((f, i) => [String(f), ...c.grid.slippageBps.map((_, j) => `${pct(c.grid.totalReturn[i]![j])} (${fix(c.grid.sharpe[i]![j], 2)})`)])),
  );
}

function caveatsSection(d: ReportData): string {
  const items: string[] = [];
  const r = d.evaluation.report;
  items.push(`The test split holds ${r.samples} samples; every interval here is for this one period of history and says nothing about a market that behaves differently.`);
  if (d.backtest) {
    const c = annualisedCaveat(d.backtest.portfolio);
    if (c.warning) items.push(c.warning);
    items.push('Backtest fills are simulated at the next bar’s open with the stated fees and slippage; no order book, latency, partial fills or borrow limits.');
    items.push(PORTFOLIO_RULE);
  }
  items.push('Monte Carlo resamples the strategy’s own trades and bar returns; it does not re-run the model on resampled markets, so it shows the spread of luck in ordering and sampling, not of the model’s behaviour on other paths. The resampled market does re-run the model, but on paths built from the test period’s own bars: it cannot show a market unlike the one tested.');
  items.push('The random-entry test places the same trades (count, holding times, sides) at full size; it judges timing, not sizing. p-values are Monte Carlo estimates (±1.6 % at 1000 resamples) and are not corrected for trying several runs or settings.');
  items.push('Regime thresholds are fitted on the bars before each symbol’s test period and labels use past bars only, but the regimes themselves are chosen by us, not learnt; few bars in a regime make its numbers noisy (see the bar counts).');
  items.push(`Signal quality uses P(UP) − P(DOWN) as the score${d.analytics?.signalQuality.magnitude ? ', and the magnitude head’s predicted log return as a second one,' : ''} against log returns over the label horizon.`);
  if (d.lineage.some((l) => l.candleSha256 === null)) items.push('Some datasets the run read are no longer stored; their candles could not be hashed.');
  return section('caveats', 'Caveats', `<ul>${items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`);
}

const CSS = `
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2329;margin:24px auto;max-width:1100px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;border-bottom:1px solid #d5d9de;padding-bottom:4px;margin-top:28px}h3{font-size:15px;margin:18px 0 6px}
table{border-collapse:collapse;margin:8px 0;font-size:12.5px;max-width:100%}th,td{border-bottom:1px solid #e3e6ea;padding:4px 8px;text-align:left;vertical-align:top}code{font:11.5px ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
th{background:#f3f5f7;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.note{color:#5b6470;font-size:12.5px}.ok{color:#137a4b}.warn{color:#a05a00}.verdict{font-weight:600}
.charts{display:flex;flex-wrap:wrap;gap:12px}svg.chart{max-width:100%;height:auto;background:#fff;border:1px solid #e3e6ea}
svg.chart text{font:11px system-ui,sans-serif;fill:#3b4450}svg.chart .title{font-weight:600;font-size:12px}svg.chart .grid{stroke:#edf0f2}svg.chart .zero{stroke:#b9c0c8}svg.chart .axis{stroke:#8a8f98}
nav ol{columns:3;font-size:13px}
@media print{body{margin:0;max-width:none}section{break-inside:auto}h2{break-after:avoid}svg.chart{break-inside:avoid}}
`;

const TITLES: Record<(typeof REPORT_SECTIONS)[number], string> = {
  config: 'Run configuration',
  lineage: 'Data lineage',
  evaluation: 'Evaluation beside baselines',
  regimes: 'Regimes',
  'signal-quality': 'Signal quality',
  backtest: 'Backtest',
  'monte-carlo': 'Monte Carlo',
  'market-monte-carlo': 'Resampled market',
  'cost-sensitivity': 'Cost sensitivity',
  caveats: 'Caveats',
};

export function reportHtml(d: ReportData): string {
  const title = `Candela report · run #${d.run.id} ${d.run.name}`;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    // No network at all: nothing may load from anywhere, not even from this file's own folder.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    `<title>${e(title)}</title><style>${CSS}</style></head><body>` +
    `<header><h1>${e(title)}</h1><p class="note">${e(`Written ${utc(d.generatedAt)} by Candela. Self-contained: no scripts, no network; charts are inline SVG.`)}</p>` +
    `<nav><ol>${REPORT_SECTIONS.map((id) => `<li><a href="#${id}">${e(TITLES[id])}</a></li>`).join('')}</ol></nav></header>` +
    configSection(d) +
    lineageSection(d) +
    evaluationSection(d) +
    regimesSection(d) +
    signalSection(d) +
    backtestSection(d) +
    monteCarloSection(d) +
    marketMonteCarloSection(d) +
    costSection(d) +
    caveatsSection(d) +
    `</body></html>`
  );
}

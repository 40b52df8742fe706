import type { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { backtestAnalyticsOptionsSchema, backtestSettingsSchema, marketMonteCarloRequestSchema, type MarketMonteCarlo, type BacktestAnalytics, type BacktestMetricsPayload, type BacktestSummary, type BacktestSweepRow, type TradePayload } from '../../../src-shared/contract/backtests.js';
import { annualisedCaveat } from '../../../src-shared/domain/annualisedCaveat.js';
import { backtestSettingsLine, PORTFOLIO_RULE } from '../../../src-shared/domain/backtestSettingsLine.js';
import { breakevenText, equityPct } from '../../../src-shared/domain/backtestUnits.js';
import { withContract, type ContractCall } from '../openServices.js';
import { CliError, formatTable, printJson } from '../output.js';
import { parseHmmStates } from './evaluation.js';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(2)} %`);
const fix = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? '—' : v.toFixed(d));

/** The per-symbol lines of --json; a plain run and each sweep row print them the same way, so they compare field for field. */
const jsonSymbols = (symbols: BacktestSummary['symbols']) =>
  symbols.map((s) => {
    const m = s.metrics;
    return { symbol: s.symbol, trades: m.trades, totalReturn: m.totalReturn, sharpe: m.sharpe, maxDrawdown: m.maxDrawdown, winRate: m.winRate, profitFactor: m.profitFactor, buyHoldReturn: m.buyAndHoldReturn, feesPaid: m.feesPaid, fundingPaid: m.fundingPaid, halted: s.halted };
  });

/** Every trade of a stored backtest, symbol by symbol in the result's order (as the run produced them). */
async function storedTrades(call: ContractCall, backtestId: number, symbols: BacktestSummary['symbols']): Promise<TradePayload[]> {
  const out: TradePayload[] = [];
  // maxPoints only thins the equity series, which this does not read; trades always come whole.
  for (const s of symbols) if (s.metrics.trades > 0) out.push(...(await call('backtests.symbol', { backtestId, symbol: s.symbol, maxPoints: 100 })).trades);
  return out;
}

function parseThresholds(text: string): number[] {
  const list = text.split(',').map((t) => Number(t.trim()));
  if (list.length === 0 || list.length > 50 || list.some((t) => !(t >= 0 && t <= 1))) {
    throw new CliError(`--sweep takes up to 50 comma-separated minimum confidences between 0 and 1, like 0.5,0.55,0.6; got "${text}".`);
  }
  return list;
}

/** The analytics fields of `candela backtest --json`: everything but the per-path samples (the Backtests page's threshold input reads those). */
export function analyticsJson(a: BacktestAnalytics) {
  const mc = a.monteCarlo;
  const strip = <T extends { maxDrawdownSamples: number[] }>(m: T | null) => {
    if (!m) return null;
    const { maxDrawdownSamples: _samples, ...rest } = m;
    return rest;
  };
  return {
    portfolioEquity: a.portfolioEquity,
    regimes: a.regimes,
    monteCarlo: mc && { seed: a.seed, ...strip(mc)!, reorder: strip(mc.reorder), blockBootstrap: strip(mc.blockBootstrap) },
    moreMetrics: a.moreMetrics,
    costSensitivity: a.costSensitivity,
    significance: a.significance,
  };
}

/** `"marketMonteCarlo"` of `candela backtest --json`: the summary without the per-path samples. */
export function marketMonteCarloJson(m: MarketMonteCarlo) {
  const { maxDrawdownSamples: _samples, ...rest } = m;
  return rest;
}

function marketMonteCarloText(m: MarketMonteCarlo): string {
  const band = (b: { p5: number; p50: number; p95: number }, f: (x: number) => string) => `${f(b.p5)} / ${f(b.p50)} / ${f(b.p95)}`;
  const p = (x: number) => `${(x * 100).toFixed(1)} %`;
  return [
    `Market Monte Carlo (${m.paths} paths, seed ${m.seed}): ${m.method}.`,
    `  final return p5/p50/p95 ${band(m.finalReturn, p)} (this backtest ${m.original.totalReturn === null ? '—' : p(m.original.totalReturn)}); worst 5 % mean ${p(m.worst5PercentFinalReturn)}`,
    `  max drawdown p5/p50/p95 ${band(m.maxDrawdown, p)}; longest drawdown ${band(m.longestDrawdown, (x) => `${Math.round(x)}`)} bars${m.probabilityDrawdownBeyond === null ? '' : `; P(drawdown > ${p(m.drawdownThreshold!)}) ${p(m.probabilityDrawdownBeyond)}`}`,
  ].join('\n');
}

/** The analytics lines under the backtest's table. */
function analyticsText(a: BacktestAnalytics): string {
  const lines: string[] = [];
  const mc = a.monteCarlo;
  if (mc) {
    const band = (b: { p5: number; p50: number; p95: number }) => `${pct(b.p5)} / ${pct(b.p50)} / ${pct(b.p95)}`;
    lines.push(`Monte Carlo (${mc.method}, ${mc.paths} paths, seed ${a.seed}), 5th / 50th / 95th percentile: final return ${band(mc.finalReturn)}; max drawdown ${band(mc.maxDrawdown)}; P(max drawdown > ${pct(mc.drawdownThreshold)}) ${pct(mc.probabilityDrawdownBeyond)}`);
    if (mc.blockBootstrap) lines.push(`Block bootstrap of the portfolio's bar returns (block ${mc.blockBootstrap.blockLength} bars): final return ${band(mc.blockBootstrap.finalReturn)}; max drawdown ${band(mc.blockBootstrap.maxDrawdown)}`);
  }
  const c = a.costSensitivity;
  lines.push(
    c.status === 'found'
      ? `Breakeven round-trip cost: ${c.breakevenBps!.toFixed(2)} bps (half on each fill); annual turnover ${fix(c.turnover.annual)}× over ${c.turnover.trades} trades.`
      : c.status === 'unprofitable-at-zero-cost'
        ? 'Breakeven round-trip cost: none; the portfolio loses even without costs.'
        : `Breakeven round-trip cost: above ${c.maxBps} bps.`,
  );
  const vs = a.significance.versusBuyAndHold;
  if (vs) lines.push(`Against buy and hold: excess return ${pct(vs.excessReturn)}, p = ${vs.pValue.toFixed(3)} (block bootstrap, ${vs.samples} resamples).`);
  for (const s of a.significance.randomEntry) lines.push(`Against random entries, ${s.symbol}: ${s.result ? `p = ${s.result.pValue.toFixed(3)} (return ${pct(s.result.observed)}, random median ${pct(s.result.null.p50)})` : s.reason}`);
  return lines.join('\n');
}

export function registerBacktestCommand(program: Command): void {
  program
    .command('backtest <runId>')
    .description("Backtest a finished run's out-of-sample signals per symbol and for the equal-weight portfolio, after fees, slippage and funding.")
    .option('--fee-bps <bps>', 'taker fee in basis points (default 5)')
    .option('--slippage-bps <bps>', 'slippage in basis points, adverse (default 0)')
    .option('--threshold <p>', 'minimum predicted-class probability to act on (0–1, default 0)')
    .option('--long-only', 'never go short; a DOWN signal only closes a long')
    .option('--stop-loss <distance>', 'stop-loss distance: a fraction of the entry price (0.02), or ATR multiples with --stop-unit atr')
    .option('--take-profit <distance>', 'take-profit distance, in the same unit as the stop')
    .option('--stop-unit <unit>', 'fraction | atr (ATR(14) multiples)')
    .option('--sizing <mode>', 'fixed | confidence | vol-target | kelly (half Kelly)')
    .option('--fraction <f>', 'position size for fixed sizing, maximum size otherwise (default 1)')
    .option('--max-leverage <x>', 'cap on notional / equity at entry (default 1)')
    .option('--max-hold <bars>', 'close a trade after this many bars')
    .option('--funding <rate>', 'fixed funding rate per 8 h for perpetuals (longs pay when positive), or "column" to use the dataset’s funding column')
    .option('--trades <file>', 'write the trade list as CSV')
    .option('--sweep <thresholds>', 'also backtest at each of these minimum confidences (e.g. 0.5,0.55,0.6) with every other setting as given; nothing of the sweep is stored')
    .option('--no-save', 'do not store the backtest in the workspace')
    .option('--mc-paths <n>', 'Monte Carlo paths (100–20000, default 1000)')
    .option('--seed <n>', 'seed of the Monte Carlo and significance resampling (default 1)')
    .option('--dd-threshold <fraction>', 'report the share of Monte Carlo paths whose max drawdown exceeds this (0–1, default 0.2)')
    .option('--hmm <states>', 'also break returns down by a Gaussian HMM regime of 2 or 3 states')
    .option('--market-paths <n>', 'also resample the market: N block-bootstrapped paths of the test period (1–1000), the model predicting again on each and the same rules trading it (needs a stored backtest; measured 0.03–0.2 s a path on 40,000 1m bars)')
    .option('--block-length <bars>', 'bars per block of --market-paths (default ⌈test bars^(1/3)⌉ or the mean holding time, whichever is longer; the test length keeps the real order)')
    .option('--noise <f>', 'perturb each resampled bar by noise of f × a typical bar move (--market-paths; default 0)')
    .option('--analytics', 'also compute regimes, Monte Carlo, cost sensitivity and significance (they re-run the backtest dozens of times: seconds on long tests); on by default with --json')
    .option('--no-analytics', 'skip them, also with --json')
    .option(
      '--json',
      'print {"backtestId","runId","settings","settingsLine","portfolio":{…},"symbols":[…],"regimes","monteCarlo":{"paths","finalReturn":{"p5","p50","p95"},"maxDrawdown":{…},…},"costSensitivity":{"breakevenBps",…},"significance"}, with --market-paths "marketMonteCarlo":{"paths","method","blockLength","noise","seed","finalReturn":{"p5","p50","p95"},"maxDrawdown":{…},"longestDrawdown":{…},"worst5PercentFinalReturn","probabilityDrawdownBeyond","fan","original"} and, with --sweep, "sweep":[{"threshold","portfolio","symbols"}]',
    )
    .action(async (idText: string, o: Record<string, string | boolean | undefined>, cmd: Command) => {
      const runId = Number(idText);
      if (!Number.isInteger(runId) || runId <= 0) throw new CliError(`"${idText}" is not a run id; see \`candela runs\`.`);
      const n = (v: string | boolean | undefined) => (v === undefined ? undefined : Number(v));
      const funding = o.funding === undefined ? {} : o.funding === 'column' ? { fundingSource: 'column' } : { fundingSource: 'fixed', fundingRatePer8h: Number(o.funding) };
      const parsed = backtestSettingsSchema.safeParse({
        ...(o.feeBps !== undefined ? { takerFeeBps: n(o.feeBps) } : {}),
        ...(o.slippageBps !== undefined ? { slippageBps: n(o.slippageBps) } : {}),
        ...(o.threshold !== undefined ? { minConfidence: n(o.threshold) } : {}),
        ...(o.longOnly ? { direction: 'long-only' } : {}),
        ...(o.stopLoss !== undefined ? { stopLoss: n(o.stopLoss) } : {}),
        ...(o.stopUnit !== undefined ? { stopUnit: o.stopUnit } : {}),
        ...(o.sizing !== undefined ? { sizing: o.sizing } : {}),
        ...(o.fraction !== undefined ? { fixedFraction: n(o.fraction) } : {}),
        ...(o.maxLeverage !== undefined ? { maxLeverage: n(o.maxLeverage) } : {}),
        ...(o.maxHold !== undefined ? { maxHoldingBars: n(o.maxHold) } : {}),
        ...(o.takeProfit !== undefined ? { takeProfit: n(o.takeProfit) } : {}),
        ...funding,
      });
      if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const thresholds = typeof o.sweep === 'string' ? parseThresholds(o.sweep) : null;
      const analyticsOptions = backtestAnalyticsOptionsSchema.safeParse({
        ...(o.mcPaths !== undefined ? { paths: n(o.mcPaths) } : {}),
        ...(o.seed !== undefined ? { seed: n(o.seed) } : {}),
        ...(o.ddThreshold !== undefined ? { drawdownThreshold: n(o.ddThreshold) } : {}),
        hmmStates: parseHmmStates(typeof o.hmm === 'string' ? o.hmm : undefined),
      });
      if (!analyticsOptions.success) throw new CliError(analyticsOptions.error.issues.map((i) => `--${{ paths: 'mc-paths', seed: 'seed', drawdownThreshold: 'dd-threshold' }[String(i.path[0])] ?? i.path.join('.')}: ${i.message}`).join('; '));
      const save = o.save !== false;
      const market =
        o.marketPaths === undefined
          ? null
          : marketMonteCarloRequestSchema.omit({ backtestId: true }).safeParse({
              paths: n(o.marketPaths),
              ...(o.blockLength !== undefined ? { blockLength: n(o.blockLength) } : {}),
              ...(o.noise !== undefined ? { noise: n(o.noise) } : {}),
              ...(o.seed !== undefined ? { seed: n(o.seed) } : {}),
              ...(o.ddThreshold !== undefined ? { drawdownThreshold: n(o.ddThreshold) } : {}),
            });
      if (market && !market.success) throw new CliError(market.error.issues.map((i) => `--${{ paths: 'market-paths', blockLength: 'block-length', noise: 'noise', seed: 'seed', drawdownThreshold: 'dd-threshold' }[String(i.path[0])] ?? i.path.join('.')}: ${i.message}`).join('; '));
      if (market && !save) throw new CliError('--market-paths resamples the market under a stored backtest; drop --no-save.');
      await withContract(cmd, async (call) => {
        // The channels the Backtests page calls: a stored backtest, or the same computed and not stored.
        let r: Omit<BacktestSummary, 'backtestId' | 'createdAt'> & { backtestId: number | null };
        let trades: TradePayload[] | null = null;
        if (save) r = await call('backtests.run', { runId, settings: parsed.data });
        else {
          const preview = await call('backtests.preview', { runId, settings: parsed.data });
          r = { ...preview, backtestId: null };
          trades = preview.trades;
        }
        // The channel the Backtests page's analytics call: the same settings, re-run as each question needs.
        // Off by default for the table, which a person reads at once; a script asking for --json gets the whole report.
        const wantAnalytics = o.analytics === undefined ? Boolean(o.json) : o.analytics === true;
        const analytics = !wantAnalytics ? null : await call('backtests.analytics', { runId, settings: parsed.data, options: analyticsOptions.data });
        // The channel of the Backtests page's "Resample the market" button: the model predicts again on every path.
        const marketMc = market?.success && r.backtestId !== null ? await call('backtests.marketMonteCarlo', { ...market.data, backtestId: r.backtestId }) : null;
        const sweep: BacktestSweepRow[] | null = thresholds ? (await call('backtests.sweep', { runId, settings: parsed.data, thresholds })).rows : null;
        const settingsLine = backtestSettingsLine(parsed.data);
        if (o.trades) {
          const out = createWriteStream(String(o.trades));
          out.write('symbol,side,entry_time,exit_time,entry_price,exit_price,size,quantity,pnl,return,fees,funding,slippage,bars_held,exit_reason\n');
          for (const t of trades ?? (await storedTrades(call, r.backtestId!, r.symbols))) {
            const line = `${t.symbol},${t.side},${new Date(t.entryTs).toISOString()},${new Date(t.exitTs).toISOString()},${t.entryPrice},${t.exitPrice},${t.size},${t.quantity},${t.pnl},${t.returnFraction},${t.fees},${t.funding},${t.slippage},${t.barsHeld},${t.exitReason}\n`;
            if (!out.write(line)) await once(out, 'drain');
          }
          out.end();
          await once(out, 'finish');
        }
        const caveat = annualisedCaveat(r.portfolio);
        if (o.json) {
          printJson({
            backtestId: r.backtestId,
            runId,
            settings: r.settings,
            settingsLine,
            portfolio: r.portfolio,
            symbols: jsonSymbols(r.symbols),
            // Money fields (feesPaid, fundingPaid, a trade's pnl) are in account currency, starting from settings.initialEquity.
            breakeven: r.breakeven ?? null,
            annualised: { testYears: caveat.years, sharpeInterval95: caveat.sharpeInterval, warning: caveat.warning },
            ...(analytics ? analyticsJson(analytics) : {}),
            ...(marketMc ? { marketMonteCarlo: marketMonteCarloJson(marketMc) } : {}),
            ...(sweep ? { sweep: sweep.map((row) => ({ threshold: row.threshold, portfolio: row.portfolio, symbols: jsonSymbols(row.symbols) })) } : {}),
          });
          return;
        }
        const equity = r.settings.initialEquity;
        const row = (name: string, m: BacktestMetricsPayload) => [name, m.trades, pct(m.totalReturn), pct(m.buyAndHoldReturn), fix(m.sharpe), pct(m.maxDrawdown), pct(m.winRate), fix(m.profitFactor), equityPct(m.feesPaid, equity), equityPct(m.fundingPaid, equity)];
        process.stdout.write(`Settings: ${settingsLine}\n`);
        process.stdout.write(
          `${formatTable(['symbol', 'trades', 'return', 'buy & hold', 'Sharpe (annual)', 'max DD', 'win rate', 'profit f.', 'fees (% eq.)', 'funding (% eq.)'], [...r.symbols.map((s) => row(s.symbol, s.metrics)), row('PORTFOLIO', r.portfolio)])}\n${PORTFOLIO_RULE}\n`,
        );
        process.stdout.write(`Fees and funding are in % of each symbol's starting equity (${equity} in account currency).\n`);
        if (caveat.warning) process.stdout.write(`${caveat.warning}\n`);
        else if (caveat.sharpeInterval) process.stdout.write(`Sharpe 95 % interval ${caveat.sharpeInterval.lower.toFixed(2)} to ${caveat.sharpeInterval.upper.toFixed(2)} (Lo 2002, IID returns).\n`);
        process.stdout.write(`${breakevenText(r.breakeven, r.settings.takerFeeBps)}\n`);
        if (analytics) process.stdout.write(`${analyticsText(analytics)}\n`);
        else if (o.analytics === undefined) process.stdout.write('Regimes, Monte Carlo, cost sensitivity and significance: add --analytics (or --json).\n');
        if (marketMc) process.stdout.write(`${marketMonteCarloText(marketMc)}\n`);
        if (sweep) {
          const symbols = sweep[0]?.symbols.map((s) => s.symbol) ?? [];
          process.stdout.write(`\nThreshold sweep (portfolio; per symbol: return · trades), ${backtestSettingsLine(parsed.data, { sweep: true })}:\n`);
          process.stdout.write(
            `${formatTable(
              ['min conf.', 'trades', 'return', 'Sharpe', 'max DD', 'win rate', ...symbols],
              sweep.map((w) => {
                const p = w.portfolio;
                return [`≥ ${(w.threshold * 100).toFixed(1)} %`, p.trades, pct(p.totalReturn), fix(p.sharpe), pct(p.maxDrawdown), pct(p.winRate), ...w.symbols.map((s) => `${pct(s.metrics.totalReturn)} · ${s.metrics.trades}`)];
              }),
            )}\n`,
          );
        }
        const stored = r.backtestId === null ? 'Not stored (--no-save)' : `Backtest ${r.backtestId} stored`;
        process.stdout.write(`${stored}${o.trades ? `; trades written to ${o.trades}` : ''}.\n`);
      });
    });
}

import type { Command } from 'commander';
import type { EvaluationReportPayload, RunAnalytics } from '../../../src-shared/contract/evaluation.js';
import { breakevenText } from '../../../src-shared/domain/backtestUnits.js';
import { withContract } from '../openServices.js';
import { CliError, formatTable, printJson } from '../output.js';

const num = (v: number | null | undefined) => (v === null || v === undefined ? null : v);
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(2)} %`);

/**
 * The documented `candela eval --json` document, read off the full report and the run's analytics
 * (null where the run has no UP and DOWN classes to score).
 */
export function evalJson(runId: number, r: EvaluationReportPayload, a: RunAnalytics | null) {
  const perClass: Record<string, number | null> = {};
  r.classes.forEach((c, i) => (perClass[c] = num(r.roc.perClass[i]?.auc)));
  return {
    runId,
    samples: r.samples,
    classes: r.classes,
    accuracy: num(r.classification.accuracy),
    balancedAccuracy: num(r.classification.balancedAccuracy),
    macroF1: num(r.classification.macro.f1),
    mcc: num(r.classification.matthewsCorrelation),
    logLoss: num(r.probabilistic.logLoss),
    brier: num(r.probabilistic.brier),
    confusionMatrix: r.classification.confusion.counts,
    rocAuc: { macro: num(r.roc.macroAuc), micro: num(r.roc.microAuc), perClass },
    perSymbol: (r.perSymbol ?? []).map((s) => ({ symbol: s.symbol, samples: s.samples, accuracy: s.accuracy, rocAucMacro: s.macroAuc })),
    baselines: { majority: num(r.baselines.majority?.accuracy), persistence: num(r.baselines.persistence?.accuracy), classPrior: num(r.baselines.classPrior?.expectedAccuracy) },
    verdict: r.bootstrap.verdicts.accuracyVsMajority,
    folds: r.folds,
    regimes: a ? a.regimes : null,
    signalQuality: a
      ? {
          score: a.signalQuality.score,
          horizon: a.horizon,
          n: a.signalQuality.overall.n,
          ic: a.signalQuality.overall.ic,
          rankIc: a.signalQuality.overall.rankIc,
          perSymbol: a.signalQuality.perSymbol,
          perMonth: a.signalQuality.perMonth,
          decay: a.signalQuality.decay,
          magnitude: a.signalQuality.magnitude,
          bias: a.bias,
        }
      : null,
  };
}

/** `--hmm <states>`: 2 or 3, or a sentence. */
export function parseHmmStates(text: string | undefined): 2 | 3 | null {
  if (text === undefined) return null;
  if (text === '2' || text === '3') return Number(text) as 2 | 3;
  throw new CliError(`--hmm takes 2 or 3 (hidden states); got "${text}".`);
}

const fixed = (v: number | null, d = 4) => (v === null ? '—' : v.toFixed(d));

/** The human tables of `candela analyze`: signal quality, per-symbol bias, accuracy per regime. */
export function analyticsText(a: RunAnalytics): string {
  const sq = a.signalQuality;
  const ic = (label: string, v: { n: number; ic: number | null; rankIc: number | null }) => [label, v.n, fixed(v.ic), fixed(v.rankIc)];
  const regimeRows = (rows: RunAnalytics['regimes']['trend']['rows']) => rows.filter((r) => r.bars > 0).map((r) => [r.regime, r.bars, pct(r.accuracy), pct(r.majorityAccuracy), pct(r.persistenceAccuracy)]);
  return [
    `Run ${a.runId}: ${a.samples} test samples, score ${sq.score} against the forward log return over ${a.horizon} bar${a.horizon === 1 ? '' : 's'}`,
    'Signal quality (IC: Pearson correlation of score and forward return; rank IC: Spearman, the same on ranks)',
    formatTable(['', 'pairs', 'IC', 'rank IC'], [ic('all symbols', sq.overall), ...sq.perSymbol.map((s) => ic(s.symbol, s)), ...(sq.magnitude ? [ic('magnitude head', sq.magnitude.overall)] : [])]),
    'IC per month (UTC)',
    formatTable(['month', 'pairs', 'IC', 'rank IC'], sq.perMonth.map((m) => ic(m.month, m))),
    'IC decay',
    formatTable(['horizon (bars)', 'pairs', 'IC', 'rank IC'], sq.decay.map((d) => ic(String(d.horizon), d))),
    'Prediction bias (share of UP calls vs the share of bars that went up; 95 % Wilson interval)',
    formatTable(
      ['symbol', 'samples', 'UP calls', 'interval', 'base rate', 'bias'],
      a.bias.map((b) => [b.symbol, b.n, pct(b.upCallShare), `${pct(b.lower)}–${pct(b.upper)}`, pct(b.baseRate), `${pct(b.bias)}${b.biased ? ' (outside the interval)' : ''}`]),
    ),
    `Volatility regime (terciles of trailing ${a.regimes.volatility.lookback}-bar volatility, cut points from the bars before the test period)`,
    formatTable(['regime', 'bars', 'accuracy', 'majority', 'persistence'], regimeRows(a.regimes.volatility.rows)),
    `Trend regime (trailing ${a.regimes.trend.lookback}-bar return)`,
    formatTable(['regime', 'bars', 'accuracy', 'majority', 'persistence'], regimeRows(a.regimes.trend.rows)),
    ...(a.regimes.hmm
      ? [
          `HMM regime (${a.regimes.hmm.states} states of log returns, fitted on the bars before the test period, filtered)${a.regimes.hmm.unfitted.length ? `; not fitted: ${a.regimes.hmm.unfitted.join('; ')}` : ''}`,
          formatTable(['regime', 'bars', 'accuracy', 'majority', 'persistence'], regimeRows(a.regimes.hmm.rows)),
        ]
      : []),
  ].join('\n');
}

export function registerEvaluationCommands(program: Command): void {
  program
    .command('report <runId>')
    .description("Write a run's report as one self-contained HTML file (config and lineage, evaluation beside baselines, regimes, signal quality, a backtest with Monte Carlo and cost sensitivity, caveats), and optionally a PDF through headless Chromium.")
    .option('--backtest <id>', "the backtest to report (default: the run's newest, if any)")
    .requiredOption('--out <file>', 'the HTML file to write')
    .option('--pdf <file>', 'also print the report to this PDF (needs Chromium, Chrome or Edge; CHROMIUM_PATH names one)')
    .option('--json', 'print {"runId","backtestId","html","pdf","bytes"}')
    .action(async (idText: string, o: { backtest?: string; out: string; pdf?: string; json?: boolean }, cmd: Command) => {
      const runId = Number(idText);
      if (!Number.isInteger(runId) || runId <= 0) throw new CliError(`"${idText}" is not a run id; see \`candela runs\`.`);
      const backtestId = o.backtest === undefined ? null : Number(o.backtest);
      if (backtestId !== null && !(Number.isInteger(backtestId) && backtestId > 0)) throw new CliError(`--backtest takes a backtest id; got "${o.backtest}".`);
      await withContract(cmd, async (call) => {
        // The channel the Evaluation page's Report button calls.
        const { html } = await call('evaluation.report', { runId, backtestId });
        const { writeFile } = await import('node:fs/promises');
        const { resolve } = await import('node:path');
        const out = resolve(o.out);
        await writeFile(out, html, 'utf8');
        let pdf: string | null = null;
        let pdfError: string | null = null;
        if (o.pdf) {
          const { printToPdf } = await import('../../evaluation/report/pdf.js');
          try {
            await printToPdf(out, resolve(o.pdf));
            pdf = resolve(o.pdf);
          } catch (e) {
            pdfError = (e as Error).message;
          }
        }
        const reported = /<h2>Backtest #(\d+)<\/h2>/.exec(html)?.[1];
        if (o.json) printJson({ runId, backtestId: reported ? Number(reported) : null, html: out, pdf, pdfError, bytes: Buffer.byteLength(html) });
        else {
          process.stdout.write(`Report of run ${runId}${reported ? ` with backtest ${reported}` : ''} written to ${out} (${Math.round(Buffer.byteLength(html) / 1024)} KiB, self-contained).\n`);
          if (pdf) process.stdout.write(`PDF written to ${pdf}.\n`);
        }
        if (pdfError) throw new CliError(pdfError);
      });
    });
  program
    .command('analyze <runId>')
    .description("Signal quality (IC, rank IC, IC decay, prediction bias per symbol) and accuracy per volatility and trend regime of a finished run's test predictions.")
    .option('--json', 'print the analytics as one JSON document')
    .option('--hmm <states>', 'also label regimes with a Gaussian HMM of 2 or 3 states fitted on the bars before the test period')
    .action(async (idText: string, o: { json?: boolean; hmm?: string }, cmd: Command) => {
      const runId = Number(idText);
      if (!Number.isInteger(runId) || runId <= 0) throw new CliError(`"${idText}" is not a run id; see \`candela runs\`.`);
      const hmmStates = parseHmmStates(o.hmm);
      await withContract(cmd, async (call) => {
        // The channel the Evaluation page's card calls.
        const a = await call('evaluation.analytics', { runId, hmmStates });
        if (o.json) printJson(a);
        else process.stdout.write(`${analyticsText(a)}\n`);
      });
    });
  program
    .command('eval <runId>')
    .description("Evaluate a finished run's best model on its test split: metrics, ROC/PR, calibration and naive baselines, per symbol.")
    .option('--json', 'print the metrics as one JSON document, with "regimes" and "signalQuality" (IC, rank IC per symbol, per month and over 1…4 × the horizon; prediction bias)')
    .option('--hmm <states>', 'with --json, also label regimes with a Gaussian HMM of 2 or 3 states')
    .option('--predictions <file>', 'also write one CSV row per test sample: timestamp, symbol, y_true, y_pred, p_<CLASS>…, score (P(UP) − P(DOWN)), forward_return (log return over the label horizon)')
    .action(async (idText: string, o: { json?: boolean; predictions?: string; hmm?: string }, cmd: Command) => {
      const runId = Number(idText);
      if (!Number.isInteger(runId) || runId <= 0) throw new CliError(`"${idText}" is not a run id; see \`candela runs\`.`);
      const hmmStates = parseHmmStates(o.hmm);
      await withContract(cmd, async (call, services) => {
        // The same channel the Evaluation page calls: one report, whichever face asks.
        const { report: r } = await call('evaluation.run', { runId });
        if (o.predictions) await services.db.writePredictionsCsv(runId, o.predictions);
        if (o.json) {
          // Signal quality needs UP and DOWN classes; a run without them reports null there.
          const a = r.classes.some((c) => c.toUpperCase() === 'UP') && r.classes.some((c) => c.toUpperCase() === 'DOWN') ? await call('evaluation.analytics', { runId, hmmStates }) : null;
          printJson(evalJson(runId, r, a));
          return;
        }
        const rows: (string | number)[][] = [
          ['accuracy', pct(r.classification.accuracy), pct(r.baselines.majority?.accuracy), pct(r.baselines.persistence?.accuracy)],
          ['balanced accuracy', pct(r.classification.balancedAccuracy), pct(r.baselines.majority?.balancedAccuracy), pct(r.baselines.persistence?.balancedAccuracy)],
          ['macro F1', pct(r.classification.macro.f1), pct(r.baselines.majority?.macroF1), pct(r.baselines.persistence?.macroF1)],
          ['macro ROC AUC', r.roc.macroAuc?.toFixed(4) ?? '—', r.baselines.classPrior?.macroAuc?.toFixed(4) ?? '—', '—'],
          ['log loss', r.probabilistic.logLoss?.toFixed(4) ?? '—', r.baselines.classPrior?.logLoss?.toFixed(4) ?? '—', '—'],
        ];
        process.stdout.write(`Run ${runId}: ${r.samples} test samples, classes ${r.classes.join('/')}\n`);
        process.stdout.write(`${formatTable(['metric', 'model', 'majority / prior', 'persistence'], rows)}\n`);
        // Each symbol beside its own baselines, as the Evaluation page's per-symbol table shows them.
        if (r.perSymbol?.length) {
          const symbolRows = r.perSymbol.map((s) => [s.symbol, s.samples, pct(s.accuracy), pct(s.majorityAccuracy), pct(s.persistenceAccuracy), s.macroAuc?.toFixed(4) ?? '—']);
          process.stdout.write(`Per symbol:\n${formatTable(['symbol', 'samples', 'accuracy', 'majority', 'persistence', 'macro ROC AUC'], symbolRows)}\n`);
        }
        const v = r.bootstrap.verdicts.accuracyVsMajority;
        process.stdout.write(`Verdict: ${v === 'better' ? 'better than the majority baseline (95 % intervals do not overlap)' : 'not better than baseline'}\n`);
        // Beside the verdict, as on the Evaluation page: the newest backtest's breakeven fee.
        const bt = (await call('backtests.list', { runId })).backtests[0];
        process.stdout.write(
          bt
            ? `After costs (backtest #${bt.backtestId}, min confidence ${Number((bt.settings.minConfidence * 100).toFixed(1))} %, portfolio return ${pct(bt.portfolio.totalReturn)}): ${breakevenText(bt.breakeven, bt.settings.takerFeeBps)}\n`
            : `After costs: no backtest of this run yet; \`candela backtest ${runId}\` shows the fee at which its edge is gone.\n`,
        );
        if (o.predictions) process.stdout.write(`Predictions written to ${o.predictions}\n`);
      });
    });
}

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtFiles, repoPath } from '../../test-support/fixtures.js';
import { requirePrerequisite } from '../../test-support/vitest.js';
import { pearson, spearman } from '../../test-support/correlation.js';
import { buildHandlers, createDispatcher } from '../ipc/dispatch.js';
import { createHeadlessServices } from '../../test-support/headlessServices.js';
import { evalJson } from './commands/evaluation.js';
import { findChromium, NO_BROWSER, NO_BROWSER_ON_SERVER } from '../evaluation/report/pdf.js';
import { REPORT_SECTIONS } from '../evaluation/report/reportHtml.js';

const bin = repoPath('bin/candela.mjs');

// The CLI answers through the contract's dispatcher, so it reports what the app's pages read.
describe('eval and backtest on the command line and through the contract (built CLI)', () => {
  if (!requirePrerequisite(builtFiles('dist/main/cli.mjs', 'dist/main/training-worker.mjs'))) return;
  let dir: string;
  let ws: string;
  let runId = 0;
  const candela = async (...args: string[]) => (await promisify(execFile)(process.execPath, [bin, '--workspace', ws, ...args], { maxBuffer: 64 << 20 })).stdout;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candela-cli-contract-'));
    ws = join(dir, 'ws');
    const gen = join(dir, 'gen');
    await candela('generate', '--symbols', '2', '--bars', '2000', '--timeframe', '1h', '--seed', '5', '--signal', '0.4', '--out', gen);
    await candela('import', gen, '--json');
    const run = JSON.parse(await candela('train', '--datasets', 'all', '--model', 'mlp', '--epochs', '1', '--window', '8', '--backend', 'cpu', '--json')) as { runId: number; status: string };
    expect(run.status).toBe('completed');
    runId = run.runId;
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('candela eval --json is the report the Evaluation page reads, and --predictions writes one row per test sample', async () => {
    const predictions = join(dir, 'predictions.csv');
    const doc = JSON.parse(await candela('eval', String(runId), '--json', '--hmm', '2', '--predictions', predictions)) as ReturnType<typeof evalJson>;
    const services = await createHeadlessServices(ws);
    try {
      const dispatch = createDispatcher(buildHandlers(), { services, transport: 'websocket' });
      const latest = await dispatch('evaluation.latest', { runId });
      if (!latest.ok) throw new Error(latest.error.message);
      const page = latest.value as { report: Parameters<typeof evalJson>[1] } | null;
      const analytics = await dispatch('evaluation.analytics', { runId, hmmStates: 2 });
      if (!analytics.ok) throw new Error(analytics.error.message);
      expect(page).not.toBeNull();
      expect(doc).toEqual(evalJson(runId, page!.report, analytics.value as Parameters<typeof evalJson>[2]));
    } finally {
      await services.close();
    }
    const lines = readFileSync(predictions, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(['timestamp', 'symbol', 'y_true', 'y_pred', ...doc.classes.map((c) => `p_${c}`), 'score', 'forward_return'].join(','));
    expect(lines.length - 1).toBe(doc.samples);

    // IC and rank IC recomputed from the file's own columns, with textbook Pearson and Spearman.
    const header = lines[0]!.split(',');
    const rows = lines.slice(1).map((l) => l.split(','));
    const col = (name: string) => header.indexOf(name);
    const pUp = col('p_UP');
    const pDown = col('p_DOWN');
    const pairs = rows.filter((r) => r[col('forward_return')] !== '').map((r) => [Number(r[col('score')]), Number(r[col('forward_return')])] as const);
    for (const r of rows) expect(Number(r[col('score')])).toBeCloseTo(Number(r[pUp]) - Number(r[pDown]), 12);
    const sq = doc.signalQuality!;
    expect(sq.n).toBe(pairs.length);
    expect(sq.n).toBeGreaterThan(100);
    expect(Math.abs(sq.ic! - pearson(pairs.map((p) => p[0]), pairs.map((p) => p[1])))).toBeLessThan(1e-9);
    expect(Math.abs(sq.rankIc! - spearman(pairs.map((p) => p[0]), pairs.map((p) => p[1])))).toBeLessThan(1e-9);
    expect(sq.decay.map((d) => d.horizon)).toEqual([1, 2, 3, 4].map((m) => m * sq.horizon));
    expect(sq.perMonth.reduce((s, m) => s + m.n, 0)).toBe(sq.n);
    expect(sq.bias.map((b) => b.symbol).sort()).toEqual(sq.perSymbol.map((s) => s.symbol).sort());
    for (const b of sq.bias) expect(b.lower! <= b.upCallShare! && b.upCallShare! <= b.upper!).toBe(true);
    // Regimes: rows add up to the test samples overall and per symbol, for each kind.
    for (const kind of [doc.regimes!.volatility, doc.regimes!.trend, doc.regimes!.hmm!]) {
      expect(kind.rows.reduce((s, r) => s + r.bars, 0)).toBe(doc.samples);
      expect(kind.perSymbol.reduce((s, p) => s + p.rows.reduce((t, r) => t + r.bars, 0), 0)).toBe(doc.samples);
    }
    expect(doc.regimes!.hmm!.rows.map((r) => r.regime)).toEqual(['calm', 'turbulent', 'unknown']);
    await expect(candela('eval', String(runId), '--json', '--hmm', '4')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/--hmm takes 2 or 3/) });
  });

  it('candela backtest --no-save reports and trades exactly what the stored backtest does', async () => {
    const flags = ['--fee-bps', '10', '--threshold', '0.4', '--stop-loss', '0.02'];
    const unsaved = JSON.parse(await candela('backtest', String(runId), ...flags, '--no-save', '--trades', join(dir, 'unsaved.csv'), '--json')) as { backtestId: number | null; portfolio: unknown; symbols: unknown };
    const saved = JSON.parse(await candela('backtest', String(runId), ...flags, '--trades', join(dir, 'saved.csv'), '--json')) as typeof unsaved;
    expect(unsaved.backtestId).toBeNull();
    expect(saved.backtestId).toEqual(expect.any(Number));
    expect(unsaved.portfolio).toEqual(saved.portfolio);
    expect(unsaved.symbols).toEqual(saved.symbols);
    const trades = readFileSync(join(dir, 'saved.csv'), 'utf8');
    expect(trades.split('\n').length).toBeGreaterThan(2);
    expect(readFileSync(join(dir, 'unsaved.csv'), 'utf8')).toBe(trades);
    expect(JSON.parse(await candela('backtest', String(runId), '--no-save', '--json')).backtestId).toBeNull();
  });

  it('candela backtest --json carries regimes that add up to the totals, seeded Monte Carlo, cost sensitivity and significance', async () => {
    type Row = { regime: string; bars: number; totalReturn: number };
    type Mc = { paths: number; steps: number; finalReturn: Record<'p5' | 'p50' | 'p95', number>; maxDrawdown: Record<'p5' | 'p50' | 'p95', number>; probabilityDrawdownBeyond: number; drawdownThreshold: number };
    type Doc = {
      portfolio: { totalReturn: number };
      symbols: { symbol: string; totalReturn: number }[];
      regimes: { portfolio: { bars: number; totalReturn: number; volatility: Row[]; trend: Row[]; hmm: Row[] | null }; symbols: { symbol: string; bars: number; totalReturn: number; volatility: Row[]; trend: Row[]; hmm: Row[] | null }[] };
      monteCarlo: Mc & { seed: number; reorder: Mc; blockBootstrap: Mc & { blockLength: number } };
      costSensitivity: { breakevenBps: number | null; status: string; line: { costBps: number[]; totalReturn: number[] }; grid: { feeBps: number[]; slippageBps: number[]; totalReturn: number[][] }; turnover: { annual: number; trades: number } };
      significance: { randomEntry: { symbol: string; result: { pValue: number } | null }[]; versusBuyAndHold: { pValue: number } | null };
      moreMetrics: { portfolio: Record<string, number | null>; symbols: (Record<string, number | null> & { symbol: string })[] };
    };
    const run = async (...extra: string[]) => JSON.parse(await candela('backtest', String(runId), '--fee-bps', '1', '--no-save', '--json', ...extra)) as Doc;
    const doc = await run('--hmm', '2', '--mc-paths', '400', '--seed', '7', '--dd-threshold', '0.1');

    // Per regime: the bars add up to the window's and the compounded returns to its return, per symbol and for the portfolio.
    const lines = [{ ...doc.regimes.portfolio, expected: doc.portfolio.totalReturn }, ...doc.regimes.symbols.map((s) => ({ ...s, expected: doc.symbols.find((x) => x.symbol === s.symbol)!.totalReturn }))];
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line.totalReturn).toBeCloseTo(line.expected, 12);
      for (const rows of [line.volatility, line.trend, line.hmm!]) {
        expect(rows.reduce((s, r) => s + r.bars, 0)).toBe(line.bars);
        expect(rows.reduce((g, r) => g * (1 + r.totalReturn), 1) - 1).toBeCloseTo(line.totalReturn, 10);
        expect(rows.filter((r) => r.regime !== 'unknown' && r.bars > 0).length).toBeGreaterThan(1);
      }
    }

    // Monte Carlo: as asked, seeded (the same seed repeats exactly, another differs), reordering keeps the final return.
    const mc = doc.monteCarlo;
    expect(mc).toMatchObject({ seed: 7, paths: 400, drawdownThreshold: 0.1 });
    expect(mc.finalReturn.p5).toBeLessThan(mc.finalReturn.p95);
    expect(mc.maxDrawdown.p5).toBeLessThan(mc.maxDrawdown.p95);
    expect(mc.reorder.finalReturn.p95 - mc.reorder.finalReturn.p5).toBeLessThan(1e-12);
    expect(mc.reorder.maxDrawdown.p5).toBeLessThan(mc.reorder.maxDrawdown.p95);
    expect(mc.probabilityDrawdownBeyond).toBeGreaterThanOrEqual(0);
    const again = await run('--hmm', '2', '--mc-paths', '400', '--seed', '7', '--dd-threshold', '0.1');
    expect(again.monteCarlo).toStrictEqual(mc);
    expect(again.significance).toStrictEqual(doc.significance);
    const other = await run('--mc-paths', '400', '--seed', '8', '--dd-threshold', '0.1');
    expect(other.monteCarlo.finalReturn).not.toStrictEqual(mc.finalReturn);
    expect(other.regimes.portfolio.hmm).toBeNull();

    // Cost sensitivity: the bisected breakeven agrees with the cost line read by interpolation (to its 1-step spacing),
    // and re-running at half the breakeven round trip per fill just below and above it gains and loses.
    const c = doc.costSensitivity;
    expect(c.turnover.trades).toBeGreaterThan(0);
    expect(c.turnover.annual).toBeGreaterThan(0);
    expect(c.grid.totalReturn).toHaveLength(c.grid.feeBps.length);
    if (c.status === 'found') {
      const b = c.breakevenBps!;
      const { costBps, totalReturn } = c.line;
      const i = totalReturn.findIndex((r, j) => j > 0 && totalReturn[j - 1]! > 0 && r <= 0);
      expect(i).toBeGreaterThan(0);
      const fromGrid = costBps[i - 1]! + (totalReturn[i - 1]! / (totalReturn[i - 1]! - totalReturn[i]!)) * (costBps[i]! - costBps[i - 1]!);
      expect(Math.abs(fromGrid - b)).toBeLessThan(costBps[1]! - costBps[0]!);
      const at = async (roundTrip: number) => (JSON.parse(await candela('backtest', String(runId), '--fee-bps', String(roundTrip / 2), '--no-save', '--json')) as Doc).portfolio.totalReturn;
      expect(await at(b - 0.02)).toBeGreaterThan(0);
      expect(await at(b + 0.02)).toBeLessThanOrEqual(0);
    } else expect(c.breakevenBps === null || c.breakevenBps === 0).toBe(true);

    // More metrics, for the portfolio and each symbol: the recovery factor is the table's return over its drawdown.
    const plain = JSON.parse(await candela('backtest', String(runId), '--fee-bps', '1', '--no-save', '--json')) as { portfolio: { totalReturn: number; maxDrawdown: number } };
    const eq = (doc as unknown as { portfolioEquity: { ts: number[]; strategy: number[]; buyHold: number[] } }).portfolioEquity;
    expect(eq.strategy[0]).toBe(1);
    expect(eq.strategy.at(-1)! - 1).toBeCloseTo(plain.portfolio.totalReturn, 12);
    expect(eq.ts.length).toBeLessThanOrEqual(500);
    expect(doc.moreMetrics.symbols.map((s) => s.symbol)).toEqual(doc.symbols.map((s) => s.symbol));
    expect(doc.moreMetrics.portfolio.recoveryFactor).toBeCloseTo(plain.portfolio.totalReturn / plain.portfolio.maxDrawdown, 9);
    expect(Number.isInteger(doc.moreMetrics.portfolio.longestLossStreakTrades)).toBe(true);
    expect(Object.keys(doc.moreMetrics.portfolio)).toEqual(expect.arrayContaining(['omega', 'sharpeAutocorrelationAdjusted', 'ulcerIndex', 'tailRatio', 'gainToPain', 'calmar']));

    for (const s of doc.significance.randomEntry) expect(s.result!.pValue).toBeGreaterThan(0);
    expect(doc.significance.versusBuyAndHold!.pValue).toBeLessThanOrEqual(1);
    await expect(candela('backtest', String(runId), '--no-save', '--mc-paths', '5')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/--mc-paths: /) });
  });

  it("candela eval puts the newest backtest's breakeven fee beside the verdict, and each symbol beside its baselines", async () => {
    const out = await candela('eval', String(runId));
    expect(out).toMatch(/^Verdict: .*\nAfter costs \(backtest #\d+, min confidence 40 %, portfolio return -?[\d.]+ %\): Breakeven taker fee: /m);
    const doc = JSON.parse(await candela('eval', String(runId), '--json')) as ReturnType<typeof evalJson>;
    expect(doc.perSymbol).toHaveLength(2);
    const shown = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)} %`).replace(/[.]/g, '\\.');
    for (const s of doc.perSymbol) {
      expect(out).toMatch(new RegExp(`^${s.symbol.replace('/', '\\/')}\\s+${s.samples}\\s+${shown(s.accuracy)}\\s+[\\d.]+ %\\s+[\\d.]+ %\\s+${s.rocAucMacro === null ? '—' : s.rocAucMacro.toFixed(4)}$`, 'm'));
    }
  });

  it('candela analyze prints the signal-quality and regime tables, and --json is the payload the Evaluation page reads', async () => {
    const text = await candela('analyze', String(runId));
    expect(text).toMatch(new RegExp(`^Run ${runId}: \\d+ test samples, score P\\(UP\\) − P\\(DOWN\\) against the forward log return over \\d+ bars?$`, 'm'));
    expect(text).toMatch(/^all symbols\s+\d+\s+-?\d\.\d{4}\s+-?\d\.\d{4}$/m);
    for (const heading of ['IC decay', 'Prediction bias', 'Volatility regime', 'Trend regime']) expect(text).toContain(heading);
    expect(text).toMatch(/^(low|medium|high)\s+\d+\s+[\d.]+ %\s+[\d.]+ %\s+[\d.]+ %$/m);
    const doc = JSON.parse(await candela('analyze', String(runId), '--json')) as unknown;
    const services = await createHeadlessServices(ws);
    try {
      const dispatch = createDispatcher(buildHandlers(), { services, transport: 'websocket' });
      const page = await dispatch('evaluation.analytics', { runId });
      if (!page.ok) throw new Error(page.error.message);
      expect(doc).toEqual(page.value);
    } finally {
      await services.close();
    }
    await expect(candela('analyze', '999')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/^candela: Run 999 does not exist\.\n$/) });
  });

  it('candela report writes one self-contained HTML file with every section, and a PDF where a browser exists', async () => {
    const html = join(dir, 'report.html');
    const pdf = join(dir, 'report.pdf');
    const browser = findChromium();
    const args = ['report', String(runId), '--out', html, '--pdf', pdf, '--json'];
    if (browser) {
      const doc = JSON.parse(await candela(...args)) as { backtestId: number | null; html: string; pdf: string | null; bytes: number };
      expect(doc.pdf).toBe(pdf);
      expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(readFileSync(pdf).length).toBeGreaterThan(20_000);
    } else {
      await expect(candela(...args)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('No Chromium, Chrome or Edge was found to print the PDF') });
    }
    const text = readFileSync(html, 'utf8');
    for (const id of REPORT_SECTIONS) expect(text).toContain(`<section id="${id}">`);
    // Self-contained: no script, stylesheet link, external source or URL of any kind.
    expect(text).not.toMatch(/<script|<link|\ssrc=|@import|url\(|https?:\/\//i);
    expect(text).toMatch(/<h2>Backtest #\d+<\/h2>/);
    // The candle hash it prints is the SHA-256 of the candles, recomputed here from the workspace.
    const services = await createHeadlessServices(ws);
    try {
      const datasets = await services.db.listDatasets();
      const c = await services.db.queryCandles({ datasetId: datasets[0]!.id, rollupMs: null, limit: 1e6, anchor: 'first' });
      const hash = createHash('sha256');
      for (const col of [c.ts, c.open, c.high, c.low, c.close, c.volume]) hash.update(new Uint8Array(Float64Array.from(col).buffer));
      expect(text).toContain(`<code>${hash.digest('hex')}</code>`);
    } finally {
      await services.close();
    }
    await expect(candela('report', String(runId), '--backtest', '999', '--out', html)).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/Backtest 999 is not a backtest of run \d+/) });
  });

  it("evaluation.reportPdf prints the report's HTML with the shell's printer, and passes on the printer's sentence", async () => {
    const printed: string[] = [];
    const bytes = Uint8Array.from(Buffer.from('%PDF-1.4 the printer saw the report'));
    const services = await createHeadlessServices(ws, {
      printReportPdf: async (html) => {
        printed.push(html);
        return bytes;
      },
    });
    try {
      const dispatch = createDispatcher(buildHandlers(), { services, transport: 'websocket' });
      const r = await dispatch('evaluation.reportPdf', { runId });
      if (!r.ok) throw new Error(r.error.message);
      const html = await dispatch('evaluation.report', { runId });
      if (!html.ok) throw new Error(html.error.message);
      expect(r.value).toEqual({ pdfBase64: Buffer.from(bytes).toString('base64'), fileName: (html.value as { fileName: string }).fileName.replace(/\.html$/, '.pdf'), bytes: bytes.length });
      expect(printed).toHaveLength(1);
      for (const id of REPORT_SECTIONS) expect(printed[0]).toContain(`<section id="${id}">`);
    } finally {
      await services.close();
    }
    const refusing = await createHeadlessServices(ws, { printReportPdf: () => Promise.reject(new Error(NO_BROWSER)) });
    try {
      const dispatch = createDispatcher(buildHandlers(), { services: refusing, transport: 'websocket' });
      // At the app's button no HTML file was written: the sentence says how to get one and print it.
      expect(await dispatch('evaluation.reportPdf', { runId })).toEqual({ ok: false, error: { code: 'UNSUPPORTED', message: NO_BROWSER_ON_SERVER } });
      expect(await dispatch('evaluation.reportPdf', { runId: 999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'Run 999 does not exist.' } });
    } finally {
      await refusing.close();
    }
  });

  it('a refusal from the contract is one sentence and exit status 1', async () => {
    await expect(candela('eval', '999')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/^candela: Run 999 does not exist\.\n$/) });
    await expect(candela('backtest', '999', '--no-save')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/^candela: .*999/) });
  });
});

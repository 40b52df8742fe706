import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT as root } from '../../test-support/fixtures.js';
import { layoutSettled } from '../support/layout.js';
import { pdfOutlineTitles } from '../support/pdf.js';
import { startCandelaServe, type ServerHandle } from '../support/server.js';

/**
 * Research analytics in the UI and the report: the Evaluation page's signal quality and regimes
 * (HMM on request), the Backtests page's regimes, Monte Carlo fan and threshold, the resampled
 * market (signals recomputed), significance and cost sensitivity, each fitting a 1280×800 window; and the Report button's file, opened offline
 * with every request refused, showing every section without a console error.
 */
const SECTIONS = ['config', 'lineage', 'evaluation', 'regimes', 'signal-quality', 'backtest', 'monte-carlo', 'market-monte-carlo', 'cost-sensitivity', 'caveats'];

let server: ServerHandle;
let dir: string;
test.beforeAll(async () => {
  test.setTimeout(240_000);
  dir = mkdtempSync(join(tmpdir(), 'candela-e2e-report-'));
  const ws = join(dir, 'ws');
  const cli = (...args: string[]) => execFileSync(process.execPath, [join(root, 'bin/candela.mjs'), '--workspace', ws, ...args], { stdio: 'pipe', timeout: 200_000 });
  cli('generate', '--symbols', '2', '--bars', '2000', '--timeframe', '1h', '--seed', '5', '--signal', '0.4', '--out', join(dir, 'gen'));
  cli('import', join(dir, 'gen'));
  cli('train', '--datasets', 'all', '--model', 'mlp', '--window', '8', '--epochs', '1', '--backend', 'cpu');
  cli('backtest', '1', '--fee-bps', '2');
  server = await startCandelaServe([], {}, ws);
});
test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Serious or critical accessibility violations inside one card (axe-core). */
async function axeProblems(page: Page, testId: string): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).include(`[data-testid="${testId}"]`).analyze();
  return axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
}

/** Opens the served app in a laptop-sized window; the console errors and page errors it collects. */
async function openApp(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(server.url);
  await expect(page.getByTestId('status-connection')).toHaveText('server connected');
  return problems;
}

async function fits(page: Page): Promise<string[]> {
  await layoutSettled(page);
  const fit = await page.evaluate(() => {
    const main = document.getElementById('main');
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, mainScroll: main?.scrollWidth ?? 0, mainWidth: main?.clientWidth ?? 0 };
  });
  const out: string[] = [];
  if (fit.scrollWidth > fit.innerWidth) out.push(`the page is ${fit.scrollWidth} px wide in a ${fit.innerWidth} px window`);
  if (fit.mainScroll > fit.mainWidth) out.push(`the content is ${fit.mainScroll} px wide in a ${fit.mainWidth} px pane`);
  return out;
}

test('Evaluation shows signal quality per month and decay, regimes per symbol and HMM, and the Report opens offline with every section', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const problems = await openApp(page);
  await page.keyboard.press('Alt+3');
  await expect(page.getByTestId('verdict')).toContainText(/baseline/, { timeout: 60_000 });

  const card = page.getByTestId('signal-quality');
  await expect(card.getByTestId('ic-per-month').locator('.main-svg').first()).toBeVisible({ timeout: 60_000 });
  await expect(card.getByTestId('ic-decay').locator('.main-svg').first()).toBeVisible();
  const regimes = card.getByTestId('regimes');
  await expect(regimes).toContainText('Volatility');
  await expect(regimes).not.toContainText('HMM');
  await card.getByTestId('hmm-states').selectOption('2');
  await expect(regimes).toContainText('HMM (2 states)', { timeout: 60_000 });
  await expect(regimes).toContainText('turbulent');
  // One symbol's rows: fewer bars than all symbols together.
  const bars = async () => Number((await regimes.locator('tbody tr').first().locator('td').nth(2).textContent())!.replace(/\D/g, ''));
  const allBars = await bars();
  await card.getByTestId('regime-scope').selectOption('BTC/USDT');
  await expect.poll(bars).toBeLessThan(allBars);
  mkdirSync(join(root, 'test-results', 'pages'), { recursive: true });
  await card.screenshot({ path: join(root, 'test-results', 'pages', '1280x800-signal-quality.png') });
  expect(await fits(page)).toEqual([]);
  expect(await axeProblems(page, 'signal-quality')).toEqual([]);

  await page.getByTestId('report-pdf-button').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(root, 'test-results', 'pages', '1280x800-evaluation-report-buttons.png') });
  const download = page.waitForEvent('download');
  await page.getByTestId('report-button').click();
  const file = join(dir, 'report.html');
  await (await download).saveAs(file);
  expect((await download).suggestedFilename()).toBe('candela-run-1-backtest-1-report.html');
  const html = readFileSync(file, 'utf8');
  expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);

  // Opened as a file with the network gone: every request is refused and counted, and none is made.
  const offline = await browser.newContext({ offline: true });
  const requests: string[] = [];
  await offline.route('**/*', (route) => {
    if (!route.request().url().startsWith('file:')) requests.push(route.request().url());
    return route.request().url().startsWith('file:') ? route.continue() : route.abort();
  });
  const report = await offline.newPage();
  const errors: string[] = [];
  report.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  report.on('pageerror', (e) => errors.push(e.message));
  await report.goto(pathToFileURL(file).href);
  for (const id of SECTIONS) await expect(report.locator(`section#${id} h2`)).toBeVisible();
  await expect(report.locator('section#lineage code').first()).toHaveText(/^[0-9a-f]{64}$/);
  await expect(report.locator('section#signal-quality svg.chart')).toHaveCount(2);
  await expect(report.locator('section#monte-carlo svg.chart')).toHaveCount(2);
  await expect(report.locator('section#cost-sensitivity svg.chart')).toHaveCount(1);
  await expect(report.locator('section#backtest table').first()).toContainText('PORTFOLIO');
  await expect(report.locator('section#backtest')).toContainText('Omega ratio');
  await expect(report.locator('section#backtest svg.chart')).toHaveCount(1);
  mkdirSync(join(root, 'test-results', 'pages'), { recursive: true });
  await report.screenshot({ path: join(root, 'test-results', 'pages', 'report.png'), fullPage: true });
  expect(requests).toEqual([]);
  expect(errors).toEqual([]);
  const headings = await report.locator('section > h2').allTextContents();
  expect(headings).toHaveLength(SECTIONS.length);
  await offline.close();

  // The same report as PDF, printed by the server's Chromium: a PDF file whose outline (bookmarks)
  // holds every section's heading, on more than one page.
  const pdfDownload = page.waitForEvent('download');
  await page.getByTestId('report-pdf-button').click();
  const pdfFile = join(dir, 'report.pdf');
  await (await pdfDownload).saveAs(pdfFile);
  expect((await pdfDownload).suggestedFilename()).toBe('candela-run-1-backtest-1-report.pdf');
  await expect(page.getByRole('button', { name: 'Save the report as PDF' })).toBeEnabled();
  const pdf = readFileSync(pdfFile);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)!.length).toBeGreaterThan(1);
  const titles = pdfOutlineTitles(pdf);
  for (const h of headings) expect(titles, `the PDF's outline lists "${h}"`).toContain(h);
  expect(problems).toEqual([]);
});

test('Backtests shows significance, Monte Carlo with a fan and a drawdown threshold, cost sensitivity and per-regime returns', async ({ page }) => {
  test.setTimeout(120_000);
  const problems = await openApp(page);
  await page.keyboard.press('Alt+4');
  const card = page.getByTestId('backtest-analytics');
  await expect(card.getByTestId('significance')).toContainText(/Against buy and hold: excess -?[\d.]+ %, p = [\d.<\s]+/, { timeout: 60_000 });
  await expect(card.getByTestId('significance')).toContainText(/BTC\/USDT p = /);
  await expect(card.getByTestId('mc-fan').locator('.main-svg').first()).toBeVisible();
  await expect(card.getByTestId('portfolio-equity').locator('.main-svg').first()).toBeVisible();
  await expect(card.getByTestId('cost-curve').locator('.main-svg').first()).toBeVisible();
  await expect(card.getByTestId('breakeven-roundtrip')).toContainText(/Breakeven round-trip cost [\d.]+ bps|No breakeven|Profitable up to/);
  await expect(card.getByTestId('cost-grid').locator('tbody tr')).toHaveCount(5);

  // The drawdown threshold is read off the paths: a tighter one is breached by at least as many.
  const share = async () => Number((await card.getByTestId('dd-probability').first().textContent())!.replace(/[^\d.]/g, ''));
  await card.getByTestId('dd-threshold').fill('50');
  const loose = await share();
  await card.getByTestId('dd-threshold').fill('1');
  await expect.poll(share).toBeGreaterThan(loose);
  await expect(card.getByTestId('mc-table')).toContainText('P(DD > 1 %)');

  await expect(card.getByTestId('more-metrics')).toContainText('Omega ratio');
  await expect(card.getByTestId('more-metrics')).toContainText('Sharpe, autocorrelation-adjusted');
  const regimes = card.getByTestId('bt-regimes');
  await expect(regimes).toContainText('Volatility');
  await card.getByTestId('bt-regime-scope').selectOption('ETH/USDT');
  await expect(regimes).toContainText('All');
  await card.getByTestId('bt-hmm-states').selectOption('3');
  await expect(card.getByTestId('bt-regimes')).toContainText('HMM', { timeout: 60_000 });

  // The market itself resampled, the model predicting again on each path: a progress bar, then percentiles and a fan.
  const market = card.getByTestId('market-mc');
  await expect(market).toContainText('Resampled market (signals recomputed)');
  await market.getByTestId('market-paths').fill('3');
  await market.getByTestId('market-run').click();
  await expect(market.getByTestId('market-mc-table')).toContainText('Resampled market (3 paths, seed 1', { timeout: 60_000 });
  await expect(market.getByTestId('market-mc-table')).toContainText('Final return');
  await expect(market.getByTestId('market-mc-tail')).toContainText(/P\(max drawdown > 20 %\) = [\d.]+ %/);
  await expect(market.getByTestId('market-mc-fan').locator('.main-svg').first()).toBeVisible();
  await market.getByTestId('market-paths').fill('0');
  await expect(market).toContainText('Paths: a whole number from 1 to 1000.');
  await expect(market.getByTestId('market-run')).toBeDisabled();
  await market.getByTestId('market-paths').fill('3');
  await market.screenshot({ path: join(root, 'test-results', 'pages', '1280x800-backtest-market-monte-carlo.png') });
  await card.screenshot({ path: join(root, 'test-results', 'pages', '1280x800-backtest-analytics.png') });
  expect(await fits(page)).toEqual([]);
  expect(await axeProblems(page, 'backtest-analytics')).toEqual([]);
  expect(problems).toEqual([]);
});

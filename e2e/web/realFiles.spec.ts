import { expect, test, type Page } from '@playwright/test';
import { marketCorpus } from '../../test-support/fixtures.js';
import { requirePrerequisite } from '../../test-support/playwright.js';
import { dropCorpusFiles } from '../support/drop.js';
import { startCandelaServe, type ServerHandle } from '../support/server.js';

/**
 * The journey the app exists for, on real exports rather than the demo: four files of four
 * sources and three timeframes dropped together, one run over all of them at a common timeframe,
 * evaluated, backtested with costs, and the threshold sweep agreeing with the backtest it sits under.
 * The files are read from the shared corpus beside the repository (never copied into it).
 */
const corpus = marketCorpus().dir;

const FILES = ['binance-spot/BTCUSDT-1h-2024-12.csv', 'metatrader4/EURUSD60.csv', 'tradingview/BINANCE_SOLUSDT, 15.csv', 'freqtrade/ETH_BTC-5m.json'];

test.describe('real files of mixed sources and timeframes, end to end', () => {
  requirePrerequisite(marketCorpus());
  let server: ServerHandle;
  test.beforeAll(async () => {
    server = await startCandelaServe();
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test('drop four real exports, train them together at 1h, evaluate, backtest with costs, sweep', async ({ page }) => {
    test.setTimeout(240_000);
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(server.url);
    await expect(page.getByTestId('status-connection')).toHaveText('server connected');

    await dropCorpusFiles(page, corpus, FILES);
    await expect(page.getByTestId('import-summary')).toContainText('4 of 4 files imported', { timeout: 60_000 });
    const rows = page.getByTestId('dataset-row');
    await expect(rows).toHaveCount(4);
    for (const symbol of ['BTC/USDT', 'EUR/USD', 'SOL/USDT', 'ETH/BTC']) await expect(rows.filter({ hasText: symbol })).toHaveCount(1);

    // Training: all four at once; the plan shows the common timeframe and the roll-ups before Start.
    await page.keyboard.press('Alt+2');
    await page.getByRole('button', { name: /Choose all/ }).click();
    await page.getByLabel('Model').selectOption('mlp');
    await page.getByLabel('Window (bars)').fill('16');
    await page.getByLabel('Epochs').fill('2');
    const plan = page.getByTestId('run-plan');
    await expect(plan).toContainText('Trains on 1h bars');
    await expect(plan).toContainText('15m, rolled up');
    await expect(plan).toContainText('5m, rolled up');
    // The Binance file's extra columns stay out unless asked for, and the plan says why.
    await expect(plan).toContainText('extra columns left out');
    await expect(page.getByLabel('Timeframe').locator('option')).toContainText(['coarsest chosen (1h)', '1h', '4h', '1d', '1w']);
    await page.screenshot({ path: 'test-results/real-files-training-plan.png', fullPage: true });

    await page.getByRole('button', { name: 'Start training' }).click();
    await expect(page.getByTestId('run-status')).toHaveText(/completed|early-stopped/, { timeout: 120_000 });
    await expect(page.getByTestId('run-test')).toContainText(/Test accuracy .* vs majority-class baseline/);
    await expect(page.getByTestId('run-row').first()).toContainText('1h');

    // Evaluation: the verdict beside the baselines, every symbol judged.
    await page.keyboard.press('Alt+3');
    await expect(page.getByTestId('verdict')).toContainText(/baseline/, { timeout: 60_000 });
    for (const symbol of ['BTC/USDT', 'EUR/USD', 'SOL/USDT', 'ETH/BTC']) await expect(page.getByTestId('per-symbol')).toContainText(symbol);

    // Backtests with costs; the sweep uses the same costs, so its row at the backtest's threshold is the backtest.
    await page.keyboard.press('Alt+4');
    await expect(page.getByRole('heading', { name: 'Backtests', level: 1 })).toBeVisible();
    await page.getByLabel('Fee bps').fill('10');
    await page.getByLabel('Slippage (bps)').fill('2');
    await page.getByRole('button', { name: 'Run backtest' }).click();
    const results = page.getByTestId('backtest-results');
    await expect(results).toContainText('Portfolio (equal weight)', { timeout: 60_000 });
    await expect(page.getByTestId('backtest-settings')).toContainText('fee 10 bps taker · slippage 2 bps');
    await expect(page.getByTestId('backtest-symbol-row')).toHaveCount(4);
    // The four files cover four different periods: the page says how its portfolio row combines them.
    await expect(page.getByTestId('portfolio-rule')).toContainText('do not overlap');
    await sweepAgreesWithBacktest(page);
    await page.screenshot({ path: 'test-results/real-files-backtest.png', fullPage: true });
    await expect(page.getByTestId('breakeven')).toContainText(/^Breakeven taker fee: /);
    const portfolioReturn = await results.locator('tr.portfolio-row').first().locator('td').nth(2).innerText();

    // The verdict's cost side now reads this backtest: its return as the table shows it, and its breakeven fee.
    await page.keyboard.press('Alt+3');
    await expect(page.getByTestId('cost-check')).toContainText(`(backtest #1, min confidence 0 %, portfolio return ${portfolioReturn}): Breakeven taker fee: `);
    // A symbol tested for days carries the caveat with its Sharpe interval, and its calendar is daily.
    await page.keyboard.press('Alt+4');
    await page.getByTestId('backtest-symbol-row').filter({ hasText: 'BTC/USDT' }).click();
    await expect(page.getByTestId('symbol-caveat')).toContainText(/^BTC\/USDT: Test covers \d+ days; annualised Sharpe, Sortino and CAGR are unreliable \(Sharpe 95 % interval /);
    await expect(page.getByTestId('monthly-heatmap')).toContainText('Daily returns (test under three months)');
    expect(problems).toEqual([]);
  });
});

/**
 * The sweep trades with the form's costs. A two-class model is always at least 50 % confident and
 * the backtest's minimum confidence is 0, so the sweep's ≥ 50 % column is the backtest above: same
 * portfolio return and trade count, per symbol too.
 */
async function sweepAgreesWithBacktest(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sweep minimum confidence' }).click();
  const sweep = page.getByTestId('sweep');
  await expect(sweep).toContainText('EUR/USD', { timeout: 60_000 });
  await expect(page.getByTestId('sweep-settings')).toContainText('fee 10 bps taker · slippage 2 bps');
  const atHalf = page.getByTestId('sweep-row').first().locator('td');
  await expect(atHalf.nth(0)).toHaveText('≥ 50 %');
  const portfolio = page.getByTestId('backtest-results').locator('tr.portfolio-row').first().locator('td');
  const [trades, ret] = [await portfolio.nth(1).innerText(), await portfolio.nth(2).innerText()];
  expect([await atHalf.nth(1).innerText(), await atHalf.nth(3).innerText()], 'sweep ≥ 50 % portfolio vs the backtest').toEqual([ret, trades]);
  // Symbol columns follow the four portfolio columns, in the order of the sweep's header.
  const symbols = await sweep.locator('thead tr').first().locator('th.group').allInnerTexts();
  for (const symbol of ['BTC/USDT', 'EUR/USD', 'SOL/USDT', 'ETH/BTC']) {
    const row = page.getByTestId('backtest-symbol-row').filter({ hasText: symbol }).locator('td');
    const [t, r] = [await row.nth(1).innerText(), await row.nth(2).innerText()];
    const column = symbols.indexOf(symbol) - 1 + 5;
    expect(await atHalf.nth(column).innerText(), symbol).toBe(`${r} · ${t}`);
  }
}


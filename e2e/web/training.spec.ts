import { expect, test } from '@playwright/test';
import { startCandelaServe, type ServerHandle } from '../support/server.js';

let server: ServerHandle;
test.beforeAll(async () => {
  server = await startCandelaServe();
});
test.afterAll(async () => {
  await server?.stop();
});

test('a small training run starts from the UI, pauses, resumes, and its curves and resources move', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(server.url);
  await expect(page.getByTestId('status-connection')).toHaveText('server connected');
  await page.getByRole('button', { name: 'Generate a demo workspace' }).click();
  await expect(page.getByTestId('import-summary')).toContainText('4 of 4 files imported', { timeout: 60_000 });

  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('heading', { name: 'Training', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: /Choose all/ }).click();
  await page.getByLabel('Model').selectOption('mlp');
  await page.getByLabel('Epochs').fill('40');
  await page.getByRole('button', { name: 'Show model summary' }).click();
  await expect(page.getByTestId('model-summary')).toContainText('parameters');

  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('running');
  const loss = page.getByTestId('loss-chart');
  await expect(loss.locator('circle')).not.toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByTestId('training-resources')).toContainText(/CPU\s*\d+ %/);

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  const pausedPoints = await loss.locator('circle').count();
  await page.waitForTimeout(1500);
  expect(await loss.locator('circle').count()).toBe(pausedPoints);

  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('running');
  await expect.poll(async () => loss.locator('circle').count(), { timeout: 60_000 }).toBeGreaterThan(pausedPoints);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('stopped', { timeout: 60_000 });
  await expect(page.getByTestId('run-test')).toContainText(/Test accuracy .* vs majority-class baseline/);
  await expect(page.getByTestId('run-row').first()).toContainText('stopped');

  // The finished run's Evaluation page: plots, baselines and the verdict, with no console errors.
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.keyboard.press('Alt+3');
  await expect(page.getByRole('heading', { name: 'Evaluation', level: 1 })).toBeVisible();
  await expect(page.getByTestId('verdict')).toContainText(/baseline/, { timeout: 60_000 });
  for (const id of ['confusion-plot', 'roc-plot', 'pr-plot', 'reliability-plot']) {
    await expect(page.getByTestId(id).locator('.main-svg').first()).toBeVisible();
  }
  await expect(page.getByTestId('roc-plot')).toContainText('AUC');
  await expect(page.getByTestId('roc-plot')).toContainText('chance');
  await expect(page.getByTestId('pr-plot')).toContainText('AP');
  await expect(page.locator('.metric-card').filter({ hasText: 'Accuracy' }).first()).toContainText('majority');
  await expect(page.getByTestId('per-symbol')).toContainText('BTC/USDT');
  await expect(page.getByTestId('folds').locator('tbody tr')).toHaveCount(4);
  await expect(page.getByTestId('importance-plot')).toContainText('Feature importance');
  await page.getByLabel('Minimum confidence').fill('60');
  await expect(page.getByTestId('threshold-readout')).toContainText('≥ 60 % confidence');

  // Backtests: run one with costs, pick a symbol, see markers on the chart, equity, and the trades.
  await page.keyboard.press('Alt+4');
  await expect(page.getByRole('heading', { name: 'Backtests', level: 1 })).toBeVisible();
  await page.getByLabel('Fee bps').fill('10');
  await page.getByLabel('Slippage (bps)').fill('2');
  await page.getByRole('button', { name: 'Run backtest' }).click();
  const results = page.getByTestId('backtest-results');
  await expect(results).toContainText('Portfolio (equal weight)', { timeout: 60_000 });
  const settingsLine = 'fee 10 bps taker · slippage 2 bps · funding 0 · long & short · min confidence 0 % · sizing fixed 100 %';
  await expect(page.getByTestId('backtest-settings')).toContainText(settingsLine);
  await expect(page.getByTestId('backtest-symbol-row')).toHaveCount(4);
  await page.getByTestId('backtest-symbol-row').filter({ hasText: 'ETH/USDT' }).click();
  await expect(page.getByTestId('backtest-chart').locator('canvas').first()).toBeVisible();
  const tradeRows = page.getByTestId('trade-list').locator('tbody tr');
  await expect(tradeRows.first()).toBeVisible();
  await tradeRows.nth(2).click();
  await expect(tradeRows.nth(2)).toHaveClass(/selected/);
  await expect(page.getByTestId('returns-histogram').locator('.main-svg').first()).toBeVisible();
  await expect(page.getByTestId('monthly-heatmap').locator('.main-svg').first()).toBeVisible();
  await page.getByRole('button', { name: 'Sweep minimum confidence' }).click();
  await expect(page.getByTestId('sweep')).toContainText('BTC/USDT');
  await expect(page.getByTestId('sweep-settings')).toContainText('fee 10 bps taker · slippage 2 bps');
  // The sweep trades with the form's costs: a two-class model is always at least 50 % confident, so
  // the sweep's ≥ 50 % column is the backtest above (return … trades), not one at default costs.
  const portfolio = results.locator('tr.portfolio-row').first().locator('td');
  const [trades, ret] = [await portfolio.nth(1).innerText(), await portfolio.nth(2).innerText()];
  const atHalf = page.getByTestId('sweep-row').first().locator('td');
  await expect(atHalf.nth(0)).toHaveText('≥ 50 %');
  expect([await atHalf.nth(1).innerText(), await atHalf.nth(3).innerText()]).toEqual([ret, trades]);

  // After a reload the form shows the settings of the backtest on screen, not its defaults.
  await page.reload();
  await page.keyboard.press('Alt+4');
  await expect(page.getByTestId('backtest-settings')).toContainText(settingsLine);
  await expect(page.getByLabel('Fee bps')).toHaveValue('10');
  await expect(page.getByLabel('Slippage (bps)')).toHaveValue('2');
  expect(problems).toEqual([]);
});

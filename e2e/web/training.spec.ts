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
  test.setTimeout(300_000);
  await page.goto(server.url);
  await expect(page.getByTestId('status-connection')).toHaveText('server connected');
  await page.getByRole('button', { name: 'Generate a demo workspace' }).click();
  await expect(page.getByTestId('import-summary')).toContainText('4 of 4 files imported', { timeout: 60_000 });

  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('heading', { name: 'Training', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: /Choose all/ }).click();
  // The model summary follows the form, with the layer types a person reads.
  const summary = page.getByTestId('model-summary');
  await expect(summary).toContainText('GRU', { timeout: 60_000 });
  await page.getByLabel('Model', { exact: true }).selectOption('mlp');
  await expect(summary).not.toContainText('GRU', { timeout: 60_000 });
  await expect(summary).toContainText('Dense');
  await expect(summary).toContainText('parameters');
  await page.getByLabel('Epochs', { exact: true }).fill('400');

  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('running');
  // The run's cockpit is at the top and the form folds away beneath it, one click from open again.
  const cockpit = page.getByTestId('run-cockpit');
  const form = page.getByRole('region', { name: 'New training run' });
  await expect(page.getByRole('button', { name: 'New run' })).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByLabel('Epochs', { exact: true })).toBeHidden();
  expect((await cockpit.boundingBox())!.y).toBeLessThan((await form.boundingBox())!.y);
  // It opens again from its header, with what was typed in it.
  await page.getByRole('button', { name: 'New run' }).click();
  await expect(page.getByLabel('Epochs', { exact: true })).toHaveValue('400');
  await page.getByRole('button', { name: 'New run' }).click();
  await expect(page.getByLabel('Epochs', { exact: true })).toBeHidden();
  await expect(page.getByTestId('run-settings')).toContainText('batch size 256 · learning rate 0.001');

  // Per-batch loss is drawn before the first epoch ends; per-epoch dots only once it has.
  const loss = page.getByTestId('loss-chart');
  const perBatch = loss.locator('[data-series="train per batch"]');
  const batchPoints = async () => Number(await perBatch.getAttribute('data-count'));
  await expect(perBatch).toHaveAttribute('data-count', /^([2-9]|\d\d+)$/, { timeout: 60_000 });
  const early = await page.evaluate(() => ({
    epoch: document.querySelector('[data-testid="stat-epoch"]')?.textContent,
    dots: document.querySelectorAll('[data-testid="loss-chart"] circle').length,
  }));
  // Read at once, so the two agree: in epoch 1 the batches are drawn and no epoch dot yet. (A fast
  // machine may be past epoch 1 already; the curve's first point below still lies inside it.)
  if (early.epoch === '1 of 400') expect(early.dots).toBe(0);
  expect(Number(await perBatch.getAttribute('data-first-x'))).toBeLessThan(1);
  await expect(page.getByTestId('stat-elapsed')).toHaveText(/^\d+ (s|min \d\d s)$/);
  await expect(page.getByTestId('stat-eta')).toHaveText(/^\d+ (s|min \d\d s|h \d\d min)$/);
  await expect(page.getByTestId('stat-rate')).toHaveText(/^[\d,]+$/);
  await expect(loss.locator('svg')).toHaveAttribute('aria-label', /Per batch: \d\.\d{3} → \d\.\d{3} over \d+ reports/);
  // Every chart has tick labels on both axes and an axis title.
  for (const id of ['loss-chart', 'throughput-chart']) await expect(page.getByTestId(id).locator('text.axis-title')).toHaveText(['epoch', id === 'loss-chart' ? 'loss' : 'samples/s']);

  await expect(loss.locator('circle')).not.toHaveCount(0, { timeout: 90_000 });
  // One dot per finished epoch: train and validation on loss and accuracy, one learning rate.
  const dots = await page.evaluate(() => ['loss-chart', 'accuracy-chart', 'lr-chart'].map((id) => document.querySelectorAll(`[data-testid="${id}"] circle`).length));
  expect(dots[0]).toBeGreaterThan(0);
  expect(dots).toEqual([dots[0], dots[0], dots[0]! / 2]);
  // The throughput chart has each finished epoch's own rate, the figure the Samples/s card shows after it.
  const epochRate = page.getByTestId('throughput-chart').locator('[data-series="samples/s (whole epoch)"]');
  expect(Number(await epochRate.getAttribute('data-count'))).toBeGreaterThanOrEqual(dots[0]! / 2);
  await expect(loss.getByTestId('best-epoch-marker')).toContainText(/^best epoch \d+$/);
  await expect(page.getByTestId('training-resources')).toContainText(/CPU\s*\d+ %/);
  await cockpit.screenshot({ path: 'test-results/training/cockpit-running.png' });

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  await expect(page.getByTestId('stat-eta')).toHaveText('paused');
  const pausedDots = await loss.locator('circle').count();
  const pausedBatches = await batchPoints();
  await page.waitForTimeout(1500);
  expect(await loss.locator('circle').count()).toBe(pausedDots);
  expect(await batchPoints()).toBe(pausedBatches);

  // The curves come back after a reload: the host kept them (a few reports may share a stored slot).
  await page.reload();
  await page.keyboard.press('Alt+2');
  await page.getByTestId('run-row').first().click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  await expect(loss.locator('circle')).toHaveCount(pausedDots);
  expect(await batchPoints()).toBeGreaterThanOrEqual(Math.floor(pausedBatches * 0.8));

  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('running');
  await expect.poll(batchPoints, { timeout: 30_000 }).toBeGreaterThan(pausedBatches);
  await expect.poll(async () => loss.locator('circle').count(), { timeout: 90_000 }).toBeGreaterThan(pausedDots);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('stopped', { timeout: 60_000 });
  await expect(page.getByTestId('run-test')).toContainText(/Test accuracy .* vs majority-class baseline/);
  await expect(page.getByTestId('run-row').first()).toContainText('stopped');
  await expect(page.getByTestId('stat-eta')).toHaveText('finished');
  // Finished, the card shows the last epoch's rate: the last dot of the throughput chart.
  const lastEpochRate = Math.round(Number(await epochRate.getAttribute('data-last-y')));
  await expect(page.getByTestId('stat-rate')).toHaveText(lastEpochRate.toLocaleString('en-US'));
  await cockpit.screenshot({ path: 'test-results/training/cockpit-stopped.png' });

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
  // Beside the verdict, the cost side: this run has no backtest yet.
  await expect(page.getByTestId('cost-check')).toContainText('no backtest of this run yet');
  // Fold boundaries are bar times: on 5-minute bars, whole minutes divisible by 5.
  const foldTimes = await page.getByTestId('folds').locator('tbody td:nth-child(2), tbody td:nth-child(3)').allInnerTexts();
  expect(foldTimes.length).toBeGreaterThan(0);
  for (const t of foldTimes) expect(t).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:[0-5][05]$/);

  // Backtests, reached from the chosen minimum confidence: the form starts from it and says so.
  await page.getByRole('button', { name: 'Backtest at ≥ 60 %' }).click();
  await expect(page.getByRole('heading', { name: 'Backtests', level: 1 })).toBeVisible();
  await expect(page.getByTestId('carried-confidence')).toContainText('Min confidence 60 % carried over from the Evaluation page');
  await expect(page.getByLabel('Min confidence')).toHaveValue('0.6');
  // The checks below compare with the sweep's ≥ 50 % row, which needs the form back at 0.
  await page.getByLabel('Min confidence').fill('0');
  await expect(page.getByTestId('carried-confidence')).toContainText('now changed to 0 %');

  // Run one with costs, pick a symbol, see markers on the chart, equity, and the trades.
  await page.getByLabel('Fee bps').fill('10');
  await page.getByLabel('Slippage (bps)').fill('2');
  await page.getByRole('button', { name: 'Run backtest' }).click();
  const results = page.getByTestId('backtest-results');
  await expect(results).toContainText('Portfolio (equal weight)', { timeout: 60_000 });
  const settingsLine = 'fee 10 bps taker · slippage 2 bps · funding 0 · long & short · min confidence 0 % · sizing fixed 100 %';
  await expect(page.getByTestId('backtest-settings')).toContainText(settingsLine);
  await expect(page.getByTestId('backtest-symbol-row')).toHaveCount(4);
  await expect(page.getByTestId('carried-confidence')).toHaveCount(0);
  // The fee at which the edge is gone, and money in one stated unit in the table and the trade list.
  await expect(page.getByTestId('breakeven')).toContainText(/^Breakeven taker fee: /);
  await expect(page.getByTestId('money-unit')).toContainText('% of each symbol’s starting equity (1 in account currency)');
  await expect(results.locator('thead')).toContainText('Fees (% of equity)');
  await expect(page.getByTestId('backtest-symbol-row').first().locator('td').nth(10)).toHaveText(/^\d+\.\d{2} %$/);
  await page.getByTestId('backtest-symbol-row').filter({ hasText: 'ETH/USDT' }).click();
  await expect(page.getByTestId('backtest-chart').locator('canvas').first()).toBeVisible();
  await expect(page.getByTestId('backtest-legend')).toContainText('stop-loss exit (SL)');
  await expect(page.getByTestId('marker-mode')).toHaveAttribute('data-mode', /^(trades|counts)$/);
  const tradeRows = page.getByTestId('trade-list').locator('tbody tr');
  await expect(tradeRows.first()).toBeVisible();
  await expect(page.getByTestId('trade-list').locator('thead')).toContainText('PnL (% of equity)');
  await expect(tradeRows.first().locator('td').nth(7)).toHaveText(/^\d+\.\d{3} %$/);
  await tradeRows.nth(2).click();
  await expect(tradeRows.nth(2)).toHaveClass(/selected/);
  // Zoomed to the trade: a few dozen bars, far fewer trades in view than the symbol made.
  await expect(page.getByTestId('marker-mode')).toContainText(/^Entries and exits of the \d+ trades in view|trades in view, too many/);
  await expect(page.getByTestId('returns-histogram').locator('.main-svg').first()).toBeVisible();
  await expect(page.getByTestId('monthly-heatmap').locator('.main-svg').first()).toBeVisible();
  const heatRows = await page.getByTestId('monthly-heatmap').locator('.ytick text').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
  expect(heatRows.length).toBeGreaterThan(0);
  for (const r of heatRows) expect(r).toMatch(/^\d{4}(-\d{2}-\d{2})?$/);
  await page.getByRole('button', { name: 'Sweep minimum confidence' }).click();
  await expect(page.getByTestId('sweep')).toContainText('BTC/USDT');
  await expect(page.getByTestId('sweep-settings')).toContainText('fee 10 bps taker · slippage 2 bps');
  await expect(page.getByTestId('sweep-caveat')).toContainText(/^Test covers \d+ (days|months); the annualised Sharpe ratios above are unreliable/);
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

import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { repoPath } from '../../test-support/fixtures.js';
import { startCandelaServe, type ServerHandle } from '../support/server.js';

let server: ServerHandle;
test.beforeAll(async () => {
  // A small market with a planted signal, imported through the CLI, then served.
  const dir = mkdtempSync(join(tmpdir(), 'candela-e2e-sweeps-'));
  const ws = join(dir, 'ws');
  const candela = (...args: string[]) => execFileSync(process.execPath, [repoPath('bin/candela.mjs'), '--workspace', ws, ...args], { stdio: 'ignore' });
  candela('generate', '--out', join(dir, 'gen'), '--symbols', '1', '--bars', '3000', '--seed', '6', '--signal', '0.4');
  candela('import', join(dir, 'gen'));
  server = await startCandelaServe([], {}, ws);
});
test.afterAll(async () => {
  await server?.stop();
});

const space = (params: object) => JSON.stringify({ base: { model: 'mlp', includeExtras: true, window: 8, epochs: 3, batchSize: 64, patience: 100 }, params });

test('a sweep is defined, paused, resumed and finished from the Sweeps page; its winner opens in Evaluation', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(server.url);
  await expect(page.getByTestId('status-connection')).toHaveText('server connected');
  await page.keyboard.press('Alt+7');
  await expect(page.getByRole('heading', { name: 'Sweeps', level: 1 })).toBeVisible();
  await expect(page.getByText('No sweep yet')).toBeVisible();

  const textarea = page.getByLabel(/Search space/);
  const start = page.getByRole('button', { name: 'Start sweep' });
  const form = page.getByRole('group', { name: 'Searched fields', exact: true });
  const formRows = form.getByTestId('space-row');
  const paramsOfText = async () => (JSON.parse(await textarea.inputValue()) as { params: Record<string, unknown> }).params;
  // The form shows the example space.json, field by field.
  await expect(formRows).toHaveCount(3);
  await expect(form.getByLabel('Low end of lr')).toHaveValue('0.0001');
  await expect(form.getByLabel('Log scale for lr')).toBeChecked();
  await expect(form.getByLabel('Values of hidden')).toHaveValue('16, 32, 64');

  // JSON → form: a new text redraws the rows; text that is not JSON leaves them as they were.
  await textarea.fill(space({ lr: { float: [0.001, 0.01], log: true }, hidden: { choice: [8, 16] } }));
  await expect(formRows).toHaveCount(2);
  await expect(form.getByLabel('Low end of lr')).toHaveValue('0.001');
  await expect(form.getByLabel('Values of hidden')).toHaveValue('8, 16');
  const goodText = await textarea.inputValue();
  await textarea.fill('{"params": ');
  await expect(form.getByTestId('space-form-problems')).toContainText('The form keeps its rows until the text is valid JSON again.');
  await expect(formRows).toHaveCount(2);
  await textarea.fill(goodText);
  await expect(form.getByTestId('space-form-problems')).toBeEmpty();

  // Form → JSON, from the keyboard: add a field, make it an int range; the text follows.
  await form.getByRole('button', { name: 'Add field' }).focus();
  await page.keyboard.press('Enter');
  await expect(formRows).toHaveCount(3);
  await form.getByLabel('Field of row 3').selectOption('layers');
  await form.getByLabel('Kind of layers').selectOption('int');
  await form.getByLabel('Low end of layers').fill('1');
  await form.getByLabel('High end of layers').fill('3');
  await expect.poll(paramsOfText).toEqual({ lr: { float: [0.001, 0.01], log: true }, hidden: { choice: [8, 16] }, layers: { int: [1, 3] } });
  await page.screenshot({ path: 'test-results/sweeps/sweeps-space-form-int.png' });
  // The fields offered are the ones the sweep schema allows: no datasets, no split.
  const offered = await form.getByLabel('Field of row 3').locator('option').allTextContents();
  expect(offered).toContain('lr');
  expect(offered).not.toContain('datasetIds');
  expect(offered).not.toContain('split');
  // Fields the base fixes are marked: searching one of them is refused.
  expect(offered).toContain('window (fixed in base)');
  // A bad entry says why in a sentence, blocks Start and leaves the text as it was.
  await form.getByLabel('High end of layers').fill('x');
  await expect(form.getByTestId('space-form-problems')).toHaveText('layers: the high end "x" is not a number.');
  await expect(form.getByLabel('High end of layers')).toHaveAttribute('aria-invalid', 'true');
  await expect(start).toBeDisabled();
  expect(await paramsOfText()).toMatchObject({ layers: { int: [1, 3] } });
  await form.getByLabel('High end of layers').fill('9');
  await expect(form.getByTestId('space-form-problems')).toHaveText('layers: the high end 9 is above the largest allowed value, 8.');
  await form.getByRole('button', { name: 'Remove layers' }).click();
  await expect(formRows).toHaveCount(2);
  await expect.poll(paramsOfText).toEqual({ lr: { float: [0.001, 0.01], log: true }, hidden: { choice: [8, 16] } });
  // The base stays as it was typed in the text.
  expect((JSON.parse(await textarea.inputValue()) as { base: object }).base).toEqual(JSON.parse(space({})).base);
  await page.screenshot({ path: 'test-results/sweeps/sweeps-space-form.png' });

  // A space that cannot be searched says why, in the words of space.json, and cannot start.
  await textarea.fill(space({ lr: { float: [0.1, 0.01] } }));
  await expect(page.getByText(/lr\.float: low 0\.1 is above high 0\.01/)).toBeVisible();
  await expect(start).toBeDisabled();
  await textarea.fill('{"params": ');
  await expect(page.getByText(/The space is not valid JSON/)).toBeVisible();

  await textarea.fill(space({ lr: { float: [0.001, 0.01], log: true }, hidden: { choice: [8, 16] } }));
  await expect(page.getByText(/datasetIds/)).toBeVisible();
  // The axe rules the other pages pass hold for the form too.
  const axe = await new AxeBuilder({ page }).include('[aria-label="New sweep"]').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  await page.getByRole('checkbox').first().check();
  await page.getByLabel('Sampler').selectOption('random');
  await page.getByLabel('Trials').fill('3');
  await page.getByLabel('In parallel').fill('1');
  await expect(start).toBeEnabled();
  // Keyboard: Start is reached and pressed without the mouse.
  await start.focus();
  await page.keyboard.press('Enter');

  const status = page.getByTestId('sweep-status');
  await expect(status).toContainText('Status: running');
  const pause = page.getByRole('button', { name: 'Pause' });
  await pause.focus();
  await page.keyboard.press('Enter');
  await expect(status).toContainText('Status: paused');
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(status).toContainText('Status: running');

  await expect(status).toContainText('Status: completed', { timeout: 180_000 });
  const trials = page.getByRole('region', { name: 'Trials' });
  await expect(trials.locator('tbody tr')).toHaveCount(3);
  // The table's parameter columns are the fields the form searched.
  await expect(trials.locator('thead th')).toContainText(['lr', 'hidden']);
  await expect(trials).toContainText('completed');
  // Trials show no test numbers; the winner alone was tested, and says it is the best of 3.
  const winner = page.getByRole('region', { name: 'Winner' });
  await expect(winner.getByTestId('sweep-test')).toContainText(/Test accuracy \d+\.\d\d % against the majority baseline/);
  await expect(winner).toContainText('Best of 3 trials');
  await expect(page.getByRole('region', { name: 'Selection bias' })).toContainText('Deflated Sharpe ratio');
  await expect(page.getByRole('region', { name: 'Parallel coordinates' }).locator('polyline')).toHaveCount(3);
  await expect(page.getByRole('region', { name: 'Best so far' }).locator('circle')).toHaveCount(3);
  // Every chart stays inside its card (a chart drawn wider than its card spills over the next one).
  for (const name of ['Parallel coordinates', 'Best so far']) {
    const card = page.getByRole('region', { name });
    const [cardBox, chartBox] = [await card.boundingBox(), await card.locator('svg').first().boundingBox()];
    expect(chartBox!.x + chartBox!.width, name).toBeLessThanOrEqual(cardBox!.x + cardBox!.width);
  }

  // Nothing overflows the window sideways at 1280 × 800.
  const overflow = await page.evaluate(() => {
    const main = document.getElementById('main')!;
    return { page: document.documentElement.scrollWidth - document.documentElement.clientWidth, main: main.scrollWidth - main.clientWidth };
  });
  expect(overflow).toEqual({ page: 0, main: 0 });

  await page.screenshot({ path: 'test-results/sweeps/sweeps-page.png' });
  await page.getByRole('region', { name: 'Parallel coordinates' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/sweeps/sweeps-results.png' });

  await winner.getByRole('button', { name: 'Open in Evaluation' }).click();
  await expect(page.getByRole('heading', { name: 'Evaluation', level: 1 })).toBeVisible();
});

import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT as root } from '../../test-support/fixtures.js';
import { startCandelaServe, type ServerHandle } from '../support/server.js';

/** What `candela compare --json` prints (see src-main/cli/commands/runs.ts). */
interface CompareJson {
  runs: { runId: number; metrics: { accuracy: Estimate; majorityAccuracy: Estimate; macroF1: number | null; logLoss: number | null } }[];
  configDiff: { field: string; values: (string | number | boolean | null)[] }[];
}
type Estimate = { value: number | null; low: number | null; high: number | null };
/** What `candela runs --seeds K <runId> --json` prints (the seed group). */
interface SeedGroupJson {
  members: { runId: number; status: string }[];
  metrics: { accuracy: { mean: number; std: number; interval: { low: number; high: number } } };
}

// The page's own formatting, written out again here: the same numbers must read the same.
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);
const withInterval = (e: Estimate) => `${pct(e.value)}${e.low !== null && e.high !== null ? ` [${pct(e.low)}, ${pct(e.high)}]` : ''}`;

test.describe('the Runs page', () => {
  let server: ServerHandle;
  let runIds: number[] = [];
  let ensembleId = 0;
  let cliCompare: CompareJson;
  let seedGroup: SeedGroupJson;

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    const ws = mkdtempSync(join(tmpdir(), 'candela-e2e-runs-'));
    const cli = (...args: string[]) => execFileSync(process.execPath, [join(root, 'bin/candela.mjs'), '--workspace', ws, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 200_000 });
    const gen = join(ws, '..', `${ws.split('/').pop()}-gen`);
    cli('generate', '--symbols', '2', '--bars', '1500', '--timeframe', '1h', '--seed', '3', '--signal', '0.4', '--out', gen);
    cli('import', gen, '--json');
    const first = JSON.parse(cli('train', '--datasets', 'all', '--model', 'mlp', '--window', '8', '--epochs', '2', '--batch-size', '64', '--json')) as { runId: number };
    // The CLI's seed group: the run itself and two more seeds.
    const group = JSON.parse(cli('runs', '--seeds', '3', String(first.runId), '--json')) as SeedGroupJson;
    seedGroup = group;
    expect(group.members.map((m) => m.status)).toEqual(['completed', 'completed', 'completed']);
    runIds = group.members.map((m) => m.runId);
    ensembleId = (JSON.parse(cli('ensemble', ...runIds.map(String), '--json')) as { runId: number }).runId;
    cliCompare = JSON.parse(cli('compare', ...[...runIds, ensembleId].map(String), '--json')) as CompareJson;
    server = await startCandelaServe([], {}, ws);
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  /** The Runs page in a 1280 × 800 window; the console errors it collects. */
  async function openRunsPage(page: Page): Promise<string[]> {
    await page.setViewportSize({ width: 1280, height: 800 });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(server.url);
    await expect(page.getByTestId('status-connection')).toHaveText('server connected');
    await page.keyboard.press('Alt+6');
    await expect(page.getByRole('heading', { name: 'Runs', level: 1 })).toBeVisible();
    return errors;
  }

  test('lists, filters and sorts the runs, and compares them with the same numbers as `candela compare --json`', async ({ page }) => {
    const errors = await openRunsPage(page);
    const rows = page.getByTestId('runs-row');
    await expect(rows).toHaveCount(4);
    await expect(page.getByTestId('runs-count')).toHaveText('4 of 4 runs');

    // Filter by a config field, a tag, then something that cannot be read.
    const filter = page.getByTestId('runs-filter');
    await filter.fill('seed=43');
    await expect(rows).toHaveCount(1);
    await expect(page.getByTestId('runs-count')).toHaveText('1 of 4 runs');
    await filter.fill('tag=ensemble');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute('data-run-id', String(ensembleId));
    await filter.fill('sed=43');
    await expect(page.locator('#runs-filter-help')).toHaveText(/No run has a field named "sed"; did you mean .*seed/);
    await filter.fill('');
    await expect(rows).toHaveCount(4);

    // Sorting by test accuracy, from the keyboard: ascending, the header says so.
    const accHeader = page.getByRole('button', { name: 'Test acc.' });
    await accHeader.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('columnheader', { name: 'Test acc.' })).toHaveAttribute('aria-sort', 'ascending');
    const byId = new Map(cliCompare.runs.map((r) => [r.runId, r.metrics.accuracy.value!]));
    const shownOrder = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-run-id'))));
    expect(shownOrder.map((id) => byId.get(id)!)).toEqual([...byId.values()].sort((a, b) => a - b));

    // Select the runs with the keyboard (Space on each checkbox) and compare.
    for (const id of [...runIds, ensembleId]) {
      await page.getByLabel(`Select run ${id}`).focus();
      await page.keyboard.press('Space');
    }
    await expect(page.getByTestId('runs-selected')).toHaveText('4 selected');
    await page.getByTestId('compare-button').click();
    const comparison = page.getByTestId('runs-comparison');
    await expect(comparison).toBeVisible();
    for (const r of cliCompare.runs) {
      await expect(page.getByTestId(`compare-accuracy-${r.runId}`)).toHaveText(withInterval(r.metrics.accuracy));
      await expect(page.getByTestId(`compare-majority-${r.runId}`)).toHaveText(withInterval(r.metrics.majorityAccuracy));
      await expect(page.getByTestId(`compare-f1-${r.runId}`)).toHaveText(pct(r.metrics.macroF1));
      await expect(page.getByTestId(`compare-logloss-${r.runId}`)).toHaveText(r.metrics.logLoss!.toFixed(4));
    }
    // The config diff lists only what differs: the seed (the ensemble carries its first member's).
    expect(cliCompare.configDiff.map((d) => d.field)).toEqual(['seed']);
    const diff = page.getByTestId('config-diff');
    await expect(diff.locator('tbody tr')).toHaveCount(1);
    await expect(diff.locator('tbody tr')).toHaveText(['seed' + cliCompare.configDiff[0]!.values.join('')]);
    // Curves overlaid: a train line and val dots per run (the ensemble trained no epochs).
    await expect(page.getByTestId('runs-loss-chart').locator('circle')).toHaveCount(3 * 2);

    // HParams: parallel coordinates over the seed and accuracy, one line per run, and the seed's importance.
    await expect(page.getByTestId('parcoords').locator('polyline')).toHaveCount(4);
    await expect(page.getByTestId('hparams-importance').locator('tbody tr')).toHaveCount(1);
    await expect(page.getByTestId('hparams-importance')).toContainText('seed');

    // Tables leave as CSV with the numbers shown.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV', exact: true }).click();
    const csv = readFileSync((await (await download).path())!, 'utf8').trim().split(/\r?\n/);
    expect(csv[0]).toMatch(/^id,name,status,model,timeframe,accuracy,/);
    expect(csv).toHaveLength(5);
    // An SVG export of a chart is a standalone SVG document.
    const svgDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export runs-loss as SVG' }).click();
    expect(readFileSync((await (await svgDownload).path())!, 'utf8')).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);

    // The CLI's seed group, with the same mean ± std [interval].
    const acc = seedGroup.metrics.accuracy;
    const p2 = (v: number) => (v * 100).toFixed(2);
    await expect(page.getByTestId('seed-group-row')).toHaveCount(1);
    await expect(page.getByTestId('seed-group-row')).toContainText(`${p2(acc.mean)} ± ${p2(acc.std)} [${p2(acc.interval.low)}, ${p2(acc.interval.high)}]`);

    // No serious or critical accessibility violation (axe-core), as on every other page.
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    // Nothing wider than a 1280 × 800 window.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await page.screenshot({ path: join(root, 'test-results', 'pages', '1280x800-runs.png') });
    await page.getByTestId('hparams').screenshot({ path: join(root, 'test-results', 'pages', '1280x800-runs-hparams.png') });
    expect(errors).toEqual([]);
  });

  test('an ensemble opens in Evaluation and Backtests like any run, from the table and from the result of making one', async ({ page }) => {
    test.setTimeout(120_000);
    const errors = await openRunsPage(page);
    await expect(page.getByTestId('runs-row')).toHaveCount(4);

    // The CLI's ensemble, picked alone in the table: evaluated on the Evaluation page with its own verdict.
    await page.getByLabel(`Select run ${ensembleId}`).check();
    await expect(page.getByRole('button', { name: 'Open in Evaluation' })).toHaveCount(0);
    await page.getByRole('button', { name: `Open run #${ensembleId} in Evaluation` }).click();
    await expect(page.getByRole('heading', { name: 'Evaluation', level: 1 })).toBeVisible();
    await expect(page.getByLabel('Run to evaluate')).toHaveValue(String(ensembleId));
    await expect(page.getByTestId('verdict')).toContainText(/baseline/, { timeout: 60_000 });
    await expect(page.getByTestId('report-button')).toBeEnabled();

    // And on the Backtests page, where a backtest of it runs like any run's.
    await page.keyboard.press('Alt+6');
    await page.getByRole('button', { name: `Open run #${ensembleId} in Backtests` }).click();
    await expect(page.getByLabel('Run to backtest')).toHaveValue(String(ensembleId));
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await expect(page.getByTestId('backtest-results').getByTestId('backtest-symbol-row')).toHaveCount(2, { timeout: 60_000 });

    // An ensemble made here offers the same two doors in its result.
    await page.keyboard.press('Alt+6');
    await page.getByRole('button', { name: 'Clear' }).click();
    for (const id of runIds.slice(0, 2)) await page.getByLabel(`Select run ${id}`).check();
    await page.getByRole('button', { name: 'Make ensemble' }).click();
    const result = page.getByTestId('ensemble-result');
    await expect(result).toContainText(/Ensemble run #\d+: test accuracy [\d.]+ % vs majority [\d.]+ %/, { timeout: 60_000 });
    const made = Number(/#(\d+)/.exec((await result.textContent())!)![1]);
    expect(made).toBeGreaterThan(ensembleId);
    await page.screenshot({ path: join(root, 'test-results', 'pages', '1280x800-runs-ensemble-result.png') });
    await result.getByRole('button', { name: `Open ensemble #${made} in Backtests` }).click();
    await expect(page.getByLabel('Run to backtest')).toHaveValue(String(made));
    await page.keyboard.press('Alt+6');
    await page.getByTestId('ensemble-result').getByRole('button', { name: `Open ensemble #${made} in Evaluation` }).click();
    await expect(page.getByLabel('Run to evaluate')).toHaveValue(String(made));
    await expect(page.getByTestId('verdict')).toContainText(/baseline/, { timeout: 60_000 });
    expect(errors).toEqual([]);
  });
});

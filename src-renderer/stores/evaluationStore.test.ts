import { describe, expect, it } from 'vitest';
import { createEvaluationStore, evaluationSelectors } from './evaluationStore.js';
import { createFakeClient } from './testing/fakeClient.js';
import { backtest, runAnalytics, storedEvaluation } from './testing/fixtures.js';

function setup() {
  const fake = createFakeClient();
  return { fake, store: createEvaluationStore(fake.client) };
}

describe('evaluation store', () => {
  it("shows a run's stored evaluation", async () => {
    const { fake, store } = setup();
    void store.getState().select(1);
    expect(evaluationSelectors.loading(store.getState())).toBe(true);
    await fake.next('evaluation.latest').ok(storedEvaluation(1));
    expect(evaluationSelectors.current(store.getState())?.report.classes).toEqual(['down', 'up']);
    expect(evaluationSelectors.loading(store.getState())).toBe(false);
  });

  it('evaluates a run that was never evaluated, on first view', async () => {
    const { fake, store } = setup();
    void store.getState().select(1);
    await fake.next('evaluation.latest').ok(null);
    expect(store.getState().evaluating).toBe(1);
    await fake.next('evaluation.run').ok(storedEvaluation(1));
    expect(store.getState()).toMatchObject({ evaluating: null, error: null });
    expect(evaluationSelectors.current(store.getState())?.runId).toBe(1);
  });

  it('shows why the evaluation could not be read or made, and stops loading', async () => {
    const { fake, store } = setup();
    void store.getState().select(1);
    await fake.next('evaluation.latest').fail('INTERNAL', 'The report could not be read.');
    expect(store.getState().error).toBe('The report could not be read.');
    expect(evaluationSelectors.loading(store.getState())).toBe(false);

    void store.getState().evaluate(1);
    await fake.next('evaluation.run').fail('CONFLICT', 'Run 1 is running; only finished runs can be evaluated.');
    expect(store.getState()).toMatchObject({ evaluating: null, error: 'Run 1 is running; only finished runs can be evaluated.' });
  });

  it("hands over the report's PDF as its bytes, or the printer's sentence", async () => {
    const { fake, store } = setup();
    const bytes = [0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x0a, 0xff, 0x00, 0x80];
    const asked = store.getState().reportPdf(1, 2);
    const call = fake.next('evaluation.reportPdf');
    expect(call.request).toEqual({ runId: 1, backtestId: 2 });
    await call.ok({ pdfBase64: Buffer.from(bytes).toString('base64'), fileName: 'candela-run-1-backtest-2-report.pdf', bytes: bytes.length });
    const got = await asked;
    expect(got).toEqual({ pdf: Uint8Array.from(bytes), fileName: 'candela-run-1-backtest-2-report.pdf' });

    const refused = store.getState().reportPdf(1, null);
    await fake.next('evaluation.reportPdf').fail('UNSUPPORTED', 'No Chromium, Chrome or Edge was found to print the PDF.');
    expect(await refused).toEqual({ error: 'No Chromium, Chrome or Edge was found to print the PDF.' });
  });

  it('a run left behind neither reports its failure nor gets evaluated', async () => {
    const { fake, store } = setup();
    void store.getState().select(1);
    void store.getState().select(2);
    const [first] = fake.pending('evaluation.latest');
    await first!.fail('INTERNAL', 'run 1 failed');
    expect(store.getState().error).toBeNull();
    await fake.next('evaluation.latest').ok(storedEvaluation(2));

    void store.getState().select(3);
    void store.getState().select(2);
    await fake.next('evaluation.latest').ok(null);
    expect(fake.pending('evaluation.run')).toHaveLength(0);
    expect(evaluationSelectors.current(store.getState())?.runId).toBe(2);
  });

  it('keeps the compared run beside the shown one', async () => {
    const { fake, store } = setup();
    void store.getState().select(1);
    await fake.next('evaluation.latest').ok(storedEvaluation(1));
    void store.getState().compareWith(2);
    await fake.next('evaluation.latest').ok(storedEvaluation(2));
    expect(evaluationSelectors.compared(store.getState())?.runId).toBe(2);
    expect(evaluationSelectors.current(store.getState())?.runId).toBe(1);
  });
});

describe('evaluation store: the cost check beside the verdict', () => {
  it("reads the run's newest backtest with its breakeven fee, or that it has none", async () => {
    const { fake, store } = setup();
    void store.getState().select(7);
    const newest = { ...backtest(12, 7), breakeven: { takerFeeBps: 7.25, status: 'found' as const, maxBps: 1000 } };
    void store.getState().loadCostCheck(7);
    expect(fake.next('backtests.list').request).toEqual({ runId: 7 });
    await fake.next('backtests.list').ok({ backtests: [newest, backtest(11, 7)] });
    expect(evaluationSelectors.costCheck(store.getState())).toEqual({ backtest: newest, error: null });

    void store.getState().loadCostCheck(8);
    await fake.next('backtests.list').ok({ backtests: [] });
    expect(store.getState().costCheck[8]).toEqual({ backtest: null, error: null });
    // Kept per run: the run on screen still shows its own.
    expect(evaluationSelectors.costCheck(store.getState())?.backtest?.backtestId).toBe(12);
  });

  it('says why it could not be read', async () => {
    const { fake, store } = setup();
    void store.getState().select(7);
    void store.getState().loadCostCheck(7);
    await fake.next('backtests.list').fail('INTERNAL', 'database is locked');
    expect(evaluationSelectors.costCheck(store.getState())).toEqual({ backtest: null, error: 'database is locked' });
  });

  it("loads the shown run's signal quality and regimes, and shows why they failed", async () => {
    const { fake, store } = setup();
    void store.getState().select(1);
    await fake.next('evaluation.latest').ok(storedEvaluation(1));
    void store.getState().loadAnalytics(1);
    expect(evaluationSelectors.analytics(store.getState())).toEqual({ runId: 1, status: 'loading' });
    await fake.next('evaluation.analytics').ok(runAnalytics(1));
    const a = evaluationSelectors.analytics(store.getState());
    expect(a?.status === 'ready' && a.value.signalQuality.overall.ic).toBe(0.12);

    void store.getState().loadAnalytics(1);
    await fake.next('evaluation.analytics').fail('CONFLICT', 'Run 1 predicts A/B; signal quality needs UP and DOWN classes.');
    expect(evaluationSelectors.analytics(store.getState())).toEqual({ runId: 1, status: 'failed', error: 'Run 1 predicts A/B; signal quality needs UP and DOWN classes.' });
  });

  it("drops a slower answer for a run the person has moved away from", async () => {
    const { fake, store } = setup();
    void store.getState().select(1);
    await fake.next('evaluation.latest').ok(storedEvaluation(1));
    void store.getState().loadAnalytics(1);
    void store.getState().select(2);
    await fake.next('evaluation.latest').ok(storedEvaluation(2));
    void store.getState().loadAnalytics(2);
    const [first, second] = fake.pending('evaluation.analytics');
    await second!.ok(runAnalytics(2));
    await first!.fail('INTERNAL', 'run 1 failed late');
    expect(store.getState().analytics).toMatchObject({ runId: 2, status: 'ready' });
    expect(evaluationSelectors.analytics(store.getState())).toMatchObject({ runId: 2, status: 'ready' });
  });
});

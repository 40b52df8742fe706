import { describe, expect, it } from 'vitest';
import { createEvaluationStore, evaluationSelectors } from './evaluationStore.js';
import { createFakeClient } from './testing/fakeClient.js';
import { storedEvaluation } from './testing/fixtures.js';

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

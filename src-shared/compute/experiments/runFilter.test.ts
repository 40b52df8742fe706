import { describe, expect, it } from 'vitest';
import { syntheticRuns } from './__fixtures__/syntheticRuns.js';
import { configDiff, filterRuns, parseRunQuery, runFields, sortRuns, RunQueryError, type RunRecord } from './runFilter.js';

describe('run filter and sort', () => {
  const runs = syntheticRuns(1000);
  const fields = runFields(runs);

  it('keeps exactly the runs a hand-written predicate keeps, for every kind of clause', () => {
    const cases: [string, (r: RunRecord) => boolean][] = [
      ['model=gru lr<0.001', (r) => r.model === 'gru' && (r.values.lr as number) < 0.001],
      ['accuracy>=0.55 hidden!=32', (r) => r.values.accuracy !== null && (r.values.accuracy as number) >= 0.55 && r.values.hidden !== 32],
      ['tag=best sweep=2', (r) => r.tags.includes('best') && r.sweepId === 2],
      ['sweep=none tag!=best', (r) => r.sweepId === null && !r.tags.includes('best')],
      ['includeExtras=true split.train=0.7 name~"seed 3"', (r) => r.values.includeExtras === true && r.name.includes('seed 3')],
      ['LSTM old', (r) => r.model === 'lstm' && r.tags.includes('old')],
      ['accuracy!=0.5', () => true],
      ['accuracy<1', (r) => r.values.accuracy !== null],
      ['sweep>=3', (r) => r.sweepId !== null && r.sweepId >= 3],
    ];
    for (const [q, want] of cases) {
      const got = filterRuns(runs, parseRunQuery(q, fields)).map((r) => r.id);
      const expected = runs.filter(want).map((r) => r.id);
      expect(got, q).toEqual(expected);
      expect(expected.length, `${q} must select something and not everything`).toBeGreaterThan(0);
    }
  });

  it('sorts numbers as numbers, missing values last either way, ties by id', () => {
    const desc = sortRuns(runs, 'accuracy', 'desc');
    const asc = sortRuns(runs, 'accuracy', 'asc');
    const firstNull = desc.findIndex((r) => r.values.accuracy === null);
    expect(desc.slice(firstNull).every((r) => r.values.accuracy === null)).toBe(true);
    expect(asc.slice(firstNull).every((r) => r.values.accuracy === null)).toBe(true);
    for (let i = 1; i < firstNull; i++) expect(desc[i - 1]!.values.accuracy as number).toBeGreaterThanOrEqual(desc[i]!.values.accuracy as number);
    expect(asc[0]!.values.accuracy).toBe(desc[firstNull - 1]!.values.accuracy);
    const byHidden = sortRuns(runs, 'hidden', 'asc');
    expect(byHidden.slice(0, 3).map((r) => r.values.hidden)).toEqual([16, 16, 16]);
    // Equal values keep newest first.
    expect(byHidden[0]!.id).toBeGreaterThan(byHidden[1]!.id);
    expect(sortRuns(runs, 'name', 'asc')[0]!.name.startsWith('CNN')).toBe(true);
  });

  it('refuses what it cannot read with a sentence', () => {
    expect(() => parseRunQuery('learning<0.1', fields)).toThrow(RunQueryError);
    expect(() => parseRunQuery('lrr=1', fields)).toThrow(/No run has a field named "lrr"; did you mean .*lr/);
    expect(() => parseRunQuery('lr<abc', fields)).toThrow(/needs a number/);
    expect(() => parseRunQuery('lr=', fields)).toThrow(/with nothing/);
    expect(() => parseRunQuery('name~"open', fields)).toThrow(/unclosed quote/);
  });
});

describe('configDiff', () => {
  it('lists only the fields that differ, nested and absent ones included', () => {
    const a = { model: 'gru', lr: 0.001, split: { train: 0.7, val: 0.15 }, datasetIds: [1, 2], seed: 42 };
    const b = { model: 'gru', lr: 0.003, split: { train: 0.7, val: 0.2 }, datasetIds: [1, 2], seed: 43, extra: true };
    const c = { model: 'gru', lr: 0.001, split: { train: 0.7, val: 0.15 }, datasetIds: [2, 1], seed: 42 };
    expect(configDiff([a, b, c])).toEqual([
      { field: 'datasetIds', values: ['[1,2]', '[1,2]', '[2,1]'] },
      { field: 'extra', values: [null, true, null] },
      { field: 'lr', values: [0.001, 0.003, 0.001] },
      { field: 'seed', values: [42, 43, 42] },
      { field: 'split.val', values: [0.15, 0.2, 0.15] },
    ]);
    expect(configDiff([a, { ...a }])).toEqual([]);
    // A null set on purpose differs from a field that is not there.
    expect(configDiff([{ x: null }, {}])).toEqual([{ field: 'x', values: [null, null] }]);
  });
});

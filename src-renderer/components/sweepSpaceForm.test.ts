import { describe, expect, it } from 'vitest';
import { SWEEPABLE_FIELDS, searchSpaceSchema } from '../../src-shared/contract/sweeps.js';
import { fieldHint, newSpaceRow, rowsFromSpaceText, rowsToParams, rowToParam, spaceFileOf, spaceTextWithParams, sweepFieldInfo, SWEEP_FIELDS, unusedField, withField, type SpaceRow } from './sweepSpaceForm.js';

const row = (r: Partial<SpaceRow> & Pick<SpaceRow, 'field' | 'kind'>): SpaceRow => ({ id: 0, values: '', low: '', high: '', step: '', log: false, ...r });
const problem = (r: SpaceRow) => {
  const p = rowToParam(r);
  return 'problem' in p ? p.problem : null;
};

describe('the search-space form', () => {
  it('offers every searchable field with its type and bounds from the training contract', () => {
    expect(SWEEP_FIELDS.map((f) => f.field)).toEqual([...SWEEPABLE_FIELDS]);
    expect(sweepFieldInfo('window')).toMatchObject({ type: 'int', min: 1, max: 512, kinds: ['choice', 'int'] });
    expect(sweepFieldInfo('lr')).toMatchObject({ type: 'float', min: 1e-7, max: 1, kinds: ['choice', 'float'] });
    expect(sweepFieldInfo('model')).toMatchObject({ type: 'enum', kinds: ['choice'] });
    expect(sweepFieldInfo('magnitudeHead')).toMatchObject({ type: 'boolean', options: [true, false] });
    expect(sweepFieldInfo('datasetIds')).toBeUndefined();
    expect(fieldHint(sweepFieldInfo('window')!)).toBe('whole numbers from 1 to 512');
    expect(fieldHint(sweepFieldInfo('maxSamplesPerSymbol')!)).toBe('whole numbers from 100');
    expect(fieldHint(sweepFieldInfo('optimizer')!)).toBe('one of adam, adamw');
  });

  it('turns rows into space.json params the contract accepts, typed by field', () => {
    const rows = [
      row({ field: 'lr', kind: 'float', low: '0.0001', high: ' 0.01', log: true }),
      row({ field: 'hidden', kind: 'choice', values: '16, 32,64' }),
      row({ field: 'window', kind: 'int', low: '16', high: '64', step: '8' }),
      row({ field: 'model', kind: 'choice', values: 'mlp, gru' }),
      row({ field: 'magnitudeHead', kind: 'choice', values: 'true,false' }),
      row({ field: 'layers', kind: 'int', low: '1', high: '3', step: '1' }),
    ];
    const out = rowsToParams(rows);
    expect(out).toEqual({
      params: {
        lr: { float: [0.0001, 0.01], log: true },
        hidden: { choice: [16, 32, 64] },
        window: { int: [16, 64], step: 8 },
        model: { choice: ['mlp', 'gru'] },
        magnitudeHead: { choice: [true, false] },
        layers: { int: [1, 3] },
      },
    });
    expect(searchSpaceSchema.safeParse((out as { params: object }).params).success).toBe(true);
  });

  it('says in a sentence what is wrong with a row', () => {
    expect(problem(row({ field: 'lr', kind: 'float', low: '0.1', high: '0.01' }))).toBe('lr: the low end 0.1 is above the high end 0.01.');
    expect(problem(row({ field: 'lr', kind: 'float', low: 'abc', high: '0.01' }))).toBe('lr: the low end "abc" is not a number.');
    expect(problem(row({ field: 'lr', kind: 'float', low: '', high: '0.01' }))).toBe('lr: give the low end.');
    expect(problem(row({ field: 'lr', kind: 'float', low: '0.1', high: '2' }))).toBe('lr: the high end 2 is above the largest allowed value, 1.');
    expect(problem(row({ field: 'dropout', kind: 'float', low: '0', high: '0.5', log: true }))).toBe('dropout: a log scale needs a low end above 0.');
    expect(problem(row({ field: 'window', kind: 'int', low: '8.5', high: '16' }))).toBe('window: the low end 8.5 is not a whole number.');
    expect(problem(row({ field: 'window', kind: 'int', low: '0', high: '16' }))).toBe('window: the low end 0 is below the smallest allowed value, 1.');
    expect(problem(row({ field: 'window', kind: 'int', low: '8', high: '20', step: '5' }))).toBe('window: the step 5 does not divide the range 8–20 (a width of 12).');
    expect(problem(row({ field: 'window', kind: 'int', low: '8', high: '20', step: '0' }))).toBe('window: the step "0" is not a positive whole number.');
    expect(problem(row({ field: 'window', kind: 'int', low: '8', high: '24', step: '4', log: true }))).toBe('window: a log-scale range cannot have a step.');
    expect(problem(row({ field: 'window', kind: 'float', low: '8', high: '24' }))).toBe('window: a float range does not fit a field of whole numbers from 1 to 512; use choice or int.');
    expect(problem(row({ field: 'hidden', kind: 'choice', values: ' , ' }))).toBe('hidden: give at least one value, separated by commas (whole numbers from 4 to 1024).');
    expect(problem(row({ field: 'hidden', kind: 'choice', values: '16, 16' }))).toBe('hidden: the value 16 is given twice.');
    expect(problem(row({ field: 'model', kind: 'choice', values: 'mlp, rnn' }))).toBe('model: "rnn" is not one of mlp, cnn, lstm, gru, transformer, tft.');
    expect(problem(row({ field: 'balancePerSymbol', kind: 'choice', values: 'yes' }))).toBe('balancePerSymbol: "yes" is not true or false.');
    expect(problem(row({ field: 'split', kind: 'choice', values: '1' }))).toMatch(/^"split" cannot be searched; choose one of model, /);
    expect(rowsToParams([row({ field: 'hidden', kind: 'choice', values: '8' }), row({ field: 'hidden', kind: 'choice', values: '16' })])).toEqual({ problems: ['hidden is searched in 2 rows; keep one row per field.'] });
    expect(rowsToParams([])).toEqual({ problems: ['Search at least one field: add a row.'] });
  });

  it('reads rows back from space.json and writes the same params again, keeping base', () => {
    const text = JSON.stringify({ base: { model: 'mlp', epochs: 5 }, params: { lr: { float: [0.0001, 0.01], log: true }, hidden: { choice: [16, 32, 64] }, window: { int: [16, 64], step: 16 }, model: { choice: ['mlp', 'gru'] } } });
    const read = rowsFromSpaceText(text);
    expect('rows' in read).toBe(true);
    const rows = (read as { rows: SpaceRow[] }).rows;
    expect(rows.map((r) => [r.field, r.kind, r.values, r.low, r.high, r.step, r.log])).toEqual([
      ['lr', 'float', '', '0.0001', '0.01', '', true],
      ['hidden', 'choice', '16, 32, 64', '', '', '', false],
      ['window', 'int', '', '16', '64', '16', false],
      ['model', 'choice', 'mlp, gru', '', '', '', false],
    ]);
    const back = rowsToParams(rows) as { params: Record<string, unknown> };
    expect(JSON.parse(spaceTextWithParams(spaceFileOf(text)!, back.params))).toEqual(JSON.parse(text));
  });

  it('leaves the form as it was when the text cannot be shown, and says why', () => {
    expect(rowsFromSpaceText('{"params": ')).toEqual({ problem: 'The form keeps its rows until the text is valid JSON again.' });
    expect(rowsFromSpaceText('{"base": {}}')).toEqual({ problem: 'The space needs a "params" object; the form keeps its rows until it has one.' });
    expect(rowsFromSpaceText('{"params": {"lr": {"float": [0.1, 0.2], "choice": [1]}}}')).toEqual({ problem: 'params.lr is not {"choice": [...]}, {"int": [low, high]} or {"float": [low, high]}; the form keeps its rows until it is.' });
    expect(rowsFromSpaceText('{"params": {"lr": {"float": 0.1}}}')).toEqual({ problem: 'params.lr.float is not [low, high]; the form keeps its rows until it is.' });
    expect(spaceFileOf('[1]')).toBeNull();
  });

  it('adds rows for unused fields starting from the default, and keeps what fits when a row changes field', () => {
    const first = newSpaceRow(unusedField([])!);
    expect(first).toMatchObject({ field: 'model', kind: 'choice', values: 'gru' });
    expect(unusedField([first])).toBe('featureSet');
    expect(newSpaceRow('lr').values).toBe('0.001');
    expect(unusedField(SWEEP_FIELDS.map((f) => newSpaceRow(f.field)))).toBeNull();
    const window = row({ field: 'window', kind: 'int', low: '8', high: '32' });
    expect(withField(window, 'hidden')).toMatchObject({ field: 'hidden', kind: 'int', low: '8', high: '32' });
    expect(withField(window, 'lr')).toMatchObject({ field: 'lr', kind: 'choice' });
    expect(withField(window, 'optimizer')).toMatchObject({ field: 'optimizer', kind: 'choice', values: 'adam, adamw' });
  });
});
